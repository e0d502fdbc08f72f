/**
 * A filter that cannot be added: an unknown filter type, a bad value, or a
 * filter string that does not parse. `token` is the offending text; for
 * filter strings `position` is its 0-based character offset in the string,
 * and the message ends with "at position N".
 */
export class FilterError extends Error {
  readonly token?: string;
  readonly position?: number;

  constructor(message: string, token?: string, position?: number) {
    super(position === undefined ? message : `${message} at position ${position}`);
    this.name = 'FilterError';
    if (token !== undefined) this.token = token;
    if (position !== undefined) this.position = position;
  }

  /** The same error located in a filter string (errors from `addFilter` carry no position). */
  at(position: number, token?: string): FilterError {
    const message = this.position === undefined ? this.message : this.reason();
    return new FilterError(message, token ?? this.token, position);
  }

  /** The message without the position suffix. */
  reason(): string {
    const suffix = ` at position ${this.position}`;
    return this.position !== undefined && this.message.endsWith(suffix)
      ? this.message.slice(0, -suffix.length)
      : this.message;
  }
}

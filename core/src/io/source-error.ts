/**
 * Thrown from a byte stream's iterator when its location cannot be opened or read, or when its
 * compressed data is corrupt or truncated. The message names the location and the cause.
 */
export class SourceError extends Error {
  override readonly name = 'SourceError';
  readonly location: string;

  constructor(location: string, reason: string, options?: { cause?: unknown }) {
    super(`${location}: ${reason}`, options);
    this.location = location;
  }
}

/** A readable cause, including the nested one that fetch hides behind "fetch failed". */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as NodeJS.ErrnoException).code;
  let text = code && !err.message.includes(code) ? `${code}: ${err.message}` : err.message;
  if (err.cause instanceof Error && !text.includes(err.cause.message))
    text += ` (${describeError(err.cause)})`;
  return text;
}

/** A request or record that cannot be decoded (truncated, negative length, bad varint...). */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

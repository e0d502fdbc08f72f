/** Thrown inside the decoder when bytes cannot be what they claim; the MRT layer turns it into a `corrupted-record`. */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
}

export function fail(message: string): never {
  throw new DecodeError(message);
}

import { createGunzip } from 'node:zlib';
import { driveTransform } from './transform-driver.js';

/**
 * zlib's Gunzip already continues across concatenated gzip members; on a truncated member it emits
 * "unexpected end of file" at the final flush, after the bytes it could decode.
 */
export function gunzip(input: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  return driveTransform(createGunzip(), input);
}

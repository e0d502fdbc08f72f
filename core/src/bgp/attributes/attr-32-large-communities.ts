import type { PathAttributes } from '../../model/path-attributes.js';
import { readU32 } from './u32.js';

/** LARGE_COMMUNITY (RFC 8092): 12 bytes each, three 4-byte numbers. */
export function decodeLargeCommunities(
  buf: Uint8Array,
  off: number,
  len: number,
  attrs: PathAttributes,
): void {
  if (len % 12 !== 0) {
    attrs.addError(`LARGE_COMMUNITY malformed (length ${len})`);
    return;
  }
  const out = new Array<number>(len >> 2);
  for (let i = 0; i < out.length; i++) out[i] = readU32(buf, off + 4 * i);
  attrs.largeCommunities = out;
}

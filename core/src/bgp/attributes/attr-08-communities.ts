import type { PathAttributes } from '../../model/path-attributes.js';
import { readU32 } from './u32.js';

/** COMMUNITIES (RFC 1997): 4 bytes each, kept packed as `asn << 16 | value`. */
export function decodeCommunities(buf: Uint8Array, off: number, len: number, attrs: PathAttributes): void {
  if (len % 4 !== 0) {
    attrs.addError(`COMMUNITIES malformed (length ${len})`);
    return;
  }
  const out = new Array<number>(len >> 2);
  for (let i = 0; i < out.length; i++) out[i] = readU32(buf, off + 4 * i);
  attrs.communities = out;
}

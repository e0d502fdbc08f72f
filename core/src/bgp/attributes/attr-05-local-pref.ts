import type { PathAttributes } from '../../model/path-attributes.js';
import { readU32 } from './u32.js';

/** LOCAL_PREF (RFC 4271 5.1.5): 4 bytes. */
export function decodeLocalPref(buf: Uint8Array, off: number, len: number, attrs: PathAttributes): void {
  if (len !== 4) {
    attrs.addError(`LOCAL_PREF malformed (length ${len})`);
    return;
  }
  attrs.localPref = readU32(buf, off);
}

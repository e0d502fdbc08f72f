import type { PathAttributes } from '../../model/path-attributes.js';
import { readU32 } from './u32.js';

/** MULTI_EXIT_DISC (RFC 4271 5.1.4): 4 bytes. */
export function decodeMed(buf: Uint8Array, off: number, len: number, attrs: PathAttributes): void {
  if (len !== 4) {
    attrs.addError(`MULTI_EXIT_DISC malformed (length ${len})`);
    return;
  }
  attrs.med = readU32(buf, off);
}

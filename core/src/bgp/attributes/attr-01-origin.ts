import type { PathAttributes } from '../../model/path-attributes.js';

/** ORIGIN (RFC 4271 5.1.1): one byte, 0 IGP, 1 EGP, 2 INCOMPLETE. */
export function decodeOrigin(buf: Uint8Array, off: number, len: number, attrs: PathAttributes): void {
  if (len !== 1 || buf[off] > 2) {
    attrs.addError(`ORIGIN malformed (length ${len})`);
    return;
  }
  attrs.origin = buf[off];
}

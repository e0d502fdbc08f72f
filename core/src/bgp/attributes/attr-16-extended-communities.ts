import type { PathAttributes } from '../../model/path-attributes.js';

/** EXTENDED_COMMUNITIES (RFC 4360): 8 bytes each, kept as bytes (type, subtype, value). */
export function decodeExtendedCommunities(
  buf: Uint8Array,
  off: number,
  len: number,
  attrs: PathAttributes,
): void {
  if (len % 8 !== 0) {
    attrs.addError(`EXTENDED_COMMUNITIES malformed (length ${len})`);
    return;
  }
  const out: Uint8Array[] = [];
  for (let p = off; p < off + len; p += 8) out.push(buf.slice(p, p + 8));
  attrs.extendedCommunities = out;
}

import type { PathAttributes } from '../../model/path-attributes.js';
import { readU32 } from './u32.js';

/** ONLY_TO_CUSTOMER (RFC 9234): the 4-byte ASN that marked the route. */
export function decodeOnlyToCustomer(buf: Uint8Array, off: number, len: number, attrs: PathAttributes): void {
  if (len !== 4) {
    attrs.addError(`ONLY_TO_CUSTOMER malformed (length ${len})`);
    return;
  }
  attrs.onlyToCustomer = readU32(buf, off);
}

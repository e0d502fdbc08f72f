import { IpAddress } from '../../model/address.js';
import type { PathAttributes } from '../../model/path-attributes.js';

/** NEXT_HOP (RFC 4271 5.1.3): an IPv4 address. */
export function decodeNextHop(buf: Uint8Array, off: number, len: number, attrs: PathAttributes): void {
  if (len !== 4) {
    attrs.addError(`NEXT_HOP malformed (length ${len})`);
    return;
  }
  attrs.nextHop = IpAddress.fromBytes(buf, off, 4);
}

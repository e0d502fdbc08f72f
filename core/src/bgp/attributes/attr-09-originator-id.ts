import { IpAddress } from '../../model/address.js';
import type { PathAttributes } from '../../model/path-attributes.js';

/** ORIGINATOR_ID (RFC 4456): a 4-byte router id. */
export function decodeOriginatorId(buf: Uint8Array, off: number, len: number, attrs: PathAttributes): void {
  if (len !== 4) {
    attrs.addError(`ORIGINATOR_ID malformed (length ${len})`);
    return;
  }
  attrs.originatorId = IpAddress.fromBytes(buf, off, 4);
}

import { IpAddress } from '../../model/address.js';
import type { Aggregator, PathAttributes } from '../../model/path-attributes.js';
import { readU16, readU32 } from './u32.js';

/**
 * AGGREGATOR (type 7): ASN + IPv4 address, 6 bytes with 2-byte ASNs, 8 with
 * 4-byte ones. The length decides, not the session type: OpenBGPD writes
 * 8-byte AGGREGATORs into 2-byte TABLE_DUMP records.
 */
export function decodeAggregator(
  buf: Uint8Array,
  off: number,
  len: number,
  attrs: PathAttributes,
): Aggregator | null {
  if (len === 6) return { asn: readU16(buf, off), address: IpAddress.fromBytes(buf, off + 2, 4) };
  if (len === 8) return { asn: readU32(buf, off), address: IpAddress.fromBytes(buf, off + 4, 4) };
  attrs.addError(`AGGREGATOR malformed (length ${len})`);
  return null;
}

/** AS4_AGGREGATOR (type 18, RFC 6793): 4-byte ASN + IPv4 address. */
export function decodeAs4Aggregator(
  buf: Uint8Array,
  off: number,
  len: number,
  attrs: PathAttributes,
): Aggregator | null {
  if (len !== 8) {
    attrs.addError(`AS4_AGGREGATOR malformed (length ${len})`);
    return null;
  }
  return { asn: readU32(buf, off), address: IpAddress.fromBytes(buf, off + 4, 4) };
}

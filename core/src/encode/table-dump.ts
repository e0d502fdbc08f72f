import type { IpAddress } from '../model/address.js';
import type { PathAttributes } from '../model/path-attributes.js';
import type { Prefix } from '../model/prefix.js';
import { MRT_TABLE_DUMP } from '../mrt/mrt-types.js';
import { ByteWriter } from './byte-writer.js';
import { encodeMrtRecord } from './mrt-writer.js';
import { writePathAttributes } from './path-attributes.js';

export interface TableDumpInput {
  timeSec: number;
  viewNumber?: number;
  /** 16 bits: the sequence wraps in this old format. */
  sequence: number;
  prefix: Prefix;
  /** Unused by readers; 1 by convention. */
  status?: number;
  origTimeSec: number;
  /** Of the prefix's family: the format has one AFI for both. */
  peerAddress: IpAddress;
  peerAsn: number;
  attributes: PathAttributes;
}

/**
 * A TABLE_DUMP record (RFC 6396 4.2): one RIB entry, 2-byte ASNs (AS4_PATH
 * carries larger ones). An `mpNextHop` goes into a full MP_REACH_NLRI without
 * NLRI, the form Zebra wrote.
 */
export function encodeTableDump(entry: TableDumpInput): Uint8Array {
  const family = entry.prefix.family;
  if (entry.peerAddress.family !== family) {
    throw new RangeError(`TABLE_DUMP peer ${entry.peerAddress} is not of the prefix's family`);
  }
  const attrs = entry.attributes;
  const w = new ByteWriter();
  w.u16(entry.viewNumber ?? 0)
    .u16(entry.sequence)
    .address(entry.prefix.address.masked(entry.prefix.length))
    .u8(entry.prefix.length)
    .u8(entry.status ?? 1)
    .u32(entry.origTimeSec)
    .address(entry.peerAddress)
    .u16(entry.peerAsn);
  const lengthAt = w.length;
  w.u16(0);
  const mpReach = attrs.mpNextHop
    ? {
        afi: family === 4 ? 1 : 2,
        safi: 1,
        nextHop: attrs.mpNextHop,
        nextHopLinkLocal: attrs.mpNextHopLinkLocal,
        prefixes: [],
      }
    : null;
  writePathAttributes(w, attrs, { as4: false, mpReach });
  w.patchU16(lengthAt, w.length - lengthAt - 2);
  return encodeMrtRecord(
    { timeSec: entry.timeSec, type: MRT_TABLE_DUMP, subtype: family === 4 ? 1 : 2 },
    w.toBytes(),
  );
}

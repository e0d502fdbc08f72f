import { AFI_IPV4, AFI_IPV6 } from '../bgp/attributes/attribute-context.js';
import { decodePathAttributes } from '../bgp/attributes/path-attributes.js';
import { readU16, readU32 } from '../bgp/attributes/u32.js';
import { fail } from '../bgp/decode-error.js';
import type { DecodeOutput } from '../bgp/decode-output.js';
import { readPrefix } from '../bgp/nlri.js';
import { Elem } from '../model/elem.js';
import type { Prefix } from '../model/prefix.js';
import {
  TDV2_RIB_GENERIC,
  TDV2_RIB_GENERIC_ADDPATH,
  TDV2_RIB_IPV4_MULTICAST,
  TDV2_RIB_IPV4_MULTICAST_ADDPATH,
  TDV2_RIB_IPV4_UNICAST,
  TDV2_RIB_IPV4_UNICAST_ADDPATH,
  TDV2_RIB_IPV6_MULTICAST,
  TDV2_RIB_IPV6_MULTICAST_ADDPATH,
  TDV2_RIB_IPV6_UNICAST,
  TDV2_RIB_IPV6_UNICAST_ADDPATH,
} from './mrt-types.js';
import type { PeerIndexTable } from './peer-index-table.js';

interface RibShape {
  afi: 1 | 2;
  multicast: boolean;
  addPath: boolean;
}

const RIB_SHAPES: Record<number, RibShape> = {
  [TDV2_RIB_IPV4_UNICAST]: { afi: AFI_IPV4, multicast: false, addPath: false },
  [TDV2_RIB_IPV4_MULTICAST]: { afi: AFI_IPV4, multicast: true, addPath: false },
  [TDV2_RIB_IPV6_UNICAST]: { afi: AFI_IPV6, multicast: false, addPath: false },
  [TDV2_RIB_IPV6_MULTICAST]: { afi: AFI_IPV6, multicast: true, addPath: false },
  [TDV2_RIB_IPV4_UNICAST_ADDPATH]: { afi: AFI_IPV4, multicast: false, addPath: true },
  [TDV2_RIB_IPV4_MULTICAST_ADDPATH]: { afi: AFI_IPV4, multicast: true, addPath: true },
  [TDV2_RIB_IPV6_UNICAST_ADDPATH]: { afi: AFI_IPV6, multicast: false, addPath: true },
  [TDV2_RIB_IPV6_MULTICAST_ADDPATH]: { afi: AFI_IPV6, multicast: true, addPath: true },
};

/**
 * TABLE_DUMP_V2 RIB records (RFC 6396 4.3.2-4.3.4, RFC 8050): one prefix and
 * its entries, one R elem per entry, peers named by PEER_INDEX_TABLE index.
 * Multicast RIBs give no elems unless asked for (the reference drops them); RIB_GENERIC
 * gives elems for IPv4/IPv6 unicast and nothing for other AFI/SAFI.
 */
export function decodeTableDumpV2Rib(
  buf: Uint8Array,
  off: number,
  end: number,
  subtype: number,
  timeSec: number,
  peerIndex: PeerIndexTable | null,
  multicast: boolean,
  out: DecodeOutput,
): void {
  let shape = RIB_SHAPES[subtype];
  let p = off + 4; // sequence number
  if (subtype === TDV2_RIB_GENERIC || subtype === TDV2_RIB_GENERIC_ADDPATH) {
    if (p + 3 > end) fail('RIB_GENERIC header truncated');
    const afi = readU16(buf, p);
    const safi = buf[p + 2];
    p += 3;
    if ((afi !== AFI_IPV4 && afi !== AFI_IPV6) || (safi !== 1 && safi !== 2)) return;
    shape = {
      afi: afi === AFI_IPV4 ? 1 : 2,
      multicast: safi === 2,
      addPath: subtype === TDV2_RIB_GENERIC_ADDPATH,
    };
  }
  if (!shape) fail(`TABLE_DUMP_V2 subtype ${subtype} is not a RIB`);
  if (p + 1 > end) fail('RIB record truncated');
  const family = shape.afi === AFI_IPV4 ? 4 : 6;
  const prefix: Prefix = readPrefix(buf, p, end, family);
  p += 1 + ((buf[p] + 7) >> 3);
  if (p + 2 > end) fail('RIB entry count truncated');
  const count = readU16(buf, p);
  p += 2;
  if (!peerIndex) fail('RIB record before any PEER_INDEX_TABLE');
  const ctx = { asSize: 4, addPath: 'no', ribAfi: shape.afi } as const;
  for (let i = 0; i < count; i++) {
    const head = shape.addPath ? 12 : 8;
    if (p + head > end) fail(`RIB entry ${i} truncated`);
    const peer = peerIndex.peers[readU16(buf, p)];
    if (!peer) fail(`RIB entry ${i} names peer index ${readU16(buf, p)} beyond the table`);
    const origTime = readU32(buf, p + 2);
    const pathId = shape.addPath ? readU32(buf, p + 6) : null;
    const attrLen = readU16(buf, p + head - 2);
    p += head;
    if (p + attrLen > end) fail(`RIB entry ${i} attributes run past the record`);
    if (!out.wantsPeer(peer.asn)) {
      p += attrLen;
      continue;
    }
    const { attributes } = decodePathAttributes(buf, p, p + attrLen, ctx);
    p += attrLen;
    if (shape.multicast && !multicast) continue;
    const nextHop = family === 4 ? (attributes.nextHop ?? attributes.mpNextHop) : attributes.mpNextHop;
    out.elems.push(
      new Elem('R', timeSec, 0, peer.address, peer.asn, prefix, pathId, nextHop, attributes, 0, 0, origTime),
    );
  }
}

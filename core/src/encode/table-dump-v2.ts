import type { IpAddress } from '../model/address.js';
import type { PathAttributes } from '../model/path-attributes.js';
import type { Prefix } from '../model/prefix.js';
import {
  MRT_TABLE_DUMP_V2,
  TDV2_PEER_INDEX_TABLE,
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
} from '../mrt/mrt-types.js';
import { ByteWriter } from './byte-writer.js';
import { encodeMrtRecord } from './mrt-writer.js';
import { writePrefix } from './nlri.js';
import { writePathAttributes } from './path-attributes.js';

export interface PeerIndexPeer {
  bgpId: IpAddress;
  address: IpAddress;
  asn: number;
  /** A 4-byte ASN field; by default only when the ASN needs it. */
  as4?: boolean;
}

export interface PeerIndexTableInput {
  /** Defaults to 0. */
  timeSec?: number;
  collectorBgpId: IpAddress;
  viewName?: string;
  peers: readonly PeerIndexPeer[];
}

/** TABLE_DUMP_V2 PEER_INDEX_TABLE (RFC 6396 4.3.1). */
export function encodePeerIndexTable(table: PeerIndexTableInput): Uint8Array {
  const name = new TextEncoder().encode(table.viewName ?? '');
  const w = new ByteWriter(32 + table.peers.length * 25);
  w.address(v4(table.collectorBgpId, 'collector BGP id'))
    .u16(name.length)
    .bytes(name)
    .u16(table.peers.length);
  for (const peer of table.peers) {
    const as4 = peer.as4 ?? peer.asn > 0xffff;
    w.u8((peer.address.family === 6 ? 1 : 0) | (as4 ? 2 : 0)).address(v4(peer.bgpId, 'peer BGP id'));
    w.address(peer.address);
    if (as4) w.u32(peer.asn);
    else w.u16(peer.asn);
  }
  return encodeMrtRecord(
    { timeSec: table.timeSec ?? 0, type: MRT_TABLE_DUMP_V2, subtype: TDV2_PEER_INDEX_TABLE },
    w.toBytes(),
  );
}

export interface RibEntryInput {
  /** Index into the PEER_INDEX_TABLE. */
  peerIndex: number;
  origTimeSec: number;
  /** Required in ADD-PATH RIBs (RFC 8050). */
  pathId?: number;
  attributes: PathAttributes;
}

export interface RibRecordInput {
  timeSec: number;
  prefix: Prefix;
  entries: readonly RibEntryInput[];
  sequence: number;
  /** The _ADDPATH subtypes: each entry carries its path id. */
  addPath?: boolean;
  multicast?: boolean;
  /** RIB_GENERIC (or RIB_GENERIC_ADDPATH) with AFI/SAFI spelled out instead of an AFI/SAFI-specific subtype. */
  generic?: boolean;
}

function ribSubtype(family: 4 | 6, multicast: boolean, addPath: boolean, generic: boolean): number {
  if (generic) return addPath ? TDV2_RIB_GENERIC_ADDPATH : TDV2_RIB_GENERIC;
  if (family === 4) {
    if (multicast) return addPath ? TDV2_RIB_IPV4_MULTICAST_ADDPATH : TDV2_RIB_IPV4_MULTICAST;
    return addPath ? TDV2_RIB_IPV4_UNICAST_ADDPATH : TDV2_RIB_IPV4_UNICAST;
  }
  if (multicast) return addPath ? TDV2_RIB_IPV6_MULTICAST_ADDPATH : TDV2_RIB_IPV6_MULTICAST;
  return addPath ? TDV2_RIB_IPV6_UNICAST_ADDPATH : TDV2_RIB_IPV6_UNICAST;
}

/**
 * A TABLE_DUMP_V2 RIB record (RFC 6396 4.3.2, RFC 8050): one prefix and its
 * entries. Attributes use 4-byte ASNs; the next hop of a non-IPv4 route (and
 * any `mpNextHop`) goes into the abbreviated MP_REACH_NLRI of RFC 6396 4.3.4.
 */
export function encodeRibRecord(rib: RibRecordInput): Uint8Array {
  const addPath = rib.addPath === true;
  const multicast = rib.multicast === true;
  const generic = rib.generic === true;
  const family = rib.prefix.family;
  const w = new ByteWriter();
  w.u32(rib.sequence);
  if (generic) w.u16(family === 4 ? 1 : 2).u8(multicast ? 2 : 1);
  writePrefix(w, rib.prefix);
  w.u16(rib.entries.length);
  for (const e of rib.entries) {
    w.u16(e.peerIndex).u32(e.origTimeSec);
    if (addPath) {
      if (e.pathId === undefined) throw new RangeError('an ADD-PATH RIB entry needs a pathId');
      w.u32(e.pathId);
    }
    const lengthAt = w.length;
    w.u16(0);
    writePathAttributes(w, e.attributes, { as4: true, ribEntry: true });
    w.patchU16(lengthAt, w.length - lengthAt - 2);
  }
  return encodeMrtRecord(
    {
      timeSec: rib.timeSec,
      type: MRT_TABLE_DUMP_V2,
      subtype: ribSubtype(family, multicast, addPath, generic),
    },
    w.toBytes(),
  );
}

function v4(a: IpAddress, what: string): IpAddress {
  if (a.family !== 4) throw new RangeError(`${what} must be IPv4, got ${a}`);
  return a;
}

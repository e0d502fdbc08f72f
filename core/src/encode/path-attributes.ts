import type { IpAddress } from '../model/address.js';
import {
  AS_CONFED_SEQUENCE,
  AS_CONFED_SET,
  AS_SEQUENCE,
  AsPath,
  type AsPathSegment,
} from '../model/as-path.js';
import type { Aggregator, PathAttributes } from '../model/path-attributes.js';
import type { Prefix } from '../model/prefix.js';
import { ByteWriter } from './byte-writer.js';
import { writeNlri } from './nlri.js';

/** RFC 6793: what a 2-byte speaker sees in place of an ASN that does not fit. */
export const AS_TRANS = 23456;

const OPTIONAL = 0x80;
const TRANSITIVE = 0x40;
const EXTENDED_LENGTH = 0x10;
const WELL_KNOWN = TRANSITIVE;
const OPTIONAL_TRANSITIVE = OPTIONAL | TRANSITIVE;

/** MP_REACH_NLRI in its full form (RFC 4760), as UPDATE messages carry it. */
export interface MpReachNlri {
  afi: number;
  safi: number;
  /** 4 or 16 bytes; null writes a zero-length next hop. */
  nextHop: IpAddress | null;
  /** IPv6 link-local next hop, sent after the global one (32-byte next hop field). */
  nextHopLinkLocal?: IpAddress | null;
  prefixes: readonly Prefix[];
  /** ADD-PATH path ids, one per prefix. */
  pathIds?: readonly number[] | null;
}

/** MP_UNREACH_NLRI (RFC 4760). */
export interface MpUnreachNlri {
  afi: number;
  safi: number;
  prefixes: readonly Prefix[];
  pathIds?: readonly number[] | null;
}

export interface AttributeEncoding {
  /**
   * 4-byte ASNs in AS_PATH and AGGREGATOR (AS4 BGP4MP subtypes, TABLE_DUMP_V2).
   * false: 2-byte ASNs; an ASN above 65535 is written as AS_TRANS and the real
   * values go into AS4_PATH / AS4_AGGREGATOR (RFC 6793).
   */
  as4: boolean;
  mpReach?: MpReachNlri | null;
  mpUnreach?: MpUnreachNlri | null;
  /**
   * A TABLE_DUMP_V2 RIB entry: MP_REACH_NLRI is abbreviated to next hop length
   * and next hop (RFC 6396 4.3.4), written from `mpNextHop` when that is set.
   */
  ribEntry?: boolean;
}

/** One attribute ready to be framed: flags without the extended-length bit, type code, value. */
export interface AttributeValue {
  flags: number;
  type: number;
  data: Uint8Array;
}

/**
 * A path attribute block from the model. Attributes the model holds as absent
 * (null, -1, empty lists) are not written; AS_PATH is written unless it is
 * `AsPath.EMPTY`, the decoder's value for a missing AS_PATH, so an empty
 * AS_PATH that was present (iBGP) stays present. Attributes go out in type
 * code order, unknown ones among them with the flags they came with.
 */
export function encodePathAttributes(attrs: PathAttributes | null, encoding: AttributeEncoding): Uint8Array {
  const w = new ByteWriter();
  writePathAttributes(w, attrs, encoding);
  return w.toBytes();
}

export function writePathAttributes(
  w: ByteWriter,
  attrs: PathAttributes | null,
  encoding: AttributeEncoding,
): void {
  const list: AttributeValue[] = [];
  const add = (value: AttributeValue | null) => {
    if (value) list.push(value);
  };
  if (attrs) {
    add(originAttribute(attrs.origin));
    if (attrs.asPath !== AsPath.EMPTY) {
      add(asPathAttribute(attrs.asPath.segments, encoding.as4));
      if (!encoding.as4) add(as4PathAttribute(attrs.asPath.segments));
    }
    add(nextHopAttribute(attrs.nextHop));
    add(medAttribute(attrs.med));
    add(localPrefAttribute(attrs.localPref));
    add(atomicAggregateAttribute(attrs.atomicAggregate));
    add(aggregatorAttribute(attrs.aggregator, encoding.as4));
    if (!encoding.as4) add(as4AggregatorAttribute(attrs.aggregator));
    add(communitiesAttribute(attrs.communities));
    add(originatorIdAttribute(attrs.originatorId));
    add(clusterListAttribute(attrs.clusterList));
    add(extendedCommunitiesAttribute(attrs.extendedCommunities));
    add(largeCommunitiesAttribute(attrs.largeCommunities));
    add(onlyToCustomerAttribute(attrs.onlyToCustomer));
    if (encoding.ribEntry) add(ribMpReachAttribute(attrs.mpNextHop, attrs.mpNextHopLinkLocal));
    for (const raw of attrs.unknown)
      list.push({ flags: raw.flags & ~EXTENDED_LENGTH, type: raw.type, data: raw.data });
  }
  if (encoding.mpReach) add(mpReachAttribute(encoding.mpReach));
  if (encoding.mpUnreach) add(mpUnreachAttribute(encoding.mpUnreach));
  // Array.prototype.sort is stable: unknown attributes keep their order among themselves.
  list.sort((a, b) => a.type - b.type);
  for (const a of list) writeAttribute(w, a.flags, a.type, a.data);
}

/** Flags, type, one- or two-byte length (extended when the value is over 255 bytes), value. */
export function writeAttribute(w: ByteWriter, flags: number, type: number, data: Uint8Array): void {
  if (data.length > 0xffff) throw new RangeError(`attribute ${type} value of ${data.length} bytes`);
  if (data.length > 0xff)
    w.u8(flags | EXTENDED_LENGTH)
      .u8(type)
      .u16(data.length);
  else
    w.u8(flags & ~EXTENDED_LENGTH)
      .u8(type)
      .u8(data.length);
  w.bytes(data);
}

function value(flags: number, type: number, fill: (w: ByteWriter) => void): AttributeValue {
  const w = new ByteWriter(64);
  fill(w);
  return { flags, type, data: w.toBytes() };
}

/** ORIGIN (1). */
export function originAttribute(origin: number): AttributeValue | null {
  if (origin < 0) return null;
  return value(WELL_KNOWN, 1, (w) => w.u8(origin));
}

/** AS_PATH (2), with 4-byte ASNs or with 2-byte ones where AS_TRANS stands for what does not fit. */
export function asPathAttribute(segments: readonly AsPathSegment[], as4: boolean): AttributeValue {
  return value(WELL_KNOWN, 2, (w) => writeSegments(w, segments, as4 ? 4 : 2));
}

/**
 * AS4_PATH (17), needed next to a 2-byte AS_PATH only when an ASN does not
 * fit 2 bytes. RFC 6793 forbids confederation segments in it; a receiver
 * takes them from AS_PATH.
 */
export function as4PathAttribute(segments: readonly AsPathSegment[]): AttributeValue | null {
  if (!segments.some((s) => s.asns.some((asn) => asn > 0xffff))) return null;
  const kept = segments.filter((s) => s.type !== AS_CONFED_SEQUENCE && s.type !== AS_CONFED_SET);
  return value(OPTIONAL_TRANSITIVE, 17, (w) => writeSegments(w, kept, 4));
}

/** Segments hold at most 255 ASNs: longer sequences are split, which does not change the path. */
function writeSegments(w: ByteWriter, segments: readonly AsPathSegment[], asSize: 2 | 4): void {
  for (const seg of segments) {
    const splittable = seg.type === AS_SEQUENCE || seg.type === AS_CONFED_SEQUENCE;
    if (seg.asns.length > 255 && !splittable) {
      throw new RangeError(`AS path set segment of ${seg.asns.length} ASNs does not fit one segment`);
    }
    for (let start = 0; start < seg.asns.length || start === 0; start += 255) {
      const part = seg.asns.slice(start, start + 255);
      w.u8(seg.type).u8(part.length);
      for (const asn of part) {
        if (asSize === 4) w.u32(asn);
        else w.u16(asn > 0xffff ? AS_TRANS : asn);
      }
    }
  }
}

/** NEXT_HOP (3): IPv4 only. */
export function nextHopAttribute(nextHop: IpAddress | null): AttributeValue | null {
  if (!nextHop) return null;
  if (nextHop.family !== 4) throw new RangeError(`NEXT_HOP must be IPv4, got ${nextHop}`);
  return value(WELL_KNOWN, 3, (w) => w.address(nextHop));
}

/** MULTI_EXIT_DISC (4). */
export function medAttribute(med: number | null): AttributeValue | null {
  return med === null ? null : value(OPTIONAL, 4, (w) => w.u32(med));
}

/** LOCAL_PREF (5). */
export function localPrefAttribute(localPref: number | null): AttributeValue | null {
  return localPref === null ? null : value(WELL_KNOWN, 5, (w) => w.u32(localPref));
}

/** ATOMIC_AGGREGATE (6): no value. */
export function atomicAggregateAttribute(set: boolean): AttributeValue | null {
  return set ? { flags: WELL_KNOWN, type: 6, data: new Uint8Array(0) } : null;
}

/** AGGREGATOR (7): 8 bytes with 4-byte ASNs, 6 without (AS_TRANS for an ASN that does not fit). */
export function aggregatorAttribute(aggregator: Aggregator | null, as4: boolean): AttributeValue | null {
  if (!aggregator) return null;
  return value(OPTIONAL_TRANSITIVE, 7, (w) => {
    if (as4) w.u32(aggregator.asn);
    else w.u16(aggregator.asn > 0xffff ? AS_TRANS : aggregator.asn);
    w.address(ipv4(aggregator.address, 'AGGREGATOR'));
  });
}

/** AS4_AGGREGATOR (18): beside a 2-byte AGGREGATOR whose ASN did not fit. */
export function as4AggregatorAttribute(aggregator: Aggregator | null): AttributeValue | null {
  if (!aggregator || aggregator.asn <= 0xffff) return null;
  return value(OPTIONAL_TRANSITIVE, 18, (w) =>
    w.u32(aggregator.asn).address(ipv4(aggregator.address, 'AS4_AGGREGATOR')),
  );
}

/** COMMUNITIES (8): each `asn << 16 | value`. */
export function communitiesAttribute(communities: readonly number[]): AttributeValue | null {
  if (communities.length === 0) return null;
  return value(OPTIONAL_TRANSITIVE, 8, (w) => {
    for (const c of communities) w.u32(c);
  });
}

/** ORIGINATOR_ID (9). */
export function originatorIdAttribute(id: IpAddress | null): AttributeValue | null {
  return id ? value(OPTIONAL, 9, (w) => w.address(ipv4(id, 'ORIGINATOR_ID'))) : null;
}

/** CLUSTER_LIST (10). */
export function clusterListAttribute(ids: readonly IpAddress[]): AttributeValue | null {
  if (ids.length === 0) return null;
  return value(OPTIONAL, 10, (w) => {
    for (const id of ids) w.address(ipv4(id, 'CLUSTER_LIST'));
  });
}

/** MP_REACH_NLRI (14), full form: AFI, SAFI, next hop, a reserved byte, NLRI. */
export function mpReachAttribute(mp: MpReachNlri): AttributeValue {
  return value(OPTIONAL, 14, (w) => {
    w.u16(mp.afi).u8(mp.safi);
    writeMpNextHop(w, mp.nextHop, mp.nextHopLinkLocal ?? null);
    w.u8(0);
    writeNlri(w, mp.prefixes, mp.pathIds ?? null);
  });
}

/** MP_REACH_NLRI (14) as a TABLE_DUMP_V2 RIB entry holds it: next hop length and next hop only. */
export function ribMpReachAttribute(
  nextHop: IpAddress | null,
  linkLocal: IpAddress | null,
): AttributeValue | null {
  if (!nextHop) return null;
  return value(OPTIONAL, 14, (w) => writeMpNextHop(w, nextHop, linkLocal));
}

function writeMpNextHop(w: ByteWriter, nextHop: IpAddress | null, linkLocal: IpAddress | null): void {
  if (linkLocal && (nextHop?.family !== 6 || linkLocal.family !== 6)) {
    throw new RangeError('a link-local next hop needs an IPv6 global next hop');
  }
  const len = (nextHop ? nextHop.bitLength / 8 : 0) + (linkLocal ? 16 : 0);
  w.u8(len);
  if (nextHop) w.address(nextHop);
  if (linkLocal) w.address(linkLocal);
}

/** MP_UNREACH_NLRI (15). */
export function mpUnreachAttribute(mp: MpUnreachNlri): AttributeValue {
  return value(OPTIONAL, 15, (w) => {
    w.u16(mp.afi).u8(mp.safi);
    writeNlri(w, mp.prefixes, mp.pathIds ?? null);
  });
}

/** EXTENDED_COMMUNITIES (16): 8 bytes each. */
export function extendedCommunitiesAttribute(communities: readonly Uint8Array[]): AttributeValue | null {
  if (communities.length === 0) return null;
  return value(OPTIONAL_TRANSITIVE, 16, (w) => {
    for (const c of communities) {
      if (c.length !== 8) throw new RangeError(`extended community of ${c.length} bytes`);
      w.bytes(c);
    }
  });
}

/** LARGE_COMMUNITY (32): flattened (global, local1, local2) triples. */
export function largeCommunitiesAttribute(flat: readonly number[]): AttributeValue | null {
  if (flat.length === 0) return null;
  if (flat.length % 3 !== 0)
    throw new RangeError(`${flat.length} large community numbers is not whole triples`);
  return value(OPTIONAL_TRANSITIVE, 32, (w) => {
    for (const n of flat) w.u32(n);
  });
}

/** ONLY_TO_CUSTOMER (35, RFC 9234). */
export function onlyToCustomerAttribute(asn: number | null): AttributeValue | null {
  return asn === null ? null : value(OPTIONAL_TRANSITIVE, 35, (w) => w.u32(asn));
}

function ipv4(a: IpAddress, what: string): IpAddress {
  if (a.family !== 4) throw new RangeError(`${what} needs an IPv4 address, got ${a}`);
  return a;
}

import { ByteWriter } from '../encode/byte-writer.js';
import type { IpAddress } from '../model/address.js';
import {
  BMP_COMMON_HEADER_SIZE,
  BMP_INITIATION,
  BMP_PEER_DOWN,
  BMP_PEER_UP,
  BMP_ROUTE_MIRRORING,
  BMP_ROUTE_MONITORING,
  BMP_STATISTICS_REPORT,
  BMP_TERMINATION,
  BMP_VERSION,
} from './bmp-header.js';
import {
  OPENBMP_FLAG_ROUTER_IPV6,
  OPENBMP_FLAG_ROUTER_MESSAGE,
  OPENBMP_OBJECT_BMP_RAW,
} from './openbmp-header.js';
import {
  PEER_FLAG_ADJ_RIB_OUT,
  PEER_FLAG_AS_PATH_2_BYTE,
  PEER_FLAG_IPV6,
  PEER_FLAG_LOC_RIB_FILTERED,
  PEER_FLAG_POST_POLICY,
  PEER_TYPE_LOC_RIB_INSTANCE,
} from './per-peer-header.js';

// A BMP encoder for tests and fixtures: the bytes a router (and openbmp-collector) would write.
// Writers check their ranges and throw RangeError, like the MRT encoder.

/** A per-peer header (RFC 7854 4.2). */
export interface BmpPeerInput {
  /** 0 global (default), 1 RD, 2 local, 3 Loc-RIB (RFC 9069). */
  peerType?: number;
  /** The flag byte as is; when absent it is built from `address` (V) and the booleans below. */
  flags?: number;
  postPolicy?: boolean;
  adjRibOut?: boolean;
  asPath2Byte?: boolean;
  /** Loc-RIB F flag. */
  locRibFiltered?: boolean;
  /** The 8-byte peer distinguisher; default 0. */
  distinguisher?: bigint;
  /** IPv4 goes into the last 4 of the 16 bytes. */
  address: IpAddress;
  asn: number;
  bgpId: IpAddress;
  timeSec: number;
  timeUsec?: number;
}

function peerFlags(peer: BmpPeerInput): number {
  if (peer.flags !== undefined) return peer.flags;
  if ((peer.peerType ?? 0) === PEER_TYPE_LOC_RIB_INSTANCE)
    return peer.locRibFiltered ? PEER_FLAG_LOC_RIB_FILTERED : 0;
  let f = 0;
  if (peer.address.family === 6) f |= PEER_FLAG_IPV6;
  if (peer.postPolicy) f |= PEER_FLAG_POST_POLICY;
  if (peer.asPath2Byte) f |= PEER_FLAG_AS_PATH_2_BYTE;
  if (peer.adjRibOut) f |= PEER_FLAG_ADJ_RIB_OUT;
  return f;
}

/** 16 bytes: IPv6 as is, IPv4 after 12 zero bytes. */
function address16(w: ByteWriter, a: IpAddress): void {
  if (a.family === 4) w.zeros(12);
  w.address(a);
}

function u64(w: ByteWriter, value: number | bigint): void {
  const v = BigInt(value);
  if (v < 0n || v > 0xffff_ffff_ffff_ffffn) throw new RangeError(`${value} does not fit a u64`);
  w.u32(Number(v >> 32n)).u32(Number(v & 0xffff_ffffn));
}

export function encodeBmpPerPeerHeader(peer: BmpPeerInput): Uint8Array {
  const w = new ByteWriter(42);
  w.u8(peer.peerType ?? 0).u8(peerFlags(peer));
  u64(w, peer.distinguisher ?? 0n);
  address16(w, peer.address);
  w.u32(peer.asn)
    .address(peer.bgpId)
    .u32(peer.timeSec)
    .u32(peer.timeUsec ?? 0);
  return w.toBytes();
}

/** A whole BMP message: the common header (version 3, length, type) and `body`. */
export function encodeBmpMessage(type: number, body: Uint8Array): Uint8Array {
  const w = new ByteWriter(BMP_COMMON_HEADER_SIZE + body.length);
  w.u8(BMP_VERSION)
    .u32(BMP_COMMON_HEADER_SIZE + body.length)
    .u8(type)
    .bytes(body);
  return w.toBytes();
}

function withPeer(type: number, peer: BmpPeerInput, rest: Uint8Array): Uint8Array {
  const header = encodeBmpPerPeerHeader(peer);
  const body = new Uint8Array(header.length + rest.length);
  body.set(header, 0);
  body.set(rest, header.length);
  return encodeBmpMessage(type, body);
}

/** Route Monitoring around one BGP message (from `encodeUpdateMessage`). */
export function encodeBmpRouteMonitoring(peer: BmpPeerInput, bgpMessage: Uint8Array): Uint8Array {
  return withPeer(BMP_ROUTE_MONITORING, peer, bgpMessage);
}

/** One statistic: a 32-bit counter, a 64-bit gauge, a per-AFI/SAFI gauge, or raw bytes. */
export type BmpStatInput =
  | { type: number; counter: number }
  | { type: number; gauge: number | bigint }
  | { type: number; afi: number; safi: number; gauge: number | bigint }
  | { type: number; raw: Uint8Array };

export function encodeBmpStatsReport(peer: BmpPeerInput, stats: readonly BmpStatInput[]): Uint8Array {
  const w = new ByteWriter();
  w.u32(stats.length);
  for (const s of stats) {
    w.u16(s.type);
    if ('counter' in s) w.u16(4).u32(s.counter);
    else if ('afi' in s) {
      w.u16(11).u16(s.afi).u8(s.safi);
      u64(w, s.gauge);
    } else if ('gauge' in s) {
      w.u16(8);
      u64(w, s.gauge);
    } else w.u16(s.raw.length).bytes(s.raw);
  }
  return withPeer(BMP_STATISTICS_REPORT, peer, w.toBytes());
}

/** An information TLV: text is written as UTF-8. */
export interface BmpTlvInput {
  type: number;
  value: string | Uint8Array;
}

const utf8 = new TextEncoder();

function writeTlvs(w: ByteWriter, tlvs: readonly BmpTlvInput[]): void {
  for (const t of tlvs) {
    const v = typeof t.value === 'string' ? utf8.encode(t.value) : t.value;
    w.u16(t.type).u16(v.length).bytes(v);
  }
}

export interface BmpPeerUpInput {
  peer: BmpPeerInput;
  localAddress: IpAddress;
  localPort: number;
  remotePort: number;
  /** Whole OPEN messages (from `encodeOpenMessage`): the one the router sent, the one it received. */
  sentOpen: Uint8Array;
  receivedOpen: Uint8Array;
  information?: readonly BmpTlvInput[];
}

export function encodeBmpPeerUp(input: BmpPeerUpInput): Uint8Array {
  const w = new ByteWriter();
  address16(w, input.localAddress);
  w.u16(input.localPort).u16(input.remotePort).bytes(input.sentOpen).bytes(input.receivedOpen);
  writeTlvs(w, input.information ?? []);
  return withPeer(BMP_PEER_UP, input.peer, w.toBytes());
}

export interface BmpPeerDownInput {
  peer: BmpPeerInput;
  reason: number;
  /** Reasons 1 and 3: a whole NOTIFICATION message (from `encodeNotificationMessage`). */
  notification?: Uint8Array;
  /** Reason 2: the FSM event code. */
  fsmEvent?: number;
  /** Reason 6: information TLVs. */
  information?: readonly BmpTlvInput[];
  /** Any other bytes after the reason (written last). */
  data?: Uint8Array;
}

export function encodeBmpPeerDown(input: BmpPeerDownInput): Uint8Array {
  const w = new ByteWriter();
  w.u8(input.reason);
  if (input.notification) w.bytes(input.notification);
  if (input.fsmEvent !== undefined) w.u16(input.fsmEvent);
  writeTlvs(w, input.information ?? []);
  if (input.data) w.bytes(input.data);
  return withPeer(BMP_PEER_DOWN, input.peer, w.toBytes());
}

/** Initiation: TLVs such as `{ type: 1, value: 'sysDescr' }`, `{ type: 2, value: 'sysName' }`. */
export function encodeBmpInitiation(tlvs: readonly BmpTlvInput[]): Uint8Array {
  const w = new ByteWriter();
  writeTlvs(w, tlvs);
  return encodeBmpMessage(BMP_INITIATION, w.toBytes());
}

/** Termination: string TLVs (type 0) and a reason TLV (see `bmpTerminationReason`). */
export function encodeBmpTermination(tlvs: readonly BmpTlvInput[]): Uint8Array {
  const w = new ByteWriter();
  writeTlvs(w, tlvs);
  return encodeBmpMessage(BMP_TERMINATION, w.toBytes());
}

/** The Termination reason TLV (type 1, 2-byte code). */
export function bmpTerminationReason(code: number): BmpTlvInput {
  return { type: 1, value: new ByteWriter(2).u16(code).toBytes() };
}

/** Route Mirroring items: a mirrored BGP message (TLV 0) or an information code (TLV 1). */
export type BmpMirrorInput = { bgpMessage: Uint8Array } | { information: number };

export function encodeBmpRouteMirroring(peer: BmpPeerInput, items: readonly BmpMirrorInput[]): Uint8Array {
  const w = new ByteWriter();
  for (const item of items) {
    if ('bgpMessage' in item) w.u16(0).u16(item.bgpMessage.length).bytes(item.bgpMessage);
    else w.u16(1).u16(2).u16(item.information);
  }
  return withPeer(BMP_ROUTE_MIRRORING, peer, w.toBytes());
}

/** The OpenBMP binary header v1.7 fields; defaults make a router's BMP_RAW message. */
export interface OpenBmpHeaderInput {
  timeSec: number;
  timeUsec?: number;
  collectorAdminId?: string;
  /** 16 bytes; default zeros. */
  collectorHash?: Uint8Array;
  routerHash?: Uint8Array;
  routerIp: IpAddress;
  routerGroup?: string;
  /** Default 0x80 (router message), plus 0x40 for an IPv6 router. */
  flags?: number;
  /** Default 12 (BMP_RAW). */
  objectType?: number;
  rowCount?: number;
  versionMajor?: number;
  versionMinor?: number;
  /** Overrides the message length field (default: `bmp.length`), to build broken input. */
  messageLength?: number;
}

function hash16(w: ByteWriter, h: Uint8Array | undefined): void {
  if (h === undefined) w.zeros(16);
  else if (h.length !== 16) throw new RangeError(`hash of ${h.length} bytes, expected 16`);
  else w.bytes(h);
}

/** An OpenBMP v1.7 binary header followed by `bmp` (one or more BMP messages). */
export function encodeOpenBmpMessage(header: OpenBmpHeaderInput, bmp: Uint8Array): Uint8Array {
  const admin = utf8.encode(header.collectorAdminId ?? '');
  const group = utf8.encode(header.routerGroup ?? '');
  const w = new ByteWriter(80 + admin.length + group.length + bmp.length);
  w.u32(0x4f424d50)
    .u8(header.versionMajor ?? 1)
    .u8(header.versionMinor ?? 7);
  const headerLengthAt = w.length;
  w.u16(0).u32(header.messageLength ?? bmp.length);
  const ipv6 = header.routerIp.family === 6;
  w.u8(header.flags ?? OPENBMP_FLAG_ROUTER_MESSAGE | (ipv6 ? OPENBMP_FLAG_ROUTER_IPV6 : 0))
    .u8(header.objectType ?? OPENBMP_OBJECT_BMP_RAW)
    .u32(header.timeSec)
    .u32(header.timeUsec ?? 0);
  hash16(w, header.collectorHash);
  w.u16(admin.length).bytes(admin);
  hash16(w, header.routerHash);
  // OpenBMP writes an IPv4 router address in the first 4 of the 16 bytes.
  w.address(header.routerIp);
  if (!ipv6) w.zeros(12);
  w.u16(group.length)
    .bytes(group)
    .u32(header.rowCount ?? 1);
  w.patchU16(headerLengthAt, w.length);
  w.bytes(bmp);
  return w.toBytes();
}

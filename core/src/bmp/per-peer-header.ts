import { fail } from '../bgp/decode-error.js';
import { IpAddress } from '../model/address.js';
import { BMP_PER_PEER_HEADER_SIZE } from './bmp-header.js';

export { BMP_PER_PEER_HEADER_SIZE };

/** Peer types (RFC 7854 4.2, RFC 9069 for Loc-RIB). */
export const PEER_TYPE_GLOBAL_INSTANCE = 0;
export const PEER_TYPE_RD_INSTANCE = 1;
export const PEER_TYPE_LOCAL_INSTANCE = 2;
export const PEER_TYPE_LOC_RIB_INSTANCE = 3;

/** Peer flags for peer types 0-2. */
export const PEER_FLAG_IPV6 = 0x80; // V
export const PEER_FLAG_POST_POLICY = 0x40; // L
export const PEER_FLAG_AS_PATH_2_BYTE = 0x20; // A
export const PEER_FLAG_ADJ_RIB_OUT = 0x10; // O (RFC 8671)
/** Loc-RIB (peer type 3) flag F: the Loc-RIB is filtered (RFC 9069 4.2). */
export const PEER_FLAG_LOC_RIB_FILTERED = 0x80;

/** Which RIB a message describes, from the peer type and the L and O flags. */
export type BmpRib =
  | 'adj-rib-in-pre-policy'
  | 'adj-rib-in-post-policy'
  | 'adj-rib-out-pre-policy'
  | 'adj-rib-out-post-policy'
  | 'loc-rib';

export interface BmpPerPeerHeader {
  peerType: number;
  /** The flag byte as sent; the booleans below spell it out. */
  flags: number;
  /** V: the peer address is IPv6 (never for Loc-RIB). */
  ipv6: boolean;
  /** L: post-policy Adj-RIB (false: pre-policy). */
  postPolicy: boolean;
  /** A: the router says AS_PATH is in the legacy 2-byte format. FRR never sets it (see the BMP reader). */
  asPath2Byte: boolean;
  /** O: Adj-RIB-Out (RFC 8671); false: Adj-RIB-In. */
  adjRibOut: boolean;
  /** F of a Loc-RIB peer (RFC 9069). */
  locRibFiltered: boolean;
  rib: BmpRib;
  /** The 8-byte peer distinguisher (route distinguisher for RD instance peers), as 16 hex digits. */
  distinguisher: string;
  /** IPv4 peers are in the last 4 of the 16 bytes. Loc-RIB: 0.0.0.0. */
  address: IpAddress;
  asn: number;
  bgpId: IpAddress;
  /** When the router encoded or received the routes (0 for some markers, such as FRR's End-of-RIB). */
  timeSec: number;
  timeUsec: number;
}

function u32(buf: Uint8Array, off: number): number {
  return ((buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]) >>> 0;
}

const ZERO_DISTINGUISHER = '0000000000000000';
const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Decodes the 42-byte per-peer header at `off` (RFC 7854 4.2). */
export function decodePerPeerHeader(buf: Uint8Array, off: number, end: number): BmpPerPeerHeader {
  if (off + BMP_PER_PEER_HEADER_SIZE > end) fail('BMP per-peer header truncated');
  const peerType = buf[off];
  const flags = buf[off + 1];
  const locRib = peerType === PEER_TYPE_LOC_RIB_INSTANCE;
  const ipv6 = !locRib && (flags & PEER_FLAG_IPV6) !== 0;
  const postPolicy = !locRib && (flags & PEER_FLAG_POST_POLICY) !== 0;
  const adjRibOut = !locRib && (flags & PEER_FLAG_ADJ_RIB_OUT) !== 0;
  let distinguisher = ZERO_DISTINGUISHER;
  if (
    (buf[off + 2] |
      buf[off + 3] |
      buf[off + 4] |
      buf[off + 5] |
      buf[off + 6] |
      buf[off + 7] |
      buf[off + 8] |
      buf[off + 9]) !==
    0
  ) {
    distinguisher = '';
    for (let i = off + 2; i < off + 10; i++) distinguisher += HEX[buf[i]];
  }
  const rib: BmpRib = locRib
    ? 'loc-rib'
    : adjRibOut
      ? postPolicy
        ? 'adj-rib-out-post-policy'
        : 'adj-rib-out-pre-policy'
      : postPolicy
        ? 'adj-rib-in-post-policy'
        : 'adj-rib-in-pre-policy';
  return {
    peerType,
    flags,
    ipv6,
    postPolicy,
    asPath2Byte: !locRib && (flags & PEER_FLAG_AS_PATH_2_BYTE) !== 0,
    adjRibOut,
    locRibFiltered: locRib && (flags & PEER_FLAG_LOC_RIB_FILTERED) !== 0,
    rib,
    distinguisher,
    address: ipv6 ? IpAddress.fromBytes(buf, off + 10, 6) : IpAddress.fromBytes(buf, off + 22, 4),
    asn: u32(buf, off + 26),
    bgpId: IpAddress.fromBytes(buf, off + 30, 4),
    timeSec: u32(buf, off + 34),
    timeUsec: u32(buf, off + 38),
  };
}

import { fail } from '../bgp/decode-error.js';

/** BMP version 3 (RFC 7854); versions 1 and 2 were drafts and are not decoded. */
export const BMP_VERSION = 3;
/** Version (1), message length (4), message type (1). */
export const BMP_COMMON_HEADER_SIZE = 6;
/**
 * The longest BMP message accepted. The largest real ones are a Peer Up with two RFC 8654 extended
 * OPENs (about 130 KiB); a length above this is taken for garbage, which also bounds the memory a
 * reader holds while it waits for a message to complete.
 */
export const BMP_MAX_MESSAGE_LENGTH = 1 << 20;

export const BMP_ROUTE_MONITORING = 0;
export const BMP_STATISTICS_REPORT = 1;
export const BMP_PEER_DOWN = 2;
export const BMP_PEER_UP = 3;
export const BMP_INITIATION = 4;
export const BMP_TERMINATION = 5;
export const BMP_ROUTE_MIRRORING = 6;

export type BmpMessageKind =
  | 'route-monitoring'
  | 'stats-report'
  | 'peer-down'
  | 'peer-up'
  | 'initiation'
  | 'termination'
  | 'route-mirroring';

/** Message kinds by type code (RFC 7854 4.1). */
export const BMP_MESSAGE_KINDS: readonly BmpMessageKind[] = [
  'route-monitoring',
  'stats-report',
  'peer-down',
  'peer-up',
  'initiation',
  'termination',
  'route-mirroring',
];

export interface BmpCommonHeader {
  version: number;
  /** Total message length, this header included. */
  length: number;
  type: number;
}

/** The per-peer header that every message but Initiation and Termination carries. */
export const BMP_PER_PEER_HEADER_SIZE = 42;
const P = BMP_COMMON_HEADER_SIZE + BMP_PER_PEER_HEADER_SIZE;

/**
 * The shortest possible message of each type: route monitoring holds at least a BGP header, a stats
 * report its counter count, a peer down its reason, a peer up the local address, the two ports and
 * two minimal OPENs (29 bytes each).
 */
const MIN_LENGTH: readonly number[] = [P + 19, P + 4, P + 1, P + 20 + 2 * 29, 6, 6, P];

export function hasPerPeerHeader(type: number): boolean {
  return type !== BMP_INITIATION && type !== BMP_TERMINATION;
}

/** Reads the 6-byte common header at `off`; the caller makes sure the bytes are there. */
export function readBmpCommonHeader(buf: Uint8Array, off: number): BmpCommonHeader {
  return {
    version: buf[off],
    length: ((buf[off + 1] << 24) | (buf[off + 2] << 16) | (buf[off + 3] << 8) | buf[off + 4]) >>> 0,
    type: buf[off + 5],
  };
}

/** Why a common header cannot start a message (wrong version, unknown type, impossible length), or null. */
export function bmpHeaderProblem(h: BmpCommonHeader): string | null {
  if (h.version !== BMP_VERSION) return `BMP version ${h.version}, expected 3`;
  if (h.type >= MIN_LENGTH.length) return `unknown BMP message type ${h.type}`;
  if (h.length < MIN_LENGTH[h.type])
    return `BMP ${BMP_MESSAGE_KINDS[h.type]} length ${h.length} is shorter than its fixed part (${MIN_LENGTH[h.type]})`;
  if (h.length > BMP_MAX_MESSAGE_LENGTH)
    return `BMP message length ${h.length} exceeds ${BMP_MAX_MESSAGE_LENGTH}`;
  return null;
}

/**
 * A stricter test used while looking for the next message after garbage: besides a sane common
 * header, a per-peer header must name a known peer type (0-3) and use no undefined flag bits, and
 * route monitoring must start its BGP message with the all-ones marker. Bytes not yet read are not
 * held against the candidate.
 */
export function plausibleBmpMessageAt(buf: Uint8Array, off: number, end: number): boolean {
  if (off + BMP_COMMON_HEADER_SIZE > end) return false;
  const h = readBmpCommonHeader(buf, off);
  if (bmpHeaderProblem(h) !== null) return false;
  if (!hasPerPeerHeader(h.type)) return true;
  if (off + 8 <= end) {
    const peerType = buf[off + 6];
    const flags = buf[off + 7];
    if (peerType > 3) return false;
    if (flags & (peerType === 3 ? 0x7f : 0x0f)) return false;
  }
  if (h.type === BMP_ROUTE_MONITORING) {
    const markerEnd = Math.min(end, off + P + 16);
    for (let i = off + P; i < markerEnd; i++) if (buf[i] !== 0xff) return false;
  }
  return true;
}

/** The TLV of Initiation, Termination, Peer Up information and Route Mirroring (type 2, length 2, value). */
export interface BmpTlv {
  type: number;
  value: Uint8Array;
}

/** Reads TLVs that fill [off, end) exactly; throws DecodeError when one runs past the end. */
export function readBmpTlvs(buf: Uint8Array, off: number, end: number, what: string): BmpTlv[] {
  const out: BmpTlv[] = [];
  let p = off;
  while (p < end) {
    if (p + 4 > end) fail(`${what}: TLV header truncated`);
    const type = (buf[p] << 8) | buf[p + 1];
    const len = (buf[p + 2] << 8) | buf[p + 3];
    p += 4;
    if (p + len > end) fail(`${what}: TLV type ${type} length ${len} runs past the message`);
    out.push({ type, value: buf.subarray(p, p + len) });
    p += len;
  }
  return out;
}

const utf8 = new TextDecoder('utf-8');

/** UTF-8 text of a string TLV (RFC 7854 says ASCII-compatible UTF-8; bad bytes become U+FFFD). */
export function tlvText(value: Uint8Array): string {
  return utf8.decode(value);
}

import { fail } from '../bgp/decode-error.js';
import { IpAddress } from '../model/address.js';

/** "OBMP" */
export const OPENBMP_MAGIC = 0x4f424d50;
/** The fixed fields of the v1.7 binary header, with both variable strings empty. */
export const OPENBMP_MIN_HEADER_LENGTH = 78;
/** Flags (OpenBMP message bus API, binary header v1.7). */
export const OPENBMP_FLAG_ROUTER_MESSAGE = 0x80;
export const OPENBMP_FLAG_ROUTER_IPV6 = 0x40;
/** The only object type BGPStream reads: a raw BMP message. */
export const OPENBMP_OBJECT_BMP_RAW = 12;
/** BGPStream's record strings hold at most 255 characters. */
const MAX_NAME = 255;

/**
 * The OpenBMP binary header v1.7 that openbmp-collector puts before each BMP message it writes to
 * Kafka (`openbmp.bmp_raw` topic):
 *
 * magic "OBMP" (4), major 1 (1), minor 7 (1), header length (2), message length (4), flags (1),
 * object type (1), collection time seconds (4), microseconds (4), collector hash (16), collector
 * admin id length (2) + admin id, router hash (16), router IP (16; IPv4 in the first 4 bytes),
 * router group length (2) + group, row count (4).
 */
export interface OpenBmpHeader {
  versionMajor: number;
  versionMinor: number;
  /** Bytes from the magic to the end of the header: where the BMP data starts. */
  headerLength: number;
  /** Bytes of BMP data after the header. */
  messageLength: number;
  flags: number;
  /** Flag 0x80: a message of a router (as opposed to one about the collector). */
  routerMessage: boolean;
  routerIpv6: boolean;
  objectType: number;
  timeSec: number;
  timeUsec: number;
  /** 32 hex digits. */
  collectorHash: string;
  /** Used as the record's collector name (cut to 255 characters, as BGPStream does). */
  collectorAdminId: string;
  routerHash: string;
  routerIp: IpAddress;
  /** Used as the record's router name (cut to 255 characters), as BGPStream does. */
  routerGroup: string;
  rowCount: number;
}

function u32(buf: Uint8Array, off: number): number {
  return ((buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]) >>> 0;
}

function hex(buf: Uint8Array, off: number, n: number): string {
  let s = '';
  for (let i = off; i < off + n; i++) s += buf[i].toString(16).padStart(2, '0');
  return s;
}

const utf8 = new TextDecoder('utf-8');

export function startsWithOpenBmpMagic(buf: Uint8Array, off: number, end: number): boolean {
  return off + 4 <= end && u32(buf, off) === OPENBMP_MAGIC;
}

/**
 * The two lengths of the header at `off` when its first 12 bytes are there and say version 1.7 with
 * a header length of at least the fixed part; null otherwise (the caller decides whether that is
 * "wait for more bytes" or garbage).
 */
export function peekOpenBmpLengths(
  buf: Uint8Array,
  off: number,
  end: number,
): { headerLength: number; messageLength: number } | null {
  if (off + 12 > end || !startsWithOpenBmpMagic(buf, off, end)) return null;
  if (buf[off + 4] !== 1 || buf[off + 5] !== 7) return null;
  const headerLength = (buf[off + 6] << 8) | buf[off + 7];
  if (headerLength < OPENBMP_MIN_HEADER_LENGTH) return null;
  return { headerLength, messageLength: u32(buf, off + 8) };
}

/** Decodes the binary header at `off`; the whole header must lie before `end`. Throws DecodeError. */
export function decodeOpenBmpHeader(buf: Uint8Array, off: number, end: number): OpenBmpHeader {
  if (off + 12 > end) fail('OpenBMP header truncated');
  if (!startsWithOpenBmpMagic(buf, off, end)) fail('OpenBMP header: no OBMP magic');
  const versionMajor = buf[off + 4];
  const versionMinor = buf[off + 5];
  if (versionMajor !== 1 || versionMinor !== 7)
    fail(`OpenBMP header version ${versionMajor}.${versionMinor}, expected 1.7`);
  const headerLength = (buf[off + 6] << 8) | buf[off + 7];
  const messageLength = u32(buf, off + 8);
  const hEnd = off + headerLength;
  if (headerLength < OPENBMP_MIN_HEADER_LENGTH || hEnd > end)
    fail(`OpenBMP header length ${headerLength} does not fit`);
  let p = off + 12;
  const flags = buf[p];
  const objectType = buf[p + 1];
  const timeSec = u32(buf, p + 2);
  const timeUsec = u32(buf, p + 6);
  const collectorHash = hex(buf, p + 10, 16);
  p += 26;
  const adminLen = (buf[p] << 8) | buf[p + 1];
  p += 2;
  if (p + adminLen + 16 + 16 + 2 > hEnd)
    fail(`OpenBMP collector admin id (${adminLen} bytes) runs past the header`);
  const collectorAdminId = utf8.decode(buf.subarray(p, p + Math.min(adminLen, MAX_NAME)));
  p += adminLen;
  const routerHash = hex(buf, p, 16);
  p += 16;
  const routerIpv6 = (flags & OPENBMP_FLAG_ROUTER_IPV6) !== 0;
  const routerIp = IpAddress.fromBytes(buf, p, routerIpv6 ? 6 : 4);
  p += 16;
  const groupLen = (buf[p] << 8) | buf[p + 1];
  p += 2;
  if (p + groupLen + 4 > hEnd) fail(`OpenBMP router group (${groupLen} bytes) runs past the header`);
  const routerGroup = utf8.decode(buf.subarray(p, p + Math.min(groupLen, MAX_NAME)));
  p += groupLen;
  const rowCount = u32(buf, p);
  return {
    versionMajor,
    versionMinor,
    headerLength,
    messageLength,
    flags,
    routerMessage: (flags & OPENBMP_FLAG_ROUTER_MESSAGE) !== 0,
    routerIpv6,
    objectType,
    timeSec,
    timeUsec,
    collectorHash,
    collectorAdminId,
    routerHash,
    routerIp,
    routerGroup,
    rowCount,
  };
}

/**
 * The legacy text header ("V: 1.x" and a few more short lines up to a blank line) is at most this
 * long; real ones are under 200 bytes.
 */
export const OPENBMP_MAX_TEXT_HEADER = 4096;
/** The binary header's length field is 16 bits. */
export const OPENBMP_MAX_HEADER_LENGTH = 0xffff;

/**
 * The offset just past the blank line that ends a text header starting at `off` ('V'), or -1 when
 * no blank line is found before `end`.
 */
export function findTextHeaderEnd(buf: Uint8Array, off: number, end: number): number {
  const limit = Math.min(end, off + OPENBMP_MAX_TEXT_HEADER);
  for (let i = off; i + 1 < limit; i++) {
    if (buf[i] !== 0x0a) continue;
    if (buf[i + 1] === 0x0a) return i + 2;
    if (buf[i + 1] === 0x0d && i + 2 < limit && buf[i + 2] === 0x0a) return i + 3;
  }
  return -1;
}

import { type AddressFamily, IpAddress, maskWord } from '../model/address.js';
import { Prefix } from '../model/prefix.js';
import { fail } from './decode-error.js';

/** How to read NLRI: with a 4-byte path id before each prefix (RFC 7911), without, or guess. */
export type AddPathMode = 'yes' | 'no' | 'detect';

/** Decoded NLRI: prefixes and, for ADD-PATH, their path ids (same index). */
export interface NlriList {
  prefixes: Prefix[];
  pathIds: number[] | null;
  /** Why the field stopped early; the prefixes before the bad bytes are kept. */
  error: string | null;
}

const EMPTY_NLRI: NlriList = { prefixes: [], pathIds: null, error: null };

export function emptyNlri(): NlriList {
  return EMPTY_NLRI;
}

/** The big-endian word at `off` of which only the first `count` bytes (none to 4) are present. */
function wordAt(buf: Uint8Array, off: number, count: number): number {
  if (count <= 0) return 0;
  let w = buf[off] << 24;
  if (count > 1) w |= buf[off + 1] << 16;
  if (count > 2) w |= buf[off + 2] << 8;
  if (count > 3) w |= buf[off + 3];
  return w >>> 0;
}

/**
 * Reads one prefix (length byte + the significant bytes) at `off`. Host bits
 * past the length are cleared: some speakers send them set, and a prefix is
 * only its first `length` bits.
 */
export function readPrefix(buf: Uint8Array, off: number, end: number, family: AddressFamily): Prefix {
  const length = buf[off];
  const max = family === 4 ? 32 : 128;
  if (length > max) fail(`prefix length ${length} exceeds ${max}`);
  const n = (length + 7) >> 3;
  if (off + 1 + n > end) fail('prefix runs past the end of its field');
  const p = off + 1;
  if (family === 4) return new Prefix(new IpAddress(4, maskWord(wordAt(buf, p, n), length)), length);
  const address = new IpAddress(
    6,
    maskWord(wordAt(buf, p, n), length),
    maskWord(wordAt(buf, p + 4, n - 4), length - 32),
    maskWord(wordAt(buf, p + 8, n - 8), length - 64),
    maskWord(wordAt(buf, p + 12, n - 12), length - 96),
  );
  return new Prefix(address, length);
}

/** Size in bytes of the prefix at `off` (its length byte included). */
function prefixSize(buf: Uint8Array, off: number): number {
  return 1 + ((buf[off] + 7) >> 3);
}

/**
 * Reads an NLRI field. A prefix whose length is impossible or whose bytes run
 * past the field ends the field: the prefixes before it are kept (bgpdump
 * and the reference do the same) and `error` says what was dropped.
 */
export function decodeNlri(
  buf: Uint8Array,
  off: number,
  end: number,
  family: AddressFamily,
  addPath: AddPathMode,
): NlriList {
  if (off >= end) return EMPTY_NLRI;
  if (addPath === 'detect') {
    // A plain field that does not start with a /0 cannot be BIRD's ADD-PATH (see looksLikeAddPath):
    // read it plain, and only when that fails ask whether path ids explain the bytes.
    if (buf[off] !== 0) {
      const plain = readNlri(buf, off, end, family, false);
      if (plain.error === null || !looksLikeAddPath(buf, off, end, family)) return plain;
      return readNlri(buf, off, end, family, true);
    }
    return readNlri(buf, off, end, family, looksLikeAddPath(buf, off, end, family));
  }
  return readNlri(buf, off, end, family, addPath === 'yes');
}

function readNlri(
  buf: Uint8Array,
  off: number,
  end: number,
  family: AddressFamily,
  withIds: boolean,
): NlriList {
  const prefixes: Prefix[] = [];
  const pathIds: number[] | null = withIds ? [] : null;
  const max = family === 4 ? 32 : 128;
  let p = off;
  while (p < end) {
    const at = pathIds ? p + 4 : p;
    if (at >= end)
      return { prefixes, pathIds, error: `NLRI truncated: path id without prefix at byte ${p - off}` };
    if (buf[at] > max) return { prefixes, pathIds, error: `NLRI prefix length ${buf[at]} exceeds ${max}` };
    const size = prefixSize(buf, at);
    if (at + size > end)
      return { prefixes, pathIds, error: `NLRI truncated: /${buf[at]} prefix runs past the field` };
    if (pathIds) pathIds.push(((buf[p] << 24) | (buf[p + 1] << 16) | (buf[p + 2] << 8) | buf[p + 3]) >>> 0);
    prefixes.push(readPrefix(buf, at, end, family));
    p = at + size;
  }
  return { prefixes, pathIds, error: null };
}

/** Walks the field as plain NLRI (`idBytes` 0) or ADD-PATH NLRI (4): does it parse exactly, and how? */
function walk(
  buf: Uint8Array,
  off: number,
  end: number,
  max: number,
  idBytes: number,
): { ok: boolean; count: number; zeroLength: number } {
  let p = off;
  let count = 0;
  let zeroLength = 0;
  while (p < end) {
    p += idBytes;
    if (p >= end || buf[p] > max) return { ok: false, count, zeroLength };
    if (buf[p] === 0) zeroLength++;
    p += prefixSize(buf, p);
    count++;
  }
  return { ok: p === end, count, zeroLength };
}

/**
 * ADD-PATH NLRI inside a record type that does not announce it (BIRD writes
 * such BGP4MP_MESSAGE_AS4 records). The field is taken as ADD-PATH when it
 * parses exactly with path ids and either does not parse without them, or
 * reads, without them, as the runs of /0 prefixes that small path ids
 * (00 00 00 01) make: it starts with one and has one per entry.
 */
export function looksLikeAddPath(buf: Uint8Array, off: number, end: number, family: AddressFamily): boolean {
  const max = family === 4 ? 32 : 128;
  const withIds = walk(buf, off, end, max, 4);
  if (!withIds.ok) return false;
  const plain = walk(buf, off, end, max, 0);
  if (!plain.ok) return true;
  return buf[off] === 0 && plain.zeroLength >= withIds.count;
}

import {
  AS_CONFED_SEQUENCE,
  AS_CONFED_SET,
  AS_SEQUENCE,
  AS_SET,
  AsPath,
  type AsPathSegment,
} from '../../model/as-path.js';

/**
 * AS_PATH (type 2, RFC 4271) and AS4_PATH (type 17, RFC 6793): segments of
 * (type, count, ASNs). Returns null when the segments do not fill the
 * attribute exactly with ASNs of `asSize` bytes.
 */
export function decodeAsPathSegments(
  buf: Uint8Array,
  off: number,
  len: number,
  asSize: 2 | 4,
): AsPathSegment[] | null {
  const segments: AsPathSegment[] = [];
  const end = off + len;
  let p = off;
  while (p < end) {
    if (p + 2 > end) return null;
    const type = buf[p];
    const count = buf[p + 1];
    p += 2;
    if (type < AS_SET || type > AS_CONFED_SET || p + count * asSize > end) return null;
    const asns = new Array<number>(count);
    if (asSize === 4) {
      for (let i = 0; i < count; i++, p += 4) {
        asns[i] = ((buf[p] << 24) | (buf[p + 1] << 16) | (buf[p + 2] << 8) | buf[p + 3]) >>> 0;
      }
    } else {
      for (let i = 0; i < count; i++, p += 2) asns[i] = (buf[p] << 8) | buf[p + 1];
    }
    segments.push({ type, asns });
  }
  return segments;
}

/**
 * Decodes AS_PATH with the session's ASN size and, when that does not parse,
 * with the other size: writers are not always consistent about it.
 */
export function decodeAsPath(
  buf: Uint8Array,
  off: number,
  len: number,
  asSize: 2 | 4,
): AsPathSegment[] | null {
  return (
    decodeAsPathSegments(buf, off, len, asSize) ?? decodeAsPathSegments(buf, off, len, asSize === 4 ? 2 : 4)
  );
}

/** RFC 6793 4.2.3 path length: one per ASN of a sequence, one per set, none for confed segments. */
function countedLength(segments: readonly AsPathSegment[]): number {
  let n = 0;
  for (const seg of segments) {
    if (seg.type === AS_SEQUENCE) n += seg.asns.length;
    else if (seg.type === AS_SET) n += 1;
  }
  return n;
}

/**
 * Rebuilds the 4-byte path from a 2-byte AS_PATH and AS4_PATH (RFC 6793
 * 4.2.3): AS4_PATH is ignored when longer than AS_PATH; otherwise the leading
 * ASNs of AS_PATH that AS4_PATH lacks are kept and AS4_PATH follows.
 */
export function mergeAs4Path(asPath: readonly AsPathSegment[], as4Path: readonly AsPathSegment[]): AsPath {
  let keep = countedLength(asPath) - countedLength(as4Path);
  if (keep < 0) return new AsPath(asPath);
  const merged: AsPathSegment[] = [];
  for (const seg of asPath) {
    // Confederation segments count for nothing and are kept where they lead (RFC 6793 4.2.3).
    if (seg.type === AS_CONFED_SEQUENCE || seg.type === AS_CONFED_SET) {
      merged.push(seg);
      continue;
    }
    if (keep === 0) break;
    if (seg.type === AS_SEQUENCE && seg.asns.length > keep) {
      merged.push({ type: AS_SEQUENCE, asns: seg.asns.slice(0, keep) });
      keep = 0;
    } else {
      merged.push(seg);
      keep -= seg.type === AS_SEQUENCE ? seg.asns.length : 1;
    }
  }
  // A sequence cut from AS_PATH followed by AS4_PATH's leading sequence reads as one sequence.
  for (const seg of as4Path) merged.push(seg);
  return new AsPath(merged);
}

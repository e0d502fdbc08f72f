import { fail } from '../bgp/decode-error.js';

/** Statistics types with a name (RFC 7854 4.8, RFC 8671 5, RFC 9069 6). */
const STAT_NAMES: Record<number, string> = {
  0: 'rejected-prefixes',
  1: 'duplicate-prefix-advertisements',
  2: 'duplicate-withdraws',
  3: 'cluster-list-loop-updates',
  4: 'as-path-loop-updates',
  5: 'originator-id-loop-updates',
  6: 'as-confed-loop-updates',
  7: 'adj-rib-in-routes',
  8: 'loc-rib-routes',
  9: 'adj-rib-in-routes-per-afi-safi',
  10: 'loc-rib-routes-per-afi-safi',
  11: 'updates-treated-as-withdraw',
  12: 'prefixes-treated-as-withdraw',
  13: 'duplicate-update-messages',
  14: 'adj-rib-out-pre-policy-routes',
  15: 'adj-rib-out-post-policy-routes',
  16: 'adj-rib-out-pre-policy-routes-per-afi-safi',
  17: 'adj-rib-out-post-policy-routes-per-afi-safi',
};

export function statName(type: number): string {
  return STAT_NAMES[type] ?? `stat-${type}`;
}

export interface BmpStat {
  type: number;
  /** A name for the known types, `stat-<type>` for others (FRR sends a private 65531). */
  name: string;
  /**
   * The counter (4 bytes) or gauge (8 bytes; exact up to 2^53), the gauge of the per-AFI/SAFI forms
   * (11 bytes), or null for other lengths, whose bytes are in `raw`.
   */
  value: number | null;
  /** Per-AFI/SAFI gauges only. */
  afi: number | null;
  safi: number | null;
  raw: Uint8Array;
}

export interface BmpStatsReportBody {
  stats: BmpStat[];
}

function u32(buf: Uint8Array, off: number): number {
  return ((buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]) >>> 0;
}

function u64(buf: Uint8Array, off: number): number {
  return u32(buf, off) * 0x1_0000_0000 + u32(buf, off + 4);
}

/** The body of a Statistics Report, from just after the per-peer header (RFC 7854 4.8). */
export function decodeStatsReport(buf: Uint8Array, off: number, end: number): BmpStatsReportBody {
  if (off + 4 > end) fail('BMP stats report: count missing');
  const count = u32(buf, off);
  let p = off + 4;
  // Each counter takes at least 4 bytes: a count that cannot fit is garbage, not a reason to allocate.
  if (count > (end - p) / 4) fail(`BMP stats report: ${count} counters cannot fit ${end - p} bytes`);
  const stats: BmpStat[] = [];
  for (let i = 0; i < count; i++) {
    if (p + 4 > end) fail(`BMP stats report: counter ${i} of ${count} truncated`);
    const type = (buf[p] << 8) | buf[p + 1];
    const len = (buf[p + 2] << 8) | buf[p + 3];
    p += 4;
    if (p + len > end) fail(`BMP stats report: counter type ${type} length ${len} runs past the message`);
    let value: number | null = null;
    let afi: number | null = null;
    let safi: number | null = null;
    if (len === 4) value = u32(buf, p);
    else if (len === 8) value = u64(buf, p);
    else if (len === 11) {
      afi = (buf[p] << 8) | buf[p + 1];
      safi = buf[p + 2];
      value = u64(buf, p + 3);
    }
    stats.push({ type, name: statName(type), value, afi, safi, raw: buf.subarray(p, p + len) });
    p += len;
  }
  if (p !== end) fail(`BMP stats report: ${end - p} bytes after the last of ${count} counters`);
  return { stats };
}

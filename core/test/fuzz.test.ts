/**
 * Seeded, repeatable fuzzing of MrtReader on mutated real MRT files.
 *
 * The reader's contract: bad bytes never throw and never hang, a broken
 * record becomes a `corrupted-record` and the reader finds the next record
 * again, and the way the bytes are cut into chunks changes nothing.
 *
 * Replay: FUZZ_SEED=<seed> (decimal or 0x hex) FUZZ_CASES=<n>; a single
 * failing case: FUZZ_CASE=<index> with the same seed.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bgpreaderElemLine } from '../src/format/bgpreader-line.js';
import type { IpAddress } from '../src/model/address.js';
import type { Elem } from '../src/model/elem.js';
import type { BgpRecord, RecordStatus } from '../src/model/record.js';
import { MrtReader, type MrtReaderStats } from '../src/mrt/mrt-reader.js';
import { deriveSeed, Prng } from './helpers/prng.js';

const here = dirname(fileURLToPath(import.meta.url));
const samplesDir = process.env.MRT_SAMPLES_DIR ?? resolve(here, '../../../shared/mrt-samples');
const haveSamples = existsSync(samplesDir);

function envInt(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name}=${text}: expected a non-negative integer`);
  return n;
}

const SEED = envInt('FUZZ_SEED', 0x6d72_7466) >>> 0;
const CASES = envInt('FUZZ_CASES', 3000);
const ONLY_CASE = process.env.FUZZ_CASE ? envInt('FUZZ_CASE', 0) : undefined;

/** Bigger samples are cut (at a record boundary) to their first this many bytes. */
const MAX_SAMPLE_BYTES = 200 * 1024;
const HEADER = 12;
/** Per decode; a hang or quadratic blow-up shows up long before this. */
const SLOW_MS = 5000;

// ---------------------------------------------------------------- samples

interface Baseline {
  signature: string[];
  valid: number;
  corrupted: number;
  lastValidTime: number;
  /** Signatures of valid records with the offset of their first byte. */
  validAt: { offset: number; sig: string }[];
}

interface Sample {
  name: string;
  data: Uint8Array;
  baseline: Baseline;
  /** The same with the reader's `multicast` option on. */
  multicastBaseline: Baseline;
}

function readU32(buf: Uint8Array, off: number): number {
  return ((buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3]) >>> 0;
}

function writeU32(buf: Uint8Array, off: number, value: number): void {
  buf[off] = value >>> 24;
  buf[off + 1] = (value >>> 16) & 0xff;
  buf[off + 2] = (value >>> 8) & 0xff;
  buf[off + 3] = value & 0xff;
}

/** Offsets of the records found by walking the headers from the start, as long as they fit. */
function recordOffsets(buf: Uint8Array): number[] {
  const out: number[] = [];
  let p = 0;
  while (p + HEADER <= buf.length) {
    const next = p + HEADER + readU32(buf, p + 8);
    if (next > buf.length) break;
    out.push(p);
    p = next;
  }
  return out;
}

/** The first `max` bytes of `buf`, cut back to the end of the last whole record. */
function cutAtRecordBoundary(buf: Uint8Array, max: number): Uint8Array {
  if (buf.length <= max) return buf;
  let p = 0;
  let cut = 0;
  while (p + HEADER <= buf.length) {
    const next = p + HEADER + readU32(buf, p + 8);
    if (next > max) break;
    cut = next;
    p = next;
  }
  return buf.subarray(0, cut);
}

function sampleFiles(): string[] {
  const out: string[] = [];
  const list = (dir: string, keep: (name: string) => boolean) => {
    const full = join(samplesDir, dir);
    if (!existsSync(full)) return;
    for (const name of readdirSync(full).sort()) {
      if (keep(name) && statSync(join(full, name)).isFile()) out.push(`${dir}/${name}`);
    }
  };
  list('frr-bird-lab', (n) => n.endsWith('.mrt'));
  list('mrtparse', () => true);
  for (const file of [
    'libbgpstream/ris.rrc06.updates.1427846400.gz',
    'bgpdump-test_data/bview.64k_stream_overflow.gz',
    'bgpdump-test_data/bview.ipv4_unicast_add_path.gz',
    'bgpdump-test_data/bview.ipv6_unicast_add_path.gz',
    'bgpdump-test_data/updates.20020722.2238.gz',
    'bgpdump-test_data/updates.long_withdrawal.gz',
    'bgpdump-test_data/updates.nlri_mask_trailing_bits.gz',
    'bgpdump-test_data/updates.20160811.1600.gz',
  ]) {
    if (existsSync(join(samplesDir, file))) out.push(file);
  }
  return out;
}

function loadSamples(): Sample[] {
  return sampleFiles().map((name) => {
    let bytes: Uint8Array = readFileSync(join(samplesDir, name));
    if (name.endsWith('.gz')) bytes = gunzipSync(bytes);
    // A plain Uint8Array copy: Buffer#slice() is a view, and mutations must never touch the sample.
    const data = Uint8Array.from(cutAtRecordBoundary(bytes, MAX_SAMPLE_BYTES));
    return { name, data, baseline: baselineOf(data, false), multicastBaseline: baselineOf(data, true) };
  });
}

function baselineOf(data: Uint8Array, multicast: boolean): Baseline {
  const run = decode(data, null, multicast);
  if (run.error) throw new Error(`unmutated sample throws: ${String(run.error)}`);
  const valid = run.records.filter((r) => r.status === 'valid');
  return {
    signature: run.records.map(signature),
    valid: valid.length,
    corrupted: run.records.filter((r) => r.status === 'corrupted-record').length,
    lastValidTime: valid.length > 0 ? valid[valid.length - 1].timeSec : -1,
    validAt: validWithOffsets(run.records, data),
  };
}

// ---------------------------------------------------------------- decoding

interface Run {
  records: BgpRecord[];
  stats: MrtReaderStats | null;
  error: unknown;
  ms: number;
}

/** Feeds `buf` to a fresh reader in one chunk (`nextSize` null) or in chunks of `nextSize()` bytes. */
function decode(buf: Uint8Array, nextSize: (() => number) | null, multicast = false): Run {
  const reader = new MrtReader({ multicast });
  const records: BgpRecord[] = [];
  const add = (batch: BgpRecord[]) => {
    for (const r of batch) records.push(r);
  };
  const t0 = performance.now();
  try {
    if (nextSize === null) {
      add(reader.push(buf));
    } else {
      for (let off = 0; off < buf.length; ) {
        const n = Math.max(1, nextSize());
        add(reader.push(buf.subarray(off, off + n)));
        off += n;
      }
    }
    add(reader.finish());
  } catch (error) {
    return { records, stats: null, error, ms: performance.now() - t0 };
  }
  return { records, stats: reader.stats, error: undefined, ms: performance.now() - t0 };
}

function signature(r: BgpRecord): string {
  return `${r.status}|${r.timeSec}|${r.elems.length}|${r.mrtType}/${r.mrtSubtype}|${r.error ?? ''}`;
}

function statsSignature(s: MrtReaderStats | null): string {
  if (!s) return 'none';
  const skipped = [...s.skippedTypes.entries()].sort().map(([k, v]) => `${k}:${v}`);
  return `records=${s.records} elems=${s.elems} corrupted=${s.corruptedRecords} filtered=${s.filteredRecords} skippedBytes=${s.bytesSkipped} skippedTypes=${skipped.join(',')}`;
}

/** Valid records with the offset of their first byte in `input` (the reader keeps `raw` as a view of it). */
function validWithOffsets(records: BgpRecord[], input: Uint8Array): { offset: number; sig: string }[] {
  const out: { offset: number; sig: string }[] = [];
  for (const r of records) {
    if (r.status !== 'valid') continue;
    // With one push the raw views point into `input` itself.
    const offset = r.raw && r.raw.buffer === input.buffer ? r.raw.byteOffset - input.byteOffset : -1;
    out.push({ offset, sig: signature(r) });
  }
  return out;
}

// ---------------------------------------------------------------- invariants

const ALLOWED: ReadonlySet<RecordStatus> = new Set<RecordStatus>([
  'valid',
  'corrupted-record',
  'empty-source',
]);
const isU32 = (n: number) => Number.isInteger(n) && n >= 0 && n < 2 ** 32;
const isU16 = (n: number) => Number.isInteger(n) && n >= 0 && n < 2 ** 16;

function addressProblem(a: IpAddress): string | null {
  if (a.family === 4) {
    return isU32(a.w0) && a.w1 === 0 && a.w2 === 0 && a.w3 === 0 ? null : 'bad IPv4 words';
  }
  if (a.family === 6)
    return isU32(a.w0) && isU32(a.w1) && isU32(a.w2) && isU32(a.w3) ? null : 'bad IPv6 words';
  return `family ${a.family}`;
}

function elemProblem(e: Elem, r: BgpRecord): string | null {
  if (e.type !== 'R' && e.type !== 'A' && e.type !== 'W' && e.type !== 'S') return `elem type ${e.type}`;
  if (e.timeSec !== r.timeSec) return `elem time ${e.timeSec} != record time ${r.timeSec}`;
  if (!isU32(e.timeUsec)) return `timeUsec ${e.timeUsec}`;
  if (!isU32(e.peerAsn)) return `peerAsn ${e.peerAsn}`;
  if (e.peerAddress) {
    const why = addressProblem(e.peerAddress);
    if (why) return `peer address: ${why}`;
  }
  if (e.type === 'S') {
    if (e.prefix) return 'state elem with a prefix';
    if (!isU16(e.oldState) || !isU16(e.newState)) return `states ${e.oldState}->${e.newState}`;
  } else {
    const p = e.prefix;
    if (!p) return `${e.type} elem without prefix`;
    const max = p.family === 4 ? 32 : 128;
    if (!Number.isInteger(p.length) || p.length < 0 || p.length > max) return `prefix length ${p.length}`;
    const why = addressProblem(p.address);
    if (why) return `prefix address: ${why}`;
    if (!p.address.masked(p.length).equals(p.address)) return `prefix ${p} has host bits set`;
  }
  if (e.pathId !== null && !isU32(e.pathId)) return `pathId ${e.pathId}`;
  if ((e.type === 'A' || e.type === 'R') && !e.attributes) return `${e.type} elem without attributes`;
  if (e.nextHop) {
    const why = addressProblem(e.nextHop);
    if (why) return `next hop: ${why}`;
  }
  if (!isU32(e.origTimeSec)) return `origTimeSec ${e.origTimeSec}`;
  return null;
}

/** Everything that must hold for any input; `render` also formats every elem (slower). */
function checkRun(run: Run, inputLength: number, render: boolean): string[] {
  const bad: string[] = [];
  if (run.error) {
    const e = run.error;
    bad.push(`threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return bad;
  }
  const { records } = run;
  if (run.ms > SLOW_MS) bad.push(`took ${run.ms.toFixed(0)} ms`);
  if (records.length === 0) bad.push('no record at all (an empty source must say so)');
  const maxRecords = Math.floor(inputLength / HEADER) + 2;
  if (records.length > maxRecords) bad.push(`${records.length} records from ${inputLength} bytes`);
  for (let i = 0; i < records.length && bad.length < 5; i++) {
    const r = records[i];
    const at = `record ${i}/${records.length}`;
    if (!ALLOWED.has(r.status)) bad.push(`${at}: status ${r.status}`);
    // A file with no BGP records at all (only skipped types such as BGP4MP_ENTRY) is an empty source too.
    if (r.status === 'empty-source' && records.length !== 1) {
      bad.push(`${at}: empty-source among ${records.length} records`);
    }
    if (!isU32(r.timeSec)) bad.push(`${at}: timeSec ${r.timeSec}`);
    const expectedPosition = i === records.length - 1 ? 'end' : i === 0 ? 'start' : 'middle';
    if (r.dumpPosition !== expectedPosition) bad.push(`${at}: dump position ${r.dumpPosition}`);
    if (r.status !== 'valid') {
      if (r.elems.length > 0) bad.push(`${at}: ${r.status} record with ${r.elems.length} elems`);
      if (r.status === 'corrupted-record' && !r.error) bad.push(`${at}: corrupted-record without a reason`);
      continue;
    }
    for (let j = 0; j < r.elems.length; j++) {
      const e = r.elems[j];
      const why = elemProblem(e, r);
      if (why) {
        bad.push(`${at} elem ${j}: ${why}`);
        break;
      }
      if (render) {
        try {
          bgpreaderElemLine(r, e);
        } catch (err) {
          bad.push(`${at} elem ${j}: formatting threw ${String(err)}`);
          break;
        }
      }
    }
  }
  return bad;
}

/** The first place where two runs differ, or null. */
function firstDifference(a: Run, b: Run): string | null {
  const sa = a.records.map(signature);
  const sb = b.records.map(signature);
  const n = Math.max(sa.length, sb.length);
  for (let i = 0; i < n; i++) {
    if (sa[i] !== sb[i]) {
      return `record ${i}: one chunk gives ${sa[i] ?? '(none)'} [of ${sa.length}], chunks give ${sb[i] ?? '(none)'} [of ${sb.length}]`;
    }
  }
  const ta = statsSignature(a.stats);
  const tb = statsSignature(b.stats);
  return ta === tb ? null : `stats: one chunk ${ta}; chunks ${tb}`;
}

// ---------------------------------------------------------------- mutations

const MUTATIONS = [
  'bit-flip',
  'overwrite',
  'truncate',
  'insert-garbage',
  'duplicate-range',
  'delete-range',
  'header-length',
  'attribute-length',
  'zero-body',
  'fake-header',
] as const;
type MutationKind = (typeof MUTATIONS)[number];

interface Mutated {
  buf: Uint8Array;
  desc: string;
  /** insert-garbage only: where the garbage went and how long it is. */
  garbage?: { at: number; length: number };
}

function concat(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A length field inside a record: where it is and how many bytes it has. */
interface LengthField {
  off: number;
  size: 1 | 2;
  what: string;
}

/** Walks a path-attribute block and lists each attribute's length field (and MP_REACH's next-hop length). */
function attributeFields(buf: Uint8Array, start: number, end: number, out: LengthField[]): void {
  let p = start;
  while (p + 3 <= end) {
    const flags = buf[p];
    const type = buf[p + 1];
    const ext = (flags & 0x10) !== 0;
    if (ext && p + 4 > end) return;
    const len = ext ? (buf[p + 2] << 8) | buf[p + 3] : buf[p + 2];
    out.push({ off: p + 2, size: ext ? 2 : 1, what: `attribute ${type} length` });
    const value = p + (ext ? 4 : 3);
    if (type === 14 && len >= 5) out.push({ off: value + 3, size: 1, what: 'MP_REACH next hop length' });
    p = value + len;
  }
}

/** The length fields of the record at `rec` that a decoder must not trust: BGP message, UPDATE and attribute lengths. */
function lengthFields(buf: Uint8Array, rec: number): LengthField[] {
  const out: LengthField[] = [];
  const type = (buf[rec + 4] << 8) | buf[rec + 5];
  const subtype = (buf[rec + 6] << 8) | buf[rec + 7];
  const body = rec + HEADER;
  const end = Math.min(buf.length, body + readU32(buf, rec + 8));
  if (type === 16 || type === 17) {
    // Find the BGP marker, then walk the UPDATE.
    let m = body;
    for (; m + 19 <= end; m++) {
      let marker = true;
      for (let k = 0; k < 16 && marker; k++) marker = buf[m + k] === 0xff;
      if (marker) break;
    }
    if (m + 19 > end) return out;
    out.push({ off: m + 16, size: 2, what: 'BGP message length' });
    if (buf[m + 18] !== 2 || m + 21 > end) return out;
    const w = m + 19;
    out.push({ off: w, size: 2, what: 'withdrawn routes length' });
    const a = w + 2 + ((buf[w] << 8) | buf[w + 1]);
    if (a + 2 > end) return out;
    out.push({ off: a, size: 2, what: 'path attributes length' });
    attributeFields(buf, a + 2, Math.min(end, a + 2 + ((buf[a] << 8) | buf[a + 1])), out);
  } else if (type === 13 && ((subtype >= 2 && subtype <= 5) || (subtype >= 8 && subtype <= 11))) {
    const addPath = subtype >= 8;
    let p = body + 4;
    if (p >= end) return out;
    out.push({ off: p, size: 1, what: 'RIB prefix length' });
    p += 1 + ((buf[p] + 7) >> 3);
    if (p + 2 > end) return out;
    out.push({ off: p, size: 2, what: 'RIB entry count' });
    const count = (buf[p] << 8) | buf[p + 1];
    p += 2;
    for (let i = 0; i < count; i++) {
      const head = addPath ? 12 : 8;
      if (p + head > end) return out;
      out.push({ off: p + head - 2, size: 2, what: `RIB entry ${i} attribute length` });
      const attrLen = (buf[p + head - 2] << 8) | buf[p + head - 1];
      attributeFields(buf, p + head, Math.min(end, p + head + attrLen), out);
      p += head + attrLen;
    }
  } else if (type === 12 && (subtype === 1 || subtype === 2)) {
    const addrLen = subtype === 1 ? 4 : 16;
    const lenOff = body + 4 + addrLen + 2 + 4 + addrLen + 2;
    if (lenOff + 2 > end) return out;
    out.push({ off: lenOff, size: 2, what: 'TABLE_DUMP attribute length' });
    attributeFields(buf, lenOff + 2, Math.min(end, lenOff + 2 + ((buf[lenOff] << 8) | buf[lenOff + 1])), out);
  }
  return out;
}

function mutate(kind: MutationKind, buf: Uint8Array, rng: Prng): Mutated {
  const len = buf.length;
  if (len === 0) return { buf, desc: `${kind}(empty: no-op)` };
  switch (kind) {
    case 'bit-flip': {
      const out = buf.slice();
      const n = rng.range(1, 8);
      const at: string[] = [];
      for (let i = 0; i < n; i++) {
        const p = rng.int(len);
        const bit = rng.int(8);
        out[p] ^= 1 << bit;
        at.push(`${p}.${bit}`);
      }
      return { buf: out, desc: `bit-flip@${at.join(',')}` };
    }
    case 'overwrite': {
      const out = buf.slice();
      if (rng.chance(0.5)) {
        const n = rng.range(1, 8);
        const at: number[] = [];
        for (let i = 0; i < n; i++) {
          const p = rng.int(len);
          out[p] = rng.int(256);
          at.push(p);
        }
        return { buf: out, desc: `overwrite@${at.join(',')}` };
      }
      const p = rng.int(len);
      const n = Math.min(len - p, rng.range(1, 32));
      out.set(rng.bytes(n), p);
      return { buf: out, desc: `overwrite-run@${p}+${n}` };
    }
    case 'truncate': {
      const at = rng.int(len);
      return { buf: buf.subarray(0, at), desc: `truncate@${at}` };
    }
    case 'insert-garbage': {
      const offsets = recordOffsets(buf);
      const boundaries = offsets.length > 0 ? offsets : [0];
      const at = rng.pick(boundaries);
      const tier = rng.int(3);
      const n = tier === 0 ? rng.range(1, 11) : tier === 1 ? rng.range(12, 200) : rng.range(201, 4096);
      return {
        buf: concat(buf.subarray(0, at), rng.bytes(n), buf.subarray(at)),
        desc: `insert-garbage@${at}+${n}`,
        garbage: { at, length: n },
      };
    }
    case 'duplicate-range': {
      const start = rng.int(len);
      const n = rng.logRange(1, Math.min(4096, len - start));
      const at = rng.chance(0.5) ? start + n : rng.int(len + 1);
      const piece = buf.subarray(start, start + n);
      return {
        buf: concat(buf.subarray(0, at), piece, buf.subarray(at)),
        desc: `duplicate-range ${start}+${n}@${at}`,
      };
    }
    case 'delete-range': {
      const start = rng.int(len);
      const n = rng.logRange(1, Math.min(4096, len - start));
      return {
        buf: concat(buf.subarray(0, start), buf.subarray(start + n)),
        desc: `delete-range ${start}+${n}`,
      };
    }
    case 'header-length': {
      const offsets = recordOffsets(buf);
      if (offsets.length === 0) return mutate('overwrite', buf, rng);
      const rec = rng.pick(offsets);
      const old = readU32(buf, rec + 8);
      const choices = [
        () => 0,
        () => rng.range(1, 11),
        () => 0xffffffff,
        () => 64 * 1024 * 1024,
        () => 64 * 1024 * 1024 + 1,
        () => rng.u32(),
        () => rng.range(1 << 16, 1 << 26),
        () => Math.max(0, old + rng.range(-16, 16)),
        () => rng.int(2 * old + 2),
      ];
      const value = rng.pick(choices)() >>> 0;
      const out = buf.slice();
      writeU32(out, rec + 8, value);
      return { buf: out, desc: `header-length@${rec} ${old}->${value}` };
    }
    case 'attribute-length': {
      const offsets = recordOffsets(buf);
      for (let tries = 0; tries < 8 && offsets.length > 0; tries++) {
        const rec = rng.pick(offsets);
        const fields = lengthFields(buf, rec);
        if (fields.length === 0) continue;
        const f = rng.pick(fields);
        const old = f.size === 1 ? buf[f.off] : (buf[f.off] << 8) | buf[f.off + 1];
        const max = f.size === 1 ? 0xff : 0xffff;
        const r = rng.int(4);
        const value = r === 0 ? rng.int(max + 1) : r === 1 ? 0 : r === 2 ? max : old + rng.range(-4, 4);
        const v = Math.min(max, Math.max(0, value));
        const out = buf.slice();
        if (f.size === 1) out[f.off] = v;
        else {
          out[f.off] = v >> 8;
          out[f.off + 1] = v & 0xff;
        }
        return { buf: out, desc: `attribute-length@${f.off} (${f.what} of record @${rec}) ${old}->${v}` };
      }
      return mutate('bit-flip', buf, rng);
    }
    case 'fake-header': {
      // A plausible-looking header (right type, close time) over random bytes: the hardest thing to resync past.
      const offsets = recordOffsets(buf);
      const at = offsets.length > 0 ? rng.pick(offsets) : 0;
      const near = offsets.length > 0 ? readU32(buf, at) : rng.u32();
      const body = rng.bytes(rng.logRange(1, 512) - 1);
      const claims = [
        () => body.length,
        () => Math.max(0, body.length + rng.range(-8, 8)),
        () => rng.range(0, 64),
        () => rng.range(0, 1 << 20),
      ];
      const head = new Uint8Array(HEADER);
      writeU32(head, 0, rng.chance(0.8) ? near + rng.range(-100, 100) : rng.u32());
      head[5] = rng.pick([5, 11, 12, 13, 16, 17, 32, 48]);
      head[7] = rng.range(0, 12);
      const length = rng.pick(claims)() >>> 0;
      writeU32(head, 8, length);
      return {
        buf: concat(buf.subarray(0, at), head, body, buf.subarray(at)),
        desc: `fake-header@${at} type ${head[5]}/${head[7]} claims ${length}, has ${body.length}`,
      };
    }
    case 'zero-body': {
      const offsets = recordOffsets(buf);
      if (offsets.length === 0) return mutate('overwrite', buf, rng);
      const rec = rng.pick(offsets);
      const out = buf.slice();
      out.fill(0, rec + HEADER, rec + HEADER + readU32(buf, rec + 8));
      return { buf: out, desc: `zero-body@${rec}` };
    }
  }
}

/** Chunk sizes for one case: mostly spread over 1 B..64 KB, sometimes tiny. */
function chunker(rng: Prng, inputLength: number): { nextSize: () => number; desc: string } {
  const mode = rng.int(10);
  if (mode < 5) return { nextSize: () => rng.logRange(1, 65536), desc: 'log-uniform 1..64K' };
  if (mode < 7) return { nextSize: () => rng.range(1, 65536), desc: 'uniform 1..64K' };
  if (mode < 9 || inputLength > 32 * 1024) return { nextSize: () => rng.range(1, 64), desc: '1..64' };
  return { nextSize: () => 1, desc: '1 byte' };
}

// ---------------------------------------------------------------- one case

function runCase(samples: Sample[], index: number): { label: string; problems: string[] } {
  const rng = new Prng(deriveSeed(SEED, index));
  const sample = rng.pick(samples);
  const steps: Mutated[] = [];
  let buf = sample.data;
  const count = rng.chance(0.75) ? 1 : rng.range(2, 4);
  for (let i = 0; i < count; i++) {
    const m = mutate(rng.pick(MUTATIONS), buf, rng);
    steps.push(m);
    buf = m.buf;
  }
  const chunks = chunker(rng, buf.length);
  const multicast = rng.chance(0.25);
  const label = `case ${index} [${sample.name}: ${steps.map((s) => s.desc).join(' then ')}; ${buf.length} bytes${multicast ? '; multicast' : ''}]`;
  const problems: string[] = [];
  const whole = decode(buf, null, multicast);
  for (const p of checkRun(whole, buf.length, true)) problems.push(`${label} one chunk: ${p}`);
  const chunked = decode(buf, chunks.nextSize, multicast);
  for (const p of checkRun(chunked, buf.length, false)) problems.push(`${label} chunks ${chunks.desc}: ${p}`);
  if (!whole.error && !chunked.error) {
    const diff = firstDifference(whole, chunked);
    if (diff) problems.push(`${label} chunking (${chunks.desc}) changes the result: ${diff}`);
  }
  const garbage = steps.length === 1 ? steps[0].garbage : undefined;
  if (garbage && !whole.error) {
    const base = multicast ? sample.multicastBaseline : sample.baseline;
    for (const p of resyncProblems(base, whole, buf, garbage)) problems.push(`${label} resync: ${p}`);
  }
  return { label: `${label} chunks ${chunks.desc}`, problems };
}

/** Garbage between two records must cost nothing but one corrupted record: the records after it come back. */
function resyncProblems(
  base: Baseline,
  run: Run,
  buf: Uint8Array,
  g: { at: number; length: number },
): string[] {
  const bad: string[] = [];
  const valid = run.records.filter((r) => r.status === 'valid');
  if (valid.length < base.valid - 2) bad.push(`${valid.length} valid records, ${base.valid} without garbage`);
  const last = valid.length > 0 ? valid[valid.length - 1].timeSec : -1;
  if (last !== base.lastValidTime)
    bad.push(`last valid record at ${last}, ${base.lastValidTime} without garbage`);
  const corrupted = run.records.filter((r) => r.status === 'corrupted-record').length;
  if (corrupted > base.corrupted + 1)
    bad.push(`${corrupted} corrupted records, ${base.corrupted} without garbage`);
  // The valid records before the garbage are unchanged; those after it are all found again but for at most two.
  const got = validWithOffsets(run.records, buf);
  const before = (xs: { offset: number; sig: string }[], limit: number) =>
    xs.filter((x) => x.offset < limit).map((x) => x.sig);
  const after = (xs: { offset: number; sig: string }[], limit: number) =>
    xs.filter((x) => x.offset >= limit).map((x) => x.sig);
  if (before(got, g.at).join('\n') !== before(base.validAt, g.at).join('\n')) {
    bad.push('valid records before the garbage changed');
  }
  const wantAfter = after(base.validAt, g.at);
  const gotAfter = after(got, g.at + g.length);
  const lost = wantAfter.length - gotAfter.length;
  if (lost < 0 || lost > 2 || gotAfter.join('\n') !== wantAfter.slice(lost).join('\n')) {
    bad.push(`after the garbage: ${gotAfter.length} valid records, ${wantAfter.length} expected`);
  }
  return bad;
}

// ---------------------------------------------------------------- tests

const samplesTitle = haveSamples
  ? `MrtReader fuzzing on mutated samples (${samplesDir})`
  : `MrtReader fuzzing on mutated samples: SKIPPED, no MRT samples at ${samplesDir} (set MRT_SAMPLES_DIR)`;

if (!haveSamples) console.warn(`fuzz.test.ts: ${samplesTitle}`);

describe.skipIf(!haveSamples)(samplesTitle, () => {
  const samples = haveSamples ? loadSamples() : [];

  it('has samples to mutate, each decoding the same in one chunk and in chunks', () => {
    expect(samples.length).toBeGreaterThan(5);
    const rng = new Prng(SEED);
    for (const s of samples) {
      expect(s.baseline.valid, s.name).toBeGreaterThanOrEqual(0);
      const chunked = decode(s.data, () => rng.logRange(1, 65536));
      expect(chunked.records.map(signature), s.name).toEqual(s.baseline.signature);
    }
  });

  it(`survives ${ONLY_CASE === undefined ? CASES : 1} mutated inputs (seed ${SEED})`, {
    timeout: Math.max(60_000, CASES * 30),
  }, () => {
    console.log(
      `fuzz: seed=${SEED} cases=${CASES} samples=${samples.length}` +
        ` (replay: FUZZ_SEED=${SEED} FUZZ_CASES=${CASES}; one case: FUZZ_CASE=<index>)`,
    );
    const problems: string[] = [];
    const timings: { label: string; ms: number }[] = [];
    for (let i = 0; i < CASES && problems.length < 30; i++) {
      if (ONLY_CASE !== undefined && i !== ONLY_CASE) continue;
      const t0 = performance.now();
      const result = runCase(samples, i);
      for (const p of result.problems) problems.push(p);
      timings.push({ label: result.label, ms: performance.now() - t0 });
    }
    if (process.env.FUZZ_VERBOSE) {
      timings.sort((a, b) => b.ms - a.ms);
      const slowest = timings.slice(0, 8).map((t) => `${t.ms.toFixed(0)} ms: ${t.label}`);
      console.log(`fuzz: slowest cases\n${slowest.join('\n')}`);
    }
    expect(problems).toEqual([]);
  });

  it('gives the same records through batches() over an async stream of chunks', async () => {
    const rng = new Prng(deriveSeed(SEED, -4));
    for (const s of samples) {
      const { buf, desc } = mutate(rng.pick(MUTATIONS), s.data, rng);
      const whole = decode(buf, null);
      async function* chunks(): AsyncGenerator<Uint8Array> {
        for (let off = 0; off < buf.length; ) {
          const n = rng.logRange(1, 65536);
          yield buf.subarray(off, off + n);
          off += n;
        }
      }
      const records: BgpRecord[] = [];
      for await (const batch of new MrtReader().batches(chunks())) {
        expect(batch.length).toBeGreaterThan(0);
        for (const r of batch) records.push(r);
      }
      expect(records.map(signature), `${s.name}: ${desc}`).toEqual(whole.records.map(signature));
    }
  });

  it('cuts inside the last record: the records before it stay, one corrupted-record ends the file', () => {
    const rng = new Prng(deriveSeed(SEED, -1));
    for (const s of samples) {
      const offsets = recordOffsets(s.data);
      if (offsets.length < 2) continue;
      const last = offsets[offsets.length - 1];
      const cut = rng.range(last + 1, s.data.length - 1);
      const buf = s.data.subarray(0, cut);
      const run = decode(buf, null);
      expect(checkRun(run, buf.length, false), s.name).toEqual([]);
      const before = decode(s.data.subarray(0, last), null).records.filter(
        (r) => r.status !== 'empty-source',
      );
      const got = run.records.map(signature);
      expect(got.slice(0, -1), `${s.name} cut at ${cut}`).toEqual(before.map(signature));
      const end = run.records[run.records.length - 1];
      expect(end.status, `${s.name} cut at ${cut}`).toBe('corrupted-record');
      expect(end.error).toMatch(/truncated/);
      const chunked = decode(buf, () => rng.logRange(1, 4096));
      expect(firstDifference(run, chunked), `${s.name} cut at ${cut}`).toBeNull();
    }
  });
});

describe('MrtReader on inputs with no records', () => {
  it('gives exactly one empty-source record for empty input', () => {
    for (const pushes of [[], [new Uint8Array(0)], [new Uint8Array(0), new Uint8Array(0)]]) {
      const reader = new MrtReader();
      const records: BgpRecord[] = [];
      for (const chunk of pushes) records.push(...reader.push(chunk));
      records.push(...reader.finish());
      expect(records.map((r) => r.status)).toEqual(['empty-source']);
      expect(records[0].elems).toEqual([]);
    }
  });

  it('gives only non-valid records for 1 to 11 random bytes', () => {
    const rng = new Prng(deriveSeed(SEED, -2));
    for (let n = 1; n <= 11; n++) {
      for (let k = 0; k < 20; k++) {
        const buf = rng.bytes(n);
        for (const run of [decode(buf, null), decode(buf, () => 1)]) {
          expect(checkRun(run, n, true)).toEqual([]);
          expect(run.records.length).toBeGreaterThan(0);
          for (const r of run.records) expect(r.status).not.toBe('valid');
        }
      }
    }
  });

  it('survives 64 KB of pure random bytes', () => {
    for (let k = 0; k < 8; k++) {
      const rng = new Prng(deriveSeed(SEED, -100 - k));
      const buf = rng.bytes(64 * 1024);
      const whole = decode(buf, null);
      expect(checkRun(whole, buf.length, true)).toEqual([]);
      const chunked = decode(buf, () => rng.logRange(1, 65536));
      expect(checkRun(chunked, buf.length, false)).toEqual([]);
      expect(firstDifference(whole, chunked)).toBeNull();
      // Nothing but garbage: one corrupted record, and every byte counted as skipped (the stats used to miss the last 11).
      if (whole.records.length === 1) {
        expect(whole.records[0].status).toBe('corrupted-record');
        expect(whole.stats?.bytesSkipped).toBe(buf.length);
      }
    }
  });
});

describe('MrtReader regressions found by fuzzing', () => {
  it('buffers a record that claims a huge length in linear time, not by recopying on every push', () => {
    // Bug: push() copied all pending bytes into a new array on every chunk, so a header claiming
    // tens of MB (one flipped bit in a length field) made reading quadratic: a 29 MB file in
    // 16 KB chunks took 22 s instead of 0.5 s.
    const input = new Uint8Array(4 * 1024 * 1024);
    writeU32(input, 0, 1_500_000_000);
    input[5] = 16; // BGP4MP
    input[7] = 4; // MESSAGE_AS4
    writeU32(input, 8, 60 * 1024 * 1024);
    // Count the bytes copied with TypedArray#set (how push() carries pending bytes over).
    const proto = Object.getPrototypeOf(Uint8Array.prototype) as {
      set(this: Uint8Array, source: ArrayLike<number>, offset?: number): void;
    };
    const realSet = proto.set;
    let copied = 0;
    proto.set = function (this: Uint8Array, source: ArrayLike<number>, offset?: number) {
      copied += source.length;
      realSet.call(this, source, offset);
    };
    let run: Run;
    try {
      run = decode(input, () => 4096);
    } finally {
      proto.set = realSet;
    }
    expect(copied).toBeLessThan(4 * input.length);
    expect(checkRun(run, input.length, false)).toEqual([]);
    expect(run.records.map((r) => r.status)).toEqual(['corrupted-record']);
    expect(run.records[0].error).toMatch(/truncated: record at byte 0 claims 62914560 bytes/);
  });

  it.skipIf(!haveSamples)(
    'keeps the raw bytes of earlier records intact while appending chunks in place',
    () => {
      const rng = new Prng(deriveSeed(SEED, -3));
      for (const s of loadSamples()) {
        const whole = decode(s.data, null);
        const chunked = decode(s.data, () => rng.range(1, 64));
        expect(chunked.records.length, s.name).toBe(whole.records.length);
        for (let i = 0; i < whole.records.length; i++) {
          const a = whole.records[i].raw;
          const b = chunked.records[i].raw;
          expect(
            b === null ? null : Buffer.from(b).equals(Buffer.from(a ?? [])),
            `${s.name} record ${i}`,
          ).toBe(a === null ? null : true);
        }
      }
    },
  );
});

describe.skipIf(!haveSamples)('recovery after a damaged length field', () => {
  const original = haveSamples ? readFileSync(join(samplesDir, 'mrtparse/quagga_bgp')) : new Uint8Array(0);
  const validTimes = (buf: Uint8Array, damagedTime?: number) => {
    const reader = new MrtReader();
    const records = [...reader.push(buf), ...reader.finish()];
    return { records, times: records.filter((r) => r.status === 'valid').map((r) => r.timeSec), damagedTime };
  };

  it('a length that runs past the end of the file costs that record, not the records after it', () => {
    const clean = validTimes(original).times;
    const offsets = recordOffsets(original);
    const damaged = Uint8Array.from(original);
    // Record 10 now claims 16 MB: only the end of input can show that it lies.
    writeU32(damaged, offsets[10] + 8, 16 << 20);
    const { records, times } = validTimes(damaged);
    expect(records.filter((r) => r.status === 'corrupted-record').length).toBeGreaterThanOrEqual(1);
    expect(times.slice(0, 10)).toEqual(clean.slice(0, 10));
    expect(times.length).toBeGreaterThanOrEqual(clean.length - 2);
    expect(times.at(-1)).toBe(clean.at(-1));
  });

  it('the time of a record that fails to decode does not decide where records resume', () => {
    const clean = validTimes(original).times;
    const offsets = recordOffsets(original);
    const damaged = Uint8Array.from(original);
    // Record 10 gets a time two years ahead and an undecodable body; garbage follows it.
    writeU32(damaged, offsets[10], readU32(damaged, offsets[10]) + 2 * 366 * 86400);
    damaged.fill(0xff, offsets[10] + HEADER, offsets[11]);
    const withGarbage = new Uint8Array(damaged.length + 40);
    withGarbage.set(damaged.subarray(0, offsets[11]), 0);
    withGarbage.fill(0x5a, offsets[11], offsets[11] + 40);
    withGarbage.set(damaged.subarray(offsets[11]), offsets[11] + 40);
    const { times } = validTimes(withGarbage);
    expect(times.length).toBeGreaterThanOrEqual(clean.length - 2);
    expect(times.at(-1)).toBe(clean.at(-1));
  });
});

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BgpRecord, Prefix } from '@bgpstream-ts/core';
import { duckdbTypeName, ELEM_COLUMNS } from '@bgpstream-ts/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportToParquetLake, type LakeExportSummary, readLakeManifest } from '../src/index.js';
import { type Db, dumpHashes, lakeScan, lit, NORMALIZED_COLUMNS, openDuckDB } from './helpers/duckdb.js';
import type { features } from './helpers/expected-row.js';
import {
  describeSample,
  dumpKeyText,
  expectedLayout,
  expectedRowsAt,
  type SampleDump,
  sampleRecords,
} from './helpers/sample-dumps.js';
import { allSamples, haveSamples, noSamplesMessage, samplePath } from './helpers/samples.js';

const ROW_GROUP = 131072;

/** Every file under `dir` (relative), with its mtime and size. */
function listFiles(dir: string): Map<string, { mtimeMs: number; size: number }> {
  const out = new Map<string, { mtimeMs: number; size: number }>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else {
        const st = statSync(full);
        out.set(path.relative(dir, full), { mtimeMs: st.mtimeMs, size: st.size });
      }
    }
  };
  walk(dir);
  return out;
}

async function* allRecords(dumps: SampleDump[]): AsyncGenerator<BgpRecord[]> {
  for (const d of dumps) yield* sampleRecords(d);
}

describe.skipIf(!haveSamples)(
  `every sample exported to a Parquet lake ${haveSamples ? '' : `(${noSamplesMessage})`}`,
  () => {
    let dumps: SampleDump[];
    let lake: string;
    let summary: LakeExportSummary;
    let db: Db;
    const where = (d: SampleDump) =>
      `project = ${lit(d.source.project)} AND collector = ${lit(d.source.collector)} AND type = ${lit(d.source.type)}`;

    beforeAll(async () => {
      dumps = [];
      for (const f of allSamples()) dumps.push(await describeSample(f));
      lake = mkdtempSync(path.join(tmpdir(), 'bgpstream-lake-'));
      summary = await exportToParquetLake(allRecords(dumps), {
        lake,
        sourceUrl: (key) => {
          const d = dumps.find((x) => dumpKeyText(x.source) === dumpKeyText(key));
          return d && samplePath(d.file);
        },
      });
      db = await openDuckDB();
    }, 600_000);

    afterAll(() => {
      db?.close();
      if (lake) rmSync(lake, { recursive: true, force: true });
    });

    it('exports each sample as one dump, recorded in the manifest with its files and rows', async () => {
      expect(dumps.length).toBeGreaterThanOrEqual(30);
      expect(summary.dumps.length).toBe(dumps.length);
      expect(summary.dumpsSkipped).toEqual([]);
      expect(summary.dumpsFailed).toEqual([]);
      const manifest = await readLakeManifest(lake);
      expect(manifest.length).toBe(dumps.length);
      for (const d of dumps) {
        const m = manifest.find((e) => dumpKeyText(e) === dumpKeyText(d.source));
        expect(m, d.file).toBeDefined();
        expect(m!.rows, d.file).toBe(d.elems);
        expect(m!.files.length, d.file).toBe(Math.ceil(d.elems / ROW_GROUP));
        expect(m!.sourceUrl).toBe(samplePath(d.file));
        for (const f of m!.files) expect(statSync(path.join(lake, f)).size).toBeGreaterThan(0);
      }
      expect(summary.rows).toBe(dumps.reduce((s, d) => s + d.elems, 0));
      expect(summary.peakBufferedRows).toBeLessThanOrEqual(ROW_GROUP);
    });

    it('DuckDB counts, per dump, exactly the elems the decoder gives', async () => {
      const hashes = await dumpHashes(db, lake);
      for (const d of dumps) {
        const got = hashes.get(dumpKeyText(d.source));
        if (d.elems === 0) expect(got, d.file).toBeUndefined();
        else expect(got?.rows, d.file).toBe(BigInt(d.elems));
      }
    });

    it('DuckDB reads every column with the type the schema documents', async () => {
      const rows = await db.query(`DESCRIBE SELECT * FROM ${lakeScan(lake)}`);
      const types = new Map(rows.map((r) => [r.column_name as string, r.column_type as string]));
      const norm = (t: string) => t.replace(/"/g, '');
      for (const c of ELEM_COLUMNS)
        expect(norm(types.get(c.name) ?? ''), c.name).toBe(norm(duckdbTypeName(c.type)));
      // The hive partition columns, typed by DuckDB from the folder names.
      expect(types.get('type')).toBe('VARCHAR');
      expect(types.get('date')).toBe('DATE');
    });

    it('every column of sampled rows equals the decoder, in the documented order within each part', async () => {
      const seen = new Set<keyof typeof features>();
      for (const d of dumps) {
        if (d.elems === 0) continue;
        const { order, featureRows } = await expectedLayout(d, ROW_GROUP);
        // Rows at positions that are multiples of `step` (a power of two, so the same test per file),
        // plus the first row showing each feature.
        const step = d.elems <= 4096 ? 1 : 2 ** Math.ceil(Math.log2(d.elems / 1500));
        const position = new Map<number, number>();
        for (let p = 0; p < order.length; p++) position.set(order[p], p);
        const extra = Object.entries(featureRows).map(([f, arrival]) => {
          seen.add(f as keyof typeof features);
          const p = position.get(arrival as number)!;
          return `(filename LIKE ${lit(`%-part-${String(Math.floor(p / ROW_GROUP)).padStart(5, '0')}.parquet`)} AND file_row_number = ${p % ROW_GROUP})`;
        });
        const rows = await db.query(
          `SELECT ${NORMALIZED_COLUMNS}, filename, file_row_number
         FROM ${lakeScan(lake, ', filename = true, file_row_number = true')}
         WHERE ${where(d)} AND (file_row_number % ${step} = 0 ${extra.map((e) => `OR ${e}`).join(' ')})
         ORDER BY filename, file_row_number`,
        );
        const positions = rows.map((r) => {
          const part = Number(/-part-(\d+)\.parquet$/.exec(r.filename as string)![1]);
          return part * ROW_GROUP + Number(r.file_row_number as bigint);
        });
        const expected = await expectedRowsAt(d, new Set(positions.map((p) => order[p])));
        expect(rows.length, d.file).toBeGreaterThanOrEqual(Math.min(d.elems, 700));
        rows.forEach((r, i) => {
          const { filename, file_row_number, ...row } = r;
          expect(row, `${d.file} row ${positions[i]}`).toEqual(expected.get(order[positions[i]]));
        });
      }
      expect([...seen].sort()).toEqual(['asSet', 'asnAbove2e31', 'ipv6Prefix', 'largeCommunities', 'pathId']);
    }, 300_000);

    it('keeps 4-byte ASNs above 2^31, AS_SETs, large communities and ADD-PATH ids of frr-updates.mrt', async () => {
      const [r] = await db.query(
        `SELECT count(*) FILTER (peer_asn = 4200000002 OR list_contains(as_path_asns, 4200000002)) AS asn4,
              count(*) FILTER (list_contains(as_path_segment_types, 1)) AS sets,
              count(*) FILTER (len(large_communities) > 0) AS large,
              count(*) FILTER (path_id IS NOT NULL) AS addpath,
              count(*) FILTER (prefix_family = 6) AS v6
       FROM ${lakeScan(lake)} WHERE collector = 'frr-updates'`,
      );
      for (const k of ['asn4', 'sets', 'large', 'addpath', 'v6'])
        expect(r[k] as bigint, k).toBeGreaterThan(0n);
    });

    it('prunes partitions: a collector filter reads only that collector’s files', async () => {
      const all = [...listFiles(lake).keys()].filter((f) => f.endsWith('.parquet'));
      const mine = all.filter((f) => f.includes('collector=frr-updates/'));
      expect(all.length).toBeGreaterThan(20);
      expect(mine.length).toBe(1);
      const [plan] = await db.query(
        `EXPLAIN ANALYZE SELECT count(*) FROM ${lakeScan(lake)} WHERE collector = 'frr-updates'`,
      );
      const text = String(plan.explain_value);
      expect(text).toMatch(new RegExp(`Scanning Files: ${mine.length}/${all.length}`));
      expect(text).toMatch(new RegExp(`Total Files Read: ${mine.length}\\b`));
    });

    it('finds the more specifics of a prefix with a range test on prefix_network', async () => {
      const distinct = (
        await db.query(`SELECT DISTINCT prefix FROM ${lakeScan(lake)} WHERE prefix IS NOT NULL`)
      ).map((r) => Prefix.parse(r.prefix as string));
      for (const text of ['12.0.0.0/8', '2001:db8::/32', '2a00::/12']) {
        const p = Prefix.parse(text);
        const bytes = p.address.toBytes();
        const net = p.family === 4 ? [...new Array(10).fill(0), 255, 255, ...bytes] : [...bytes];
        const hostBits = p.address.bitLength - p.length;
        const offset = p.family === 4 ? 96 : 0;
        const hi = [...net];
        for (let bit = offset + p.length; bit < offset + p.length + hostBits; bit++)
          hi[bit >> 3] |= 0x80 >> (bit & 7);
        const hex = (b: number[]) => Buffer.from(b).toString('hex');
        const rows = await db.query(
          `SELECT DISTINCT prefix FROM ${lakeScan(lake)}
         WHERE prefix_family = ${p.family} AND prefix_length >= ${p.length}
           AND prefix_network BETWEEN unhex('${hex(net)}') AND unhex('${hex(hi)}')`,
        );
        const got = rows.map((r) => r.prefix as string).sort();
        const want = distinct
          .filter((q) => p.contains(q))
          .map((q) => q.toString())
          .sort();
        expect(got, text).toEqual(want);
        expect(want.length, text).toBeGreaterThan(0);
      }
    });

    it('a re-run changes nothing: every dump is skipped, files and mtimes stay', async () => {
      const before = listFiles(lake);
      const again = await exportToParquetLake(allRecords(dumps), { lake });
      expect(again.dumps).toEqual([]);
      expect(again.files).toBe(0);
      expect(again.dumpsSkipped.length).toBe(dumps.length);
      expect(again.recordsSkipped).toBe(again.records);
      expect(listFiles(lake)).toEqual(before);
    }, 120_000);

    it('force re-exports one dump and replaces exactly its files (no duplicates, no stale parts)', async () => {
      const d = dumps.find((x) => x.file.endsWith('updates.20070211.0141.gz'))!;
      const hashes = await dumpHashes(db, lake);
      const before = listFiles(lake);
      const mineBefore = [...before.keys()].filter(
        (f) => f.endsWith('.parquet') && f.includes(`collector=${d.source.collector}/`),
      );
      expect(mineBefore.length).toBe(1);
      // Smaller parts: 3 files instead of 1.
      const small = await exportToParquetLake(sampleRecords(d), { lake, force: true, rowGroupSize: 20000 });
      expect(small.dumps[0].files.length).toBe(Math.ceil(d.elems / 20000));
      expect((await dumpHashes(db, lake)).get(dumpKeyText(d.source))).toEqual(
        hashes.get(dumpKeyText(d.source)),
      );
      // Back to one part: the two extra parts of the previous export are gone.
      await exportToParquetLake(sampleRecords(d), { lake, force: true });
      const after = listFiles(lake);
      const mineAfter = [...after.keys()].filter(
        (f) => f.endsWith('.parquet') && f.includes(`collector=${d.source.collector}/`),
      );
      expect(mineAfter).toEqual(mineBefore);
      expect(await dumpHashes(db, lake)).toEqual(hashes);
      // Nothing else was touched.
      for (const [f, st] of before) if (!f.includes(d.source.collector)) expect(after.get(f), f).toEqual(st);
      const entry = JSON.parse(
        readFileSync(
          path.join(
            lake,
            '_manifest',
            `project=${d.source.project}`,
            `collector=${d.source.collector}`,
            `type=${d.source.type}`,
            `dump-${d.source.dumpTime}.json`,
          ),
          'utf8',
        ),
      );
      expect(entry.files).toEqual(mineAfter.map((f) => f.split(path.sep).join('/')));
    }, 120_000);
  },
);

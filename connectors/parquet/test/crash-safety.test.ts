import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BgpRecord } from '@bgpstream-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportToParquetLake, readLakeManifest } from '../src/index.js';
import { ensureBuilt, runExportChild } from './helpers/child.js';
import { type Db, dumpHashes, lakeScan, openDuckDB } from './helpers/duckdb.js';
import { describeSample, dumpKeyText, type SampleDump, sampleRecords } from './helpers/sample-dumps.js';
import { haveSamples, noSamplesMessage, samplePath } from './helpers/samples.js';

const FILES = [
  'bgpdump-test_data/updates.20070211.0141.gz',
  'libbgpstream/ris.rrc06.updates.1427846400.gz',
  'bgpdump-test_data/updates.20160811.1600.gz',
  'frr-bird-lab/frr-updates.mrt',
  'bgpdump-test_data/updates.20071015.1505.gz',
  'libbgpstream/routeviews.route-views.jinx.updates.1427846400.bz2',
];
/** Small parts, so that each big dump is several files and a kill lands between them. */
const ROW_GROUP = '8000';

/** Every file under `dir`, relative, with a hash of its bytes. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.set(path.relative(dir, full), createHash('sha256').update(readFileSync(full)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

const isTemp = (f: string) => path.basename(f).startsWith('.') && f.endsWith('.tmp');
const isParquet = (f: string) => f.endsWith('.parquet');

describe.skipIf(!haveSamples)(
  `crash safety: SIGKILL in the middle of a multi-dump export ${haveSamples ? '' : `(${noSamplesMessage})`}`,
  () => {
    let dumps: SampleDump[];
    let childDumps: { path: string; source: SampleDump['source'] }[];
    let clean: string;
    let cleanFiles: Map<string, string>;
    let db: Db;
    const lakes: string[] = [];
    const newLake = () => {
      const l = mkdtempSync(path.join(tmpdir(), 'bgpstream-crash-'));
      lakes.push(l);
      return l;
    };

    beforeAll(async () => {
      ensureBuilt();
      dumps = [];
      for (const f of FILES) dumps.push(await describeSample(f));
      childDumps = dumps.map((d) => ({ path: samplePath(d.file), source: d.source }));
      // The reference: one uninterrupted run.
      clean = newLake();
      async function* all(): AsyncGenerator<BgpRecord[]> {
        for (const d of dumps) yield* sampleRecords(d);
      }
      const s = await exportToParquetLake(all(), { lake: clean, rowGroupSize: Number(ROW_GROUP) });
      expect(s.dumps.length).toBe(FILES.length);
      cleanFiles = new Map([...snapshot(clean)].filter(([f]) => isParquet(f)));
      db = await openDuckDB();
    }, 300_000);

    afterAll(() => {
      db?.close();
      for (const l of lakes) rmSync(l, { recursive: true, force: true });
    });

    /** What a reader sees right after the crash: only whole dumps, each one listed in the manifest. */
    async function checkVisibleAfterCrash(lake: string): Promise<{ complete: number; temps: string[] }> {
      const files = [...snapshot(lake).keys()];
      const temps = files.filter(isTemp);
      // DuckDB's glob (which does not skip dot files) matches no temporary file, and reads every visible one.
      const read = await db.query(`SELECT DISTINCT filename FROM ${lakeScan(lake, ', filename = true')}`);
      for (const r of read) expect(isTemp(r.filename as string)).toBe(false);
      expect(read.length).toBe(files.filter(isParquet).length);
      const manifest = new Set((await readLakeManifest(lake)).map((m) => dumpKeyText(m)));
      const visible = await dumpHashes(db, lake);
      const reference = await dumpHashes(db, clean);
      // A visible dump is whole (same rows and content as the clean run) and listed, except the one
      // dump being published when the kill landed (after its renames, before its manifest entry: a
      // window of a few milliseconds that follows a dump's last 'part-written' line at once): that one
      // is not listed, so the next run exports it again (checkRecovery counts it as not skipped).
      const unlisted: string[] = [];
      for (const [key, v] of visible) {
        expect(v, key).toEqual(reference.get(key));
        if (!manifest.has(key)) unlisted.push(key);
      }
      expect(unlisted.length, unlisted.join(', ')).toBeLessThanOrEqual(1);
      return { complete: manifest.size, temps };
    }

    /** A second run finishes the job: the lake then equals the clean run's, file for file. */
    async function checkRecovery(lake: string, completeBefore: number): Promise<void> {
      const rerun = await runExportChild(lake, childDumps, { ROW_GROUP_SIZE: ROW_GROUP });
      expect(rerun.code, rerun.stderr).toBe(0);
      const done = JSON.parse(rerun.lines.find((l) => l.startsWith('DONE '))!.slice(5));
      expect(done.skipped).toBe(completeBefore);
      expect(done.dumps).toBe(FILES.length - completeBefore);
      expect(await dumpHashes(db, lake)).toEqual(await dumpHashes(db, clean));
      const files = snapshot(lake);
      expect([...files.keys()].filter(isTemp)).toEqual([]);
      expect(new Map([...files].filter(([f]) => isParquet(f)))).toEqual(cleanFiles);
      expect((await readLakeManifest(lake)).length).toBe(FILES.length);
    }

    it('killed while a dump is half written (parts in temporary files): readers see whole dumps only; a re-run completes it', async () => {
      const lake = newLake();
      // Dump 1 (53k rows) is 7 parts: pause after part 10, inside dump 3 (41k rows).
      const run = await runExportChild(
        lake,
        childDumps,
        { ROW_GROUP_SIZE: ROW_GROUP, PAUSE_AFTER_PARTS: '10' },
        (line) => line === 'PAUSED',
      );
      expect(run.signal).toBe('SIGKILL');
      const { complete, temps } = await checkVisibleAfterCrash(lake);
      expect(complete).toBe(2);
      expect(temps.length).toBeGreaterThan(0);
      await checkRecovery(lake, complete);
    }, 300_000);

    it('killed at an arbitrary moment: the same guarantees hold', async () => {
      const lake = newLake();
      // Kill as soon as the second dump reports its first part; the child runs on until the signal lands.
      let firstDumpDone = false;
      const run = await runExportChild(lake, childDumps, { ROW_GROUP_SIZE: ROW_GROUP }, (line) => {
        if (line.includes('"dump-complete"')) firstDumpDone = true;
        return firstDumpDone && line.includes('"part-written"');
      });
      expect(run.signal).toBe('SIGKILL');
      const { complete } = await checkVisibleAfterCrash(lake);
      expect(complete).toBeLessThan(FILES.length);
      await checkRecovery(lake, complete);
    }, 300_000);

    it('every published part is a whole Parquet file (magic bytes at both ends)', () => {
      // Structural check on the clean lake: every published name is a complete Parquet file (magic at both ends).
      for (const f of cleanFiles.keys()) {
        const bytes = readFileSync(path.join(clean, f));
        expect(bytes.subarray(0, 4).toString(), f).toBe('PAR1');
        expect(bytes.subarray(bytes.length - 4).toString(), f).toBe('PAR1');
        expect(statSync(path.join(clean, f)).size).toBe(bytes.length);
      }
    });
  },
);

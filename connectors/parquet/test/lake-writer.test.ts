import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BgpRecord, mergeRecordStreams } from '@bgpstream-ts/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  encodePartitionValue,
  exportToParquetLake,
  type LakeExportProgress,
  ParquetLakeWriter,
  partFileName,
  readDumpManifest,
  readLakeManifest,
} from '../src/index.js';
import { insideLake } from '../src/lake-paths.js';
import { replaceEncoderThread } from '../src/parquet-encoder.js';
import { ensureBuilt } from './helpers/child.js';
import { type Db, dumpHashes, lakeScan, lit, openDuckDB } from './helpers/duckdb.js';
import { describeSample, dumpKeyText, sampleRecords } from './helpers/sample-dumps.js';
import { haveSamples, noSamplesMessage } from './helpers/samples.js';
import { interleave, statusRecord, syntheticDump } from './helpers/synthetic.js';

let root: string;
let db: Db;
beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'bgpstream-lakew-'));
  db = await openDuckDB();
});
afterAll(() => {
  db.close();
  rmSync(root, { recursive: true, force: true });
});
let n = 0;
const freshLake = () => path.join(root, `lake${n++}`);

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

describe('partition paths', () => {
  it('keeps [A-Za-z0-9._-], percent-encodes the rest, never yields ".." or "/"', () => {
    expect(encodePartitionValue('route-views.amsix_2')).toBe('route-views.amsix_2');
    expect(encodePartitionValue('a b/c')).toBe('a%20b%2Fc');
    expect(encodePartitionValue('ü')).toBe('%C3%BC');
    expect(encodePartitionValue('100%')).toBe('100%25');
    expect(encodePartitionValue('')).toBe('__HIVE_DEFAULT_PARTITION__');
    for (const v of ['..', '../../x', '...', 'a..b', '/', '.', '\\..\\', 'x/../../y']) {
      const e = encodePartitionValue(v);
      expect(e, v).not.toContain('..');
      expect(e, v).not.toContain('/');
      expect(e, v).not.toContain('\\');
      expect(decodeURIComponent(e), v).toBe(v);
    }
  });

  it('refuses paths that leave the lake', () => {
    expect(() => insideLake('/tmp/lake', '../x')).toThrow(/leave the lake/);
    expect(() => insideLake('/tmp/lake', '/etc/passwd')).toThrow(/leave the lake/);
    expect(insideLake('/tmp/lake', 'project=a/x.parquet')).toBe('/tmp/lake/project=a/x.parquet');
  });

  it('names part files after the dump time', () => {
    expect(partFileName(1427846400, 3)).toBe('dump-1427846400-part-00003.parquet');
  });
});

describe('exportToParquetLake with made-up records', () => {
  it('takes interleaved dumps, writes each one’s parts at rowGroupSize, and publishes a dump at its end record', async () => {
    const lake = freshLake();
    const a = syntheticDump('p', 'a', 'update', 1427846400, 30, 10); // 300 rows: parts of 128, 128, 44
    const b = syntheticDump('p', 'b', 'rib', 1427846400, 5, 10); // 50 rows: ends first
    const c = syntheticDump('q', 'c', 'update', 1427932800, 40, 5); // 200 rows, next day
    const events: LakeExportProgress[] = [];
    const summary = await exportToParquetLake(
      (async function* () {
        for (const r of interleave(a, b, c)) yield [r];
      })(),
      { lake, rowGroupSize: 128, onProgress: (e) => events.push(e) },
    );
    expect(summary.rows).toBe(550);
    expect(summary.dumps.map((d) => [d.collector, d.rows, d.files.length])).toEqual([
      ['b', 50, 1],
      ['a', 300, 3],
      ['c', 200, 2],
    ]);
    // b is published (dump-complete) while a and c are still open.
    const bDone = events.findIndex((e) => e.event === 'dump-complete' && e.dump.collector === 'b');
    expect(events[bDone].totals.openDumps).toBe(2);
    expect(filesUnder(lake).filter((f) => f.endsWith('.parquet'))).toEqual([
      'project=p/collector=a/type=update/date=2015-04-01/dump-1427846400-part-00000.parquet',
      'project=p/collector=a/type=update/date=2015-04-01/dump-1427846400-part-00001.parquet',
      'project=p/collector=a/type=update/date=2015-04-01/dump-1427846400-part-00002.parquet',
      'project=p/collector=b/type=rib/date=2015-04-01/dump-1427846400-part-00000.parquet',
      'project=q/collector=c/type=update/date=2015-04-02/dump-1427932800-part-00000.parquet',
      'project=q/collector=c/type=update/date=2015-04-02/dump-1427932800-part-00001.parquet',
    ]);
    // Within a part: sorted by record time, then prefix; and each part covers a time range after the previous.
    const rows = await db.query(
      `SELECT filename, file_row_number, epoch(record_time) AS t, prefix FROM ${lakeScan(lake, ', filename = true, file_row_number = true')}
       WHERE collector = 'a' ORDER BY filename, file_row_number`,
    );
    expect(rows.length).toBe(300);
    for (let i = 1; i < rows.length; i++) {
      const [p, q] = [rows[i - 1], rows[i]];
      const sameTime = p.t === q.t;
      expect((p.t as number) <= (q.t as number)).toBe(true);
      if (sameTime && p.filename === q.filename) {
        const key = (s: string) =>
          s
            .split(/[./]/)
            .map((x) => x.padStart(3, '0'))
            .join('.');
        expect(key(p.prefix as string) < key(q.prefix as string)).toBe(true);
      }
    }
    const hive = await db.query(
      `SELECT DISTINCT project, collector, type, date::VARCHAR AS date FROM ${lakeScan(lake)} ORDER BY ALL`,
    );
    expect(hive).toEqual([
      { project: 'p', collector: 'a', type: 'update', date: '2015-04-01' },
      { project: 'p', collector: 'b', type: 'rib', date: '2015-04-01' },
      { project: 'q', collector: 'c', type: 'update', date: '2015-04-02' },
    ]);
  });

  it('bounds memory over many interleaved dumps with maxBufferedRows (writes the largest buffer early)', async () => {
    const lake = freshLake();
    const dumps = Array.from({ length: 8 }, (_, k) =>
      syntheticDump('p', `c${k}`, 'update', 1427846400, 50, 10),
    );
    const summary = await exportToParquetLake([interleave(...dumps)], {
      lake,
      rowGroupSize: 1000,
      maxBufferedRows: 1000,
    });
    expect(summary.rows).toBe(4000);
    expect(summary.peakBufferedRows).toBe(1000);
    expect(summary.files).toBeGreaterThan(8);
    expect(summary.peakBufferBytes).toBeGreaterThan(0);
    expect(summary.peakRssBytes).toBeGreaterThan(summary.peakBufferBytes);
    const hashes = await dumpHashes(db, lake);
    for (let k = 0; k < 8; k++) expect(hashes.get(`p|c${k}|update|1427846400`)?.rows).toBe(500n);
  });

  it('keeps a collector named ../../x (and other odd names) inside the lake', async () => {
    const lake = freshLake();
    mkdirSync(lake);
    const names = ['../../x', '..', 'a b/c', 'ü', '/abs'];
    await exportToParquetLake(
      names.map((c, i) => syntheticDump('../p', c, 'update', 1427846400 + i, 2, 3)),
      { lake },
    );
    // Nothing was written beside the lake.
    expect(readdirSync(root).filter((f) => !f.startsWith('lake'))).toEqual([]);
    expect(existsSync(path.join(lake, '..', 'x'))).toBe(false);
    for (const f of filesUnder(lake))
      expect(path.resolve(lake, f).startsWith(`${path.resolve(lake)}${path.sep}`)).toBe(true);
    const got = await db.query(
      `SELECT DISTINCT project, collector FROM ${lakeScan(lake)} ORDER BY collector`,
    );
    expect(got).toEqual([...names].sort().map((c) => ({ project: '../p', collector: c })));
    const [one] = await db.query(
      `SELECT count(*) AS n FROM ${lakeScan(lake)} WHERE collector = ${lit('../../x')}`,
    );
    expect(one.n).toBe(6n);
    expect((await readLakeManifest(lake)).map((m) => m.collector).sort()).toEqual([...names].sort());
  });

  it('does not publish a dump whose source failed (corrupted-source) and retries it next run', async () => {
    const lake = freshLake();
    const good = syntheticDump('p', 'good', 'update', 1427846400, 3, 2);
    const bad = syntheticDump('p', 'bad', 'update', 1427846400, 3, 2);
    bad[bad.length - 1].dumpPosition = 'middle';
    bad.push(statusRecord('p', 'bad', 1427846400, 'corrupted-source'));
    const s = await exportToParquetLake([good, bad], { lake, rowGroupSize: 2 });
    expect(s.dumps.map((d) => d.collector)).toEqual(['good']);
    expect(s.dumpsFailed).toEqual([
      {
        dump: { project: 'p', collector: 'bad', type: 'update', dumpTime: 1427846400 },
        error: 'corrupted-source for a test',
      },
    ]);
    expect(filesUnder(lake).some((f) => f.includes('collector=bad'))).toBe(false);
    // Next run: the good dump is skipped, the bad one is tried again.
    const again = await exportToParquetLake([good, syntheticDump('p', 'bad', 'update', 1427846400, 3, 2)], {
      lake,
    });
    expect(again.dumpsSkipped.map((d) => d.collector)).toEqual(['good']);
    expect(again.dumps.map((d) => d.collector)).toEqual(['bad']);
  });

  it('records a dump without elems in the manifest (no files), and skips it next time', async () => {
    const lake = freshLake();
    const s = await exportToParquetLake([[statusRecord('p', 'empty', 1427846400, 'empty-source')]], { lake });
    expect(s.dumps).toEqual([
      {
        project: 'p',
        collector: 'empty',
        type: 'update',
        dumpTime: 1427846400,
        files: [],
        rows: 0,
        bytes: 0,
      },
    ]);
    expect((await readDumpManifest(lake, s.dumps[0]))?.files).toEqual([]);
    const again = await exportToParquetLake([[statusRecord('p', 'empty', 1427846400, 'empty-source')]], {
      lake,
    });
    expect(again.dumpsSkipped.length).toBe(1);
  });

  it('refuses records of a dump after its end record, and leaves no temporary files', async () => {
    const lake = freshLake();
    const a = syntheticDump('p', 'a', 'update', 1427846400, 3, 2);
    const open = syntheticDump('p', 'open', 'update', 1427846400, 3, 2).slice(0, 2);
    const late = syntheticDump('p', 'a', 'update', 1427846400, 1, 1);
    await expect(exportToParquetLake([open, a, late], { lake, rowGroupSize: 1 })).rejects.toThrow(
      /arrived after the dump was completed/,
    );
    const files = filesUnder(lake);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(files.some((f) => f.includes('collector=open'))).toBe(false);
    expect(files.filter((f) => f.endsWith('.parquet') && f.includes('collector=a/')).length).toBe(6);
  });

  it('lets the caller complete dumps explicitly with completeOnDumpEnd: false', async () => {
    const lake = freshLake();
    const w = new ParquetLakeWriter({ lake, completeOnDumpEnd: false });
    const a = syntheticDump('p', 'a', 'update', 1427846400, 4, 2);
    await w.write(a.slice(0, 2));
    await w.write(a.slice(2)); // the 'end' record does not complete it
    expect(
      await readDumpManifest(lake, { project: 'p', collector: 'a', type: 'update', dumpTime: 1427846400 }),
    ).toBeNull();
    await w.completeDump({ project: 'p', collector: 'a', type: 'update', dumpTime: 1427846400 });
    expect((await readDumpManifest(lake, a[0]))?.rows).toBe(8);
    const s = await w.close();
    expect(s.rows).toBe(8);
  });

  it('rejects bad options before reading anything', async () => {
    await expect(
      exportToParquetLake([], { lake: freshLake(), compression: 'lzma' as never }),
    ).rejects.toThrow(/compression/);
    await expect(exportToParquetLake([], { lake: freshLake(), rowGroupSize: 0 })).rejects.toThrow(
      /rowGroupSize/,
    );
  });
});

describe('the Parquet encoder thread', () => {
  // The thread runs the built worker script (dist/), also when the tests run the sources.
  beforeAll(ensureBuilt, 120_000);
  const dumps = () => [
    syntheticDump('p', 'a', 'update', 1427846400, 40, 7),
    syntheticDump('p', 'b', 'rib', 1427846400, 30, 5),
  ];
  const parquetFiles = (lake: string) =>
    new Map(
      filesUnder(lake)
        .filter((f) => f.endsWith('.parquet'))
        .map((f) => [f, readFileSync(path.join(lake, f)).toString('base64')]),
    );

  it('encodes parts in a worker thread, byte for byte as in this thread', async () => {
    const inWorker = freshLake();
    const inThread = freshLake();
    const w = await exportToParquetLake(dumps(), { lake: inWorker, rowGroupSize: 64 });
    const t = await exportToParquetLake(dumps(), { lake: inThread, rowGroupSize: 64, encoderThread: false });
    expect(w.encodedBy).toBe('worker');
    expect(t.encodedBy).toBe('main-thread');
    expect(w.files).toBe(8);
    expect(parquetFiles(inWorker)).toEqual(parquetFiles(inThread));
  });

  it('falls back to this thread when the worker cannot start', async () => {
    replaceEncoderThread(new URL('./no-such-worker.js', import.meta.url));
    try {
      const lake = freshLake();
      const s = await exportToParquetLake(dumps(), { lake, rowGroupSize: 64 });
      expect(s.encodedBy).toBe('main-thread');
      const reference = freshLake();
      await exportToParquetLake(dumps(), { lake: reference, rowGroupSize: 64, encoderThread: false });
      expect(parquetFiles(lake)).toEqual(parquetFiles(reference));
    } finally {
      replaceEncoderThread();
    }
  });
});

describe.skipIf(!haveSamples)(
  `a merged stream of real dumps ${haveSamples ? '' : `(${noSamplesMessage})`}`,
  () => {
    it('gives each dump the same content as exporting it alone', async () => {
      const files = [
        'libbgpstream/ris.rrc06.updates.1427846400.gz',
        'libbgpstream/routeviews.route-views.jinx.updates.1427846400.bz2',
      ];
      const dumps = await Promise.all(files.map(describeSample));
      const merged = freshLake();
      async function* batches(): AsyncGenerator<BgpRecord[]> {
        // mergeRecordStreams yields single records, time-ordered across the two dumps.
        let buf: BgpRecord[] = [];
        for await (const r of mergeRecordStreams(dumps.map(sampleRecords))) {
          buf.push(r);
          if (buf.length === 100) {
            yield buf;
            buf = [];
          }
        }
        if (buf.length) yield buf;
      }
      await exportToParquetLake(batches(), { lake: merged, rowGroupSize: 1000 });
      const alone = freshLake();
      for (const d of dumps) await exportToParquetLake(sampleRecords(d), { lake: alone, rowGroupSize: 1000 });
      const m = await dumpHashes(db, merged);
      expect(m).toEqual(await dumpHashes(db, alone));
      for (const d of dumps) expect(m.get(dumpKeyText(d.source))?.rows).toBe(BigInt(d.elems));
    });
  },
);

import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestJobId, resourceConfigFromOptions } from '../src/ingest/index.js';
import {
  dumpContents,
  listFiles,
  listFolders,
  manifestSummary,
  referenceExport,
  tempFiles,
} from './ingest-helpers/lake.js';
import { killLeftovers, requireBuiltCli, runCli, spawnCli } from './ingest-helpers/processes.js';
import {
  obliterateQueues,
  REDIS_URL,
  requireRedis,
  testQueue,
  uniqueQueueName,
} from './ingest-helpers/redis.js';
import {
  type CsvDump,
  csvLine,
  demoDumps,
  demoUpdates,
  haveSamples,
  keyOf,
  noSamplesMessage,
  resourceOf,
  sampleDumps,
  writeCsv,
} from './ingest-helpers/samples.js';

const queues: string[] = [];
let tmp: string;

/** A fresh queue name for one scenario (obliterated in afterAll). */
function newQueue(tag: string): string {
  const name = uniqueQueueName(tag);
  queues.push(name);
  return name;
}

const conn = (queue: string) => ['--redis', REDIS_URL, '--queue', queue];
/** Small lock and stalled-check times, so that a dead worker's job comes back within seconds. */
const FAST_STALL = ['--lock-duration', '3000', '--stalled-interval', '500', '--max-stalled', '2'];

beforeAll(async () => {
  await requireRedis();
  requireBuiltCli();
  tmp = mkdtempSync(path.join(tmpdir(), 'bgpstream-ingest-test-'));
});

afterAll(async () => {
  await killLeftovers();
  await obliterateQueues(queues);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('ingest building blocks', () => {
  it('gives a dump the same job id every time, and different dumps different ids', () => {
    const [a, b] = demoDumps().map(resourceOf);
    expect(ingestJobId(a)).toBe(ingestJobId({ ...a }));
    expect(ingestJobId(a)).toMatch(/^dump-[0-9a-f]{64}$/);
    expect(ingestJobId(a)).not.toBe(ingestJobId(b));
    expect(ingestJobId(a)).not.toBe(ingestJobId({ ...a, initialTime: a.initialTime + 1 }));
    expect(ingestJobId(a)).not.toBe(ingestJobId({ ...a, url: `${a.url}.copy` }));
  });

  it('reads the bgpreader options that choose dumps, and refuses those that filter elems', () => {
    const c = resourceConfigFromOptions({
      'data-interface': 'csvfile',
      'data-interface-option': ['csv-file=x.csv'],
      project: ['ris'],
      'record-type': ['updates'],
      'time-window': '1427846400,1427850000',
    });
    expect(c).toMatchObject({
      dataInterface: 'csvfile',
      options: [['csv-file', 'x.csv']],
      projects: ['ris'],
      recordTypes: ['update'],
      interval: { begin: 1427846400, end: 1427850000 },
      live: false,
    });
    expect(() => resourceConfigFromOptions({ filter: 'peer 25152' })).toThrow(/-f\/--filter selects elems/);
    expect(() => resourceConfigFromOptions({ prefix: ['10.0.0.0/8'] })).toThrow(/-k\/--prefix/);
  });
});

describe.skipIf(!haveSamples)(
  `ingest of the shared samples ${haveSamples ? '' : `(${noSamplesMessage})`}`,
  () => {
    let queue: string;
    let lake: string;
    let csv: string;
    let dumps: CsvDump[];

    beforeAll(() => {
      queue = newQueue('samples');
      lake = path.join(tmp, 'samples-lake');
      csv = path.join(tmp, 'samples.csv');
      dumps = sampleDumps();
      writeCsv(csv, dumps);
    });

    it('three worker processes fill the lake exactly as a single-process export of the same dumps', async () => {
      const enq = await runCli([
        'ingest',
        'enqueue',
        '-d',
        'csvfile',
        '-o',
        `csv-file=${csv}`,
        '--lake',
        lake,
        ...conn(queue),
      ]);
      expect(enq.stdout).toMatch(/8 dump\(s\): enqueued 8, skipped 0/);

      // Each job sleeps 400 ms mid-dump, so that the small samples spread over the three processes.
      const workers = [0, 1, 2].map(() =>
        spawnCli(['ingest', 'worker', '--lake', lake, '--exit-when-drained', ...conn(queue)], {
          env: { BGPSTREAM_INGEST_TEST_DELAY_MS: '400' },
          timeoutMs: 60_000,
        }),
      );
      const exits = await Promise.all(workers.map((w) => w.exit(60_000)));
      for (const [i, e] of exits.entries())
        expect(e, workers[i].describe()).toMatchObject({ code: 0, timedOut: false });
      const perWorker = workers.map((w) => w.stdout.match(/completed \S+/g)?.length ?? 0);
      expect(perWorker.reduce((a, b) => a + b, 0)).toBe(8);
      expect(perWorker.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);

      const reference = path.join(tmp, 'samples-reference');
      await referenceExport(dumps.map(resourceOf), reference);

      // Same files (names, partitions, manifest entries), nothing temporary left.
      expect(listFiles(lake)).toEqual(listFiles(reference));
      expect(tempFiles(lake)).toEqual([]);
      const [got, want] = [await manifestSummary(lake), await manifestSummary(reference)];
      expect([...got.keys()].sort()).toEqual(dumps.map(keyOf).sort());
      expect(got).toEqual(want);
      // Same rows, column for column, per dump (read back by DuckDB).
      const [gotRows, wantRows] = [await dumpContents(lake), await dumpContents(reference)];
      expect(gotRows.size).toBe(8);
      expect(gotRows).toEqual(wantRows);
      for (const d of dumps) expect(gotRows.get(keyOf(d))?.rows).toBe(want.get(keyOf(d))?.rows);

      const q = testQueue(queue);
      expect(await q.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed')).toEqual({
        waiting: 0,
        active: 0,
        delayed: 0,
        completed: 8,
        failed: 0,
      });
      const results = (await q.getJobs(['completed'])).map((j) => j.returnvalue);
      expect(results.reduce((s, r) => s + r.rows, 0)).toBe(
        [...want.values()].reduce((s, m) => s + m.rows, 0),
      );
    });

    it('enqueueing the same dumps again creates no job and no row', async () => {
      const before = listFiles(lake);
      const rowsBefore = await dumpContents(lake);
      // With the lake: every dump is in its manifest.
      const again = await runCli([
        'ingest',
        'enqueue',
        '-d',
        'csvfile',
        '-o',
        `csv-file=${csv}`,
        '--lake',
        lake,
        ...conn(queue),
      ]);
      expect(again.stdout).toMatch(
        /8 dump\(s\): enqueued 0, skipped 8 \(8 in the lake, 0 already queued or done\)/,
      );
      // Without it: the stable job ids are already in Redis.
      const noLake = await runCli([
        'ingest',
        'enqueue',
        '-d',
        'csvfile',
        '-o',
        `csv-file=${csv}`,
        ...conn(queue),
      ]);
      expect(noLake.stdout).toMatch(
        /8 dump\(s\): enqueued 0, skipped 8 \(0 in the lake, 8 already queued or done\)/,
      );
      expect(noLake.stdout).toContain('skipped  (job completed)');

      const q = testQueue(queue);
      expect(await q.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed')).toEqual({
        waiting: 0,
        active: 0,
        delayed: 0,
        completed: 8,
        failed: 0,
      });
      // A worker finds nothing to do; the lake is untouched.
      const w = await runCli(['ingest', 'worker', '--lake', lake, '--exit-when-drained', ...conn(queue)]);
      expect(w.stdout).not.toMatch(/started/);
      expect(listFiles(lake)).toEqual(before);
      expect(await dumpContents(lake)).toEqual(rowsBefore);
    });

    it('ingest status shows the counts and the throughput', async () => {
      const s = await runCli(['ingest', 'status', ...conn(queue)]);
      expect(s.stdout).toMatch(/jobs: waiting 0, active 0, delayed 0, completed 8, failed 0/);
      expect(s.stdout).toMatch(
        /last 10 min: 8 job\(s\), [\d,]+ rows in [\d.]+ s of work: [\d.]+ jobs\/min, [\d,]+ rows\/min/,
      );
      const json = JSON.parse((await runCli(['ingest', 'status', '--json', ...conn(queue)])).stdout);
      expect(json.counts.completed).toBe(8);
      expect(json.throughput.jobs).toBe(8);
      expect(json.throughput.rows).toBeGreaterThan(10_000);
    });
  },
);

describe('ingest with workers that die, fail and stop', () => {
  it('a worker killed with SIGKILL mid-dump: another worker redoes the stalled job, the lake ends complete', async () => {
    const queue = newQueue('sigkill');
    const lake = path.join(tmp, 'sigkill-lake');
    const csv = path.join(tmp, 'sigkill.csv');
    const dump = demoDumps()[1];
    writeCsv(csv, [dump]);
    await runCli([
      'ingest',
      'enqueue',
      '-d',
      'csvfile',
      '-o',
      `csv-file=${csv}`,
      '--lake',
      lake,
      ...conn(queue),
    ]);

    // Small parts, so that the first worker has part files under temporary names when it dies.
    const small = ['--row-group-size', '1000'];
    const doomed = spawnCli(['ingest', 'worker', '--lake', lake, ...small, ...FAST_STALL, ...conn(queue)], {
      env: { BGPSTREAM_INGEST_TEST_DELAY_MS: '60000' },
      timeoutMs: 30_000,
    });
    await doomed.waitFor(/test delay 60000 ms/);
    expect(tempFiles(lake).length).toBeGreaterThan(0);
    doomed.kill('SIGKILL');
    expect((await doomed.exit()).signal).toBe('SIGKILL');

    const rescuer = spawnCli(
      ['ingest', 'worker', '--lake', lake, '--exit-when-drained', ...small, ...FAST_STALL, ...conn(queue)],
      { timeoutMs: 40_000 },
    );
    expect((await rescuer.exit(40_000)).code, rescuer.describe()).toBe(0);
    expect(rescuer.stdout).toMatch(/stalled/);
    expect(rescuer.stdout).toMatch(/completed demo\/demo\/update@1767225600: \d+ rows/);

    const q = testQueue(queue);
    expect(await q.getJobCounts('completed', 'failed', 'active', 'waiting')).toEqual({
      completed: 1,
      failed: 0,
      active: 0,
      waiting: 0,
    });
    const reference = path.join(tmp, 'sigkill-reference');
    await referenceExport([resourceOf(dump)], reference, 1000);
    expect(tempFiles(lake)).toEqual([]);
    expect(listFiles(lake)).toEqual(listFiles(reference));
    expect(await manifestSummary(lake)).toEqual(await manifestSummary(reference));
    expect(await dumpContents(lake)).toEqual(await dumpContents(reference));
  });

  it('corrupted dumps end as one failed job each with the reason, leave no partition; a flaky download is retried', async () => {
    const queue = newQueue('corrupt');
    const lake = path.join(tmp, 'corrupt-lake');
    const csv = path.join(tmp, 'corrupt.csv');
    // A gzip file cut in the middle: its source is corrupted.
    const truncated = path.join(tmp, 'truncated.mrt.gz');
    writeFileSync(truncated, readFileSync(demoUpdates).subarray(0, 20_000));
    // Bytes that hold no MRT record: corrupted records.
    const garbage = path.join(tmp, 'garbage.mrt');
    const bytes = Buffer.alloc(8192);
    let x = 12345;
    for (let i = 0; i < bytes.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      bytes[i] = x >>> 24;
    }
    writeFileSync(garbage, bytes);
    // An HTTP server that fails the first request.
    let requests = 0;
    const server: Server = createServer((_req, res) => {
      requests++;
      if (requests === 1) {
        res.writeHead(503).end('try again');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(readFileSync(demoUpdates));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const dumps: CsvDump[] = [
        ...demoDumps(),
        { url: truncated, project: 'demo', collector: 'truncated', type: 'updates', time: 1767225600 },
        { url: garbage, project: 'demo', collector: 'garbage', type: 'updates', time: 1767225600 },
        {
          url: `http://127.0.0.1:${port}/flaky.mrt.gz`,
          project: 'demo',
          collector: 'flaky',
          type: 'updates',
          time: 1767225600,
        },
      ];
      writeCsv(csv, dumps);
      await runCli([
        'ingest',
        'enqueue',
        '-d',
        'csvfile',
        '-o',
        `csv-file=${csv}`,
        '--lake',
        lake,
        '--attempts',
        '3',
        '--backoff',
        '200',
        ...conn(queue),
      ]);
      const workers = [0, 1].map(() =>
        spawnCli(
          [
            'ingest',
            'worker',
            '--lake',
            lake,
            '--exit-when-drained',
            '--max-corrupted-records',
            '0',
            ...conn(queue),
          ],
          { timeoutMs: 40_000 },
        ),
      );
      for (const w of workers) expect((await w.exit(40_000)).code, w.describe()).toBe(0);
      const out = workers.map((w) => w.stdout).join('');
      expect(out).toMatch(/failed demo\/flaky\/update@1767225600: .*HTTP 503.* \(will retry\)/);
      expect(requests).toBe(2);

      const q = testQueue(queue);
      expect(await q.getJobCounts('completed', 'failed', 'waiting', 'delayed', 'active')).toEqual({
        completed: 3,
        failed: 2,
        waiting: 0,
        delayed: 0,
        active: 0,
      });
      const failed = await q.getJobs(['failed']);
      const byName = new Map(failed.map((j) => [j.name, j]));
      const cut = byName.get('demo/truncated/update@1767225600');
      const junk = byName.get('demo/garbage/update@1767225600');
      expect(cut?.failedReason).toMatch(/^corrupted source .*truncated\.mrt\.gz: /);
      expect(junk?.failedReason).toMatch(/garbage\.mrt: more than 0 corrupted records/);
      // Not retried: a corrupted file stays corrupted.
      expect(cut?.attemptsMade).toBe(1);
      expect(junk?.attemptsMade).toBe(1);
      const flaky = (await q.getJobs(['completed'])).find((j) => j.name === 'demo/flaky/update@1767225600');
      expect(flaky?.attemptsMade).toBeGreaterThanOrEqual(1);

      // Nothing of the corrupted dumps is visible: no partition folder, no manifest entry, no temporary file.
      expect(listFolders(lake).filter((f) => /collector=(truncated|garbage)/.test(f))).toEqual([]);
      expect([...(await manifestSummary(lake)).keys()].sort()).toEqual(
        ['demo|demo|rib|1767225600', 'demo|demo|update|1767225600', 'demo|flaky|update|1767225600'].sort(),
      );
      expect(tempFiles(lake)).toEqual([]);
      const contents = await dumpContents(lake);
      expect(contents.get('demo|flaky|update|1767225600')?.rows).toBe(
        contents.get('demo|demo|update|1767225600')?.rows,
      );

      // ingest status: the counts and each failed dump with its reason.
      const s = await runCli(['ingest', 'status', ...conn(queue)]);
      expect(s.stdout).toMatch(/jobs: waiting 0, active 0, delayed 0, completed 3, failed 2/);
      expect(s.stdout).toMatch(
        /failed {2}demo\/truncated\/update@1767225600 \(1 attempt\(s\)\): corrupted source .*truncated\.mrt\.gz/,
      );
      expect(s.stdout).toMatch(
        /failed {2}demo\/garbage\/update@1767225600 \(1 attempt\(s\)\): .*more than 0 corrupted records/,
      );

      // A plain enqueue leaves failed jobs failed; --retry-failed puts them back.
      const enqueueAgain = [
        'ingest',
        'enqueue',
        '-d',
        'csvfile',
        '-o',
        `csv-file=${csv}`,
        '--lake',
        lake,
        ...conn(queue),
      ];
      expect((await runCli(enqueueAgain)).stdout).toMatch(
        /5 dump\(s\): enqueued 0, skipped 5 \(3 in the lake, 2 already queued or done\), retried 0/,
      );
      expect((await runCli([...enqueueAgain, '--retry-failed'])).stdout).toMatch(
        /5 dump\(s\): enqueued 0, skipped 3 .*retried 2/,
      );
      expect(await q.getJobCounts('failed', 'waiting')).toEqual({ failed: 0, waiting: 2 });
    } finally {
      server.close();
    }
  });

  it('SIGTERM: the worker finishes its running job, takes no other, and exits cleanly', async () => {
    const queue = newQueue('sigterm');
    const lake = path.join(tmp, 'sigterm-lake');
    const csv = path.join(tmp, 'sigterm.csv');
    writeCsv(csv, demoDumps());
    await runCli([
      'ingest',
      'enqueue',
      '-d',
      'csvfile',
      '-o',
      `csv-file=${csv}`,
      '--lake',
      lake,
      ...conn(queue),
    ]);
    const w = spawnCli(['ingest', 'worker', '--lake', lake, ...conn(queue)], {
      env: { BGPSTREAM_INGEST_TEST_DELAY_MS: '2000' },
      timeoutMs: 30_000,
    });
    await w.waitFor(/test delay 2000 ms in (\S+)/);
    const name = /test delay 2000 ms in (\S+)/.exec(w.stdout)?.[1];
    w.kill('SIGTERM');
    const exit = await w.exit(20_000);
    expect(exit, w.describe()).toMatchObject({ code: 0, signal: null });
    expect(w.stdout).toMatch(/SIGTERM: taking no more jobs, finishing 1 running/);
    expect(w.stdout).toContain(`completed ${name}:`);
    expect(w.stdout.match(/started /g)).toHaveLength(1);
    expect(w.stdout).toMatch(/closed \(cpu [\d.]+ s\)\n$/);

    const q = testQueue(queue);
    expect(await q.getJobCounts('completed', 'waiting', 'active', 'failed')).toEqual({
      completed: 1,
      waiting: 1,
      active: 0,
      failed: 0,
    });
    expect([...(await manifestSummary(lake)).keys()]).toHaveLength(1);
    expect(tempFiles(lake)).toEqual([]);
  });

  it('a second SIGTERM hands the running job back to the queue, with no attempt counted and nothing written', async () => {
    const queue = newQueue('release');
    const lake = path.join(tmp, 'release-lake');
    const csv = path.join(tmp, 'release.csv');
    writeCsv(csv, [demoDumps()[1]]);
    await runCli([
      'ingest',
      'enqueue',
      '-d',
      'csvfile',
      '-o',
      `csv-file=${csv}`,
      '--lake',
      lake,
      ...conn(queue),
    ]);
    const w = spawnCli(['ingest', 'worker', '--lake', lake, '--row-group-size', '1000', ...conn(queue)], {
      env: { BGPSTREAM_INGEST_TEST_DELAY_MS: '60000' },
      timeoutMs: 30_000,
    });
    await w.waitFor(/test delay 60000 ms/);
    w.kill('SIGTERM');
    await w.waitFor(/SIGTERM: taking no more jobs/);
    w.kill('SIGTERM');
    expect((await w.exit(15_000)).code, w.describe()).toBe(0);
    expect(w.stdout).toMatch(/released demo\/demo\/update@1767225600 back to the queue/);
    const q = testQueue(queue);
    const [job] = await q.getJobs(['waiting']);
    expect(job?.attemptsMade).toBe(0);
    expect(await q.getJobCounts('active', 'failed', 'completed')).toEqual({
      active: 0,
      failed: 0,
      completed: 0,
    });
    expect(listFiles(lake)).toEqual([]);
  });

  it('ingest schedule polls the data interface and enqueues new dumps as they appear', async () => {
    const queue = newQueue('schedule');
    const csv = path.join(tmp, 'schedule.csv');
    const [rib, updates] = demoDumps();
    writeCsv(csv, [rib]);
    const s = spawnCli(
      [
        'ingest',
        'schedule',
        '-d',
        'csvfile',
        '-o',
        `csv-file=${csv}`,
        '-l',
        '--every',
        '0.5',
        ...conn(queue),
      ],
      {
        timeoutMs: 30_000,
      },
    );
    await s.waitFor(/\[poll 1\] 1 dump\(s\): enqueued 1/);
    await s.waitFor(/\[poll \d+\] 0 dump\(s\)/);
    // A new row, added later (its timestamp is newer than the first one's).
    appendFileSync(csv, csvLine(updates, 1_000_000_002));
    await s.waitFor(/\[poll \d+\] 1 dump\(s\): enqueued 1/, 20_000, 2);
    s.kill('SIGTERM');
    expect((await s.exit(10_000)).code, s.describe()).toBe(0);
    const q = testQueue(queue);
    const names = (await q.getJobs(['waiting'])).map((j) => j.name).sort();
    expect(names).toEqual(['demo/demo/rib@1767225600', 'demo/demo/update@1767225600']);
  });
});

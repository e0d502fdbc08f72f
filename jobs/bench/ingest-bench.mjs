#!/usr/bin/env node
// Ingestion throughput with 1, 2 and 4 worker processes (real Redis, real `bgpstream ingest worker`
// processes), against a reference measured in the same run: the same dumps exported by one
// `exportToParquetLake` call in this process, without a queue.
//
//   node jobs/bench/ingest-bench.mjs [--copies 8] [--workers 1,2,4] [--redis redis://127.0.0.1:6379]
//
// Input: bgpdump's updates.et-header.2015.gz (90k records, 578k elems) copied under --copies
// collector names in a temporary folder, listed by a csvfile. Needs the build (`npx turbo run build
// --filter=@bgpstream-ts/jobs...`), Redis, and the shared samples (MRT_SAMPLES_DIR or ../shared/mrt-samples).
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openResource } from '@bgpstream-ts/core';
import { exportToParquetLake, loadParquetWasm } from '@bgpstream-ts/parquet';

const jobsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = path.resolve(jobsDir, '..');
const cli = path.join(jobsDir, 'dist/cli/bgpstream.js');
const ingestLib = path.join(jobsDir, 'dist/ingest/index.js');

const { values } = parseArgs({
  options: {
    copies: { type: 'string', default: '8' },
    workers: { type: 'string', default: '1,2,4' },
    redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
  },
});
const copies = Number(values.copies);
const workerCounts = values.workers.split(',').map(Number);
const redis = values.redis;

const samples = process.env.MRT_SAMPLES_DIR ?? path.resolve(repoRoot, '../shared/mrt-samples');
const source = path.join(samples, 'bgpdump-test_data/updates.et-header.2015.gz');
if (!existsSync(source)) {
  console.error(`ingest-bench: ${source} not found (set MRT_SAMPLES_DIR)`);
  process.exit(1);
}
if (!existsSync(cli) || !existsSync(ingestLib)) {
  console.error('ingest-bench: build first: npx turbo run build --filter=@bgpstream-ts/jobs...');
  process.exit(1);
}
const { checkRedis, getIngestStatus, openIngestQueue } = await import(ingestLib);
await checkRedis(redis);

const tmp = mkdtempSync(path.join(tmpdir(), 'bgpstream-ingest-bench-'));
const DUMP_TIME = 1420070400;
const dumps = [];
for (let i = 0; i < copies; i++) {
  const collector = `bench${String(i).padStart(2, '0')}`;
  const file = path.join(tmp, `${collector}.updates.et-header.2015.gz`);
  copyFileSync(source, file);
  dumps.push({
    url: file,
    format: 'mrt',
    project: 'bench',
    collector,
    type: 'update',
    initialTime: DUMP_TIME,
    duration: 900,
  });
}
const csv = path.join(tmp, 'dumps.csv');
writeFileSync(
  csv,
  dumps
    .map((d, i) => `${d.url},${d.project},updates,${d.collector},${d.initialTime},900,${1_000_000_001 + i}\n`)
    .join(''),
);

function run(args, { wait = true } = {}) {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b) => {
    out += b;
  });
  child.stderr.on('data', (b) => {
    out += b;
  });
  const done = new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`bgpstream ${args.join(' ')} exited ${code}\n${out}`));
    });
  });
  return wait ? done : { child, done };
}

// Reference: one process, no queue.
await loadParquetWasm();
const loadBefore = loadavg()[0];
const cpu0 = process.cpuUsage();
let t0 = performance.now();
async function* all() {
  for (const d of dumps) yield* openResource(d);
}
const ref = await exportToParquetLake(all(), { lake: path.join(tmp, 'reference-lake') });
const refSeconds = (performance.now() - t0) / 1000;
const refCpu = process.cpuUsage(cpu0);
const refCpuSeconds = (refCpu.user + refCpu.system) / 1e6;
const elems = ref.rows;
const refRate = elems / refSeconds;

const rows = [];
for (const n of workerCounts) {
  const queue = `bench-ingest-${process.pid}-${n}`;
  const lake = path.join(tmp, `lake-${n}`);
  const conn = ['--redis', redis, '--queue', queue];
  await run(['ingest', 'enqueue', '-q', '-d', 'csvfile', '-o', `csv-file=${csv}`, '--lake', lake, ...conn]);
  t0 = performance.now();
  const workers = Array.from({ length: n }, () =>
    run(['ingest', 'worker', '--lake', lake, '--exit-when-drained', ...conn], { wait: false }),
  );
  const outputs = await Promise.all(workers.map((w) => w.done));
  const wall = (performance.now() - t0) / 1000;
  // Each worker prints its CPU time when it closes.
  const cpuSeconds = outputs.reduce(
    (sum, o) => sum + Number(/closed \(cpu ([\d.]+) s\)/.exec(o)?.[1] ?? Number.NaN),
    0,
  );
  const q = openIngestQueue({ redis, queue });
  const status = await getIngestStatus(q, { windowMinutes: 60 });
  await q.obliterate({ force: true });
  await q.close();
  if (status.counts.completed !== copies || status.throughput.rows !== elems) {
    throw new Error(
      `${n} worker(s): ${status.counts.completed} jobs, ${status.throughput.rows} rows; wanted ${copies}, ${elems}`,
    );
  }
  rows.push({ n, wall, busy: status.throughput.seconds, cpuSeconds, load: loadavg()[0] });
}

rmSync(tmp, { recursive: true, force: true });

const fmt = (x) => Math.round(x).toLocaleString('en-US');
console.log(
  `ingest-bench: ${copies} dumps x ${fmt(elems / copies)} elems (updates.et-header.2015.gz) = ${fmt(elems)} elems, ${cpus().length} cores, Node ${process.version}`,
);
console.log(
  `reference: one process, exportToParquetLake, no queue: ${refSeconds.toFixed(2)} s, ${fmt(refRate)} elems/s, ` +
    `${fmt(elems / refCpuSeconds)} elems per CPU-second (load average before: ${loadBefore.toFixed(1)})\n`,
);
const header = [
  'workers',
  'wall s',
  'elems/s (wall)',
  'elems/s (first job start to last job end)',
  'elems per CPU-s',
  'cores used',
  'vs reference (wall)',
  'vs 1 worker (wall)',
  'load avg after',
];
console.log(`| ${header.join(' | ')} |`);
console.log(`|${header.map(() => '---:').join('|')}|`);
const base = rows[0];
for (const r of rows) {
  const cells = [
    r.n,
    r.wall.toFixed(2),
    fmt(elems / r.wall),
    fmt(elems / r.busy),
    fmt(elems / r.cpuSeconds),
    (r.cpuSeconds / r.wall).toFixed(2),
    `${(refSeconds / r.wall).toFixed(2)}x`,
    `${(base.wall / r.wall).toFixed(2)}x`,
    r.load.toFixed(1),
  ];
  console.log(`| ${cells.join(' | ')} |`);
}
console.log(
  '\nwall: from spawning the worker processes to their exit (startup, Redis round trips and idle wait included).',
);
console.log(
  'elems per CPU-s: elems over the CPU time (user + system) of all worker processes; less sensitive to other load.',
);
console.log(
  'cores used: that CPU time over the wall time; below the worker count when other processes hold the cores.',
);

// Each named job on a lake, against a scan of the same MRT data with the decoder, in the same run.
// The lake holds a RIB and an updates dump of the shared samples under several collector names.
//   node jobs/bench/query-bench.mjs [copies]     (default 4 copies of each dump)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMrtBatches } from '@bgpstream-ts/core';
import { exportToParquetLake } from '@bgpstream-ts/parquet';
import { JobCatalog, LakeConnection, runJob } from '../dist/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const samples = process.env.MRT_SAMPLES_DIR ?? path.resolve(here, '../../../shared/mrt-samples');
const copies = Number(process.argv[2] ?? 4);
const DUMPS = [
  { file: 'bgpdump-test_data/updates.et-header.2015.gz', type: 'update', dumpTime: 1445565600 },
  { file: 'bgpdump-test_data/bview.20020722.2337.gz', type: 'rib', dumpTime: 1027380600 },
];
const sources = [];
for (let c = 0; c < copies; c++)
  for (const d of DUMPS) sources.push({ ...d, collector: `c${c}`, url: path.join(samples, d.file) });

async function* allRecords() {
  for (const s of sources) {
    yield* readMrtBatches(s.url, {
      keepRaw: false,
      source: { project: 'bench', collector: s.collector, type: s.type, dumpTime: s.dumpTime },
    });
  }
}

// The decoder's scan of the same data: what answering a question without the lake costs.
let t = performance.now();
let elems = 0;
for await (const batch of allRecords()) for (const r of batch) elems += r.elems.length;
const scanSeconds = (performance.now() - t) / 1000;

const lake = mkdtempSync(path.join(tmpdir(), 'bgpstream-query-bench-'));
t = performance.now();
await exportToParquetLake(allRecords(), { lake });
const exportSeconds = (performance.now() - t) / 1000;

const conn = await LakeConnection.open(lake);
const catalog = JobCatalog.load();
const JOBS = [
  ['moas', { from: '2015-10-23 00:00:00', until: '2015-10-24 00:00:00' }],
  ['origin-changes', {}],
  ['visibility', { from: '2002-07-22 00:00:00', until: '2002-07-23 00:00:00' }],
  ['lookup', { address: '193.0.0.1', at: '2002-07-23 00:00:00' }],
  ['update-rates', {}],
  ['peer-sessions', {}],
  ['as-paths', { report: 'lengths' }],
  ['as-paths', { report: 'transit' }],
];
console.log(
  `query benchmark: ${sources.length} dumps, ${elems} elems; decoder scan ${scanSeconds.toFixed(2)} s; export ${exportSeconds.toFixed(2)} s`,
);
console.log('job                        rows   seconds   decoder scan / job');
for (const [name, params] of JOBS) {
  t = performance.now();
  const result = await runJob(conn, catalog, name, params);
  const s = (performance.now() - t) / 1000;
  const label = `${name}${params.report ? ` (${params.report})` : ''}`;
  console.log(
    `${label.padEnd(24)} ${String(result.rows.length).padStart(6)}  ${s.toFixed(3).padStart(8)}   ${(scanSeconds / s).toFixed(1)}x`,
  );
}
conn.close();
rmSync(lake, { recursive: true, force: true });

// The main job on the embedded demo data: MRT dumps → Parquet lake → a DuckDB analysis.
// It runs the same two commands a user would type, and prints them first.
//   node examples/demo.mjs            (pnpm demo builds first, then runs this)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const lake = process.env.DEMO_LAKE ?? path.join(repo, '.demo-lake');
const bgpstream = path.join(repo, 'jobs/dist/cli/bgpstream.js');

function run(args) {
  console.log(`\n$ bgpstream ${args.map((a) => (/[\s']/.test(a) ? `'${a}'` : a)).join(' ')}`);
  const res = spawnSync('node', [bgpstream, ...args], { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

// 1. The demo dumps (a RIB and 15 minutes of updates, written by this project's MRT encoder) into a lake.
run([
  'export',
  '--to',
  'parquet',
  '--out',
  lake,
  '-d',
  'csvfile',
  '-o',
  'csv-file=examples/data/demo/demo.csv',
  '-w',
  '2026-01-01,2026-01-02',
  '--quiet',
]);
// 2. Which prefixes had more than one origin AS during those 15 minutes?
run([
  'query',
  '--lake',
  lake,
  '--job',
  'moas',
  '--param',
  'from=2026-01-01 00:00:00',
  '--param',
  'until=2026-01-01 00:15:00',
]);

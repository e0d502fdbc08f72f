// Decoder benchmark: ~200 MB of real MRT (the shared samples, concatenated and repeated), updates and
// RIBs apart, timed in one run for: this library counting elems, this project's `bgpdump -m` to
// /dev/null, and Debian's `bgpdump -m` to /dev/null. Prints elems/s, ratios and peak RSS.
// Usage: pnpm bench [-- --mb 200] [-- --runs 3]
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const samples = process.env.MRT_SAMPLES_DIR ?? path.resolve(repo, '../shared/mrt-samples');
const { values } = parseArgs({
  options: { mb: { type: 'string', default: '200' }, runs: { type: 'string', default: '1' } },
});
const targetBytes = Number(values.mb) * 1e6;
const runs = Number(values.runs);

if (!existsSync(samples)) {
  console.error(`no samples at ${samples}; set MRT_SAMPLES_DIR`);
  process.exit(1);
}

const UPDATE_FILES = [
  'bgpdump-test_data/updates.et-header.2015.gz',
  'bgpdump-test_data/updates.20160811.1600.gz',
  'bgpdump-test_data/updates.20070211.0141.gz',
  'bgpdump-test_data/updates.20071015.1505.gz',
  'bgpdump-test_data/updates.20100722.2015.gz',
  'libbgpstream/ris.rrc06.updates.1427846400.gz',
  'libbgpstream/routeviews.route-views.jinx.updates.1427846400.bz2',
  'frr-bird-lab/frr-updates.mrt',
];
const RIB_FILES = [
  'bgpdump-test_data/bview.20020722.2337.gz',
  'bgpdump-test_data/bview.64k_stream_overflow.gz',
  'frr-bird-lab/frr-rib.mrt',
  'frr-bird-lab/bird-rib.mrt',
];

function raw(rel) {
  const file = path.join(samples, rel);
  if (rel.endsWith('.gz')) return gunzipSync(readFileSync(file));
  if (rel.endsWith('.bz2')) return execFileSync('bzip2', ['-dc', file], { maxBuffer: 1 << 30 });
  return readFileSync(file);
}

/** Concatenates the files, repeated, into one uncompressed MRT file of about `targetBytes`. */
async function build(name, files) {
  const dir = path.join(tmpdir(), 'bgpstream-ts-bench');
  mkdirSync(dir, { recursive: true });
  const out = path.join(dir, `${name}.${values.mb}mb.mrt`);
  if (existsSync(out) && statSync(out).size >= targetBytes) return out;
  // A RIB's records need their own PEER_INDEX_TABLE, so whole files are repeated, never cut.
  const parts = files.map(raw);
  const w = createWriteStream(out);
  let written = 0;
  while (written < targetBytes) {
    for (const p of parts) {
      if (!w.write(p)) await new Promise((r) => w.once('drain', r));
      written += p.length;
    }
  }
  await new Promise((r) => w.end(r));
  return out;
}

/** Runs a command, output to /dev/null; returns wall seconds and the child's peak RSS (via python's getrusage). */
function timed(cmd, args) {
  const script = `
import resource, subprocess, sys, time, json
t = time.time()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
dt = time.time() - t
print(json.dumps({"seconds": dt, "rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024, "code": r.returncode}))`;
  const res = spawnSync('python3', ['-c', script, cmd, ...args], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(res.stderr);
  return JSON.parse(res.stdout);
}

function libraryRun(file) {
  const res = spawnSync('node', [path.join(here, 'count-elems.mjs'), file], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(res.stderr);
  return JSON.parse(res.stdout);
}

function streamRun(filter, files, workers) {
  const res = spawnSync('node', [path.join(here, 'stream-elems.mjs'), filter, String(workers), ...files], {
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(res.stderr);
  return JSON.parse(res.stdout);
}

const haveBgpdump = spawnSync('bgpdump', ['-T']).status === 0;
const mb = (n) => `${(n / 1e6).toFixed(0)} MB`;
const rate = (n) => `${(n / 1e6).toFixed(2)} M/s`;

console.log(`decoder benchmark: ${values.mb} MB per input, best of ${runs} run(s), node ${process.version}`);
for (const [name, files] of [
  ['updates', UPDATE_FILES],
  ['ribs', RIB_FILES],
]) {
  const file = await build(name, files);
  const best = (fn) => {
    let b;
    for (let i = 0; i < runs; i++) {
      const r = fn();
      if (!b || r.seconds < b.seconds) b = r;
    }
    return b;
  };
  const lib = best(() => libraryRun(file));
  const cli = best(() => timed('node', [path.join(repo, 'core/dist/cli/bgpdump.js'), '-m', '-q', file]));
  const ref = haveBgpdump ? best(() => timed('bgpdump', ['-q', '-m', file])) : undefined;
  const elems = lib.elems;
  console.log(`\n${name}: ${mb(statSync(file).size)}, ${elems} elems`);
  console.log(
    `  library (count elems)    ${lib.seconds.toFixed(2)} s  ${rate(elems / lib.seconds)} elems  peak RSS ${mb(lib.rss)}`,
  );
  console.log(
    `  bgpdump-ts -m >/dev/null ${cli.seconds.toFixed(2)} s  ${rate(elems / cli.seconds)} lines  peak RSS ${mb(cli.rss)}`,
  );
  if (ref) {
    console.log(
      `  Debian bgpdump -m        ${ref.seconds.toFixed(2)} s  ${rate(elems / ref.seconds)} lines  peak RSS ${mb(ref.rss)}`,
    );
    console.log(`  ratio library / bgpdump: ${(ref.seconds / lib.seconds).toFixed(2)}x (target >= 3)`);
    console.log(`  ratio bgpdump-ts / bgpdump: ${(ref.seconds / cli.seconds).toFixed(2)}x (target >= 1)`);
  } else {
    console.log('  Debian bgpdump not installed (apt-get install bgpdump): no ratios');
  }
}

// The stream over several dumps at once, as BGPStream merges them: without a filter, with a selective
// filter (which must cost less than decoding), and with the filter read in worker threads.
{
  const files = UPDATE_FILES.map((rel) => path.join(samples, rel));
  const filter = 'peer 25152 and prefix more 2a02::/16';
  const runsOf = (f, w) => {
    let b;
    for (let i = 0; i < runs; i++) {
      const r = streamRun(f, files, w);
      if (!b || r.seconds < b.seconds) b = r;
    }
    return b;
  };
  const plain = runsOf('-', 0);
  console.log(
    `\nstream over ${files.length} update dumps (gzip/bzip2 as stored), ${plain.records} records, ${plain.elems} elems`,
  );
  console.log(
    `  no filter                 ${plain.seconds.toFixed(2)} s  ${rate(plain.elems / plain.seconds)} elems  peak RSS ${mb(plain.rss)}`,
  );
  for (const workers of [0, 1, 2]) {
    const r = runsOf(filter, workers);
    console.log(
      `  '${filter}', ${workers} worker thread(s)  ${r.seconds.toFixed(2)} s  (${(plain.elems / r.seconds / 1e6).toFixed(2)} M input elems/s, ${r.elems} pass)  ratio to no filter ${(plain.seconds / r.seconds).toFixed(2)}x  peak RSS ${mb(r.rss)}`,
    );
  }
}

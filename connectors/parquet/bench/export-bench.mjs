// exportToParquetLake against decoding alone and against Arrow batches alone, measured in the same
// run on the same file: elems/s (wall and per CPU-second of the whole process, worker thread
// included), the ratio to decoding, bytes of Parquet per elem, peak RSS. Each measurement runs in a
// fresh child process (so peak RSS is that of one mode) that goes through the file twice: the first
// pass is "cold" (a one-off run: the JIT compiles, parquet-wasm's code tiers up), the second "warm"
// (the steady state of a process that exports file after file). Modes alternate, and each keeps its
// best wall time and its best CPU time over the runs (on a loaded machine, CPU-seconds are the
// steadier figure). parquet-wasm's load (and, with the encoder thread, the thread's start) is done
// before the clock starts and reported on its own.
//
//   node bench/export-bench.mjs [file] [runs] [--baseline DIR] [--modes decode,arrow,parquet,...]
//
// Modes: decode, arrow (recordsToArrowBatches), parquet (exportToParquetLake, encoder thread),
// parquet-main (the same with encoderThread: false). --baseline DIR: another build of this package
// (a folder with dist/ and node_modules/, e.g. a copy of the package before a change) whose arrow
// and parquet modes run in the same rounds, as arrow@base and parquet@base.
// Default file: the biggest MRT sample (updates.et-header.2015.gz); MRT_SAMPLES_DIR overrides
// where the samples are.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.join(here, '..');
const samples = process.env.MRT_SAMPLES_DIR ?? path.resolve(here, '../../../../shared/mrt-samples');

/** Imports dependency `name` of the package in `dir` (its node_modules link, ESM entry point). */
async function importFrom(dir, name) {
  const pkgDir = realpathSync(path.join(dir, 'node_modules', name));
  const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const entry = pkg.exports?.['.']?.default ?? pkg.module ?? pkg.main ?? 'index.js';
  return import(pathToFileURL(path.join(pkgDir, entry)).href);
}

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function child(mode, file, lib, passes) {
  const { readMrtBatches } = await importFrom(lib, '@bgpstream-ts/core');
  let wasmSeconds = 0;
  let run;
  if (mode === 'decode') {
    run = async () => {
      let elems = 0;
      for await (const batch of readMrtBatches(file, { keepRaw: false }))
        for (const r of batch) elems += r.elems.length;
      return { elems, bytes: 0 };
    };
  } else if (mode === 'arrow') {
    const { recordsToArrowBatches } = await importFrom(lib, '@bgpstream-ts/arrow');
    run = async () => {
      let elems = 0;
      for await (const b of recordsToArrowBatches(readMrtBatches(file, { keepRaw: false })))
        elems += b.numRows;
      return { elems, bytes: 0 };
    };
  } else {
    const { exportToParquetLake, loadParquetWasm, startEncoderThread } = await import(
      pathToFileURL(path.join(lib, 'dist/index.js')).href
    );
    const t = performance.now();
    if (mode === 'parquet' && startEncoderThread) await startEncoderThread();
    else await loadParquetWasm();
    wasmSeconds = (performance.now() - t) / 1000;
    run = async () => {
      const lake = mkdtempSync(path.join(tmpdir(), 'bgpstream-bench-'));
      try {
        const source = { project: 'bench', collector: 'bench', dumpTime: 1427846400 };
        const s = await exportToParquetLake(readMrtBatches(file, { keepRaw: false, source }), {
          lake,
          encoderThread: mode !== 'parquet-main',
        });
        return {
          elems: s.rows,
          bytes: s.bytes,
          files: s.files,
          peakBufferBytes: s.peakBufferBytes,
          encodedBy: s.encodedBy ?? 'main-thread',
        };
      } finally {
        rmSync(lake, { recursive: true, force: true });
      }
    };
  }
  const results = [];
  for (let i = 0; i < passes; i++) {
    const c0 = cpuSeconds();
    const t0 = performance.now();
    const out = await run();
    const seconds = (performance.now() - t0) / 1000;
    results.push({ ...out, seconds, cpuSeconds: cpuSeconds() - c0 });
  }
  return { passes: results, wasmSeconds, rss: process.resourceUsage().maxRSS * 1024 };
}

if (process.argv[2] === '--child') {
  const [, , , mode, file, lib, passes] = process.argv;
  console.log(JSON.stringify(await child(mode, file, lib, Number(passes ?? 2))));
} else {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  const baseline = opt('--baseline');
  const modeList = (opt('--modes') ?? 'decode,arrow,parquet').split(',');
  const file = args[0] ?? path.join(samples, 'bgpdump-test_data/updates.et-header.2015.gz');
  const runs = Number(args[1] ?? 3);
  try {
    statSync(file);
  } catch {
    console.error(`no input ${file} (give a file, or set MRT_SAMPLES_DIR)`);
    process.exit(1);
  }
  const jobs = modeList.map((mode) => ({ label: mode, mode, lib: packageDir }));
  if (baseline) {
    for (const mode of modeList)
      if (mode !== 'decode') jobs.push({ label: `${mode}@base`, mode, lib: path.resolve(baseline) });
  }
  const best = {};
  const loads = [];
  for (let i = 0; i < runs; i++) {
    for (const job of jobs) {
      loads.push(loadavg()[0]);
      const r = JSON.parse(
        execFileSync(
          process.execPath,
          [fileURLToPath(import.meta.url), '--child', job.mode, file, job.lib, '2'],
          {
            cwd: packageDir,
          },
        ).toString(),
      );
      best[job.label] ??= { cold: null, warm: null, rss: 0 };
      const b = best[job.label];
      const keep = (prev, p) => ({
        ...p,
        seconds: Math.min(prev?.seconds ?? Infinity, p.seconds),
        cpuSeconds: Math.min(prev?.cpuSeconds ?? Infinity, p.cpuSeconds),
      });
      b.cold = keep(b.cold, r.passes[0]);
      b.warm = keep(b.warm, r.passes[1]);
      b.rss = Math.max(b.rss, r.rss);
      b.wasmSeconds = r.wasmSeconds;
    }
  }
  const mib = (x) => (x / 2 ** 20).toFixed(0);
  const d = best.decode;
  const elems = (d ?? Object.values(best)[0]).cold.elems;
  console.log(
    `${path.basename(file)}: ${elems} elems, best of ${runs} runs; load average during the runs ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} (${cpus().length} CPUs)`,
  );
  const rate = (p, key) => String(Math.round(p.elems / p[key])).padStart(9);
  const ratio = (p, dp, key) => (dp ? (dp[key] / p[key]).toFixed(2) : '-').padStart(5);
  console.log('                 cold (first pass of a process)             warm (second pass)');
  console.log(
    'mode             elems/s  per CPU-s  /decode wall,CPU      elems/s  per CPU-s  /decode wall,CPU  peak RSS MiB  bytes/elem',
  );
  for (const job of jobs) {
    const { cold, warm, rss } = best[job.label];
    console.log(
      [
        job.label.padEnd(14),
        rate(cold, 'seconds'),
        rate(cold, 'cpuSeconds').padStart(10),
        `${ratio(cold, d?.cold, 'seconds')} ${ratio(cold, d?.cold, 'cpuSeconds')}`.padStart(17),
        rate(warm, 'seconds').padStart(12),
        rate(warm, 'cpuSeconds').padStart(10),
        `${ratio(warm, d?.warm, 'seconds')} ${ratio(warm, d?.warm, 'cpuSeconds')}`.padStart(17),
        mib(rss).padStart(13),
        (cold.bytes ? (cold.bytes / cold.elems).toFixed(2) : '-').padStart(11),
      ].join(' '),
    );
  }
  for (const job of jobs) {
    const { cold, wasmSeconds } = best[job.label];
    if (cold.files === undefined) continue;
    console.log(
      `${job.label}: ${cold.files} files, ${cold.bytes} bytes (input ${statSync(file).size} bytes), encoded in the ${cold.encodedBy}, buffers peak ${mib(cold.peakBufferBytes)} MiB, parquet-wasm load ${wasmSeconds.toFixed(2)} s (not in the rates)`,
    );
  }
}

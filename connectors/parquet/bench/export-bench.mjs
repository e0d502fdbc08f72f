// exportToParquetLake against decoding alone (and against Arrow batches alone), measured in the same
// run on the same file: elems/s (wall and CPU), bytes of Parquet per elem, peak RSS. Each
// measurement runs in a fresh child process (so peak RSS is that of one mode), modes alternate,
// the best of N runs is kept. parquet-wasm's one-time wasm compile is loaded before the clock starts
// and reported on its own.
//
//   node bench/export-bench.mjs [file] [runs]     (default: the biggest MRT sample, 3 runs)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const samples = process.env.MRT_SAMPLES_DIR ?? path.resolve(here, '../../../../shared/mrt-samples');

if (process.argv[2] === '--child') {
  const [, , , mode, file] = process.argv;
  const { readMrtBatches } = await import('@bgpstream-ts/core');
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
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
    const { recordsToArrowBatches } = await import('@bgpstream-ts/arrow');
    run = async () => {
      let elems = 0;
      for await (const b of recordsToArrowBatches(readMrtBatches(file, { keepRaw: false })))
        elems += b.numRows;
      return { elems, bytes: 0 };
    };
  } else {
    const { exportToParquetLake, loadParquetWasm } = await import('../dist/index.js');
    const t = performance.now();
    await loadParquetWasm();
    wasmSeconds = (performance.now() - t) / 1000;
    run = async () => {
      const lake = mkdtempSync(path.join(tmpdir(), 'bgpstream-bench-'));
      try {
        const source = { project: 'bench', collector: 'bench', dumpTime: 1427846400 };
        const s = await exportToParquetLake(readMrtBatches(file, { keepRaw: false, source }), { lake });
        return { elems: s.rows, bytes: s.bytes, files: s.files, peakBufferBytes: s.peakBufferBytes };
      } finally {
        rmSync(lake, { recursive: true, force: true });
      }
    };
  }
  const c0 = cpu();
  const t0 = performance.now();
  const out = await run();
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = cpu() - c0;
  console.log(
    JSON.stringify({ ...out, seconds, cpuSeconds, wasmSeconds, rss: process.resourceUsage().maxRSS * 1024 }),
  );
} else {
  const file = process.argv[2] ?? path.join(samples, 'bgpdump-test_data/updates.et-header.2015.gz');
  const runs = Number(process.argv[3] ?? 3);
  try {
    statSync(file);
  } catch {
    console.error(`no input ${file} (give a file, or set MRT_SAMPLES_DIR)`);
    process.exit(1);
  }
  const modes = ['decode', 'arrow', 'export'];
  const best = {};
  for (let i = 0; i < runs; i++) {
    for (const mode of modes) {
      const r = JSON.parse(
        execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', mode, file], {
          cwd: path.join(here, '..'),
        }).toString(),
      );
      const b = best[mode];
      best[mode] = {
        ...r,
        seconds: Math.min(b?.seconds ?? Infinity, r.seconds),
        cpuSeconds: Math.min(b?.cpuSeconds ?? Infinity, r.cpuSeconds),
        rss: Math.max(b?.rss ?? 0, r.rss),
      };
    }
  }
  const mb = (x) => (x / 2 ** 20).toFixed(0);
  const elems = best.decode.elems;
  console.log(
    `${path.basename(file)}: ${elems} elems, best of ${runs} runs, load average ${(await import('node:os'))
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  console.log('mode     elems/s (wall)  elems/s (cpu)  vs decode (wall)  peak RSS MiB');
  for (const mode of modes) {
    const r = best[mode];
    console.log(
      `${mode.padEnd(8)} ${String(Math.round(r.elems / r.seconds)).padStart(14)}  ${String(Math.round(r.elems / r.cpuSeconds)).padStart(13)}  ${(best.decode.seconds / r.seconds).toFixed(2).padStart(16)}  ${mb(r.rss).padStart(12)}`,
    );
  }
  const e = best.export;
  console.log(
    `export: ${e.files} files, ${e.bytes} bytes = ${(e.bytes / e.elems).toFixed(1)} bytes/elem (input ${statSync(file).size} bytes compressed); column buffers peak ${mb(e.peakBufferBytes)} MiB; parquet-wasm load ${e.wasmSeconds.toFixed(2)} s (once per process, not in the rates)`,
  );
}

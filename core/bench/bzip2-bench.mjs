#!/usr/bin/env node
// Measures the bzip2 decoders the io layer can use, to pick one by numbers rather than by reputation:
// the system `lbzip2 -dc` and `bzip2 -dc` (fed through stdin, as core/src/io does) and the pure-JS
// streaming `unbzip2-stream`. Each run happens in a fresh Node process so that peak RSS belongs to one
// candidate only.
//
//   node bench/bzip2-bench.mjs            # ~50 MB of real MRT data (BENCH_MB overrides the size)
//   MRT_SAMPLES_DIR=/path node bench/bzip2-bench.mjs
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
} from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const MB = 1024 * 1024;
// BENCH_IO points at another build of core/src/io (for example a tsc --outDir elsewhere).
const distIo = process.env.BENCH_IO ?? resolve(here, '../dist/io/index.js');

if (process.argv[2] === '--worker') {
  await worker(process.argv[3], process.argv[4]);
} else {
  await main();
}

async function main() {
  const samples = process.env.MRT_SAMPLES_DIR ?? resolve(here, '../../../shared/mrt-samples');
  if (!existsSync(samples)) {
    console.error(`MRT samples not found at ${samples} (set MRT_SAMPLES_DIR)`);
    process.exit(1);
  }
  const targetBytes = Number(process.env.BENCH_MB ?? 50) * MB;
  const runs = Number(process.env.BENCH_RUNS ?? 2);
  const dir = await mkdtemp(join(tmpdir(), 'bzip2-bench-'));
  try {
    const raw = join(dir, 'raw.mrt');
    const rawSize = await buildRaw(samples, raw, targetBytes);
    const rawSha = sha256File(raw);
    console.log(`raw MRT: ${(rawSize / MB).toFixed(1)} MiB, built from ${samples}`);

    const files = buildCompressed(dir, raw);
    for (const f of files) {
      console.log(`${f.name}: ${(statSync(f.path).size / MB).toFixed(1)} MiB (${f.how})`);
    }

    const tools = ['lbzip2', 'bzip2'].filter(onPath);
    const candidates = [...tools, 'unbzip2-stream'];
    // The same decoders behind core/src/io's openByteStream, when it has been built (pnpm build).
    if (existsSync(distIo)) candidates.push(...[...tools, 'js'].map((impl) => `openByteStream:${impl}`));
    else console.log(`(${distIo} not built: skipping the openByteStream rows)`);
    const rows = [];
    for (const f of files) {
      for (const c of candidates) {
        let best;
        for (let i = 0; i < runs; i++) {
          const r = runWorker(c, f.path);
          if (!best || r.seconds < best.seconds)
            best = { ...r, nodeRss: Math.max(r.nodeRss, best?.nodeRss ?? 0) };
        }
        rows.push({
          file: f.name,
          candidate: c,
          mbps: best.bytes / MB / best.seconds,
          seconds: best.seconds,
          nodeRss: best.nodeRss,
          childRss: best.childRss,
          ok: best.sha === rawSha && best.bytes === rawSize,
          bytes: best.bytes,
          error: best.error,
        });
      }
    }
    printTable(rows, rawSize);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// Concatenating whole decompressed samples keeps the data realistic (MRT compresses like MRT), and
// repeating them reaches the target size without inventing content.
async function buildRaw(samples, out, targetBytes) {
  const parts = [];
  for (const sub of ['bgpdump-test_data', 'libbgpstream', 'bgpkit-parser-examples']) {
    const d = join(samples, sub);
    if (!existsSync(d)) continue;
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (name.endsWith('.gz')) parts.push(gunzipSync(readFileSync(p)));
      else if (name.endsWith('.bz2')) parts.push(execFileSync('bzip2', ['-dc', p], { maxBuffer: 1 << 30 }));
    }
  }
  const ws = createWriteStream(out);
  let size = 0;
  while (size < targetBytes) {
    for (const p of parts) {
      if (!ws.write(p)) await new Promise((r) => ws.once('drain', r));
      size += p.length;
    }
  }
  await new Promise((r, j) => ws.end((e) => (e ? j(e) : r())));
  return size;
}

function buildCompressed(dir, raw) {
  const files = [];
  const single = join(dir, 'single.bz2');
  sh(`bzip2 -9 -c '${raw}' > '${single}'`);
  files.push({ name: 'single-stream', path: single, how: 'bzip2 -9' });

  // `cat a.bz2 b.bz2 ...` is how multi-stream files happen in the wild (and what pbzip2 writes).
  const multi = join(dir, 'multi.bz2');
  sh(
    `cd '${dir}' && split -n 4 -d '${raw}' part. && for p in part.0*; do bzip2 -9 -c "$p"; done > '${multi}' && rm part.0*`,
  );
  files.push({ name: 'multi-stream', path: multi, how: '4 bzip2 streams concatenated' });

  if (onPath('lbzip2')) {
    const lb = join(dir, 'lbzip2.bz2');
    sh(`lbzip2 -9 -c '${raw}' > '${lb}'`);
    files.push({ name: 'lbzip2-made', path: lb, how: 'lbzip2 -9' });
  }
  return files;
}

function runWorker(candidate, file) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--worker', candidate, file], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  const line = r.stdout.trim().split('\n').pop();
  if (r.status !== 0 || !line) {
    return { bytes: 0, seconds: Number.NaN, nodeRss: 0, childRss: 0, sha: '', error: r.stderr.trim() };
  }
  return JSON.parse(line);
}

async function worker(candidate, file) {
  const hash = createHash('sha256');
  let bytes = 0;
  let childRss = 0;
  const t0 = process.hrtime.bigint();
  let error;
  try {
    if (candidate.startsWith('openByteStream:')) {
      process.env.BGPSTREAM_BZIP2 = candidate.slice('openByteStream:'.length);
      const { openByteStream } = await import(pathToFileURL(distIo).href);
      const poll = setInterval(() => {
        childRss = Math.max(childRss, childrenHwm());
      }, 20);
      try {
        for await (const c of openByteStream(file)) {
          bytes += c.length;
          hash.update(c);
        }
      } finally {
        clearInterval(poll);
      }
    } else if (candidate === 'unbzip2-stream') {
      const require = createRequire(join(here, '..', 'package.json'));
      const unbzip2 = require('unbzip2-stream');
      await new Promise((res, rej) => {
        const dec = unbzip2();
        dec.on('data', (c) => {
          bytes += c.length;
          hash.update(c);
        });
        dec.on('end', res);
        dec.on('error', rej);
        createReadStream(file).on('error', rej).pipe(dec);
      });
    } else {
      const child = spawn(candidate, ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
      // VmHWM is the child's own high-water mark, so sampling it late still reads the peak.
      const poll = setInterval(() => {
        childRss = Math.max(childRss, vmHwm(child.pid));
      }, 20);
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      createReadStream(file).pipe(child.stdin);
      child.stdout.on('data', (c) => {
        bytes += c.length;
        hash.update(c);
        childRss = Math.max(childRss, vmHwm(child.pid));
      });
      const code = await new Promise((r) => child.on('close', r));
      clearInterval(poll);
      if (code !== 0) throw new Error(`${candidate} exited ${code}: ${stderr}`);
    }
  } catch (e) {
    error = String(e?.message ?? e);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const nodeRss = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ bytes, seconds, nodeRss, childRss, sha: hash.digest('hex'), error }));
}

function vmHwm(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

// Peak of the decompressor children of this process (the io layer does not expose their pids).
function childrenHwm() {
  let peak = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid) peak = Math.max(peak, vmHwm(entry));
    } catch {
      // gone meanwhile
    }
  }
  return peak;
}

function printTable(rows, rawSize) {
  const head = ['file', 'candidate', 'MB/s', 'seconds', 'node peak RSS', 'child peak RSS', 'output'];
  const body = rows.map((r) => [
    r.file,
    r.candidate,
    Number.isFinite(r.mbps) ? r.mbps.toFixed(1) : '-',
    Number.isFinite(r.seconds) ? r.seconds.toFixed(2) : '-',
    `${(r.nodeRss / MB).toFixed(0)} MiB`,
    r.childRss ? `${(r.childRss / MB).toFixed(0)} MiB` : '-',
    r.ok ? 'exact' : `WRONG (${r.bytes} of ${rawSize} bytes${r.error ? `; ${r.error.slice(0, 80)}` : ''})`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log('');
  console.log('MB/s = decompressed MiB per second (best of runs); RSS figures are peaks.');
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const b of body) console.log(line(b));
}

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

function sh(cmd) {
  execFileSync('sh', ['-c', cmd], { stdio: ['ignore', 'ignore', 'inherit'] });
}

function sha256File(p) {
  return createHash('sha256').update(readFileSync(p)).digest('hex');
}

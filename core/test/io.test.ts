import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectCompression, openByteStream, SourceError } from '../src/io/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const samplesDir = process.env.MRT_SAMPLES_DIR ?? resolve(repoRoot, '../shared/mrt-samples');
const jinxSample = join(samplesDir, 'libbgpstream/routeviews.route-views.jinx.updates.1427846400.bz2');
const haveSamples = existsSync(jinxSample);

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}
const haveBzip2Tool = onPath('bzip2');
const bzip2Impls = ['js', ...['lbzip2', 'bzip2'].filter(onPath)];

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

/** Deterministic bytes that compress like binary records: headers, counters and noisy payloads. */
function syntheticMrt(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
  let i = 0;
  let record = 0;
  while (i < size) {
    const header = Buffer.from(`REC${record++}:`);
    header.copy(out, i);
    i += header.length;
    const len = 20 + (next() % 180);
    for (let j = 0; j < len && i < size; j++) out[i++] = next() % 24;
  }
  return out;
}

function bzip2(data: Uint8Array, level = 1): Buffer {
  const r = spawnSync('bzip2', [`-${level}`, '-c'], { input: data, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`bzip2 failed: ${r.stderr}`);
  return r.stdout;
}

interface Collected {
  data: Buffer;
  chunks: Uint8Array[];
  error?: unknown;
}

async function collect(location: string, options?: Parameters<typeof openByteStream>[1]): Promise<Collected> {
  const chunks: Uint8Array[] = [];
  let error: unknown;
  try {
    for await (const chunk of openByteStream(location, options)) chunks.push(chunk);
  } catch (err) {
    error = err;
  }
  return { data: Buffer.concat(chunks), chunks, error };
}

function expectSourceError(error: unknown, location: string, pattern?: RegExp): void {
  expect(error).toBeInstanceOf(SourceError);
  const e = error as SourceError;
  expect(e.location).toBe(location);
  expect(e.message).toContain(location);
  if (pattern) expect(e.message).toMatch(pattern);
}

/** Decompressor children (lbzip2, bzip2) of this process, read from /proc. */
function decompressorChildren(): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && /bzip2/.test(comm)) found.push(`${entry} ${comm}`);
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

async function eventually(check: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

const openFds = () => readdirSync('/proc/self/fd').length;

let dir: string;
const raw = syntheticMrt(1_500_000, 42);
const rawParts = [syntheticMrt(300_000, 1), syntheticMrt(700_000, 2), syntheticMrt(50_000, 3)];
const rawMulti = Buffer.concat(rawParts);
const files: Record<string, string> = {};

// An HTTP server on an ephemeral loopback port, serving fixture bytes by path.
let server: Server;
let baseUrl: string;
const served = new Map<string, Buffer>();
const userAgents: string[] = [];
let bigResponseClosed = false;

function handle(req: IncomingMessage, res: ServerResponse): void {
  userAgents.push(req.headers['user-agent'] ?? '');
  const path = req.url ?? '/';
  if (path === '/moved') {
    res.writeHead(302, { location: '/data.gz' }).end();
    return;
  }
  const body = served.get(path);
  if (!body) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
  if (path === '/big.bin') res.on('close', () => (bigResponseClosed = true));
  // Written piecewise with back-pressure, so that a client that stops early leaves most unsent.
  let offset = 0;
  const pump = () => {
    while (offset < body.length) {
      const piece = body.subarray(offset, offset + 65536);
      offset += piece.length;
      if (!res.write(piece)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end();
  };
  pump();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'io-test-'));
  const write = (name: string, data: Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, data);
    files[name] = path;
    return path;
  };
  write('raw.bin', raw);
  const gz = gzipSync(raw);
  write('data.gz', gz);
  // Compression is by content: a gzip file with a misleading name.
  write('gzip-named.bz2', gz);
  write('multi-member.gz', Buffer.concat(rawParts.map((p) => gzipSync(p))));
  write('truncated.gz', gz.subarray(0, Math.floor(gz.length * 0.6)));
  const corruptGz = Buffer.from(gz);
  for (let i = 0; i < 64; i++) corruptGz[Math.floor(gz.length / 2) + i] ^= 0x5a;
  write('corrupt.gz', corruptGz);
  write('empty', new Uint8Array(0));
  write('one-byte', Uint8Array.of(0x1f));
  write('two-bytes', Uint8Array.of(0x42, 0x5a));
  write('gzip-magic-only', Uint8Array.of(0x1f, 0x8b));

  if (haveBzip2Tool) {
    const bz = bzip2(raw, 1);
    write('data.bz2', bz);
    write('bzip2-named.gz', bz);
    // `cat a.bz2 b.bz2 c.bz2`, with different block sizes, as pbzip2 and friends produce.
    write(
      'multi-stream.bz2',
      Buffer.concat([bzip2(rawParts[0], 1), bzip2(rawParts[1], 9), bzip2(rawParts[2], 5)]),
    );
    write('empty.bz2', bzip2(new Uint8Array(0)));
    write('truncated.bz2', bz.subarray(0, Math.floor(bz.length * 0.55)));
    const corruptBz = Buffer.from(bz);
    for (let i = 0; i < 64; i++) corruptBz[Math.floor(bz.length / 2) + i] ^= 0x5a;
    write('corrupt.bz2', corruptBz);
    served.set('/data.bz2', bz);
  }
  served.set('/data.gz', gz);
  served.set('/big.bin', syntheticMrt(16_000_000, 7));

  server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('detectCompression', () => {
  const bzHead = (magic: number[]) => Uint8Array.from([0x42, 0x5a, 0x68, 0x39, ...magic]);
  it('recognises gzip by its two magic bytes', () => {
    expect(detectCompression(Uint8Array.of(0x1f, 0x8b))).toBe('gzip');
    expect(detectCompression(Uint8Array.of(0x1f, 0x8b, 8, 0, 0))).toBe('gzip');
  });
  it('recognises bzip2 by BZh, a block size digit and the block or end-of-stream magic', () => {
    expect(detectCompression(bzHead([0x31, 0x41, 0x59, 0x26, 0x53, 0x59]))).toBe('bzip2');
    expect(detectCompression(bzHead([0x17, 0x72, 0x45, 0x38, 0x50, 0x90]))).toBe('bzip2');
  });
  it('calls everything else none', () => {
    expect(detectCompression(new Uint8Array(0))).toBe('none');
    expect(detectCompression(Uint8Array.of(0x1f))).toBe('none');
    expect(detectCompression(Buffer.from('BZh9'))).toBe('none');
    expect(detectCompression(Buffer.from('BZh9 is just text'))).toBe('none');
    expect(
      detectCompression(Uint8Array.from([0x42, 0x5a, 0x68, 0x30, 0x31, 0x41, 0x59, 0x26, 0x53, 0x59])),
    ).toBe('none');
    expect(detectCompression(Buffer.from('\x00\x00\x00\x00MRT'))).toBe('none');
  });
});

describe('uncompressed files', () => {
  it('yields a plain file unchanged, from a path and from a file:// URL', async () => {
    const byPath = await collect(files['raw.bin']);
    expect(byPath.error).toBeUndefined();
    expect(sha256(byPath.data)).toBe(sha256(raw));
    const byUrl = await collect(pathToFileURL(files['raw.bin']).href);
    expect(byUrl.error).toBeUndefined();
    expect(sha256(byUrl.data)).toBe(sha256(raw));
  });

  it('reads in chunks of at most highWaterMark bytes, none of them reused', async () => {
    const r = await collect(files['raw.bin'], { highWaterMark: 1024 });
    expect(r.chunks.length).toBeGreaterThan(1000);
    expect(Math.max(...r.chunks.map((c) => c.length))).toBeLessThanOrEqual(1024);
    expect(sha256(r.data)).toBe(sha256(raw));
  });

  it('yields nothing for an empty file and ends normally', async () => {
    const r = await collect(files.empty);
    expect(r.error).toBeUndefined();
    expect(r.chunks).toHaveLength(0);
  });

  it('yields the bytes of a 1- or 2-byte file that is not compressed', async () => {
    expect((await collect(files['one-byte'])).data).toEqual(Buffer.from([0x1f]));
    expect((await collect(files['two-bytes'])).data).toEqual(Buffer.from('BZ'));
  });

  it('throws SourceError naming the path when the file is missing', async () => {
    const missing = join(dir ?? tmpdir(), 'no-such-file.bz2');
    const r = await collect(missing);
    expectSourceError(r.error, missing, /ENOENT/);
  });

  it('throws SourceError for a scheme it cannot open', async () => {
    const r = await collect('s3://bucket/key.gz');
    expectSourceError(r.error, 's3://bucket/key.gz', /unsupported URL scheme/);
  });

  it('releases file descriptors when the consumer stops early', async () => {
    const before = openFds();
    for (let i = 0; i < 200; i++) {
      for (const name of ['raw.bin', 'data.gz']) {
        for await (const chunk of openByteStream(files[name], { highWaterMark: 4096 })) {
          expect(chunk.length).toBeGreaterThan(0);
          break;
        }
      }
    }
    // Closing a descriptor is asynchronous; 400 leaked ones would never come back.
    expect(await eventually(() => openFds() <= before + 2)).toBe(true);
  });
});

describe('gzip', () => {
  it('decompresses a gzip file, recognised by content whatever its name', async () => {
    for (const name of ['data.gz', 'gzip-named.bz2']) {
      const r = await collect(files[name]);
      expect(r.error).toBeUndefined();
      expect(sha256(r.data)).toBe(sha256(raw));
    }
  });

  it('decompresses every member of a multi-member gzip file', async () => {
    const r = await collect(files['multi-member.gz']);
    expect(r.error).toBeUndefined();
    expect(r.data.length).toBe(rawMulti.length);
    expect(sha256(r.data)).toBe(sha256(rawMulti));
  });

  it('yields all it can decode of a truncated gzip, then throws SourceError', async () => {
    const truncated = readFileSync(files['truncated.gz']);
    // What zlib can decode from these bytes when told not to insist on the end of the stream.
    const decodable = gunzipSync(truncated, { finishFlush: constants.Z_SYNC_FLUSH });
    expect(decodable.length).toBeGreaterThan(0);
    const r = await collect(files['truncated.gz'], { highWaterMark: 8192 });
    expectSourceError(r.error, files['truncated.gz'], /unexpected end of file/);
    expect(r.data.length).toBe(decodable.length);
    expect(r.data.equals(raw.subarray(0, r.data.length))).toBe(true);
  });

  it('throws SourceError on corrupt gzip data', async () => {
    const r = await collect(files['corrupt.gz']);
    expectSourceError(r.error, files['corrupt.gz']);
  });

  it('throws SourceError for a file holding nothing but the gzip magic', async () => {
    const r = await collect(files['gzip-magic-only']);
    expectSourceError(r.error, files['gzip-magic-only'], /unexpected end of file/);
  });
});

describe.skipIf(!haveBzip2Tool)('bzip2 (needs the bzip2 command to build fixtures)', () => {
  it('rejects an unknown BGPSTREAM_BZIP2 value with a SourceError', async () => {
    const saved = process.env.BGPSTREAM_BZIP2;
    process.env.BGPSTREAM_BZIP2 = 'zstd';
    try {
      const r = await collect(files['data.bz2']);
      expectSourceError(r.error, files['data.bz2'], /BGPSTREAM_BZIP2=zstd/);
    } finally {
      if (saved === undefined) delete process.env.BGPSTREAM_BZIP2;
      else process.env.BGPSTREAM_BZIP2 = saved;
    }
  });

  describe.each(bzip2Impls)('BGPSTREAM_BZIP2=%s', (impl) => {
    let saved: string | undefined;
    beforeAll(() => {
      saved = process.env.BGPSTREAM_BZIP2;
      process.env.BGPSTREAM_BZIP2 = impl;
    });
    afterAll(() => {
      if (saved === undefined) delete process.env.BGPSTREAM_BZIP2;
      else process.env.BGPSTREAM_BZIP2 = saved;
    });

    it('decompresses a bzip2 file, recognised by content whatever its name', async () => {
      for (const name of ['data.bz2', 'bzip2-named.gz']) {
        const r = await collect(files[name]);
        expect(r.error).toBeUndefined();
        expect(sha256(r.data)).toBe(sha256(raw));
      }
    });

    it('decompresses every stream of concatenated bzip2 streams', async () => {
      const r = await collect(files['multi-stream.bz2'], { highWaterMark: 7000 });
      expect(r.error).toBeUndefined();
      expect(r.data.length).toBe(rawMulti.length);
      expect(sha256(r.data)).toBe(sha256(rawMulti));
    });

    it('yields nothing for an empty bzip2 stream and ends normally', async () => {
      const r = await collect(files['empty.bz2']);
      expect(r.error).toBeUndefined();
      expect(r.data.length).toBe(0);
    });

    it('yields a correct prefix of a truncated bzip2 file, then throws SourceError', async () => {
      const r = await collect(files['truncated.bz2']);
      expectSourceError(r.error, files['truncated.bz2']);
      expect(r.data.length).toBeLessThan(raw.length);
      expect(r.data.equals(raw.subarray(0, r.data.length))).toBe(true);
    });

    it('throws SourceError on corrupt bzip2 data, without hanging', async () => {
      const r = await collect(files['corrupt.bz2']);
      expectSourceError(r.error, files['corrupt.bz2']);
      expect(r.data.length).toBeLessThan(raw.length);
    });

    it.skipIf(!haveSamples)(
      `decompresses the real RouteViews sample exactly${haveSamples ? '' : ` (skipped: no MRT samples at ${samplesDir}; set MRT_SAMPLES_DIR)`}`,
      async () => {
        const reference = spawnSync('bzip2', ['-dc', jinxSample], { maxBuffer: 1 << 30 });
        expect(reference.status).toBe(0);
        const r = await collect(jinxSample);
        expect(r.error).toBeUndefined();
        expect(r.data.length).toBe(reference.stdout.length);
        expect(sha256(r.data)).toBe(sha256(reference.stdout));
      },
    );

    it('streams a bzip2 body over HTTP', async () => {
      const r = await collect(`${baseUrl}/data.bz2`);
      expect(r.error).toBeUndefined();
      expect(sha256(r.data)).toBe(sha256(raw));
    });

    it('stops the decoder when the consumer breaks out early', async () => {
      let sawChild = false;
      for await (const chunk of openByteStream(files['data.bz2'])) {
        expect(chunk.length).toBeGreaterThan(0);
        sawChild = decompressorChildren().length > 0;
        break;
      }
      if (impl !== 'js') expect(sawChild).toBe(true);
      expect(await eventually(() => decompressorChildren().length === 0)).toBe(true);
    });

    it('stops the decoder and rejects with the abort reason when the signal fires', async () => {
      const controller = new AbortController();
      let chunks = 0;
      let error: unknown;
      try {
        for await (const _ of openByteStream(files['data.bz2'], { signal: controller.signal })) {
          chunks++;
          controller.abort();
        }
      } catch (err) {
        error = err;
      }
      expect(chunks).toBe(1);
      expect((error as Error).name).toBe('AbortError');
      expect(await eventually(() => decompressorChildren().length === 0)).toBe(true);
    });
  });
});

describe('http', () => {
  it('streams a gzip body and sends User-Agent: bgpstream-ts', async () => {
    userAgents.length = 0;
    const r = await collect(`${baseUrl}/data.gz`);
    expect(r.error).toBeUndefined();
    expect(sha256(r.data)).toBe(sha256(raw));
    expect(userAgents).toEqual(['bgpstream-ts']);
  });

  it('follows redirects', async () => {
    const r = await collect(`${baseUrl}/moved`);
    expect(r.error).toBeUndefined();
    expect(sha256(r.data)).toBe(sha256(raw));
  });

  it('throws SourceError naming the status on 404', async () => {
    const url = `${baseUrl}/missing.bz2`;
    const r = await collect(url);
    expectSourceError(r.error, url, /HTTP 404/);
    expect(r.data.length).toBe(0);
  });

  it('throws SourceError on a network error', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/x.gz`;
    await new Promise((r) => closed.close(r));
    const r = await collect(url);
    expectSourceError(r.error, url, /ECONNREFUSED/);
  });

  it('closes the connection when the consumer breaks out early', async () => {
    bigResponseClosed = false;
    let received = 0;
    for await (const chunk of openByteStream(`${baseUrl}/big.bin`)) {
      received += chunk.length;
      break;
    }
    expect(received).toBeGreaterThan(0);
    expect(await eventually(() => bigResponseClosed)).toBe(true);
  });

  it('closes the connection and rejects with the abort reason when the signal fires', async () => {
    bigResponseClosed = false;
    const controller = new AbortController();
    let error: unknown;
    try {
      for await (const _ of openByteStream(`${baseUrl}/big.bin`, { signal: controller.signal })) {
        controller.abort();
      }
    } catch (err) {
      error = err;
    }
    expect((error as Error).name).toBe('AbortError');
    expect(await eventually(() => bigResponseClosed)).toBe(true);
  });
});

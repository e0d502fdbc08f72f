import { Worker } from 'node:worker_threads';
import {
  ELEM_COLUMNS,
  ELEM_SCHEMA_VERSION,
  ELEM_SCHEMA_VERSION_KEY,
  usesParquetDictionary,
} from '@bgpstream-ts/schemas';
import { type RecordBatch, RecordBatchStreamWriter, Table, tableToIPC } from 'apache-arrow';
import type { EncodeJob, EncoderReply } from './encode-worker.js';
import { encodeIpcWith, type ParquetCompression, type ParquetWriteSettings } from './parquet-props.js';

export type { ParquetCompression } from './parquet-props.js';

type ParquetWasm = typeof import('parquet-wasm');

let loading: Promise<ParquetWasm> | undefined;

/** parquet-wasm, loaded on first use: compiling its wasm costs a few seconds once per process. */
export function loadParquetWasm(): Promise<ParquetWasm> {
  loading ??= import('parquet-wasm');
  return loading;
}

export interface EncodeParquetOptions {
  compression: ParquetCompression;
  /** Largest row group (rows). */
  rowGroupSize: number;
}

/** Checks a compression name early (before any data is read). */
export function checkCompression(c: string): asserts c is ParquetCompression {
  if (!['zstd', 'snappy', 'gzip', 'brotli', 'lz4', 'none'].includes(c)) {
    throw new Error(`unknown Parquet compression '${c}' (zstd, snappy, gzip, brotli, lz4, none)`);
  }
}

/**
 * The writer settings of elem files: dictionary pages where the schema says values repeat (see
 * `parquetDictionary` in the schema), and one key of metadata, the elem schema version. (One key
 * only: parquet-wasm passes the key-value metadata through a hash map, so with several keys their
 * order in the footer, and so the file's bytes, would change from run to run.)
 */
export function elemWriteSettings(options: EncodeParquetOptions): ParquetWriteSettings {
  return {
    compression: options.compression,
    rowGroupSize: options.rowGroupSize,
    dictionaryColumns: ELEM_COLUMNS.filter(usesParquetDictionary).map((c) => c.name),
    metadata: [[ELEM_SCHEMA_VERSION_KEY, String(ELEM_SCHEMA_VERSION)]],
  };
}

/** Record batches (of one schema) as one Arrow IPC stream. */
export function batchesToIpc(batches: readonly RecordBatch[]): Uint8Array {
  return tableToIPC(new Table(batches as RecordBatch[]), 'stream');
}

/**
 * Buffers for a part's Arrow IPC bytes, used again: a buffer goes to the encoder (thread) with the
 * part and comes back with its Parquet bytes. Keeps a few; a part bigger than every free buffer gets
 * a new one.
 */
export class IpcBuffers {
  private readonly free: ArrayBuffer[] = [];

  constructor(private readonly keep = 2) {}

  take(bytes: number): ArrayBuffer {
    for (let i = 0; i < this.free.length; i++) {
      if (this.free[i].byteLength >= bytes) return this.free.splice(i, 1)[0];
    }
    return new ArrayBuffer(bytes + (bytes >> 4));
  }

  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength === 0) return; // detached
    if (this.free.length >= this.keep) this.free.sort((a, b) => a.byteLength - b.byteLength).shift();
    this.free.push(buffer);
  }

  get byteLength(): number {
    return this.free.reduce((n, b) => n + b.byteLength, 0);
  }
}

/**
 * Record batches (of one schema) as one Arrow IPC stream, the same bytes as `batchesToIpc`, written
 * into a buffer of `buffers` (the result views its start).
 */
export function batchesToIpcIn(batches: readonly RecordBatch[], buffers: IpcBuffers): Uint8Array {
  const writer = new RecordBatchStreamWriter();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const w = writer as unknown as {
    _started: boolean;
    _position: number;
    _write(chunk: ArrayBufferView): unknown;
  };
  // `_write` is the writer's protected output hook: collect the pieces instead of queueing them.
  w._write = (chunk: ArrayBufferView) => {
    if (w._started && chunk.byteLength > 0) {
      chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      total += chunk.byteLength;
      w._position += chunk.byteLength;
    }
    return writer;
  };
  writer.writeAll(new Table(batches as RecordBatch[]));
  const out = new Uint8Array(buffers.take(total), 0, total);
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.byteLength;
  }
  return out;
}

/**
 * One Parquet file from elem record batches (through Arrow IPC into parquet-wasm, in this thread):
 * column statistics at chunk and page level, dictionary pages for the columns the schema marks, the
 * Arrow schema in the footer, and the elem schema version in the key-value metadata. The same
 * batches give the same bytes.
 */
export async function encodeParquet(
  batches: readonly RecordBatch[],
  options: EncodeParquetOptions,
): Promise<Uint8Array> {
  const pw = await loadParquetWasm();
  return encodeIpcWith(pw, batchesToIpc(batches), elemWriteSettings(options));
}

/** Where a part was encoded. */
export type EncodedBy = 'worker' | 'main-thread';

/** A part's Parquet bytes, where they were made, and its IPC bytes given back (for reuse). */
export interface Encoded {
  bytes: Uint8Array;
  by: EncodedBy;
  ipc: Uint8Array;
}

async function encodeHere(ipc: Uint8Array, settings: ParquetWriteSettings): Promise<Encoded> {
  const pw = await loadParquetWasm();
  return { bytes: encodeIpcWith(pw, ipc, settings), by: 'main-thread', ipc };
}

/** The worker script: the built file beside this one, or dist/ when this file runs from its .ts source (tests). */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts')
    ? new URL('../dist/encode-worker.js', here)
    : new URL('./encode-worker.js', here);
}

interface Pending {
  resolve(v: Encoded): void;
  reject(e: Error): void;
}

/**
 * parquet-wasm in a worker thread, shared by every export of the process (started on first use,
 * so its wasm is compiled and tiered up once). Jobs run one after another in submission order. The
 * thread does not keep the process alive while it has no job. If it cannot start, jobs are encoded
 * in the calling thread instead; if it dies later, the jobs it held fail and later ones run in the
 * calling thread.
 */
class EncoderThread {
  constructor(private readonly url: URL = workerUrl()) {}

  private worker: Worker | null = null;
  private ready = false;
  private failed = false;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Jobs waiting for the thread to be ready. */
  private readonly waiting: EncodeJob[] = [];
  /** Called once the thread is ready (true) or has failed (false). */
  private readonly onReady: ((ok: boolean) => void)[] = [];

  /** Starts the thread if need be; resolves true once it is ready, false if it cannot run. */
  whenReady(): Promise<boolean> {
    if (!this.failed && this.worker === null) this.start();
    if (this.failed) return Promise.resolve(false);
    if (this.ready) return Promise.resolve(true);
    return new Promise((resolve) => this.onReady.push(resolve));
  }

  encode(ipc: Uint8Array, settings: ParquetWriteSettings): Promise<Encoded> {
    if (!this.failed && this.worker === null) this.start();
    const worker = this.worker;
    if (this.failed || worker === null) return encodeHere(ipc, settings);
    // The whole buffer is handed over (transferred), and comes back with the result.
    const job: EncodeJob = { id: this.nextId++, ipc, settings };
    return new Promise((resolve, reject) => {
      this.pending.set(job.id, { resolve, reject });
      worker.ref();
      if (this.ready) this.send(worker, job);
      else this.waiting.push(job);
    });
  }

  private send(worker: Worker, job: EncodeJob): void {
    worker.postMessage(job, [job.ipc.buffer as ArrayBuffer]);
  }

  private start(): void {
    let worker: Worker;
    try {
      worker = new Worker(this.url);
    } catch {
      this.failed = true;
      return;
    }
    this.worker = worker;
    worker.unref();
    worker.on('message', (m: EncoderReply) => {
      if ('ready' in m) {
        this.ready = true;
        for (const job of this.waiting.splice(0)) this.send(worker, job);
        for (const f of this.onReady.splice(0)) f(true);
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (this.pending.size === 0) worker.unref();
      if (m.error !== undefined) p.reject(new Error(`Parquet encoder: ${m.error}`));
      else p.resolve({ bytes: m.bytes, by: 'worker', ipc: m.ipc });
    });
    worker.on('error', (err) => this.broken(worker, err));
    worker.on('exit', (code) => this.broken(worker, new Error(`exited with code ${code}`)));
  }

  /** Stops the thread once its jobs are done (later jobs would start a new one). */
  close(): void {
    const worker = this.worker;
    if (worker === null) return;
    this.worker = null;
    this.failed = true;
    if (this.pending.size === 0) void worker.terminate();
    else worker.on('message', () => this.pending.size === 0 && void worker.terminate());
  }

  private broken(worker: Worker, err: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.ready = false;
    this.failed = true;
    worker.unref();
    for (const f of this.onReady.splice(0)) f(false);
    // Jobs never sent still have their bytes: encode them here.
    for (const job of this.waiting.splice(0)) {
      const p = this.pending.get(job.id)!;
      this.pending.delete(job.id);
      encodeHere(job.ipc, job.settings).then(p.resolve, p.reject);
    }
    // Jobs the thread held are lost.
    for (const p of this.pending.values())
      p.reject(new Error(`Parquet encoder thread failed: ${err.message}`));
    this.pending.clear();
  }
}

let thread: EncoderThread | undefined;

/**
 * Starts the shared Parquet encoder thread ahead of the first export (its start and parquet-wasm's
 * load then cost nothing later). Resolves with where parts will be encoded: `worker`, or
 * `main-thread` when the thread cannot run (then parquet-wasm is loaded here instead).
 */
export async function startEncoderThread(): Promise<EncodedBy> {
  thread ??= new EncoderThread();
  if (await thread.whenReady()) return 'worker';
  await loadParquetWasm();
  return 'main-thread';
}

/**
 * Encodes an Arrow IPC stream to Parquet, in the shared encoder thread (`worker`: true) or in this
 * thread. The whole buffer under `ipc` is transferred to the thread (do not use it afterwards) and
 * comes back as the result's `ipc`.
 */
export function encodeIpc(ipc: Uint8Array, settings: ParquetWriteSettings, worker = true): Promise<Encoded> {
  if (!worker) return encodeHere(ipc, settings);
  thread ??= new EncoderThread();
  return thread.encode(ipc, settings);
}

/**
 * Replaces the shared encoder thread by a new one, started on first use from `url` (default: the
 * package's worker script). For tests: a missing script shows the fallback to this thread.
 */
export function replaceEncoderThread(url?: URL): void {
  thread?.close();
  thread = new EncoderThread(url);
}

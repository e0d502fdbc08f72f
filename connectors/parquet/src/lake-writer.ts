import { mkdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { BatchMemory, ElemBatchBuilder } from '@bgpstream-ts/arrow';
import type { BgpRecord } from '@bgpstream-ts/core';
import { ELEM_SCHEMA_VERSION } from '@bgpstream-ts/schemas';
import type { RecordBatch } from 'apache-arrow';
import { listDirectory, removeIfPresent, syncDirectory, writeFileDurable } from './durable-fs.js';
import {
  type DumpKey,
  describeDump,
  dumpId,
  dumpPartition,
  insideLake,
  isPartFileOf,
  isTempFileOf,
  partFileName,
  tempNameFor,
} from './lake-paths.js';
import {
  type DumpManifest,
  MANIFEST_VERSION,
  readDumpManifest,
  removeDumpManifest,
  writeDumpManifest,
} from './manifest.js';
import {
  batchesToIpcIn,
  checkCompression,
  type Encoded,
  type EncodedBy,
  elemWriteSettings,
  encodeIpc,
  IpcBuffers,
  type ParquetCompression,
} from './parquet-encoder.js';
import type { ParquetWriteSettings } from './parquet-props.js';

export interface ParquetLakeOptions {
  /** The lake's root folder (created when missing). */
  lake: string;
  /** Rows per part file; each part is one row group. Default 131072. */
  rowGroupSize?: number;
  /** Rows per Arrow record batch handed to the Parquet encoder when a part is written. Default 65536. */
  batchSize?: number;
  /** Parquet codec. Default `zstd`. */
  compression?: ParquetCompression;
  /**
   * Rows buffered over all open dumps before the largest buffer is written early as a (smaller)
   * part: the memory bound when many dumps arrive interleaved. Default 4 × rowGroupSize.
   */
  maxBufferedRows?: number;
  /** Re-export dumps already in the manifest (their old files are replaced). Default false: skip them. */
  force?: boolean;
  /**
   * Complete a dump when its record with `dumpPosition: 'end'` arrives (the decoder marks the last
   * record of each file). Default true; false: dumps complete only at `close()` (end of input).
   */
  completeOnDumpEnd?: boolean;
  /** The source URL of a dump, for its manifest entry. */
  sourceUrl?: (dump: DumpKey) => string | undefined;
  /** Called (synchronously) after each part file, completed, skipped or failed dump. */
  onProgress?: (progress: LakeExportProgress) => void;
  /**
   * Encode Parquet in a worker thread while this thread builds the next part. Default true; when the
   * thread cannot start, parts are encoded in this thread anyway.
   */
  encoderThread?: boolean;
}

export interface LakeExportTotals {
  rows: number;
  files: number;
  bytes: number;
  dumpsComplete: number;
  dumpsSkipped: number;
  dumpsFailed: number;
  openDumps: number;
  bufferedRows: number;
}

export interface LakeExportProgress {
  event: 'part-written' | 'dump-complete' | 'dump-skipped' | 'dump-failed';
  dump: DumpKey;
  /** part-written: the part's rows; dump-complete: the dump's rows. */
  rows: number;
  /** part-written: the part's final name (published when its dump completes), relative to the lake. */
  file?: string;
  /** dump-failed: why. */
  error?: string;
  totals: LakeExportTotals;
}

export interface DumpExportResult extends DumpKey {
  /** Part files, relative to the lake. */
  files: string[];
  rows: number;
  bytes: number;
}

export interface LakeExportSummary {
  lake: string;
  /** Dumps completed in this run (in the manifest now). */
  dumps: DumpExportResult[];
  /** Dumps already in the manifest whose records were passed over. */
  dumpsSkipped: DumpKey[];
  /** Dumps whose source failed (a `corrupted-source` record): nothing published, not in the manifest. */
  dumpsFailed: { dump: DumpKey; error: string }[];
  /** Part files published. */
  files: number;
  /** Rows (elems) published. */
  rows: number;
  /** Bytes of Parquet published. */
  bytes: number;
  /** Records read, and those passed over because their dump was skipped. */
  records: number;
  recordsSkipped: number;
  seconds: number;
  /** Most rows buffered at once over all open dumps. */
  peakBufferedRows: number;
  /**
   * Most bytes held at once by the open dumps' column buffers plus the buffers reused part after part
   * (emitted batches, IPC bytes), allocated.
   */
  peakBufferBytes: number;
  /** Highest resident set size seen (sampled when parts are written and at the end; worker thread included). */
  peakRssBytes: number;
  /** Where the parts were encoded: a worker thread, this thread, both (after a failure), or none. */
  encodedBy: EncodedBy | 'both' | 'none';
}

interface Part {
  temp: string;
  name: string;
  rows: number;
  bytes: number;
}

interface OpenDump {
  key: DumpKey;
  id: string;
  /** Parts handed to the encoder (written or not). */
  partCount: number;
  /** Partition folder, relative to the lake and absolute. */
  relDir: string;
  dir: string;
  builder: ElemBatchBuilder;
  parts: Part[];
  previous: DumpManifest | null;
  failed: string | null;
}

/** A part handed to the encoder, written once its Parquet bytes are back. */
interface QueuedPart {
  dump: OpenDump;
  name: string;
  rows: number;
  encoded: Promise<Encoded>;
}

/**
 * Parts handed to the encoder and not yet written, at most: while the encoder works on one, this
 * thread builds the next, and hands it over before waiting for the first (so the encoder never
 * waits either). Memory: the builder's part plus the IPC and Parquet bytes of at most two parts.
 */
const PARTS_IN_FLIGHT = 1;

const SKIP = 'skip' as const;
const DONE = 'done' as const;

/**
 * Writes records into a hive-partitioned Parquet lake, one set of part files per dump:
 * `<lake>/project=<p>/collector=<c>/type=<rib|update>/date=<YYYY-MM-DD>/dump-<dumpTime>-part-<n>.parquet`.
 *
 * Records of several dumps may arrive interleaved: each dump has its own buffer, written as a part
 * when it reaches `rowGroupSize` rows (rows sorted by record time, then prefix family, network and
 * length). Parts are written under hidden temporary names (fsynced) and renamed into place only when
 * their dump is complete (its `end` record, or `close()`); then the dump's manifest entry is
 * written. A dump already in the manifest is skipped unless `force`; a re-export first drops the
 * manifest entry, then removes the old files, so a crash never leaves a dump both listed and
 * incomplete.
 */
export class ParquetLakeWriter {
  readonly lake: string;
  private readonly rowGroupSize: number;
  private readonly batchSize: number;
  private readonly compression: ParquetCompression;
  private readonly settings: ParquetWriteSettings;
  private readonly encoderThread: boolean;
  private readonly queue: QueuedPart[] = [];
  /** The emitted batches' arrays, reused part after part (a part's batches live until its IPC bytes are made). */
  private readonly batchMemory = new BatchMemory();
  /** Buffers for the parts' IPC bytes, back from the encoder with each part's Parquet bytes. */
  private readonly ipcBuffers = new IpcBuffers(PARTS_IN_FLIGHT + 1);
  private readonly maxBufferedRows: number;
  private readonly force: boolean;
  private readonly completeOnDumpEnd: boolean;
  private readonly options: ParquetLakeOptions;
  private readonly state = new Map<string, OpenDump | typeof SKIP | typeof DONE>();
  private readonly open = new Map<string, OpenDump>();
  private readonly started = performance.now();
  private bufferedRows = 0;
  private closed = false;
  private lastRecordKey: BgpRecord | null = null;
  private lastId = '';
  private readonly summary: LakeExportSummary;

  constructor(options: ParquetLakeOptions) {
    if (!options.lake) throw new Error('exportToParquetLake: `lake` (a folder) is required');
    this.options = options;
    this.lake = path.resolve(options.lake);
    this.rowGroupSize = positiveInt('rowGroupSize', options.rowGroupSize ?? 131072);
    this.batchSize = positiveInt('batchSize', options.batchSize ?? 65536);
    this.maxBufferedRows = positiveInt('maxBufferedRows', options.maxBufferedRows ?? 4 * this.rowGroupSize);
    const compression = options.compression ?? 'zstd';
    checkCompression(compression);
    this.compression = compression;
    this.settings = elemWriteSettings({ compression, rowGroupSize: this.rowGroupSize });
    this.encoderThread = options.encoderThread ?? true;
    this.force = options.force ?? false;
    this.completeOnDumpEnd = options.completeOnDumpEnd ?? true;
    this.summary = {
      lake: this.lake,
      dumps: [],
      dumpsSkipped: [],
      dumpsFailed: [],
      files: 0,
      rows: 0,
      bytes: 0,
      records: 0,
      recordsSkipped: 0,
      seconds: 0,
      peakBufferedRows: 0,
      peakBufferBytes: 0,
      peakRssBytes: 0,
      encodedBy: 'none',
    };
  }

  /** Adds records (of any dumps, in each dump's own order). */
  async write(records: BgpRecord | readonly BgpRecord[]): Promise<void> {
    if (this.closed) throw new Error('ParquetLakeWriter: write after close');
    const list = Array.isArray(records) ? records : [records as BgpRecord];
    for (const record of list) if (!this.appendNow(record)) await this.writeRecord(record);
  }

  /**
   * The common case without waiting: a record of an open (or skipped) dump whose elems fit in the
   * buffers and that does not end its dump. Returns false, having done nothing, otherwise.
   */
  private appendNow(record: BgpRecord): boolean {
    const dump = this.state.get(this.idOf(record));
    if (dump === SKIP) {
      this.summary.records++;
      this.summary.recordsSkipped++;
      return true;
    }
    if (dump === undefined || dump === DONE || record.status === 'corrupted-source') return false;
    if (this.completeOnDumpEnd && record.dumpPosition === 'end') return false;
    const n = record.elems.length;
    if (dump.builder.length + n >= this.rowGroupSize || this.bufferedRows + n > this.maxBufferedRows)
      return false;
    this.summary.records++;
    if (n === 0) return true;
    dump.builder.append(record);
    this.bufferedRows += n;
    if (this.bufferedRows > this.summary.peakBufferedRows) this.summary.peakBufferedRows = this.bufferedRows;
    return true;
  }

  private idOf(r: BgpRecord): string {
    const last = this.lastRecordKey;
    if (
      last !== null &&
      last.dumpTime === r.dumpTime &&
      last.collector === r.collector &&
      last.project === r.project &&
      last.type === r.type
    ) {
      return this.lastId;
    }
    this.lastRecordKey = r;
    this.lastId = dumpId(r);
    return this.lastId;
  }

  private async writeRecord(record: BgpRecord): Promise<void> {
    this.summary.records++;
    const id = this.idOf(record);
    let dump = this.state.get(id);
    if (dump === undefined) dump = await this.openDump(record, id);
    if (dump === SKIP) {
      this.summary.recordsSkipped++;
      return;
    }
    if (dump === DONE) {
      throw new Error(
        `records of dump ${describeDump(record)} arrived after the dump was completed (its 'end' record came earlier); set completeOnDumpEnd: false for such input`,
      );
    }
    if (record.status === 'corrupted-source' && dump.failed === null) {
      dump.failed = record.error ?? 'corrupted-source';
    }
    const n = record.elems.length;
    let start = 0;
    while (start < n) {
      const take = Math.min(
        n - start,
        this.rowGroupSize - dump.builder.length,
        this.maxBufferedRows - this.bufferedRows,
      );
      if (take <= 0) {
        // Over all open dumps the buffers are full: write the largest one out early.
        await this.flushLargest();
        continue;
      }
      dump.builder.append(record, start, start + take);
      start += take;
      this.bufferedRows += take;
      if (this.bufferedRows > this.summary.peakBufferedRows)
        this.summary.peakBufferedRows = this.bufferedRows;
      if (dump.builder.length >= this.rowGroupSize) await this.flushPart(dump);
    }
    if (this.completeOnDumpEnd && record.dumpPosition === 'end') await this.finishDump(dump);
  }

  private async openDump(record: BgpRecord, id: string): Promise<OpenDump | typeof SKIP> {
    const key: DumpKey = {
      project: record.project,
      collector: record.collector,
      type: record.type,
      dumpTime: record.dumpTime,
    };
    const previous = await readDumpManifest(this.lake, key);
    if (previous !== null && !this.force) {
      this.state.set(id, SKIP);
      this.summary.dumpsSkipped.push(key);
      this.progress('dump-skipped', key, previous.rows);
      return SKIP;
    }
    const relDir = dumpPartition(key);
    const dump: OpenDump = {
      key,
      id,
      relDir,
      dir: insideLake(this.lake, relDir),
      partCount: 0,
      builder: new ElemBatchBuilder({
        initialCapacity: 1024,
        stableDictionaries: false,
        batchMemory: this.batchMemory,
      }),
      parts: [],
      previous,
      failed: null,
    };
    this.state.set(id, dump);
    this.open.set(id, dump);
    return dump;
  }

  private async flushLargest(): Promise<void> {
    let largest: OpenDump | null = null;
    for (const d of this.open.values())
      if (!largest || d.builder.length > largest.builder.length) largest = d;
    if (largest) await this.flushPart(largest);
  }

  private sampleMemory(): void {
    let bytes = this.batchMemory.byteLength + this.ipcBuffers.byteLength;
    for (const d of this.open.values()) bytes += d.builder.byteLength;
    if (bytes > this.summary.peakBufferBytes) this.summary.peakBufferBytes = bytes;
    const rss = process.memoryUsage.rss();
    if (rss > this.summary.peakRssBytes) this.summary.peakRssBytes = rss;
  }

  /**
   * Hands the dump's buffered rows to the encoder as its next part (written under a temporary name
   * when its bytes are back); waits only while more than PARTS_IN_FLIGHT parts are in flight.
   */
  private async flushPart(dump: OpenDump): Promise<void> {
    const b = dump.builder;
    const n = b.length;
    if (n === 0) return;
    this.sampleMemory();
    const order = b.sortOrder();
    const batches: RecordBatch[] = [];
    for (let s = 0; s < n; s += this.batchSize)
      batches.push(b.emit(order.subarray(s, Math.min(n, s + this.batchSize))));
    const ipc = batchesToIpcIn(batches, this.ipcBuffers);
    batches.length = 0;
    this.batchMemory.recycle();
    b.reset();
    this.bufferedRows -= n;
    const name = partFileName(dump.key.dumpTime, dump.partCount++);
    const encoded = encodeIpc(ipc, this.settings, this.encoderThread);
    // Its failure is seen when the part is written; until then it must not count as unhandled.
    encoded.catch(() => {});
    this.queue.push({ dump, name, rows: n, encoded });
    while (this.queue.length > PARTS_IN_FLIGHT) await this.writeOldest();
  }

  /** Writes every part still in flight. */
  private async drain(): Promise<void> {
    while (this.queue.length > 0) await this.writeOldest();
  }

  /** Waits for the oldest part in flight and writes it (fsynced) under a temporary name. */
  private async writeOldest(): Promise<void> {
    const part = this.queue[0];
    const { bytes, by, ipc } = await part.encoded;
    this.queue.shift();
    if (ipc) this.ipcBuffers.give(ipc.buffer as ArrayBuffer);
    const s = this.summary;
    s.encodedBy = s.encodedBy === 'none' || s.encodedBy === by ? by : 'both';
    this.sampleMemory();
    const dump = part.dump;
    await mkdir(dump.dir, { recursive: true });
    const temp = tempNameFor(part.name);
    await writeFileDurable(path.join(dump.dir, temp), bytes);
    dump.parts.push({ temp, name: part.name, rows: part.rows, bytes: bytes.byteLength });
    this.progress('part-written', dump.key, part.rows, `${dump.relDir}/${part.name}`);
  }

  /**
   * Signals that dump `key` is complete: its last part is written, then its parts and manifest entry
   * are published. Records of the dump that come later are an error. A dump not open is ignored.
   */
  async completeDump(key: DumpKey): Promise<void> {
    const dump = this.open.get(dumpId(key));
    if (dump) await this.finishDump(dump);
  }

  /** Ends a dump: writes its last part, then publishes its parts and manifest entry (or drops them if its source failed). */
  private async finishDump(dump: OpenDump): Promise<void> {
    await this.flushPart(dump);
    await this.drain();
    this.open.delete(dump.id);
    this.state.set(dump.id, DONE);
    if (dump.failed !== null) {
      for (const p of dump.parts) await removeIfPresent(path.join(dump.dir, p.temp));
      this.summary.dumpsFailed.push({ dump: dump.key, error: dump.failed });
      this.progress('dump-failed', dump.key, 0, undefined, dump.failed);
      return;
    }
    const key = dump.key;
    // 1. Not listed any more: from here until step 5 a crash leaves the dump to be redone.
    if (dump.previous !== null) await removeDumpManifest(this.lake, key);
    // 2. Files of an earlier export of this dump that the new parts do not overwrite, and temporary
    // files a crashed run left behind.
    const names = new Set(dump.parts.map((p) => p.name));
    const ours = new Set(dump.parts.map((p) => p.temp));
    let removed = false;
    for (const name of await listDirectory(dump.dir)) {
      if (
        (isPartFileOf(name, key.dumpTime) && !names.has(name)) ||
        (isTempFileOf(name, key.dumpTime) && !ours.has(name))
      ) {
        await unlink(path.join(dump.dir, name));
        removed = true;
      }
    }
    for (const rel of dump.previous?.files ?? []) {
      const full = insideLake(this.lake, rel);
      if (path.dirname(full) !== dump.dir && (await removeIfPresent(full)))
        await syncDirectory(path.dirname(full));
    }
    // 3. Publish: each rename is atomic; the temporary files were fsynced when written.
    for (const p of dump.parts) await rename(path.join(dump.dir, p.temp), path.join(dump.dir, p.name));
    // 4. Make the renames and removals durable before the manifest claims the dump.
    if (dump.parts.length > 0 || removed) await syncDirectory(dump.dir);
    const files = dump.parts.map((p) => `${dump.relDir}/${p.name}`);
    const rows = dump.parts.reduce((s, p) => s + p.rows, 0);
    const bytes = dump.parts.reduce((s, p) => s + p.bytes, 0);
    // 5. Listed.
    await writeDumpManifest(this.lake, {
      manifestVersion: MANIFEST_VERSION,
      elemSchemaVersion: ELEM_SCHEMA_VERSION,
      ...key,
      files,
      rows,
      bytes,
      sourceUrl: this.options.sourceUrl?.(key) ?? null,
      exportedAt: new Date().toISOString(),
    });
    this.summary.dumps.push({ ...key, files, rows, bytes });
    this.summary.files += files.length;
    this.summary.rows += rows;
    this.summary.bytes += bytes;
    this.progress('dump-complete', key, rows);
  }

  /** Completes every open dump (the end of the input completes them) and returns the summary. */
  async close(): Promise<LakeExportSummary> {
    if (!this.closed) {
      for (const dump of [...this.open.values()]) await this.finishDump(dump);
      await this.drain();
      this.closed = true;
      this.sampleMemory();
      this.summary.seconds = (performance.now() - this.started) / 1000;
    }
    return this.summary;
  }

  /** Gives up: removes the temporary files of dumps not yet complete. Published dumps stay. */
  async abort(): Promise<void> {
    this.closed = true;
    // Parts still being encoded are dropped (no file was written for them).
    await Promise.allSettled(this.queue.splice(0).map((p) => p.encoded));
    for (const dump of this.open.values()) {
      for (const p of dump.parts) await removeIfPresent(path.join(dump.dir, p.temp)).catch(() => false);
    }
    this.open.clear();
  }

  private progress(
    event: LakeExportProgress['event'],
    dump: DumpKey,
    rows: number,
    file?: string,
    error?: string,
  ): void {
    const cb = this.options.onProgress;
    if (!cb) return;
    const s = this.summary;
    cb({
      event,
      dump,
      rows,
      file,
      error,
      totals: {
        rows: s.rows,
        files: s.files,
        bytes: s.bytes,
        dumpsComplete: s.dumps.length,
        dumpsSkipped: s.dumpsSkipped.length,
        dumpsFailed: s.dumpsFailed.length,
        openDumps: this.open.size,
        bufferedRows: this.bufferedRows,
      },
    });
  }
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  return v;
}

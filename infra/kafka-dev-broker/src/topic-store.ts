/**
 * Topics, partitions and their logs, in memory or in a folder.
 *
 * Each partition log is a list of whole RecordBatch v2 blobs, stored exactly as the producer sent them apart
 * from the base offset (and partition leader epoch), which the broker assigns. Both lie outside the CRC.
 *
 * Folder layout (`dataDir`):
 *
 *   broker-state.json                           broker-wide counters (next producer id)
 *   consumer-offsets.json                       committed offsets of every group
 *   topics/<topic>/topic.json                   name, partition count, configs
 *   topics/<topic>/<partition>/00000000000000000000.log     the batches back to back (append-only)
 *   topics/<topic>/<partition>/00000000000000000000.index   48 bytes per batch (see IndexEntry)
 *
 * Writes are synchronous appends without fsync: they survive a process crash or kill, not a power cut. On
 * open, the index is checked against the log; batches the index is missing (a crash between the two writes)
 * are recovered by scanning the log, and a torn batch at the end of the log is cut off.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProducerStateTable } from './producer-state.js';
import {
  checkRecordBatch,
  compressionOf,
  RECORD_BATCH_HEADER_SIZE,
  type RecordBatchHeader,
  readRecordBatchHeader,
  setBaseOffset,
  setPartitionLeaderEpoch,
} from './protocol/record-batch.js';

export interface StoredBatch {
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
  /** Size of the whole batch in bytes. */
  size: number;
  /** Byte position in the segment file (folder mode), or -1. */
  position: number;
  /** The batch bytes (memory mode), or null. */
  data: Buffer | null;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  compression: number;
}

const SEGMENT_BASE = '00000000000000000000';
/** baseOffset i64, lastOffsetDelta i32, position i64, size i32, maxTimestamp i64, producerId i64,
 *  producerEpoch i16, compression i16, baseSequence i32. */
export const INDEX_ENTRY_SIZE = 48;

interface PartitionStorage {
  /** Persists a batch whose offsets are final; fills `entry.position` or `entry.data`. */
  append(batch: Buffer, entry: StoredBatch): void;
  read(entry: StoredBatch): Buffer;
  close(): void;
}

class MemoryPartitionStorage implements PartitionStorage {
  append(batch: Buffer, entry: StoredBatch): void {
    entry.data = batch;
  }

  read(entry: StoredBatch): Buffer {
    return entry.data!;
  }

  close(): void {}
}

function encodeIndexEntry(e: StoredBatch): Buffer {
  const b = Buffer.alloc(INDEX_ENTRY_SIZE);
  b.writeBigInt64BE(BigInt(e.baseOffset), 0);
  b.writeInt32BE(e.lastOffset - e.baseOffset, 8);
  b.writeBigInt64BE(BigInt(e.position), 12);
  b.writeInt32BE(e.size, 20);
  b.writeBigInt64BE(BigInt(e.maxTimestamp), 24);
  b.writeBigInt64BE(BigInt(e.producerId), 32);
  b.writeInt16BE(e.producerEpoch, 40);
  b.writeInt16BE(e.compression, 42);
  b.writeInt32BE(e.baseSequence, 44);
  return b;
}

function decodeIndexEntry(b: Buffer, at: number): StoredBatch {
  const baseOffset = Number(b.readBigInt64BE(at));
  return {
    baseOffset,
    lastOffset: baseOffset + b.readInt32BE(at + 8),
    position: Number(b.readBigInt64BE(at + 12)),
    size: b.readInt32BE(at + 20),
    maxTimestamp: Number(b.readBigInt64BE(at + 24)),
    producerId: Number(b.readBigInt64BE(at + 32)),
    producerEpoch: b.readInt16BE(at + 40),
    compression: b.readInt16BE(at + 42),
    baseSequence: b.readInt32BE(at + 44),
    data: null,
  };
}

function entryFromHeader(h: RecordBatchHeader, baseOffset: number, size: number): StoredBatch {
  return {
    baseOffset,
    lastOffset: baseOffset + h.lastOffsetDelta,
    maxTimestamp: h.maxTimestamp,
    size,
    position: -1,
    data: null,
    producerId: h.producerId,
    producerEpoch: h.producerEpoch,
    baseSequence: h.baseSequence,
    compression: compressionOf(h.attributes),
  };
}

class FilePartitionStorage implements PartitionStorage {
  private logSize: number;

  private constructor(
    private readonly logFd: number,
    private readonly indexFd: number,
    logSize: number,
  ) {
    this.logSize = logSize;
  }

  /** Opens (or creates) the segment and index in `dir`, recovering from a torn write. */
  static open(dir: string): { storage: FilePartitionStorage; entries: StoredBatch[] } {
    fs.mkdirSync(dir, { recursive: true });
    const logPath = path.join(dir, `${SEGMENT_BASE}.log`);
    const indexPath = path.join(dir, `${SEGMENT_BASE}.index`);
    const logFd = fs.openSync(logPath, 'a+');
    const indexFd = fs.openSync(indexPath, 'a+');
    let logSize = fs.fstatSync(logFd).size;
    const indexBytes = fs.readFileSync(indexPath);

    // 1. Index entries, as long as they chain (consecutive offsets and positions) and lie inside the log.
    const entries: StoredBatch[] = [];
    let position = 0;
    let nextOffset = 0;
    for (let at = 0; at + INDEX_ENTRY_SIZE <= indexBytes.length; at += INDEX_ENTRY_SIZE) {
      const e = decodeIndexEntry(indexBytes, at);
      const chained =
        entries.length === 0 ? e.position === 0 : e.position === position && e.baseOffset === nextOffset;
      if (!chained || e.size < RECORD_BATCH_HEADER_SIZE || e.position + e.size > logSize) break;
      entries.push(e);
      position = e.position + e.size;
      nextOffset = e.lastOffset + 1;
    }
    if (entries.length > 0) nextOffset = entries[entries.length - 1].lastOffset + 1;

    // 2. Batches in the log beyond the index (crash between the two appends): scan, validate, re-index.
    const recovered: StoredBatch[] = [];
    const head = Buffer.alloc(RECORD_BATCH_HEADER_SIZE);
    while (position + RECORD_BATCH_HEADER_SIZE <= logSize) {
      fs.readSync(logFd, head, 0, RECORD_BATCH_HEADER_SIZE, position);
      const size = 12 + head.readInt32BE(8);
      if (size < RECORD_BATCH_HEADER_SIZE || position + size > logSize) break;
      const batch = Buffer.alloc(size);
      fs.readSync(logFd, batch, 0, size, position);
      if (checkRecordBatch(batch) !== null) break;
      const h = readRecordBatchHeader(batch);
      if (h.baseOffset !== nextOffset) break;
      const e = entryFromHeader(h, h.baseOffset, size);
      e.position = position;
      recovered.push(e);
      position += size;
      nextOffset = e.lastOffset + 1;
    }

    // 3. Cut the torn tail of the log and rewrite the index to match what was kept.
    if (position < logSize) {
      fs.ftruncateSync(logFd, position);
      logSize = position;
    }
    if (recovered.length > 0 || indexBytes.length !== entries.length * INDEX_ENTRY_SIZE) {
      fs.ftruncateSync(indexFd, entries.length * INDEX_ENTRY_SIZE);
      for (const e of recovered) fs.writeSync(indexFd, encodeIndexEntry(e));
    }
    entries.push(...recovered);
    return { storage: new FilePartitionStorage(logFd, indexFd, logSize), entries };
  }

  append(batch: Buffer, entry: StoredBatch): void {
    entry.position = this.logSize;
    let written = 0;
    while (written < batch.length)
      written += fs.writeSync(this.logFd, batch, written, batch.length - written);
    this.logSize += batch.length;
    fs.writeSync(this.indexFd, encodeIndexEntry(entry));
  }

  read(entry: StoredBatch): Buffer {
    const out = Buffer.allocUnsafe(entry.size);
    let done = 0;
    while (done < entry.size) {
      const n = fs.readSync(this.logFd, out, done, entry.size - done, entry.position + done);
      if (n === 0) throw new Error(`segment ended early at ${entry.position + done}`);
      done += n;
    }
    return out;
  }

  close(): void {
    fs.closeSync(this.logFd);
    fs.closeSync(this.indexFd);
  }
}

/** One partition: its batches, offsets, idempotence state and waiting fetchers. */
export class PartitionLog {
  readonly entries: StoredBatch[];
  readonly producers = new ProducerStateTable();
  readonly logStartOffset = 0;
  private endOffset: number;
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly topic: string,
    readonly index: number,
    private readonly storage: PartitionStorage,
    entries: StoredBatch[] = [],
  ) {
    this.entries = entries;
    const last = entries[entries.length - 1];
    this.endOffset = last === undefined ? 0 : last.lastOffset + 1;
    // Rebuild idempotence state from the log, so duplicates are still recognised after a restart.
    for (const e of entries) {
      this.producers.record(
        {
          producerId: e.producerId,
          producerEpoch: e.producerEpoch,
          baseSequence: e.baseSequence,
          lastOffsetDelta: e.lastOffset - e.baseOffset,
        },
        e.baseOffset,
      );
    }
  }

  /** Log end offset = high watermark = last stable offset (one node, no transactions). */
  get logEndOffset(): number {
    return this.endOffset;
  }

  /**
   * Appends a validated batch at the log end: copies it, writes the assigned base offset (and leader epoch 0)
   * into the copy, stores it, and wakes waiting fetches. Returns the stored entry.
   */
  append(batch: Buffer, header: RecordBatchHeader = readRecordBatchHeader(batch)): StoredBatch {
    const baseOffset = this.endOffset;
    const copy = Buffer.from(batch);
    setBaseOffset(copy, baseOffset);
    setPartitionLeaderEpoch(copy, 0);
    const entry = entryFromHeader(header, baseOffset, copy.length);
    this.storage.append(copy, entry);
    this.entries.push(entry);
    this.endOffset = entry.lastOffset + 1;
    this.producers.record(header, baseOffset);
    this.wake();
    return entry;
  }

  /** Index of the first batch whose last offset is ≥ `offset`, or -1. */
  findBatchIndex(offset: number): number {
    let lo = 0;
    let hi = this.entries.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid].lastOffset >= offset) {
        found = mid;
        hi = mid - 1;
      } else {
        lo = mid + 1;
      }
    }
    return found;
  }

  read(entry: StoredBatch): Buffer {
    return this.storage.read(entry);
  }

  /** Registers a callback for the next append; returns a function that unregisters it. */
  onAppend(waiter: () => void): () => void {
    this.waiters.add(waiter);
    return () => this.waiters.delete(waiter);
  }

  wake(): void {
    const ws = [...this.waiters];
    this.waiters.clear();
    for (const w of ws) w();
  }

  close(): void {
    this.wake();
    this.storage.close();
  }
}

export interface TopicConfig {
  name: string;
  value: string | null;
}

export class Topic {
  constructor(
    readonly name: string,
    readonly partitions: PartitionLog[],
    readonly configs: TopicConfig[] = [],
  ) {}
}

export const MAX_TOPIC_NAME_LENGTH = 249;

/** Kafka's rule: 1–249 characters of [a-zA-Z0-9._-], and not "." or "..". */
export function isValidTopicName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= MAX_TOPIC_NAME_LENGTH &&
    name !== '.' &&
    name !== '..' &&
    /^[a-zA-Z0-9._-]+$/.test(name)
  );
}

export interface TopicStoreOptions {
  /** Persist to this folder; in memory when absent. */
  dataDir?: string;
}

export class TopicStore {
  private readonly topicMap = new Map<string, Topic>();
  private closed = false;

  private constructor(readonly dataDir: string | undefined) {}

  /** Opens a store; with `dataDir`, loads every topic already in the folder. */
  static open(options: TopicStoreOptions = {}): TopicStore {
    const store = new TopicStore(options.dataDir === undefined ? undefined : path.resolve(options.dataDir));
    if (store.dataDir !== undefined) store.load();
    return store;
  }

  private topicsDir(): string {
    return path.join(this.dataDir!, 'topics');
  }

  private load(): void {
    const dir = this.topicsDir();
    fs.mkdirSync(dir, { recursive: true });
    for (const name of fs.readdirSync(dir).sort()) {
      const metaPath = path.join(dir, name, 'topic.json');
      if (!fs.existsSync(metaPath)) continue;
      const meta = JSON.parse(fs.readFileSync(metaPath, 'utf8')) as {
        name: string;
        partitions: number;
        configs?: TopicConfig[];
      };
      if (meta.name !== name || !isValidTopicName(name)) continue;
      const partitions: PartitionLog[] = [];
      for (let p = 0; p < meta.partitions; p++) {
        const { storage, entries } = FilePartitionStorage.open(path.join(dir, name, String(p)));
        partitions.push(new PartitionLog(name, p, storage, entries));
      }
      this.topicMap.set(name, new Topic(name, partitions, meta.configs ?? []));
    }
  }

  /** Every topic, sorted by name. */
  topics(): Topic[] {
    return [...this.topicMap.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get(name: string): Topic | undefined {
    return this.topicMap.get(name);
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.topicMap.get(topic)?.partitions[partition];
  }

  /** Creates a topic (the caller has validated the name and checked it does not exist). */
  create(name: string, numPartitions: number, configs: TopicConfig[] = []): Topic {
    if (this.closed) throw new Error('store is closed');
    if (this.topicMap.has(name)) throw new Error(`topic ${name} exists`);
    if (!isValidTopicName(name)) throw new Error(`invalid topic name ${JSON.stringify(name)}`);
    if (!Number.isInteger(numPartitions) || numPartitions < 1)
      throw new Error(`bad partition count ${numPartitions}`);
    const partitions: PartitionLog[] = [];
    if (this.dataDir === undefined) {
      for (let p = 0; p < numPartitions; p++) {
        partitions.push(new PartitionLog(name, p, new MemoryPartitionStorage()));
      }
    } else {
      const topicDir = path.join(this.topicsDir(), name);
      fs.mkdirSync(topicDir, { recursive: true });
      for (let p = 0; p < numPartitions; p++) {
        const { storage, entries } = FilePartitionStorage.open(path.join(topicDir, String(p)));
        partitions.push(new PartitionLog(name, p, storage, entries));
      }
      // Written last: a topic folder without topic.json (crash during creation) is ignored on load.
      writeJsonAtomic(path.join(topicDir, 'topic.json'), { name, partitions: numPartitions, configs });
    }
    const topic = new Topic(name, partitions, configs);
    this.topicMap.set(name, topic);
    return topic;
  }

  /** Reads a JSON state file from the data folder (undefined in memory mode or when absent). */
  readState<T>(file: string): T | undefined {
    if (this.dataDir === undefined) return undefined;
    const p = path.join(this.dataDir, file);
    if (!fs.existsSync(p)) return undefined;
    return JSON.parse(fs.readFileSync(p, 'utf8')) as T;
  }

  /** Writes a JSON state file into the data folder (no-op in memory mode). */
  writeState(file: string, value: unknown): void {
    if (this.dataDir === undefined || this.closed) return;
    writeJsonAtomic(path.join(this.dataDir, file), value);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.topicMap.values()) for (const p of t.partitions) p.close();
  }
}

function writeJsonAtomic(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

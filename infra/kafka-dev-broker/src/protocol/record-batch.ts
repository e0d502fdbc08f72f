/**
 * RecordBatch v2 (magic 2): header access, validation, offset rewriting, and (for uncompressed and gzip
 * batches) record decoding and encoding.
 *
 * The broker stores batches exactly as the producer sent them. Everything it needs to assign offsets and
 * answer Fetch/ListOffsets (lastOffsetDelta, timestamps, producer fields) is in the uncompressed 61-byte
 * header. The base offset and partition leader epoch lie outside the CRC, so rewriting them keeps it valid.
 */

import { gunzipSync, gzipSync } from 'node:zlib';
import { crc32c } from './crc32c.js';
import { ProtocolError } from './errors.js';
import { Reader } from './reader.js';
import { Writer } from './writer.js';

export const RECORD_BATCH_HEADER_SIZE = 61;
/** batchLength of a batch with no record bytes: the header after the length field. */
export const MIN_BATCH_LENGTH = RECORD_BATCH_HEADER_SIZE - 12;
/** Byte offset of the first byte covered by the CRC (attributes). */
export const CRC_START = 21;

const OFFSET_BASE_OFFSET = 0;
const OFFSET_BATCH_LENGTH = 8;
const OFFSET_LEADER_EPOCH = 12;
const OFFSET_MAGIC = 16;
const OFFSET_CRC = 17;

export const Compression = {
  None: 0,
  Gzip: 1,
  Snappy: 2,
  Lz4: 3,
  Zstd: 4,
} as const;

export const COMPRESSION_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

export const ATTRIBUTE_COMPRESSION_MASK = 0x07;
export const ATTRIBUTE_TIMESTAMP_TYPE = 0x08;
export const ATTRIBUTE_TRANSACTIONAL = 0x10;
export const ATTRIBUTE_CONTROL = 0x20;

export interface RecordBatchHeader {
  baseOffset: number;
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface BatchRecord {
  attributes: number;
  timestampDelta: number;
  offsetDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

/** Reads the 61-byte header. The caller must have checked `batch.length >= 61`. */
export function readRecordBatchHeader(batch: Buffer): RecordBatchHeader {
  if (batch.length < RECORD_BATCH_HEADER_SIZE)
    throw new ProtocolError('record batch shorter than its header');
  const r = new Reader(batch);
  return {
    baseOffset: r.int64(),
    batchLength: r.int32(),
    partitionLeaderEpoch: r.int32(),
    magic: r.int8(),
    crc: r.uint32(),
    attributes: r.int16(),
    lastOffsetDelta: r.int32(),
    baseTimestamp: r.int64(),
    maxTimestamp: r.int64(),
    producerId: r.int64(),
    producerEpoch: r.int16(),
    baseSequence: r.int32(),
    recordCount: r.int32(),
  };
}

export function compressionOf(attributes: number): number {
  return attributes & ATTRIBUTE_COMPRESSION_MASK;
}

/**
 * Splits a RECORDS blob into its batches (views, not copies). Each batch is `12 + batchLength` bytes.
 * Throws a ProtocolError on a truncated tail or an impossible length.
 */
export function splitRecordBatches(records: Buffer): Buffer[] {
  const batches: Buffer[] = [];
  let pos = 0;
  while (pos < records.length) {
    if (records.length - pos < 12 + 5) throw new ProtocolError('truncated record batch header');
    const batchLength = records.readInt32BE(pos + OFFSET_BATCH_LENGTH);
    if (batchLength < 0) throw new ProtocolError(`negative batch length ${batchLength}`);
    const size = 12 + batchLength;
    if (pos + size > records.length) throw new ProtocolError('truncated record batch');
    batches.push(records.subarray(pos, pos + size));
    pos += size;
  }
  return batches;
}

export type BatchProblem =
  | { kind: 'magic'; magic: number }
  | { kind: 'length'; message: string }
  | { kind: 'crc'; expected: number; actual: number };

/** Checks magic = 2, a sane length and the CRC-32C. Returns null when the batch is valid. */
export function checkRecordBatch(batch: Buffer): BatchProblem | null {
  if (batch.length < 17) return { kind: 'length', message: 'batch too short for its magic byte' };
  const magic = batch.readInt8(OFFSET_MAGIC);
  if (magic !== 2) return { kind: 'magic', magic };
  const batchLength = batch.readInt32BE(OFFSET_BATCH_LENGTH);
  if (batchLength < MIN_BATCH_LENGTH || batch.length !== 12 + batchLength) {
    return { kind: 'length', message: `batchLength ${batchLength} for ${batch.length} bytes` };
  }
  const expected = batch.readUInt32BE(OFFSET_CRC);
  const actual = crc32c(batch, CRC_START, batch.length);
  if (expected !== actual) return { kind: 'crc', expected, actual };
  return null;
}

/** Writes `baseOffset` into bytes 0–7 (outside the CRC). */
export function setBaseOffset(batch: Buffer, baseOffset: number): void {
  batch.writeBigInt64BE(BigInt(baseOffset), OFFSET_BASE_OFFSET);
}

/** Writes the partition leader epoch into bytes 12–15 (outside the CRC). */
export function setPartitionLeaderEpoch(batch: Buffer, epoch: number): void {
  batch.writeInt32BE(epoch, OFFSET_LEADER_EPOCH);
}

export class UnsupportedCompressionError extends Error {
  override name = 'UnsupportedCompressionError';
  constructor(readonly codec: number) {
    super(`cannot decompress ${COMPRESSION_NAMES[codec] ?? `codec ${codec}`} record batches`);
  }
}

/** Whether this build can decompress the codec (none and gzip; snappy/lz4/zstd are stored opaquely). */
export function canDecodeCompression(codec: number): boolean {
  return codec === Compression.None || codec === Compression.Gzip;
}

/** The records section, decompressed. Throws UnsupportedCompressionError for snappy/lz4/zstd. */
export function recordsSection(batch: Buffer, header = readRecordBatchHeader(batch)): Buffer {
  const body = batch.subarray(RECORD_BATCH_HEADER_SIZE);
  const codec = compressionOf(header.attributes);
  if (codec === Compression.None) return body;
  if (codec === Compression.Gzip) {
    try {
      return gunzipSync(body);
    } catch (e) {
      throw new ProtocolError(`bad gzip record batch: ${(e as Error).message}`);
    }
  }
  throw new UnsupportedCompressionError(codec);
}

function readRecord(r: Reader): BatchRecord {
  const length = r.varint();
  if (length < 0 || length > r.remaining()) throw new ProtocolError(`bad record length ${length}`);
  const end = r.offset + length;
  const rr = new Reader(r.buf, r.offset, end);
  const attributes = rr.int8();
  const timestampDelta = rr.varlong();
  const offsetDelta = rr.varint();
  const keyLength = rr.varint();
  const key = keyLength < 0 ? null : Buffer.from(rr.raw(keyLength));
  const valueLength = rr.varint();
  const value = valueLength < 0 ? null : Buffer.from(rr.raw(valueLength));
  const headerCount = rr.varint();
  if (headerCount < 0 || headerCount > rr.remaining())
    throw new ProtocolError(`bad header count ${headerCount}`);
  const headers: RecordHeader[] = [];
  for (let i = 0; i < headerCount; i++) {
    const hkLength = rr.varint();
    if (hkLength < 0) throw new ProtocolError('null header key');
    const hk = rr.raw(hkLength).toString('utf8');
    const hvLength = rr.varint();
    const hv = hvLength < 0 ? null : Buffer.from(rr.raw(hvLength));
    headers.push({ key: hk, value: hv });
  }
  if (rr.offset !== end) throw new ProtocolError(`record length ${length} does not match its fields`);
  r.offset = end;
  return { attributes, timestampDelta, offsetDelta, key, value, headers };
}

/** Decodes the records of an uncompressed or gzip batch. */
export function decodeRecords(batch: Buffer, header = readRecordBatchHeader(batch)): BatchRecord[] {
  const section = recordsSection(batch, header);
  const r = new Reader(section);
  const records: BatchRecord[] = [];
  for (let i = 0; i < header.recordCount; i++) records.push(readRecord(r));
  if (r.remaining() !== 0) throw new ProtocolError(`${r.remaining()} bytes after the last record`);
  return records;
}

/**
 * Checks what a broker should check in a decodable batch: recordCount records, offset deltas 0..n-1 in
 * order, lastOffsetDelta = n - 1, and nothing left over. Returns a message, or null when valid.
 */
export function validateRecords(batch: Buffer, header = readRecordBatchHeader(batch)): string | null {
  if (header.recordCount <= 0) return `recordCount ${header.recordCount}`;
  if (header.lastOffsetDelta !== header.recordCount - 1) {
    return `lastOffsetDelta ${header.lastOffsetDelta} with ${header.recordCount} records`;
  }
  let records: BatchRecord[];
  try {
    records = decodeRecords(batch, header);
  } catch (e) {
    return (e as Error).message;
  }
  for (let i = 0; i < records.length; i++) {
    if (records[i].offsetDelta !== i) return `record ${i} has offsetDelta ${records[i].offsetDelta}`;
  }
  return null;
}

export interface RecordInput {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, Buffer | string | null>;
  timestamp?: number;
}

export interface EncodeBatchOptions {
  baseOffset?: number;
  partitionLeaderEpoch?: number;
  compression?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  /** Timestamp for records without one (default Date.now()). */
  timestamp?: number;
  transactional?: boolean;
}

const toBytes = (v: Buffer | string): Buffer => (typeof v === 'string' ? Buffer.from(v, 'utf8') : v);

/** Encodes records as one RecordBatch v2 (used by tests and by anyone building fixtures). */
export function encodeRecordBatch(records: readonly RecordInput[], opts: EncodeBatchOptions = {}): Buffer {
  if (records.length === 0) throw new RangeError('a record batch needs at least one record');
  const now = opts.timestamp ?? Date.now();
  const timestamps = records.map((r) => r.timestamp ?? now);
  const baseTimestamp = timestamps[0];
  const maxTimestamp = Math.max(...timestamps);
  const body = new Writer(64 * records.length);
  records.forEach((rec, i) => {
    const rw = new Writer(64);
    rw.int8(0)
      .varlong(timestamps[i] - baseTimestamp)
      .varint(i);
    if (rec.key === undefined || rec.key === null) rw.varint(-1);
    else {
      const k = toBytes(rec.key);
      rw.varint(k.length).raw(k);
    }
    if (rec.value === null) rw.varint(-1);
    else {
      const v = toBytes(rec.value);
      rw.varint(v.length).raw(v);
    }
    const headers = Object.entries(rec.headers ?? {});
    rw.varint(headers.length);
    for (const [hk, hv] of headers) {
      const kb = Buffer.from(hk, 'utf8');
      rw.varint(kb.length).raw(kb);
      if (hv === null) rw.varint(-1);
      else {
        const vb = toBytes(hv);
        rw.varint(vb.length).raw(vb);
      }
    }
    const rb = rw.toBuffer();
    body.varint(rb.length).raw(rb);
  });
  const compression = opts.compression ?? Compression.None;
  let section = body.toBuffer();
  if (compression === Compression.Gzip) section = gzipSync(section);
  else if (compression !== Compression.None) throw new UnsupportedCompressionError(compression);
  const attributes = compression | (opts.transactional ? ATTRIBUTE_TRANSACTIONAL : 0);

  const w = new Writer(RECORD_BATCH_HEADER_SIZE + section.length);
  w.int64(opts.baseOffset ?? 0)
    .int32(MIN_BATCH_LENGTH + section.length)
    .int32(opts.partitionLeaderEpoch ?? 0)
    .int8(2)
    .uint32(0) // CRC, filled below
    .int16(attributes)
    .int32(records.length - 1)
    .int64(baseTimestamp)
    .int64(maxTimestamp)
    .int64(opts.producerId ?? -1)
    .int16(opts.producerEpoch ?? -1)
    .int32(opts.baseSequence ?? -1)
    .int32(records.length)
    .raw(section);
  const batch = Buffer.from(w.toBuffer());
  batch.writeUInt32BE(crc32c(batch, CRC_START, batch.length), OFFSET_CRC);
  return batch;
}

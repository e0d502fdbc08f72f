import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../src/protocol/errors.js';
import {
  Compression,
  checkRecordBatch,
  decodeRecords,
  encodeRecordBatch,
  readRecordBatchHeader,
  setBaseOffset,
  splitRecordBatches,
  UnsupportedCompressionError,
  validateRecords,
} from '../../src/protocol/record-batch.js';

describe('RecordBatch v2', () => {
  const records = [
    { key: 'a', value: 'one', headers: { h1: 'x', h2: null }, timestamp: 1000 },
    { key: null, value: null, timestamp: 1005 },
    { key: Buffer.from([0, 255]), value: 'ü', timestamp: 990 },
  ];

  for (const [name, compression] of [
    ['uncompressed', Compression.None],
    ['gzip', Compression.Gzip],
  ] as const) {
    it(`${name}: encodes, checks and decodes keys, null values, headers and timestamps`, () => {
      const batch = encodeRecordBatch(records, {
        compression,
        producerId: 5,
        producerEpoch: 1,
        baseSequence: 9,
      });
      expect(checkRecordBatch(batch)).toBeNull();
      expect(validateRecords(batch)).toBeNull();
      const h = readRecordBatchHeader(batch);
      expect(h).toMatchObject({
        magic: 2,
        attributes: compression,
        lastOffsetDelta: 2,
        recordCount: 3,
        baseTimestamp: 1000,
        maxTimestamp: 1005,
        producerId: 5,
        producerEpoch: 1,
        baseSequence: 9,
        batchLength: batch.length - 12,
      });
      const decoded = decodeRecords(batch);
      expect(decoded.map((r) => r.offsetDelta)).toEqual([0, 1, 2]);
      expect(decoded.map((r) => r.timestampDelta)).toEqual([0, 5, -10]);
      expect(decoded[0]).toMatchObject({
        key: Buffer.from('a'),
        value: Buffer.from('one'),
        headers: [
          { key: 'h1', value: Buffer.from('x') },
          { key: 'h2', value: null },
        ],
      });
      expect(decoded[1]).toMatchObject({ key: null, value: null, headers: [] });
      expect(decoded[2].key).toEqual(Buffer.from([0, 255]));
    });
  }

  it('rewriting the base offset keeps the CRC valid', () => {
    const batch = encodeRecordBatch(records);
    setBaseOffset(batch, 123456789);
    expect(checkRecordBatch(batch)).toBeNull();
    expect(readRecordBatchHeader(batch).baseOffset).toBe(123456789);
  });

  it('detects CRC, magic and length problems', () => {
    const batch = encodeRecordBatch(records);
    const flipped = Buffer.from(batch);
    flipped[30] ^= 1;
    expect(checkRecordBatch(flipped)).toMatchObject({ kind: 'crc' });
    const magic = Buffer.from(batch);
    magic[16] = 1;
    expect(checkRecordBatch(magic)).toEqual({ kind: 'magic', magic: 1 });
    expect(checkRecordBatch(batch.subarray(0, batch.length - 1))).toMatchObject({ kind: 'length' });
  });

  it('splits back-to-back batches and rejects a truncated tail', () => {
    const a = encodeRecordBatch([{ value: 'a' }]);
    const bb = encodeRecordBatch([{ value: 'b' }, { value: 'c' }]);
    expect(splitRecordBatches(Buffer.concat([a, bb]))).toEqual([a, bb]);
    expect(() => splitRecordBatches(Buffer.concat([a, bb.subarray(0, 20)]))).toThrow(ProtocolError);
  });

  it('validateRecords catches a record count or offset deltas that disagree with the header', () => {
    const batch = encodeRecordBatch(records);
    const lying = Buffer.from(batch);
    lying.writeInt32BE(4, 57); // recordCount 4, but lastOffsetDelta 2 and three records
    expect(validateRecords(lying)).toMatch(/lastOffsetDelta 2 with 4 records/);
  });

  it('snappy, lz4 and zstd are not decoded (stored opaquely by the broker)', () => {
    const batch = encodeRecordBatch([{ value: 'a' }]);
    batch.writeInt16BE(Compression.Snappy, 21);
    expect(() => decodeRecords(batch)).toThrow(UnsupportedCompressionError);
    expect(() => encodeRecordBatch([{ value: 'a' }], { compression: Compression.Lz4 })).toThrow(/lz4/);
  });
});

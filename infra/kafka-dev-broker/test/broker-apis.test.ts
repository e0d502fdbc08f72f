/** Per-API behaviour of a running broker, driven by raw requests (spec §4, §6, §7). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from '../src/broker.js';
import { ApiKey } from '../src/protocol/api-keys.js';
import { crc32c } from '../src/protocol/crc32c.js';
import { encodeFetchRequestV4 } from '../src/protocol/fetch/v4/request.js';
import { encodeFindCoordinatorRequestV0 } from '../src/protocol/find-coordinator/v0/request.js';
import { decodeFindCoordinatorResponseV0 } from '../src/protocol/find-coordinator/v0/response.js';
import { encodeFindCoordinatorRequestV1 } from '../src/protocol/find-coordinator/v1/request.js';
import { decodeFindCoordinatorResponseV1 } from '../src/protocol/find-coordinator/v1/response.js';
import { encodeProduceRequestV0 } from '../src/protocol/produce/v0/request.js';
import { decodeProduceResponseV0 } from '../src/protocol/produce/v0/response.js';
import { decodeProduceResponseV1 } from '../src/protocol/produce/v1/response.js';
import { decodeProduceResponseV2 } from '../src/protocol/produce/v2/response.js';
import {
  Compression,
  decodeRecords,
  encodeRecordBatch,
  RECORD_BATCH_HEADER_SIZE,
  readRecordBatchHeader,
} from '../src/protocol/record-batch.js';
import type { Writer } from '../src/protocol/writer.js';
import { RawClient } from './helpers/raw-client.js';
import {
  createTopics,
  fetch,
  fetchBatches,
  initProducerId,
  listOffsets,
  metadata,
  produce,
} from './helpers/requests.js';

let broker: RunningBroker;
let c: RawClient;

beforeAll(async () => {
  broker = await startBroker({ partitions: 2, maxMessageBytes: 64 * 1024 });
  c = await RawClient.connect(broker.port);
});
afterAll(async () => {
  c.close();
  await broker.stop();
});

const rec = (value: string, timestamp = 1_700_000_000_000) => ({ key: `k-${value}`, value, timestamp });

/** A batch with an arbitrary (e.g. snappy) codec: opaque bytes after the header, valid CRC. */
function opaqueBatch(
  codec: number,
  recordCount: number,
  payload: Buffer,
  producer = { id: -1, epoch: -1, seq: -1 },
) {
  const b = Buffer.alloc(RECORD_BATCH_HEADER_SIZE + payload.length);
  b.writeInt32BE(b.length - 12, 8);
  b.writeInt8(2, 16);
  b.writeInt16BE(codec, 21);
  b.writeInt32BE(recordCount - 1, 23);
  b.writeBigInt64BE(1_700_000_000_000n, 27);
  b.writeBigInt64BE(1_700_000_000_000n, 35);
  b.writeBigInt64BE(BigInt(producer.id), 43);
  b.writeInt16BE(producer.epoch, 51);
  b.writeInt32BE(producer.seq, 53);
  b.writeInt32BE(recordCount, 57);
  payload.copy(b, RECORD_BATCH_HEADER_SIZE);
  b.writeUInt32BE(crc32c(b, 21), 17);
  return b;
}

describe('Metadata v4', () => {
  it('null topics = all topics, [] = brokers only; one broker that is also the controller', async () => {
    await createTopics(c, [{ name: 'md-a', numPartitions: 3 }]);
    const all = await metadata(c, null);
    expect(all.controllerId).toBe(1);
    expect(all.clusterId).toBe('kafka-dev-broker');
    expect(all.brokers).toEqual([{ nodeId: 1, host: '127.0.0.1', port: broker.port, rack: null }]);
    const a = all.topics.find((t) => t.name === 'md-a')!;
    expect(a.partitions).toEqual(
      [0, 1, 2].map((i) => ({
        errorCode: 0,
        partitionIndex: i,
        leaderId: 1,
        replicaNodes: [1],
        isrNodes: [1],
      })),
    );
    expect((await metadata(c, [])).topics).toEqual([]);
  });

  it('auto-creates with the default partition count only when the request allows it', async () => {
    const denied = await metadata(c, ['md-auto'], false);
    expect(denied.topics).toEqual([{ errorCode: 3, name: 'md-auto', isInternal: false, partitions: [] }]);
    const created = await metadata(c, ['md-auto'], true);
    expect(created.topics[0].errorCode).toBe(0);
    expect(created.topics[0].partitions).toHaveLength(2);
  });

  it('reports invalid topic names with error 17', async () => {
    const res = await metadata(c, ['bad/name', '..', 'x'.repeat(250)], true);
    expect(res.topics.map((t) => t.errorCode)).toEqual([17, 17, 17]);
  });

  it('does not auto-create when the broker disables it', async () => {
    const b = await startBroker({ autoCreateTopics: false });
    const cc = await RawClient.connect(b.port);
    expect((await metadata(cc, ['nope'], true)).topics[0].errorCode).toBe(3);
    cc.close();
    await b.stop();
  });
});

describe('CreateTopics v2', () => {
  it('creates, treats -1 as the default, and reports the spec errors', async () => {
    const res = await createTopics(c, [
      { name: 'ct-3', numPartitions: 3 },
      { name: 'ct-default' },
      { name: 'ct-zero', numPartitions: 0 },
      { name: 'ct-neg', numPartitions: -5 },
      { name: 'ct-rf3', numPartitions: 1, replicationFactor: 3 },
      { name: 'bad name' },
    ]);
    expect(res.map((t) => [t.name, t.errorCode])).toEqual([
      ['ct-3', 0],
      ['ct-default', 0],
      ['ct-zero', 37],
      ['ct-neg', 37],
      ['ct-rf3', 38],
      ['bad name', 17],
    ]);
    const again = await createTopics(c, [{ name: 'ct-3', numPartitions: 3 }]);
    expect(again[0]).toMatchObject({ errorCode: 36, errorMessage: "Topic 'ct-3' already exists." });
    const md = await metadata(c, ['ct-3', 'ct-default']);
    expect(md.topics.map((t) => t.partitions.length)).toEqual([3, 2]);
  });

  it('validate_only checks without creating; manual assignments to this broker work', async () => {
    expect((await createTopics(c, [{ name: 'ct-validate', numPartitions: 2 }], true))[0].errorCode).toBe(0);
    expect((await metadata(c, ['ct-validate'])).topics[0].errorCode).toBe(3);
    const res = await createTopics(c, [
      {
        name: 'ct-assigned',
        assignments: [
          { partitionIndex: 0, brokerIds: [1] },
          { partitionIndex: 1, brokerIds: [1] },
        ],
      },
    ]);
    expect(res[0].errorCode).toBe(0);
    expect((await metadata(c, ['ct-assigned'])).topics[0].partitions).toHaveLength(2);
  });
});

describe('Produce v3 and Fetch v4', () => {
  beforeAll(async () => {
    await createTopics(c, [{ name: 'pf', numPartitions: 1 }]);
  });

  it('assigns consecutive base offsets and serves whole batches with HW = LSO = LEO', async () => {
    expect(await produce(c, 'pf', 0, encodeRecordBatch([rec('a'), rec('b'), rec('c')]))).toEqual({
      index: 0,
      errorCode: 0,
      baseOffset: 0,
      logAppendTimeMs: -1,
    });
    const gz = encodeRecordBatch([rec('d'), rec('e')], { compression: Compression.Gzip });
    expect((await produce(c, 'pf', 0, gz)).baseOffset).toBe(3);
    // Two batches in one RECORDS blob: base_offset is the first one's.
    const two = Buffer.concat([encodeRecordBatch([rec('f')]), encodeRecordBatch([rec('g'), rec('h')])]);
    expect((await produce(c, 'pf', 0, two)).baseOffset).toBe(5);

    const res = await fetchBatches(c, 'pf', 0, 0);
    expect(res).toMatchObject({
      errorCode: 0,
      highWatermark: 8,
      lastStableOffset: 8,
      abortedTransactions: null,
    });
    expect(res.batches.map((b) => readRecordBatchHeader(b).baseOffset)).toEqual([0, 3, 5, 6]);
    // The gzip batch comes back exactly as sent, apart from its base offset.
    const stored = res.batches[1];
    expect(stored.subarray(8)).toEqual(gz.subarray(8));
    expect(decodeRecords(stored).map((r) => r.value?.toString())).toEqual(['d', 'e']);
  });

  it('starts with the batch containing fetch_offset (clients drop the records before it)', async () => {
    const res = await fetchBatches(c, 'pf', 0, 4);
    expect(res.batches.map((b) => readRecordBatchHeader(b).baseOffset)).toEqual([3, 5, 6]);
  });

  it('answers fetch_offset = HW with no records, and beyond HW with OFFSET_OUT_OF_RANGE', async () => {
    expect(await fetchBatches(c, 'pf', 0, 8)).toMatchObject({ errorCode: 0, highWatermark: 8, batches: [] });
    expect(await fetchBatches(c, 'pf', 0, 9)).toMatchObject({ errorCode: 1, highWatermark: 8, batches: [] });
    expect(await fetchBatches(c, 'pf', 0, -1)).toMatchObject({ errorCode: 1 });
  });

  it('answers unknown topics and partitions with error 3', async () => {
    expect(await fetchBatches(c, 'nope', 0, 0)).toMatchObject({
      errorCode: 3,
      highWatermark: -1,
      lastStableOffset: -1,
    });
    expect(await fetchBatches(c, 'pf', 7, 0)).toMatchObject({ errorCode: 3 });
    expect((await produce(c, 'nope', 0, encodeRecordBatch([rec('x')]))).errorCode).toBe(3);
    expect((await produce(c, 'pf', 1, encodeRecordBatch([rec('x')]))).errorCode).toBe(3);
  });

  it('respects partition_max_bytes and max_bytes, but always returns the first batch', async () => {
    const one = await fetchBatches(c, 'pf', 0, 0, {});
    const sizes = one.batches.map((b) => b.length);
    const limited = await fetch(c, {
      topics: [
        {
          topic: 'pf',
          partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: sizes[0] + sizes[1] }],
        },
      ],
    });
    expect(limited[0].partitions[0].records[0].length).toBe(sizes[0] + sizes[1]);
    const tiny = await fetch(c, {
      maxBytes: 1,
      topics: [{ topic: 'pf', partitions: [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1 }] }],
    });
    expect(tiny[0].partitions[0].records[0].length).toBe(sizes[0]);
  });

  it('rejects corrupt batches with CORRUPT_MESSAGE and appends nothing', async () => {
    const bad = encodeRecordBatch([rec('z')]);
    bad[bad.length - 1] ^= 1; // breaks the CRC
    expect((await produce(c, 'pf', 0, bad)).errorCode).toBe(2);
    const magic7 = encodeRecordBatch([rec('z')]);
    magic7.writeInt8(7, 16);
    expect((await produce(c, 'pf', 0, magic7)).errorCode).toBe(2);
    const truncated = encodeRecordBatch([rec('z')]).subarray(0, 40);
    expect((await produce(c, 'pf', 0, truncated)).errorCode).toBe(2);
    expect((await produce(c, 'pf', 0, null)).errorCode).toBe(2);
    // Valid CRC but lastOffsetDelta disagrees with the records.
    const lying = encodeRecordBatch([rec('y'), rec('z')]);
    lying.writeInt32BE(5, 23);
    lying.writeUInt32BE(crc32c(lying, 21), 17);
    expect((await produce(c, 'pf', 0, lying)).errorCode).toBe(2);
    // A good batch followed by a bad one: neither is appended.
    const mixed = Buffer.concat([encodeRecordBatch([rec('ok')]), bad]);
    expect((await produce(c, 'pf', 0, mixed)).errorCode).toBe(2);
    expect((await listOffsets(c, 'pf', 0, -1)).offset).toBe(8);
  });

  it('rejects invalid acks with 21 and oversized batches with 10', async () => {
    expect((await produce(c, 'pf', 0, encodeRecordBatch([rec('a')]), 2)).errorCode).toBe(21);
    const huge = encodeRecordBatch([{ value: 'x'.repeat(70 * 1024) }]);
    expect((await produce(c, 'pf', 0, huge)).errorCode).toBe(10);
  });

  it('Produce v0, v1 and v2 (advertised for librdkafka) use their own layouts and the same log', async () => {
    await createTopics(c, [{ name: 'old-produce', numPartitions: 1 }]);
    const body = (w: Writer, value: string) =>
      encodeProduceRequestV0(w, {
        acks: -1,
        timeoutMs: 1000,
        topicData: [
          { name: 'old-produce', partitionData: [{ index: 0, records: encodeRecordBatch([rec(value)]) }] },
        ],
      });
    const v0 = await c.request(ApiKey.Produce, 0, (w) => body(w, 'v0'), decodeProduceResponseV0);
    expect(v0).toEqual({
      responses: [{ name: 'old-produce', partitionResponses: [{ index: 0, errorCode: 0, baseOffset: 0 }] }],
    });
    const v1 = await c.request(ApiKey.Produce, 1, (w) => body(w, 'v1'), decodeProduceResponseV1);
    expect(v1.responses[0].partitionResponses[0].baseOffset).toBe(1);
    expect(v1.throttleTimeMs).toBe(0);
    const v2 = await c.request(ApiKey.Produce, 2, (w) => body(w, 'v2'), decodeProduceResponseV2);
    expect(v2.responses[0].partitionResponses[0]).toEqual({
      index: 0,
      errorCode: 0,
      baseOffset: 2,
      logAppendTimeMs: -1,
    });
    // Old message formats (magic 0/1) are refused with UNSUPPORTED_FOR_MESSAGE_FORMAT.
    const magic1 = encodeRecordBatch([rec('old')]);
    magic1.writeInt8(1, 16);
    expect((await produce(c, 'old-produce', 0, magic1)).errorCode).toBe(43);
  });

  it('stores snappy/lz4/zstd batches without decompressing and serves them as received', async () => {
    await createTopics(c, [{ name: 'opaque', numPartitions: 1 }]);
    const snappy = opaqueBatch(Compression.Snappy, 4, Buffer.from('not really snappy'));
    const lz4 = opaqueBatch(Compression.Lz4, 2, Buffer.from('lz4 frame'));
    expect((await produce(c, 'opaque', 0, snappy)).baseOffset).toBe(0);
    expect((await produce(c, 'opaque', 0, lz4)).baseOffset).toBe(4);
    const res = await fetchBatches(c, 'opaque', 0, 0);
    expect(res.highWatermark).toBe(6);
    expect(res.batches).toEqual([
      snappy,
      (() => {
        const b = Buffer.from(lz4);
        b.writeBigInt64BE(4n, 0);
        return b;
      })(),
    ]);
  });

  it('long-polls: an empty Fetch waits for max_wait_ms, and a produce wakes it early', async () => {
    await createTopics(c, [{ name: 'poll', numPartitions: 1 }]);
    const t0 = Date.now();
    const empty = await fetchBatches(c, 'poll', 0, 0, { maxWaitMs: 300 });
    expect(empty.batches).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(280);

    const waiter = await RawClient.connect(broker.port);
    const t1 = Date.now();
    const pending = fetchBatches(waiter, 'poll', 0, 0, { maxWaitMs: 10_000 });
    await new Promise((r) => setTimeout(r, 100));
    await produce(c, 'poll', 0, encodeRecordBatch([rec('wake')]));
    const woke = await pending;
    expect(Date.now() - t1).toBeLessThan(5000);
    expect(woke.batches).toHaveLength(1);
    waiter.close();
  });

  it('a pending long poll delays later requests on the same connection (answers stay in order)', async () => {
    const conn = await RawClient.connect(broker.port);
    conn.write(
      Buffer.concat([
        conn.frame(
          ApiKey.Fetch,
          4,
          (w) =>
            encodeFetchRequestV4(w, {
              replicaId: -1,
              maxWaitMs: 400,
              minBytes: 1,
              maxBytes: 1000,
              isolationLevel: 0,
              topics: [
                { topic: 'poll', partitions: [{ partition: 0, fetchOffset: 1, partitionMaxBytes: 1000 }] },
              ],
            }),
          71,
        ),
        conn.frame(ApiKey.ApiVersions, 2, () => {}, 72),
      ]),
    );
    const t0 = Date.now();
    expect((await conn.next()).correlationId).toBe(71);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect((await conn.next()).correlationId).toBe(72);
    conn.close();
  });
});

describe('ListOffsets v2', () => {
  it('earliest, latest, and timestamp lookups (exact for plain and gzip batches)', async () => {
    await createTopics(c, [{ name: 'lo', numPartitions: 1 }]);
    const t = 1_800_000_000_000;
    expect(await listOffsets(c, 'lo', 0, -1)).toEqual({
      partitionIndex: 0,
      errorCode: 0,
      timestamp: -1,
      offset: 0,
    });
    await produce(c, 'lo', 0, encodeRecordBatch([rec('a', t), rec('b', t + 10), rec('c', t + 20)]));
    await produce(
      c,
      'lo',
      0,
      encodeRecordBatch([rec('d', t + 30), rec('e', t + 40)], { compression: Compression.Gzip }),
    );
    expect((await listOffsets(c, 'lo', 0, -2)).offset).toBe(0);
    expect((await listOffsets(c, 'lo', 0, -1)).offset).toBe(5);
    expect(await listOffsets(c, 'lo', 0, t + 5)).toMatchObject({ offset: 1, timestamp: t + 10 });
    expect(await listOffsets(c, 'lo', 0, t + 10)).toMatchObject({ offset: 1, timestamp: t + 10 });
    expect(await listOffsets(c, 'lo', 0, t + 35)).toMatchObject({ offset: 4, timestamp: t + 40 });
    expect(await listOffsets(c, 'lo', 0, 0)).toMatchObject({ offset: 0, timestamp: t });
    expect(await listOffsets(c, 'lo', 0, t + 41)).toMatchObject({ errorCode: 0, offset: -1, timestamp: -1 });
    expect(await listOffsets(c, 'lo', 3, -1)).toMatchObject({ errorCode: 3, offset: -1 });
  });
});

describe('InitProducerId and the idempotent producer (spec §7)', () => {
  it('v0 and v1 hand out fresh ids with epoch 0; transactional ids are refused', async () => {
    const a = await initProducerId(c, null, 0);
    const b = await initProducerId(c, null, 1);
    expect(a).toMatchObject({ errorCode: 0, producerEpoch: 0 });
    expect(a.producerId).toBeGreaterThanOrEqual(1000);
    expect(b.producerId).toBe(a.producerId + 1);
    expect(await initProducerId(c, 'txn-1')).toMatchObject({
      errorCode: 53,
      producerId: -1,
      producerEpoch: -1,
    });
  });

  it('a duplicate (same producer, same sequences) is not appended and gets the original offset', async () => {
    await createTopics(c, [{ name: 'idem', numPartitions: 1 }]);
    const { producerId } = await initProducerId(c);
    const batch = (seq: number, n = 2, epoch = 0) =>
      encodeRecordBatch(
        Array.from({ length: n }, (_, i) => rec(`s${seq + i}`)),
        { producerId, producerEpoch: epoch, baseSequence: seq },
      );
    expect(await produce(c, 'idem', 0, batch(0))).toMatchObject({ errorCode: 0, baseOffset: 0 });
    expect(await produce(c, 'idem', 0, batch(2))).toMatchObject({ errorCode: 0, baseOffset: 2 });
    // Retries of both: same answer, nothing appended.
    expect(await produce(c, 'idem', 0, batch(0))).toMatchObject({ errorCode: 0, baseOffset: 0 });
    expect(await produce(c, 'idem', 0, batch(2))).toMatchObject({ errorCode: 0, baseOffset: 2 });
    expect((await listOffsets(c, 'idem', 0, -1)).offset).toBe(4);
    // A gap: OUT_OF_ORDER_SEQUENCE_NUMBER.
    expect(await produce(c, 'idem', 0, batch(7))).toMatchObject({ errorCode: 45, baseOffset: -1 });
    // An overlapping but different range is not a duplicate either.
    expect((await produce(c, 'idem', 0, batch(1, 3))).errorCode).toBe(45);
    // The next sequence still works.
    expect(await produce(c, 'idem', 0, batch(4))).toMatchObject({ errorCode: 0, baseOffset: 4 });
    // A newer epoch restarts at 0; an older one is fenced.
    expect((await produce(c, 'idem', 0, batch(3, 1, 1))).errorCode).toBe(45);
    expect(await produce(c, 'idem', 0, batch(0, 1, 1))).toMatchObject({ errorCode: 0, baseOffset: 6 });
    expect((await produce(c, 'idem', 0, batch(6, 1, 0))).errorCode).toBe(47);
    const stored = await fetchBatches(c, 'idem', 0, 0);
    expect(stored.batches.map((b) => readRecordBatchHeader(b).baseSequence)).toEqual([0, 2, 4, 0]);
  });

  it('an unknown producer id starts wherever it starts (state lost), and producerId -1 is never checked', async () => {
    await createTopics(c, [{ name: 'idem2', numPartitions: 1 }]);
    const p = { producerId: 424242, producerEpoch: 0 };
    expect(
      (await produce(c, 'idem2', 0, encodeRecordBatch([rec('a')], { ...p, baseSequence: 17 }))).errorCode,
    ).toBe(0);
    expect(
      (await produce(c, 'idem2', 0, encodeRecordBatch([rec('b')], { ...p, baseSequence: 18 }))).errorCode,
    ).toBe(0);
    // kafkajs non-idempotent: -1 / 0 / 0 every time.
    const plain = encodeRecordBatch([rec('c')], { producerId: -1, producerEpoch: 0, baseSequence: 0 });
    expect((await produce(c, 'idem2', 0, plain)).baseOffset).toBe(2);
    expect((await produce(c, 'idem2', 0, plain)).baseOffset).toBe(3);
  });

  it('sequences wrap from INT32 max to 0', async () => {
    await createTopics(c, [{ name: 'wrap', numPartitions: 1 }]);
    const p = { producerId: 515151, producerEpoch: 0 };
    const max = 0x7fffffff;
    expect(
      (await produce(c, 'wrap', 0, encodeRecordBatch([rec('a'), rec('b')], { ...p, baseSequence: max - 1 })))
        .errorCode,
    ).toBe(0);
    expect(
      (await produce(c, 'wrap', 0, encodeRecordBatch([rec('c')], { ...p, baseSequence: 0 }))).errorCode,
    ).toBe(0);
  });
});

describe('FindCoordinator v0–v2', () => {
  it('always names this broker for groups; transactions get COORDINATOR_NOT_AVAILABLE', async () => {
    const v0 = await c.request(
      ApiKey.FindCoordinator,
      0,
      (w) => encodeFindCoordinatorRequestV0(w, { key: 'g' }),
      decodeFindCoordinatorResponseV0,
    );
    expect(v0).toEqual({ errorCode: 0, nodeId: 1, host: '127.0.0.1', port: broker.port });
    for (const version of [1, 2]) {
      const res = await c.request(
        ApiKey.FindCoordinator,
        version,
        (w) => encodeFindCoordinatorRequestV1(w, { key: 'g', keyType: 0 }),
        decodeFindCoordinatorResponseV1,
      );
      expect(res).toEqual({
        throttleTimeMs: 0,
        errorCode: 0,
        errorMessage: null,
        nodeId: 1,
        host: '127.0.0.1',
        port: broker.port,
      });
    }
    const txn = await c.request(
      ApiKey.FindCoordinator,
      2,
      (w) => encodeFindCoordinatorRequestV1(w, { key: 'tx', keyType: 1 }),
      decodeFindCoordinatorResponseV1,
    );
    expect(txn).toMatchObject({ errorCode: 15, nodeId: -1 });
  });
});

/** kafkajs 2.2.4 against the dev broker, over real sockets on 127.0.0.1. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompressionTypes, type Consumer, type Kafka, type Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from '../src/broker.js';
import { encodeFetchRequestV4 } from '../src/protocol/fetch/v4/request.js';
import { decodeFetchResponseV4 } from '../src/protocol/fetch/v4/response.js';
import { readRecordBatchHeader, splitRecordBatches } from '../src/protocol/record-batch.js';
import { consumeCount, kafkaClient, type ReceivedMessage, toReceived, waitFor } from './helpers/kafkajs.js';
import { RawClient } from './helpers/raw-client.js';

const TOPIC = 'kjs-topic';
const GROUP = 'kjs-group';
const TOTAL = 10_000;
const PER_SEND = 1_000;

function message(i: number): Message {
  return {
    key: `key-${i}`,
    value: `value-${i}-${'x'.repeat(i % 50)}`,
    headers: { seq: String(i), origin: 'kafkajs' },
  };
}

function checkMessage(m: ReceivedMessage): void {
  const i = Number(m.headers.seq);
  expect(m.key).toBe(`key-${i}`);
  expect(m.value).toBe(`value-${i}-${'x'.repeat(i % 50)}`);
  expect(m.headers).toEqual({ seq: String(i), origin: 'kafkajs' });
}

describe('kafkajs 2.2.4 end to end', () => {
  let broker: RunningBroker;
  let kafka: Kafka;

  beforeAll(async () => {
    // Exactly-once delivery across the two consumers needs both in the first generation; a wider join window
    // than the 500 ms default keeps that true on a slow CI machine.
    broker = await startBroker({ groupInitialRebalanceDelayMs: 1500 });
    kafka = kafkaClient(broker.bootstrap, 'kjs-e2e');
  });
  afterAll(async () => {
    await broker.stop();
  });

  it('admin: createTopics (3 partitions), listTopics, fetchTopicMetadata', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect(await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3 }] })).toBe(true);
      // Creating it again: TOPIC_ALREADY_EXISTS, which kafkajs reports as false.
      expect(await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 3 }] })).toBe(false);
      expect(await admin.listTopics()).toContain(TOPIC);
      const meta = await admin.fetchTopicMetadata({ topics: [TOPIC] });
      expect(meta.topics).toHaveLength(1);
      expect(meta.topics[0].name).toBe(TOPIC);
      expect(
        meta.topics[0].partitions
          .map((p) => ({ id: p.partitionId, leader: p.leader, replicas: p.replicas, isr: p.isr }))
          .sort((a, b) => a.id - b.id),
      ).toEqual([0, 1, 2].map((id) => ({ id, leader: 1, replicas: [1], isr: [1] })));
      const cluster = await admin.describeCluster();
      expect(cluster.controller).toBe(1);
      expect(cluster.brokers).toEqual([{ nodeId: 1, host: '127.0.0.1', port: broker.port }]);
    } finally {
      await admin.disconnect();
    }
  });

  it('idempotent producer sends 10k keyed messages with headers, plain and gzip', async () => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      for (let start = 0; start < TOTAL; start += PER_SEND) {
        const gzip = (start / PER_SEND) % 2 === 1;
        const messages = Array.from({ length: PER_SEND }, (_, j) => message(start + j));
        const res = await producer.send({
          topic: TOPIC,
          acks: -1,
          compression: gzip ? CompressionTypes.GZIP : CompressionTypes.None,
          messages,
        });
        for (const r of res) expect(r.errorCode).toBe(0);
      }
    } finally {
      await producer.disconnect();
    }

    // What is stored: contiguous offsets, one producer id, gap-free sequences, both codecs.
    const raw = await RawClient.connect(broker.port);
    let storedRecords = 0;
    const codecs = new Set<number>();
    for (let partition = 0; partition < 3; partition++) {
      const res = await raw.request(
        1,
        4,
        (w) =>
          encodeFetchRequestV4(w, {
            replicaId: -1,
            maxWaitMs: 0,
            minBytes: 0,
            maxBytes: 100 * 1024 * 1024,
            isolationLevel: 0,
            topics: [
              {
                topic: TOPIC,
                partitions: [{ partition, fetchOffset: 0, partitionMaxBytes: 100 * 1024 * 1024 }],
              },
            ],
          }),
        decodeFetchResponseV4,
      );
      const p = res.responses[0].partitions[0];
      expect(p.errorCode).toBe(0);
      const batches = p.records.length === 0 ? [] : splitRecordBatches(p.records[0]);
      let nextOffset = 0;
      let nextSequence = 0;
      const producerIds = new Set<number>();
      for (const b of batches) {
        const h = readRecordBatchHeader(b);
        expect(h.baseOffset).toBe(nextOffset);
        expect(h.baseSequence).toBe(nextSequence);
        nextOffset += h.lastOffsetDelta + 1;
        nextSequence += h.recordCount;
        producerIds.add(h.producerId);
        codecs.add(h.attributes & 7);
        storedRecords += h.recordCount;
      }
      expect(p.highWatermark).toBe(nextOffset);
      expect([...producerIds].every((id) => id >= 1000)).toBe(true);
      expect(producerIds.size).toBe(1);
    }
    raw.close();
    expect(storedRecords).toBe(TOTAL);
    expect([...codecs].sort()).toEqual([0, 1]);
  });

  it('ListOffsets: earliest 0 and latest = high watermark for every partition', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(TOPIC);
      expect(offsets).toHaveLength(3);
      let total = 0;
      for (const o of offsets) {
        expect(o.low).toBe('0');
        expect(o.high).toBe(o.offset);
        total += Number(o.high);
      }
      expect(total).toBe(TOTAL);
    } finally {
      await admin.disconnect();
    }
  });

  it('a consumer group of two receives every message exactly once and commits its offsets', async () => {
    const received: ReceivedMessage[] = [];
    const assignments = new Map<string, number[]>();
    const joins: string[] = []; // leader id seen by each GROUP_JOIN
    const consumers: Consumer[] = ['a', 'b'].map((name) => {
      const c = kafka.consumer({ groupId: GROUP, maxWaitTimeInMs: 500 });
      c.on(c.events.GROUP_JOIN, (e) => {
        assignments.set(name, e.payload.memberAssignment[TOPIC] ?? []);
        joins.push(e.payload.leaderId);
      });
      return c;
    });
    try {
      await Promise.all(
        consumers.map(async (c, i) => {
          await c.connect();
          await c.subscribe({ topic: TOPIC, fromBeginning: true });
          await c.run({
            eachMessage: async (p) => {
              received.push(toReceived(p, i === 0 ? 'a' : 'b'));
            },
          });
        }),
      );
      await waitFor(() => received.length >= TOTAL, 40_000, `${TOTAL} messages`);
      // Give duplicates a chance to show up.
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await Promise.all(consumers.map((c) => c.disconnect()));
    }

    // One join each, same leader: both members joined one generation, no partition changed hands mid-way.
    expect(joins).toHaveLength(2);
    expect(new Set(joins).size).toBe(1);
    expect(received).toHaveLength(TOTAL);
    const seqs = new Set(received.map((m) => Number(m.headers.seq)));
    expect(seqs.size).toBe(TOTAL);
    for (const m of received) checkMessage(m);
    // Both members got partitions, and together exactly the three.
    expect([...assignments.values()].flat().sort((x, y) => x - y)).toEqual([0, 1, 2]);
    expect(new Set(received.map((m) => m.consumer))).toEqual(new Set(['a', 'b']));
    // Within each partition, offsets arrive in order without gaps.
    for (let partition = 0; partition < 3; partition++) {
      const offs = received.filter((m) => m.partition === partition).map((m) => Number(m.offset));
      expect(offs).toEqual(offs.map((_, i) => i));
    }

    const admin = kafka.admin();
    await admin.connect();
    try {
      const committed = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
      const latest = await admin.fetchTopicOffsets(TOPIC);
      const byPartition = (xs: { partition: number; offset: string }[]) =>
        Object.fromEntries(xs.map((x) => [x.partition, x.offset]));
      expect(byPartition(committed[0].partitions)).toEqual(byPartition(latest));
    } finally {
      await admin.disconnect();
    }
  });

  it('a restarted consumer in the same group resumes after the committed offsets', async () => {
    const producer = kafka.producer();
    await producer.connect();
    const extra = Array.from({ length: 30 }, (_, j) => message(TOTAL + j));
    await producer.send({ topic: TOPIC, messages: extra });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: GROUP, maxWaitTimeInMs: 300 });
    try {
      const got = await consumeCount(consumer, TOPIC, extra.length);
      await new Promise((r) => setTimeout(r, 500));
      expect(got.map((m) => Number(m.headers.seq)).sort((a, b) => a - b)).toEqual(
        extra.map((_, j) => TOTAL + j),
      );
      for (const m of got) checkMessage(m);
    } finally {
      await consumer.disconnect();
    }
  });
});

describe('kafkajs with a dataDir broker: data survives a restart', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kafka-dev-broker-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('stop, start a new broker on the same folder, every message and committed offset is still there', async () => {
    const topic = 'persisted';
    const count = 2_000;
    let broker = await startBroker({ dataDir: dir, partitions: 2 });
    let kafka = kafkaClient(broker.bootstrap, 'persist-1');
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (let start = 0; start < count; start += 500) {
      await producer.send({
        topic,
        compression: start % 1000 === 0 ? CompressionTypes.GZIP : CompressionTypes.None,
        messages: Array.from({ length: 500 }, (_, j) => message(start + j)),
      });
    }
    await producer.disconnect();
    // A consumer group reads everything and commits.
    const first = kafka.consumer({ groupId: 'persist-group', maxWaitTimeInMs: 300 });
    try {
      await consumeCount(first, topic, count);
    } finally {
      await first.disconnect();
    }
    const admin = kafka.admin();
    await admin.connect();
    const before = await admin.fetchTopicOffsets(topic);
    const committedBefore = await admin.fetchOffsets({ groupId: 'persist-group', topics: [topic] });
    await admin.disconnect();
    expect(committedBefore[0].partitions.map((p) => p.offset).sort()).toEqual(
      before.map((o) => o.high).sort(),
    );
    await broker.stop();

    broker = await startBroker({ dataDir: dir });
    try {
      kafka = kafkaClient(broker.bootstrap, 'persist-2');
      const admin2 = kafka.admin();
      await admin2.connect();
      expect(await admin2.listTopics()).toEqual([topic]);
      const after = await admin2.fetchTopicOffsets(topic);
      expect(after).toEqual(before);
      expect(await admin2.fetchOffsets({ groupId: 'persist-group', topics: [topic] })).toEqual(
        committedBefore,
      );
      await admin2.disconnect();

      const consumer = kafka.consumer({ groupId: 'persist-reader', maxWaitTimeInMs: 300 });
      try {
        const got = await consumeCount(consumer, topic, count);
        expect(new Set(got.map((m) => m.headers.seq)).size).toBe(count);
        for (const m of got) checkMessage(m);
      } finally {
        await consumer.disconnect();
      }

      // A new idempotent producer after the restart gets a new id, and appends after the old data.
      const p2 = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await p2.connect();
      const [res] = await p2.send({ topic, messages: [{ key: 'key-0', value: 'after restart' }] });
      await p2.disconnect();
      const partition = res.partition;
      expect(res.baseOffset).toBe(before.find((o) => o.partition === partition)?.high);
    } finally {
      await broker.stop();
    }
  });
});

/**
 * librdkafka 2.0.2 (through kcat 1.7.1) against the dev broker, mixed with kafkajs.
 * Skipped, with a message saying so, when `kcat` is not installed (set KCAT=/path/to/kcat to pick one).
 */
import { CompressionTypes, type Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningBroker, startBroker } from '../src/broker.js';
import { type RecordBatchHeader, readRecordBatchHeader } from '../src/protocol/record-batch.js';
import { consumeCount, kafkaClient } from './helpers/kafkajs.js';
import { KCAT, kcatAvailable, runKcat } from './helpers/kcat.js';
import { RawClient } from './helpers/raw-client.js';
import { fetchBatches } from './helpers/requests.js';

const available = kcatAvailable();

/**
 * librdkafka compresses each batch with the requested codec, except a batch that compression does not make
 * smaller (a tiny first batch when the machine is slow), which it sends uncompressed. So: every batch is
 * `codec` or uncompressed, and at least one is `codec`.
 */
function storedCodecsOk(headers: RecordBatchHeader[], codec: number): boolean {
  const codecs = headers.map((h) => h.attributes & 7);
  return codecs.every((c) => c === codec || c === 0) && (codec === 0 || codecs.includes(codec));
}
if (!available) {
  console.warn(
    `kcat tests SKIPPED: '${KCAT}' is not installed (apt-get install kcat, or set KCAT=/path/to/kcat)`,
  );
}
const title = available
  ? 'kcat (librdkafka) interoperability'
  : `kcat (librdkafka) interoperability — SKIPPED: ${KCAT} not installed`;

describe.skipIf(!available)(title, () => {
  let broker: RunningBroker;
  let kafka: Kafka;
  let b: string;

  beforeAll(async () => {
    broker = await startBroker();
    b = broker.bootstrap;
    kafka = kafkaClient(b, 'kcat-e2e');
  });
  afterAll(async () => {
    await broker.stop();
  });

  it('kcat -L lists the brokers, the controller and every topic with its partitions', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'listed-a', numPartitions: 3 }, { topic: 'listed-b' }] });
    await admin.disconnect();
    const { code, stdout, stderr } = await runKcat(['-b', b, '-L']);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(`broker 1 at 127.0.0.1:${broker.port} (controller)`);
    expect(stdout).toContain('topic "listed-a" with 3 partitions:');
    expect(stdout).toContain('topic "listed-b" with 1 partitions:');
    expect(stdout).toContain('partition 2, leader 1, replicas: 1, isrs: 1');
  });

  it('kcat -C consumes exactly what kafkajs produced (plain and gzip), in order', async () => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const expected: string[] = [];
    for (let round = 0; round < 4; round++) {
      const messages = Array.from({ length: 250 }, (_, i) => {
        const n = round * 250 + i;
        expected.push(`key-${n} value ${n} ${round % 2 === 1 ? 'gzip' : 'plain'}`);
        return {
          key: `key-${n}`,
          value: `value ${n} ${round % 2 === 1 ? 'gzip' : 'plain'}`,
          headers: { n: String(n) },
        };
      });
      await producer.send({
        topic: 'from-kafkajs',
        compression: round % 2 === 1 ? CompressionTypes.GZIP : CompressionTypes.None,
        messages,
      });
    }
    await producer.disconnect();
    const { code, stdout, stderr } = await runKcat([
      '-C',
      '-b',
      b,
      '-t',
      'from-kafkajs',
      '-e',
      '-o',
      'beginning',
      '-f',
      '%k %s\n',
    ]);
    expect(code, stderr).toBe(0);
    expect(stdout).toBe(expected.map((l) => `${l}\n`).join(''));
    // Headers come through too.
    const h = await runKcat([
      '-C',
      '-b',
      b,
      '-t',
      'from-kafkajs',
      '-e',
      '-o',
      'beginning',
      '-c',
      '2',
      '-f',
      '%h\n',
    ]);
    expect(h.stdout).toBe('n=0\nn=1\n');
  });

  it('kafkajs consumes exactly what kcat -P -K: produced', async () => {
    const lines = [
      'alpha:first line',
      'beta:second: with a colon',
      'gamma:',
      'delta:ünïcödé ✓',
      'alpha:again',
    ];
    const p = await runKcat(['-P', '-b', b, '-t', 'from-kcat', '-K:'], `${lines.join('\n')}\n`);
    expect(p.code, p.stderr).toBe(0);
    const consumer = kafka.consumer({ groupId: 'reads-kcat', maxWaitTimeInMs: 300 });
    try {
      const got = await consumeCount(consumer, 'from-kcat', lines.length);
      expect(got.map((m) => `${m.key}:${m.value ?? ''}`)).toEqual(lines);
    } finally {
      await consumer.disconnect();
    }
  });

  it('kcat idempotent gzip producer, then kcat -C on one partition and kcat -G in a group', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'kcat-idem', numPartitions: 2 }] });
    await admin.disconnect();
    const lines = Array.from({ length: 200 }, (_, i) => `k${i}:v${i}`);
    const p = await runKcat(
      [
        '-P',
        '-b',
        b,
        '-t',
        'kcat-idem',
        '-p',
        '1',
        '-K:',
        '-z',
        'gzip',
        '-X',
        'enable.idempotence=true',
        '-X',
        'linger.ms=200',
      ],
      `${lines.join('\n')}\n`,
    );
    expect(p.code, p.stderr).toBe(0);
    // What librdkafka stored: gzip batches from one idempotent producer, sequences from 0.
    const raw = await RawClient.connect(broker.port);
    const stored = await fetchBatches(raw, 'kcat-idem', 1, 0);
    raw.close();
    const headers = stored.batches.map((x) => readRecordBatchHeader(x));
    expect(headers.length).toBeGreaterThan(0);
    expect(storedCodecsOk(headers, 1)).toBe(true);
    expect(new Set(headers.map((h) => h.producerId)).size).toBe(1);
    expect(headers[0].producerId).toBeGreaterThanOrEqual(1000);
    expect(headers[0].baseSequence).toBe(0);
    expect(headers.reduce((n, h) => n + h.recordCount, 0)).toBe(200);
    const one = await runKcat([
      '-C',
      '-b',
      b,
      '-t',
      'kcat-idem',
      '-p',
      '1',
      '-e',
      '-o',
      'beginning',
      '-f',
      '%k:%s\n',
    ]);
    expect(one.stdout).toBe(lines.map((l) => `${l}\n`).join(''));
    const empty = await runKcat([
      '-C',
      '-b',
      b,
      '-t',
      'kcat-idem',
      '-p',
      '0',
      '-e',
      '-o',
      'beginning',
      '-f',
      '%k:%s\n',
    ]);
    expect(empty.stdout).toBe('');

    const g = await runKcat([
      '-G',
      'kcat-group',
      '-b',
      b,
      '-e',
      '-o',
      'beginning',
      '-f',
      '%k:%s\n',
      'kcat-idem',
    ]);
    expect(g.code, g.stderr).toBe(0);
    expect(g.stdout).toBe(lines.map((l) => `${l}\n`).join(''));
    // The group committed its position: kafkajs admin sees it.
    const admin2 = kafka.admin();
    await admin2.connect();
    const committed = await admin2.fetchOffsets({ groupId: 'kcat-group', topics: ['kcat-idem'] });
    await admin2.disconnect();
    expect(committed[0].partitions.find((x) => x.partition === 1)?.offset).toBe('200');
  });

  it('kcat -z snappy / lz4 batches are stored as received (not decompressed) and read back by kcat', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: ['snappy', 'lz4', 'zstd'].map((topic) => ({ topic })) });
    await admin.disconnect();
    const lines = Array.from({ length: 300 }, (_, i) => `key${i}:value ${i} ${'abc'.repeat(i % 7)}`);
    const raw = await RawClient.connect(broker.port);
    try {
      // zstd needs Produce v7 and Fetch v10 in librdkafka, which this broker does not advertise: sent plain.
      for (const [codec, stored] of [
        ['snappy', 2],
        ['lz4', 3],
        ['zstd', 0],
      ] as const) {
        const p = await runKcat(
          ['-P', '-b', b, '-t', codec, '-K:', '-z', codec, '-X', 'linger.ms=200'],
          `${lines.join('\n')}\n`,
        );
        expect(p.code, p.stderr).toBe(0);
        const { batches } = await fetchBatches(raw, codec, 0, 0);
        const headers = batches.map((x) => readRecordBatchHeader(x));
        expect(headers.reduce((n, h) => n + h.recordCount, 0)).toBe(lines.length);
        expect(storedCodecsOk(headers, stored), JSON.stringify(headers.map((h) => h.attributes))).toBe(true);
        const back = await runKcat(['-C', '-b', b, '-t', codec, '-e', '-o', 'beginning', '-f', '%k:%s\n']);
        expect(back.stdout).toBe(lines.map((l) => `${l}\n`).join(''));
      }
    } finally {
      raw.close();
    }
  });
});

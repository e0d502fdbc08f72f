/** Topic storage in memory and in a folder, including recovery from torn writes. */
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBroker } from '../src/broker.js';
import { encodeRecordBatch, readRecordBatchHeader } from '../src/protocol/record-batch.js';
import { INDEX_ENTRY_SIZE, isValidTopicName, TopicStore } from '../src/topic-store.js';
import { RawClient } from './helpers/raw-client.js';
import { createTopics, fetchBatches, initProducerId, listOffsets, produce } from './helpers/requests.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kdb-store-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const batch = (n: number, tag: string) =>
  encodeRecordBatch(
    Array.from({ length: n }, (_, i) => ({ key: `${tag}-${i}`, value: `v-${tag}-${i}` })),
    { timestamp: 1_700_000_000_000 },
  );

function fill(store: TopicStore): void {
  const t = store.create('t', 2, [{ name: 'retention.ms', value: '-1' }]);
  t.partitions[0].append(batch(3, 'a'));
  t.partitions[0].append(batch(2, 'b'));
  t.partitions[1].append(batch(1, 'c'));
}

const segment = (p: number, ext: string) =>
  join(dir, 'topics', 't', String(p), `00000000000000000000.${ext}`);

describe('TopicStore', () => {
  it('validates topic names like Kafka', () => {
    for (const ok of ['a', 'A.b_c-9', 'x'.repeat(249)]) expect(isValidTopicName(ok)).toBe(true);
    for (const bad of ['', '.', '..', 'x'.repeat(250), 'a b', 'a/b', 'ä'])
      expect(isValidTopicName(bad)).toBe(false);
  });

  it('in memory: assigns offsets, finds batches by offset', () => {
    const store = TopicStore.open();
    fill(store);
    const p0 = store.partition('t', 0)!;
    expect(p0.logEndOffset).toBe(5);
    expect(p0.entries.map((e) => [e.baseOffset, e.lastOffset])).toEqual([
      [0, 2],
      [3, 4],
    ]);
    expect([0, 2, 3, 4, 5].map((o) => p0.findBatchIndex(o))).toEqual([0, 0, 1, 1, -1]);
    expect(readRecordBatchHeader(p0.read(p0.entries[1])).baseOffset).toBe(3);
    expect(store.partition('t', 2)).toBeUndefined();
    store.close();
  });

  it('in a folder: a reopened store has the same topics, configs, batches and offsets', () => {
    const a = TopicStore.open({ dataDir: dir });
    fill(a);
    const before = a.partition('t', 0)!.entries.map((e) => a.partition('t', 0)!.read(e));
    a.close();
    const b = TopicStore.open({ dataDir: dir });
    expect(b.topics().map((t) => t.name)).toEqual(['t']);
    expect(b.get('t')!.configs).toEqual([{ name: 'retention.ms', value: '-1' }]);
    const p0 = b.partition('t', 0)!;
    expect(p0.logEndOffset).toBe(5);
    expect(p0.entries.map((e) => p0.read(e))).toEqual(before);
    expect(b.partition('t', 1)!.logEndOffset).toBe(1);
    // Appends continue after the old data.
    expect(p0.append(batch(1, 'd')).baseOffset).toBe(5);
    b.close();
    expect(statSync(segment(0, 'index')).size).toBe(3 * INDEX_ENTRY_SIZE);
  });

  it('recovers batches the index is missing (crash between the two writes)', () => {
    const a = TopicStore.open({ dataDir: dir });
    fill(a);
    a.close();
    truncateSync(segment(0, 'index'), INDEX_ENTRY_SIZE); // lost the second entry
    const b = TopicStore.open({ dataDir: dir });
    expect(b.partition('t', 0)!.entries.map((e) => e.baseOffset)).toEqual([0, 3]);
    b.close();
    expect(statSync(segment(0, 'index')).size).toBe(2 * INDEX_ENTRY_SIZE);

    // No index at all: rebuilt from the log.
    rmSync(segment(0, 'index'));
    const c = TopicStore.open({ dataDir: dir });
    expect(c.partition('t', 0)!.logEndOffset).toBe(5);
    c.close();
  });

  it('cuts off a torn batch at the end of the log, and index entries pointing past the log', () => {
    const a = TopicStore.open({ dataDir: dir });
    fill(a);
    a.close();
    const logSize = statSync(segment(0, 'log')).size;
    truncateSync(segment(0, 'log'), logSize - 5); // the second batch is torn
    appendFileSync(segment(0, 'index'), Buffer.alloc(7)); // and a partial index entry
    const b = TopicStore.open({ dataDir: dir });
    const p0 = b.partition('t', 0)!;
    expect(p0.entries.map((e) => e.baseOffset)).toEqual([0]);
    expect(p0.logEndOffset).toBe(3);
    expect(p0.append(batch(1, 'again')).baseOffset).toBe(3);
    b.close();
    const c = TopicStore.open({ dataDir: dir });
    expect(c.partition('t', 0)!.entries.map((e) => e.baseOffset)).toEqual([0, 3]);
    c.close();
  });

  it('cuts off a batch whose CRC does not match', () => {
    const a = TopicStore.open({ dataDir: dir });
    fill(a);
    a.close();
    const log = readFileSync(segment(0, 'log'));
    log[log.length - 1] ^= 0xff;
    writeFileSync(segment(0, 'log'), log);
    rmSync(segment(0, 'index'));
    const b = TopicStore.open({ dataDir: dir });
    expect(b.partition('t', 0)!.logEndOffset).toBe(3);
    b.close();
  });

  it('ignores a topic folder without topic.json (crash while creating)', () => {
    const a = TopicStore.open({ dataDir: dir });
    fill(a);
    a.close();
    rmSync(join(dir, 'topics', 't', 'topic.json'));
    const b = TopicStore.open({ dataDir: dir });
    expect(b.topics()).toEqual([]);
    b.close();
  });
});

describe('broker with dataDir', () => {
  it('keeps data, producer ids and idempotence state across a restart', async () => {
    let broker = await startBroker({ dataDir: dir });
    let c = await RawClient.connect(broker.port);
    await createTopics(c, [{ name: 'keep', numPartitions: 1 }]);
    const { producerId } = await initProducerId(c);
    const b0 = encodeRecordBatch([{ value: 'one' }, { value: 'two' }], {
      producerId,
      producerEpoch: 0,
      baseSequence: 0,
    });
    expect((await produce(c, 'keep', 0, b0)).baseOffset).toBe(0);
    c.close();
    await broker.stop();
    expect(existsSync(join(dir, 'broker-state.json'))).toBe(true);

    broker = await startBroker({ dataDir: dir });
    c = await RawClient.connect(broker.port);
    // A retry of the last batch after the restart is still recognised as a duplicate.
    expect(await produce(c, 'keep', 0, b0)).toMatchObject({ errorCode: 0, baseOffset: 0 });
    expect((await listOffsets(c, 'keep', 0, -1)).offset).toBe(2);
    // The next sequence appends; a gap is refused.
    const b1 = encodeRecordBatch([{ value: 'three' }], { producerId, producerEpoch: 0, baseSequence: 2 });
    expect((await produce(c, 'keep', 0, b1)).baseOffset).toBe(2);
    const gap = encodeRecordBatch([{ value: 'x' }], { producerId, producerEpoch: 0, baseSequence: 9 });
    expect((await produce(c, 'keep', 0, gap)).errorCode).toBe(45);
    // Producer ids are not handed out twice.
    expect((await initProducerId(c)).producerId).toBe(producerId + 1);
    const fetched = await fetchBatches(c, 'keep', 0, 0);
    expect(fetched.batches.map((b) => readRecordBatchHeader(b).baseOffset)).toEqual([0, 2]);
    c.close();
    await broker.stop();
  });
});

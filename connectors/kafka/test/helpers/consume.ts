import { Kafka, type KafkaMessage, logLevel } from 'kafkajs';

export interface Consumed {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  value: Buffer;
  headers: Record<string, string>;
}

function headersOf(m: KafkaMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.headers ?? {})) {
    const one = Array.isArray(v) ? v[0] : v;
    if (one !== undefined) out[k] = one.toString();
  }
  return out;
}

/**
 * Every message of the topics, read with a plain kafkajs consumer from the beginning to the high
 * watermarks (a fresh group), in partition order.
 */
export async function consumeAll(bootstrap: string, topics: string[]): Promise<Consumed[]> {
  const kafka = new Kafka({ brokers: [bootstrap], clientId: 'test-reader', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map<string, number>();
  let total = 0;
  for (const topic of topics) {
    for (const o of await admin.fetchTopicOffsets(topic)) {
      ends.set(`${topic}/${o.partition}`, Number(o.high));
      total += Number(o.high) - Number(o.low);
    }
  }
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId: `reader-${Date.now()}-${Math.random()}`, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  const out: Consumed[] = [];
  const positions = new Map<string, number>();
  const done = () => [...ends].every(([tp, end]) => (positions.get(tp) ?? 0) >= end);
  await new Promise<void>((resolve, reject) => {
    if (total === 0) return resolve();
    const timer = setTimeout(
      () => reject(new Error(`consumeAll: ${out.length} of ${total} messages after 30 s`)),
      30_000,
    );
    consumer
      .run({
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) {
            out.push({
              topic: batch.topic,
              partition: batch.partition,
              offset: Number(m.offset),
              key: m.key === null ? null : m.key.toString(),
              value: m.value ?? Buffer.alloc(0),
              headers: headersOf(m),
            });
            positions.set(`${batch.topic}/${batch.partition}`, Number(m.offset) + 1);
          }
          if (done()) {
            clearTimeout(timer);
            resolve();
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  out.sort((a, b) =>
    a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition || a.offset - b.offset,
  );
  return out;
}

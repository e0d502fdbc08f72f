import { type Consumer, type EachMessagePayload, Kafka, type KafkaConfig, logLevel } from 'kafkajs';

/** A kafkajs client for the broker; errors are collected instead of printed (set KAFKAJS_LOG=1 to print). */
export function kafkaClient(bootstrap: string, clientId: string, extra: Partial<KafkaConfig> = {}): Kafka {
  const verbose = process.env.KAFKAJS_LOG === '1';
  return new Kafka({
    clientId,
    brokers: [bootstrap],
    logLevel: verbose ? logLevel.INFO : logLevel.NOTHING,
    retry: { initialRetryTime: 100, retries: 8 },
    ...extra,
  });
}

export interface ReceivedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  consumer: string;
}

export function toReceived(p: EachMessagePayload, consumer: string): ReceivedMessage {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.message.headers ?? {})) {
    headers[k] = Array.isArray(v) ? v.map(String).join(',') : String(v);
  }
  return {
    topic: p.topic,
    partition: p.partition,
    offset: p.message.offset,
    key: p.message.key === null ? null : p.message.key.toString(),
    value: p.message.value === null ? null : p.message.value.toString(),
    headers,
    consumer,
  };
}

/** Resolves once `predicate` holds (checked every 20 ms), or rejects after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Runs `consumer` on `topic` (from the beginning) and collects messages until `count` have arrived. */
export async function consumeCount(
  consumer: Consumer,
  topic: string,
  count: number,
  timeoutMs = 30_000,
): Promise<ReceivedMessage[]> {
  const received: ReceivedMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async (p) => {
      received.push(toReceived(p, 'single'));
    },
  });
  await waitFor(() => received.length >= count, timeoutMs, `${count} messages on ${topic}`);
  return received;
}

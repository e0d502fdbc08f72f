import { randomBytes } from 'node:crypto';
import { checkRedis, type IngestQueue, openIngestQueue } from '../../src/ingest/index.js';

/** CI guarantees a Redis here; the ingest tests fail (never skip) without one. */
export const REDIS_URL = process.env.BGPSTREAM_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function requireRedis(): Promise<void> {
  try {
    await checkRedis(REDIS_URL, 2000);
  } catch (err) {
    throw new Error(
      `the ingest tests need a real Redis (CI starts one; they never skip): ${(err as Error).message}`,
    );
  }
}

const opened: IngestQueue[] = [];

/** A queue name no other test (or test run) uses; obliterated by {@link obliterateQueues}. */
export function uniqueQueueName(tag: string): string {
  return `test-ingest-${tag}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** The queue, opened in the test process (closed by {@link obliterateQueues}). */
export function testQueue(name: string): IngestQueue {
  const q = openIngestQueue({ redis: REDIS_URL, queue: name });
  opened.push(q);
  return q;
}

/** Removes every key of the queues the tests made, and closes them. */
export async function obliterateQueues(names: readonly string[]): Promise<void> {
  for (const name of names) {
    const q = opened.find((x) => x.name === name) ?? testQueue(name);
    await q.obliterate({ force: true });
  }
  await Promise.all(opened.splice(0).map((q) => q.close()));
}

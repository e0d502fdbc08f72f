import type { Resource } from '@bgpstream-ts/core';
import type { DumpKey } from '@bgpstream-ts/parquet';
import { type ConnectionOptions, Queue } from 'bullmq';
import { Redis } from 'ioredis';

/** Where ingestion finds Redis unless told otherwise. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
/** The queue ingestion uses unless told otherwise (one queue per lake). */
export const DEFAULT_QUEUE_NAME = 'bgpstream-ingest';

/** Where the queue lives. */
export interface IngestConnectionOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://`); default {@link DEFAULT_REDIS_URL}. */
  redis?: string;
  /** BullMQ queue name; default {@link DEFAULT_QUEUE_NAME}. */
  queue?: string;
}

/** What a job carries: the one dump to export. */
export interface IngestJobData {
  resource: Resource;
  /** When the job was enqueued (ISO 8601). */
  enqueuedAt: string;
  /** The lake the enqueuer checked (informational: a worker writes to its own `lake`). */
  lake: string | null;
}

/** What a completed job returns (kept in Redis; `ingest status` sums `rows`). */
export interface IngestJobResult {
  dump: DumpKey;
  url: string;
  /** True when the lake's manifest already listed the dump: nothing was written. */
  alreadyExported: boolean;
  /** Rows (elems) written. */
  rows: number;
  /** Records read, and those among them with status `corrupted-record`. */
  records: number;
  corruptedRecords: number;
  /** Part files written, relative to the lake. */
  files: string[];
  bytes: number;
  seconds: number;
  /** `host:pid` of the process that did it. */
  worker: string;
}

export type IngestQueue = Queue<IngestJobData, IngestJobResult>;

/** BullMQ connection options for a Redis URL. */
export function redisConnection(url: string = DEFAULT_REDIS_URL): ConnectionOptions {
  return { url };
}

/** Opens the ingestion queue (close it with `queue.close()`). */
export function openIngestQueue(options: IngestConnectionOptions = {}): IngestQueue {
  return new Queue<IngestJobData, IngestJobResult>(options.queue ?? DEFAULT_QUEUE_NAME, {
    connection: redisConnection(options.redis),
  });
}

/**
 * Throws, saying how to start Redis, when nothing answers PING at `url` within `timeoutMs`. BullMQ
 * itself would retry forever; commands call this first so that a missing Redis is an error at once.
 */
export async function checkRedis(url: string = DEFAULT_REDIS_URL, timeoutMs = 3000): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The socket's own error (ECONNREFUSED, ...) says more than the "Connection is closed" connect() rejects with.
  let socketError: Error | undefined;
  client.on('error', (err: Error) => {
    socketError ??= err;
  });
  try {
    await client.connect();
    const answer = await client.ping();
    if (answer !== 'PONG') throw new Error(`PING answered '${answer}'`);
  } catch (err) {
    throw new Error(
      `cannot reach Redis at ${url}: ${(socketError ?? (err as Error)).message} (start one with 'redis-server', ` +
        `or 'docker compose -f infra/docker-compose.yml up -d redis', or pass --redis URL)`,
    );
  } finally {
    client.disconnect();
  }
}

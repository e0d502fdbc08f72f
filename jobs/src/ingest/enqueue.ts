import path from 'node:path';
import type { Resource } from '@bgpstream-ts/core';
import { isDumpExported } from '@bgpstream-ts/parquet';
import { dumpKeyOf, ingestJobId, ingestJobName } from './job-id.js';
import type { IngestJobData, IngestQueue } from './queue.js';

export interface EnqueueOptions {
  /** The lake the workers fill: dumps its manifest lists are not enqueued. Without it, no check. */
  lake?: string;
  /** Tries per job before it fails (exponential backoff between them). Default 3. */
  attempts?: number;
  /** Delay before the first retry, doubled for each next one (ms). Default 5000. */
  backoffMs?: number;
  /** Re-run dumps whose job failed earlier (BullMQ keeps failed jobs, so the stable id would refuse a new one). */
  retryFailed?: boolean;
  /** Completed jobs are dropped from Redis after this many seconds (the lake's manifest keeps the record). Default 7 days. */
  keepCompletedSeconds?: number;
}

/**
 * What became of one dump: `enqueued` (a new job), `exported` (in the lake's manifest: skipped),
 * `exists` (a job with its id is already in Redis, in state `state`: skipped), `retried` (its failed
 * job was moved back to wait).
 */
export interface EnqueueOutcome {
  status: 'enqueued' | 'exported' | 'exists' | 'retried';
  jobId: string;
  name: string;
  resource: Resource;
  state?: string;
}

export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_MS = 5000;
const SEVEN_DAYS = 7 * 24 * 3600;
/** Dumps looked up in Redis (and the manifest) at once. */
const PARALLEL = 32;

/** Enqueues one job per dump, under its stable id; never two jobs for one dump. */
export async function enqueueResources(
  queue: IngestQueue,
  resources: readonly Resource[],
  options: EnqueueOptions = {},
): Promise<EnqueueOutcome[]> {
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  if (!Number.isInteger(attempts) || attempts < 1)
    throw new RangeError(`attempts must be >= 1, got ${attempts}`);
  const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  if (!Number.isFinite(backoffMs) || backoffMs < 0)
    throw new RangeError(`backoff must be >= 0 ms, got ${backoffMs}`);
  const lake = options.lake === undefined ? null : path.resolve(options.lake);
  const keep = options.keepCompletedSeconds ?? SEVEN_DAYS;

  const one = async (resource: Resource): Promise<EnqueueOutcome> => {
    const jobId = ingestJobId(resource);
    const name = ingestJobName(resource);
    if (lake !== null && (await isDumpExported(lake, dumpKeyOf(resource)))) {
      return { status: 'exported', jobId, name, resource };
    }
    const existing = await queue.getJob(jobId);
    if (existing) {
      const state = await existing.getState();
      if (state === 'failed' && options.retryFailed) {
        await existing.retry('failed');
        return { status: 'retried', jobId, name, resource, state };
      }
      return { status: 'exists', jobId, name, resource, state };
    }
    const data: IngestJobData = { resource, enqueuedAt: new Date().toISOString(), lake };
    // Two enqueuers racing past getJob both call add: BullMQ keeps the first job with this id.
    await queue.add(name, data, {
      jobId,
      attempts,
      backoff: { type: 'exponential', delay: backoffMs },
      removeOnComplete: { age: keep },
      removeOnFail: false,
    });
    return { status: 'enqueued', jobId, name, resource };
  };

  const out: EnqueueOutcome[] = [];
  for (let i = 0; i < resources.length; i += PARALLEL) {
    out.push(...(await Promise.all(resources.slice(i, i + PARALLEL).map(one))));
  }
  return out;
}

/** Counts of outcomes by status. */
export function countOutcomes(outcomes: readonly EnqueueOutcome[]): Record<EnqueueOutcome['status'], number> {
  const counts = { enqueued: 0, exported: 0, exists: 0, retried: 0 };
  for (const o of outcomes) counts[o.status]++;
  return counts;
}

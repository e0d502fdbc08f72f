import { type EnqueueOptions, type EnqueueOutcome, enqueueResources } from './enqueue.js';
import type { IngestQueue } from './queue.js';
import type { ResourceSource } from './resources-from-options.js';

export interface IngestScheduleOptions extends EnqueueOptions {
  /** Seconds between polls of the data interface. */
  everySeconds: number;
  /** Stop after this many polls (default: until `signal` aborts). */
  ticks?: number;
  signal?: AbortSignal;
  /** Told each poll's outcomes (tick counts from 1). */
  onTick?: (tick: number, outcomes: EnqueueOutcome[]) => void;
  /** Told when a poll fails (the next one is tried anyway). */
  onError?: (tick: number, error: Error) => void;
}

/**
 * Live ingestion: polls the data interface now and every `everySeconds`, and enqueues the dumps that
 * appeared since the previous poll. The data interface (and its memory of what it listed) lives in
 * this process; after a restart it lists everything again, which the stable job ids and the lake's
 * manifest make harmless.
 */
export async function runIngestSchedule(
  source: ResourceSource,
  queue: IngestQueue,
  options: IngestScheduleOptions,
): Promise<void> {
  if (!(options.everySeconds > 0))
    throw new RangeError(`every must be > 0 seconds, got ${options.everySeconds}`);
  const signal = options.signal;
  for (let tick = 1; options.ticks === undefined || tick <= options.ticks; tick++) {
    if (signal?.aborted) return;
    const started = Date.now();
    try {
      const outcomes = await enqueueResources(queue, await source.next(), options);
      options.onTick?.(tick, outcomes);
    } catch (err) {
      options.onError?.(tick, err as Error);
    }
    if (options.ticks !== undefined && tick >= options.ticks) return;
    const wait = Math.max(0, options.everySeconds * 1000 - (Date.now() - started));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, wait);
      function done(): void {
        signal?.removeEventListener('abort', done);
        clearTimeout(timer);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

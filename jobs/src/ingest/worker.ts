import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { loadParquetWasm } from '@bgpstream-ts/parquet';
import { type Job, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import { CorruptDumpError, type IngestDumpOptions, ingestDump } from './ingest-dump.js';
import {
  checkRedis,
  DEFAULT_QUEUE_NAME,
  DEFAULT_REDIS_URL,
  type IngestConnectionOptions,
  type IngestJobData,
  type IngestJobResult,
  type IngestQueue,
  openIngestQueue,
  redisConnection,
} from './queue.js';

export interface IngestWorkerOptions
  extends IngestConnectionOptions,
    Omit<IngestDumpOptions, 'signal' | 'onTestDelay' | 'lake'> {
  /** The lake's root folder (a folder every worker sees: local disk for one machine, a shared mount for many). */
  lake: string;
  /** Jobs this process runs at once. Default 1 (decoding is CPU-bound: run one process per core instead). */
  concurrency?: number;
  /**
   * How long a job's lock lasts without renewal (ms; renewed every half of it while the job runs).
   * A worker that dies loses its lock after this long, and its job goes back to wait at the next
   * stalled check. Default 30000.
   */
  lockDurationMs?: number;
  /** Milliseconds between checks for stalled jobs (jobs whose worker died). Default 30000. */
  stalledIntervalMs?: number;
  /** Times a job may stall (its worker die) before it fails. Default 1. */
  maxStalledCount?: number;
  /** Told what happens (for logs). */
  onEvent?: (event: IngestWorkerEvent) => void;
}

export type IngestWorkerEvent =
  | { type: 'started'; jobId: string; name: string; attempt: number }
  | { type: 'test-delay'; jobId: string; name: string; ms: number }
  | { type: 'completed'; jobId: string; name: string; result: IngestJobResult }
  | { type: 'failed'; jobId: string; name: string; reason: string; willRetry: boolean }
  | { type: 'released'; jobId: string; name: string }
  | { type: 'stalled'; jobId: string }
  | { type: 'error'; error: Error };

function positiveInt(name: string, v: number | undefined, dflt: number): number {
  const n = v ?? dflt;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer, got ${v}`);
  return n;
}

/**
 * One ingestion worker: takes jobs from the queue and exports each job's dump into the lake. Any
 * number of them, in any number of processes on any number of machines, may share a queue and a lake.
 */
export class IngestWorker {
  readonly worker: Worker<IngestJobData, IngestJobResult>;
  readonly lake: string;
  private readonly queue: IngestQueue;
  private readonly onEvent: (event: IngestWorkerEvent) => void;
  private releasing = false;
  private running = 0;
  private closing: Promise<void> | null = null;

  private constructor(options: IngestWorkerOptions) {
    this.lake = path.resolve(options.lake);
    this.onEvent = options.onEvent ?? (() => {});
    const connection = {
      redis: options.redis ?? DEFAULT_REDIS_URL,
      queue: options.queue ?? DEFAULT_QUEUE_NAME,
    };
    const dumpOptions = {
      maxCorruptedRecords: options.maxCorruptedRecords,
      rowGroupSize: options.rowGroupSize,
      testDelayMs: options.testDelayMs,
    };
    this.queue = openIngestQueue(connection);
    this.worker = new Worker<IngestJobData, IngestJobResult>(
      connection.queue,
      (job, token, signal) => this.process(job, token, signal, dumpOptions),
      {
        connection: redisConnection(connection.redis),
        name: `${hostname()}:${process.pid}`,
        concurrency: positiveInt('concurrency', options.concurrency, 1),
        lockDuration: positiveInt('lockDuration', options.lockDurationMs, 30_000),
        stalledInterval: positiveInt('stalledInterval', options.stalledIntervalMs, 30_000),
        maxStalledCount: options.maxStalledCount ?? 1,
        autorun: false,
      },
    );
    this.worker.on('stalled', (jobId) => this.onEvent({ type: 'stalled', jobId }));
    this.worker.on('error', (error) => this.onEvent({ type: 'error', error }));
  }

  /** Checks Redis, readies the lake and the Parquet encoder, then starts taking jobs. */
  static async start(options: IngestWorkerOptions): Promise<IngestWorker> {
    await checkRedis(options.redis ?? DEFAULT_REDIS_URL);
    await mkdir(path.resolve(options.lake), { recursive: true });
    // The WebAssembly encoder compiles once per process: do it before holding a job's lock.
    await loadParquetWasm();
    const w = new IngestWorker(options);
    void w.worker.run().catch((error: Error) => w.onEvent({ type: 'error', error }));
    await w.worker.waitUntilReady();
    return w;
  }

  /** Jobs running in this process now. */
  get activeJobs(): number {
    return this.running;
  }

  private async process(
    job: Job<IngestJobData, IngestJobResult>,
    token: string | undefined,
    signal: AbortSignal | undefined,
    dumpOptions: Omit<IngestDumpOptions, 'lake'>,
  ): Promise<IngestJobResult> {
    const jobId = job.id ?? '?';
    const name = job.name;
    const resource = job.data?.resource;
    if (!resource || typeof resource.url !== 'string' || typeof resource.initialTime !== 'number') {
      throw new UnrecoverableError('job data holds no resource (not an ingestion job?)');
    }
    this.running++;
    this.onEvent({ type: 'started', jobId, name, attempt: job.attemptsMade + 1 });
    try {
      const result = await ingestDump(resource, {
        ...dumpOptions,
        lake: this.lake,
        signal,
        onTestDelay: () =>
          this.onEvent({ type: 'test-delay', jobId, name, ms: dumpOptions.testDelayMs ?? 0 }),
      });
      this.onEvent({ type: 'completed', jobId, name, result });
      return result;
    } catch (err) {
      if (signal?.aborted && this.releasing) {
        // Handed back: to wait, without counting an attempt; another worker takes it.
        await job.moveToWait(token);
        this.onEvent({ type: 'released', jobId, name });
        throw new WaitingError();
      }
      const reason = (err as Error).message ?? String(err);
      const permanent = err instanceof CorruptDumpError && err.permanent;
      const willRetry = !permanent && job.attemptsMade + 1 < (job.opts.attempts ?? 1);
      this.onEvent({ type: 'failed', jobId, name, reason, willRetry });
      throw permanent ? new UnrecoverableError(reason) : err;
    } finally {
      this.running--;
    }
  }

  /** Hands the running jobs back to the queue now (each is moved back to wait; no attempt is counted). */
  release(): void {
    this.releasing = true;
    this.worker.cancelAllJobs('worker shutting down');
  }

  /**
   * Stops taking jobs and waits for the running ones to finish; with `releaseAfterMs`, releases
   * those still running after that long. Then closes the Redis connections. Safe to call twice.
   */
  close(releaseAfterMs?: number): Promise<void> {
    this.closing ??= (async () => {
      const timer =
        releaseAfterMs !== undefined && releaseAfterMs > 0
          ? setTimeout(() => this.release(), releaseAfterMs)
          : null;
      try {
        await this.worker.close();
      } finally {
        if (timer) clearTimeout(timer);
        await this.queue.close();
      }
    })();
    return this.closing;
  }

  /**
   * Resolves when the queue holds nothing waiting, delayed or active and this process runs
   * no job (a job whose worker died stays active until the stalled check moves it, so it counts).
   */
  async whenDrained(pollMs = 500): Promise<void> {
    for (;;) {
      if (this.closing) return;
      const c = await this.queue.getJobCounts(
        'waiting',
        'active',
        'delayed',
        'prioritized',
        'waiting-children',
      );
      const pending = Object.values(c).reduce((s, n) => s + n, 0);
      if (pending === 0 && this.running === 0) return;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
}

/** Starts a worker (see {@link IngestWorker}). */
export function startIngestWorker(options: IngestWorkerOptions): Promise<IngestWorker> {
  return IngestWorker.start(options);
}

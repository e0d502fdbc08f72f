import type { IngestJobResult, IngestQueue } from './queue.js';

export interface IngestStatusOptions {
  /** Completed jobs that finished within this many minutes make the throughput. Default 10. */
  windowMinutes?: number;
  /** Failed jobs listed (newest first). Default 20. */
  failedLimit?: number;
}

export interface IngestJobCounts {
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
  prioritized: number;
}

export interface IngestThroughput {
  /** Jobs completed within the window, and the rows they wrote. */
  jobs: number;
  rows: number;
  /** From the first of those jobs' start to the last one's end (s); rates are over this span. */
  seconds: number;
  jobsPerMinute: number;
  rowsPerMinute: number;
  rowsPerSecond: number;
}

export interface IngestFailedJob {
  id: string;
  name: string;
  url: string | null;
  reason: string;
  attemptsMade: number;
  finishedOn: number | null;
}

export interface IngestActiveJob {
  id: string;
  name: string;
  worker: string | null;
  startedOn: number | null;
}

export interface IngestStatus {
  queue: string;
  counts: IngestJobCounts;
  /** Worker connections Redis knows now. */
  workers: number;
  windowMinutes: number;
  throughput: IngestThroughput;
  active: IngestActiveJob[];
  failed: IngestFailedJob[];
}

/** Completed jobs read for the throughput, at most (newest first). */
const COMPLETED_SCAN = 5000;

/** Job counts, recent throughput (from completed jobs' return values) and failed jobs with their reasons. */
export async function getIngestStatus(
  queue: IngestQueue,
  options: IngestStatusOptions = {},
): Promise<IngestStatus> {
  const windowMinutes = options.windowMinutes ?? 10;
  const failedLimit = options.failedLimit ?? 20;
  const raw = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
  const counts: IngestJobCounts = {
    waiting: raw.waiting ?? 0,
    active: raw.active ?? 0,
    delayed: raw.delayed ?? 0,
    completed: raw.completed ?? 0,
    failed: raw.failed ?? 0,
    prioritized: raw.prioritized ?? 0,
  };
  const now = Date.now();
  const since = now - windowMinutes * 60_000;
  let jobs = 0;
  let rows = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  // Newest first: stop at the first job that finished before the window.
  scan: for (let start = 0; start < COMPLETED_SCAN; start += 500) {
    const page = await queue.getJobs(['completed'], start, start + 499, false);
    for (const job of page) {
      if (!job) continue;
      const finished = job.finishedOn ?? 0;
      if (finished < since) break scan;
      const result = job.returnvalue as IngestJobResult | null;
      jobs++;
      rows += typeof result?.rows === 'number' ? result.rows : 0;
      first = Math.min(first, job.processedOn ?? finished);
      last = Math.max(last, finished);
    }
    if (page.length < 500) break;
  }
  const seconds = jobs > 0 ? Math.max(1, last - first) / 1000 : 0;
  const throughput: IngestThroughput = {
    jobs,
    rows,
    seconds,
    jobsPerMinute: seconds > 0 ? (jobs * 60) / seconds : 0,
    rowsPerMinute: seconds > 0 ? (rows * 60) / seconds : 0,
    rowsPerSecond: seconds > 0 ? rows / seconds : 0,
  };
  const active = (await queue.getJobs(['active'], 0, 99, true)).filter(Boolean).map((job) => ({
    id: job.id ?? '?',
    name: job.name,
    worker: job.processedBy ?? null,
    startedOn: job.processedOn ?? null,
  }));
  const failed = (await queue.getJobs(['failed'], 0, failedLimit - 1, false)).filter(Boolean).map((job) => ({
    id: job.id ?? '?',
    name: job.name,
    url: (job.data as { resource?: { url?: string } } | undefined)?.resource?.url ?? null,
    reason: job.failedReason ?? '',
    attemptsMade: job.attemptsMade,
    finishedOn: job.finishedOn ?? null,
  }));
  return {
    queue: queue.name,
    counts,
    workers: await queue.getWorkersCount(),
    windowMinutes,
    throughput,
    active,
    failed,
  };
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** `ingest status` as text. */
export function formatIngestStatus(s: IngestStatus): string {
  const c = s.counts;
  const lines = [
    `queue ${s.queue}: ${s.workers} worker connection(s)`,
    `jobs: waiting ${c.waiting + c.prioritized}, active ${c.active}, delayed ${c.delayed}, completed ${c.completed}, failed ${c.failed}`,
  ];
  const t = s.throughput;
  if (t.jobs > 0) {
    lines.push(
      `last ${s.windowMinutes} min: ${t.jobs} job(s), ${int(t.rows)} rows in ${t.seconds.toFixed(1)} s of work: ` +
        `${t.jobsPerMinute.toFixed(1)} jobs/min, ${int(t.rowsPerMinute)} rows/min (${int(t.rowsPerSecond)} rows/s)`,
    );
  } else {
    lines.push(`last ${s.windowMinutes} min: no job completed`);
  }
  for (const a of s.active) {
    const since = a.startedOn ? ` for ${((Date.now() - a.startedOn) / 1000).toFixed(0)} s` : '';
    lines.push(`active  ${a.name}${a.worker ? ` on ${a.worker}` : ''}${since}`);
  }
  for (const f of s.failed) {
    lines.push(`failed  ${f.name} (${f.attemptsMade} attempt(s)): ${f.reason}${f.url ? `  [${f.url}]` : ''}`);
  }
  if (s.counts.failed > s.failed.length)
    lines.push(`        ... and ${s.counts.failed - s.failed.length} more failed`);
  return `${lines.join('\n')}\n`;
}

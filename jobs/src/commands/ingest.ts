import { parseArgs } from 'node:util';
import { checkDashArguments, STREAM_VALUE_OPTIONS, streamOptionSpec, UsageError } from '@bgpstream-ts/core';
import {
  checkRedis,
  countOutcomes,
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  DEFAULT_MAX_CORRUPTED_RECORDS,
  DEFAULT_QUEUE_NAME,
  DEFAULT_REDIS_URL,
  type EnqueueOptions,
  type EnqueueOutcome,
  enqueueResources,
  formatIngestStatus,
  getIngestStatus,
  IngestWorker,
  type IngestWorkerEvent,
  openIngestQueue,
  ResourceSource,
  resourceConfigFromOptions,
  runIngestSchedule,
} from '../ingest/index.js';

const CONNECTION_HELP = `   --redis <url>                 Redis (default ${DEFAULT_REDIS_URL})
   --queue <name>                BullMQ queue, one per lake (default ${DEFAULT_QUEUE_NAME})`;

const ENQUEUE_HELP = `   --lake <dir>                  skip dumps the lake's manifest already lists
   --attempts <n>                tries per dump before its job fails (default ${DEFAULT_ATTEMPTS})
   --backoff <ms>                delay before the first retry, doubled each time (default ${DEFAULT_BACKOFF_MS})
   --retry-failed                run again dumps whose job failed earlier
   -q, --quiet                   print only the totals`;

const STREAM_HELP = `Stream options (as bgpreader's; they choose dumps, and whole dumps are ingested):
   -d, --data-interface <name>   broker (default), archive, csvfile, sqlite, singlefile
   -o, --data-interface-option <name=value>   repeatable; -o? lists them
   -p, --project <name>   -c, --collector <name>   -t, --record-type <ribs|updates>   (repeatable)
   -w, --time-window <start>[,<end>]   -I, --interval '<n> <s|m|h|d>'   -P, --rib-period <seconds>
   -l, --live`;

const USAGE = `usage: bgpstream ingest <enqueue|worker|status|schedule> [options]

Fills a Parquet lake with many worker processes: one BullMQ job per dump, in Redis.

bgpstream ingest enqueue [stream options] [--lake <dir>] [options]
   lists the dumps of the configuration through its data interface and enqueues one job per dump
   (a stable job id: a dump already queued, done or in the lake is not enqueued again)
${ENQUEUE_HELP}

bgpstream ingest worker --lake <dir> [options]
   exports each job's dump into the lake; SIGTERM/SIGINT: stop taking jobs, finish the running
   one(s), exit; a second signal hands them back to the queue at once
   --concurrency <n>             jobs at once in this process (default 1; run a process per core)
   --max-corrupted-records <n>   more corrupted records than this fail a dump (default ${DEFAULT_MAX_CORRUPTED_RECORDS})
   --row-group-size <n>          rows per Parquet part file (default: the lake writer's)
   --lock-duration <ms>          job lock lifetime; a dead worker's job is retried after it (default 30000)
   --stalled-interval <ms>       how often to look for jobs of dead workers (default 30000)
   --max-stalled <n>             times a job may lose its worker before it fails (default 1)
   --shutdown-timeout <s>        on SIGTERM, hand back jobs still running after this long (default: wait)
   --exit-when-drained           exit once nothing is waiting, delayed or active

bgpstream ingest status [options]
   job counts, recent throughput, running and failed jobs with their reasons
   --window <minutes>            throughput over jobs completed this recently (default 10)
   --failed <n>                  failed jobs listed (default 20)
   --json                        as JSON

bgpstream ingest schedule [stream options] --every <seconds> [--lake <dir>] [options]
   live: polls the data interface now and every <seconds>, enqueueing the dumps that appeared
${ENQUEUE_HELP}
   --ticks <n>                   stop after n polls (default: until SIGTERM/SIGINT)

Every subcommand:
${CONNECTION_HELP}
   -h, --help

${STREAM_HELP}

The worker test hook BGPSTREAM_INGEST_TEST_DELAY_MS=<ms> makes each job sleep once mid-dump.
`;

type Values = Record<string, unknown>;
type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean };

const CONNECTION_OPTIONS: Record<string, OptionSpec> = {
  redis: { type: 'string' },
  queue: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};
const ENQUEUE_OPTIONS: Record<string, OptionSpec> = {
  lake: { type: 'string' },
  attempts: { type: 'string' },
  backoff: { type: 'string' },
  'retry-failed': { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
};
const WORKER_OPTIONS: Record<string, OptionSpec> = {
  lake: { type: 'string' },
  concurrency: { type: 'string' },
  'max-corrupted-records': { type: 'string' },
  'row-group-size': { type: 'string' },
  'lock-duration': { type: 'string' },
  'stalled-interval': { type: 'string' },
  'max-stalled': { type: 'string' },
  'shutdown-timeout': { type: 'string' },
  'exit-when-drained': { type: 'boolean' },
};
const STATUS_OPTIONS: Record<string, OptionSpec> = {
  window: { type: 'string' },
  failed: { type: 'string' },
  json: { type: 'boolean' },
};
const SCHEDULE_OPTIONS: Record<string, OptionSpec> = {
  ...ENQUEUE_OPTIONS,
  every: { type: 'string' },
  ticks: { type: 'string' },
};

function parse(argv: string[], options: Record<string, OptionSpec>): Values {
  const valueOptions = new Map(STREAM_VALUE_OPTIONS);
  for (const [name, spec] of Object.entries(options))
    if (spec.type === 'string') valueOptions.set(name, name);
  checkDashArguments(argv, valueOptions);
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  return values as Values;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function intOption(values: Values, name: string, min: number): number | undefined {
  const text = str(values[name]);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min)
    throw new UsageError(`--${name} '${text}' is not a whole number >= ${min}`);
  return Number(text);
}

function numberOption(values: Values, name: string): number | undefined {
  const text = str(values[name]);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new UsageError(`--${name} '${text}' is not a positive number`);
  return n;
}

function connectionOf(values: Values): { redis: string; queue: string } {
  return { redis: str(values.redis) ?? DEFAULT_REDIS_URL, queue: str(values.queue) ?? DEFAULT_QUEUE_NAME };
}

function enqueueOptionsOf(values: Values): EnqueueOptions {
  return {
    lake: str(values.lake),
    attempts: intOption(values, 'attempts', 1),
    backoffMs: intOption(values, 'backoff', 0),
    retryFailed: values['retry-failed'] === true,
  };
}

const out = (line: string) => process.stdout.write(`${line}\n`);

function printOutcomes(outcomes: EnqueueOutcome[], quiet: boolean, prefix = ''): void {
  if (!quiet) {
    for (const o of outcomes) {
      const what =
        o.status === 'enqueued'
          ? 'enqueued'
          : o.status === 'retried'
            ? 'retried '
            : o.status === 'exported'
              ? 'skipped  (in the lake)'
              : `skipped  (job ${o.state})`;
      out(`${prefix}${what}  ${o.name}  ${o.resource.url}`);
    }
  }
  const c = countOutcomes(outcomes);
  out(
    `${prefix}${outcomes.length} dump(s): enqueued ${c.enqueued}, skipped ${c.exported + c.exists} ` +
      `(${c.exported} in the lake, ${c.exists} already queued or done), retried ${c.retried}`,
  );
}

async function enqueue(argv: string[]): Promise<number> {
  const values = parse(argv, { ...streamOptionSpec(), ...CONNECTION_OPTIONS, ...ENQUEUE_OPTIONS });
  if (values.help) return help();
  const config = resourceConfigFromOptions(values);
  if (config === 'listed') return 0;
  const source = new ResourceSource(config);
  const options = enqueueOptionsOf(values);
  const connection = connectionOf(values);
  await checkRedis(connection.redis);
  const resources = await source.next();
  const queue = openIngestQueue(connection);
  try {
    printOutcomes(await enqueueResources(queue, resources, options), values.quiet === true);
  } finally {
    await queue.close();
  }
  return 0;
}

function describeEvent(e: IngestWorkerEvent): string {
  switch (e.type) {
    case 'started':
      return `started ${e.name} (job ${e.jobId}, attempt ${e.attempt})`;
    case 'test-delay':
      return `test delay ${e.ms} ms in ${e.name}`;
    case 'completed': {
      const r = e.result;
      return r.alreadyExported
        ? `completed ${e.name}: already in the lake, nothing written`
        : `completed ${e.name}: ${r.rows} rows, ${r.files.length} file(s), ${r.seconds.toFixed(2)} s`;
    }
    case 'failed':
      return `failed ${e.name}: ${e.reason}${e.willRetry ? ' (will retry)' : ''}`;
    case 'released':
      return `released ${e.name} back to the queue`;
    case 'stalled':
      return `job ${e.jobId} stalled (its worker died): back to wait`;
    case 'error':
      return `error: ${e.error.message}`;
  }
}

async function worker(argv: string[]): Promise<number> {
  const values = parse(argv, { ...CONNECTION_OPTIONS, ...WORKER_OPTIONS });
  if (values.help) return help();
  const lake = str(values.lake);
  if (lake === undefined) throw new UsageError('ingest worker needs --lake <dir>');
  const delayText = process.env.BGPSTREAM_INGEST_TEST_DELAY_MS;
  const testDelayMs = delayText ? Number(delayText) : undefined;
  if (testDelayMs !== undefined && !(testDelayMs >= 0)) {
    throw new UsageError(`BGPSTREAM_INGEST_TEST_DELAY_MS '${delayText}' is not a number of ms`);
  }
  const shutdownTimeout = numberOption(values, 'shutdown-timeout');
  const tag = `[worker ${process.pid}]`;
  const w = await IngestWorker.start({
    ...connectionOf(values),
    lake,
    concurrency: intOption(values, 'concurrency', 1),
    maxCorruptedRecords: intOption(values, 'max-corrupted-records', 0),
    rowGroupSize: intOption(values, 'row-group-size', 1),
    lockDurationMs: intOption(values, 'lock-duration', 1),
    stalledIntervalMs: intOption(values, 'stalled-interval', 1),
    maxStalledCount: intOption(values, 'max-stalled', 0),
    testDelayMs,
    onEvent: (e) =>
      (e.type === 'error' ? process.stderr : process.stdout).write(`${tag} ${describeEvent(e)}\n`),
  });
  out(`${tag} ready: queue ${connectionOf(values).queue}, lake ${w.lake}`);
  let signals = 0;
  const stopped = new Promise<void>((resolve) => {
    const onSignal = (name: string) => {
      signals++;
      if (signals === 1) {
        out(`${tag} ${name}: taking no more jobs, finishing ${w.activeJobs} running`);
        resolve();
      } else {
        out(`${tag} ${name} again: handing running jobs back to the queue`);
        w.release();
      }
    };
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    process.on('SIGINT', () => onSignal('SIGINT'));
  });
  if (values['exit-when-drained']) await Promise.race([stopped, w.whenDrained()]);
  else await stopped;
  await w.close(shutdownTimeout === undefined ? undefined : shutdownTimeout * 1000);
  const cpu = process.cpuUsage();
  out(`${tag} closed (cpu ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s)`);
  return 0;
}

async function status(argv: string[]): Promise<number> {
  const values = parse(argv, { ...CONNECTION_OPTIONS, ...STATUS_OPTIONS });
  if (values.help) return help();
  const connection = connectionOf(values);
  await checkRedis(connection.redis);
  const queue = openIngestQueue(connection);
  try {
    const s = await getIngestStatus(queue, {
      windowMinutes: numberOption(values, 'window'),
      failedLimit: intOption(values, 'failed', 0),
    });
    process.stdout.write(values.json ? `${JSON.stringify(s, null, 2)}\n` : formatIngestStatus(s));
  } finally {
    await queue.close();
  }
  return 0;
}

async function schedule(argv: string[]): Promise<number> {
  const values = parse(argv, { ...streamOptionSpec(), ...CONNECTION_OPTIONS, ...SCHEDULE_OPTIONS });
  if (values.help) return help();
  const everySeconds = numberOption(values, 'every');
  if (everySeconds === undefined) throw new UsageError('ingest schedule needs --every <seconds>');
  const config = resourceConfigFromOptions(values);
  if (config === 'listed') return 0;
  const source = new ResourceSource({ ...config, live: true });
  const connection = connectionOf(values);
  await checkRedis(connection.redis);
  const queue = openIngestQueue(connection);
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const quiet = values.quiet === true;
  try {
    await runIngestSchedule(source, queue, {
      ...enqueueOptionsOf(values),
      everySeconds,
      ticks: intOption(values, 'ticks', 1),
      signal: abort.signal,
      onTick: (tick, outcomes) => printOutcomes(outcomes, quiet, `[poll ${tick}] `),
      onError: (tick, err) => process.stderr.write(`[poll ${tick}] error: ${err.message}\n`),
    });
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    await queue.close();
  }
  return 0;
}

function help(): number {
  process.stdout.write(USAGE);
  return 0;
}

const SUBCOMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  enqueue,
  worker,
  status,
  schedule,
};

/** `bgpstream ingest <enqueue|worker|status|schedule> ...`: exit status 0, 1 (failure) or 2 (usage). */
export async function ingestCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '-h' || sub === '--help') {
    (sub === undefined ? process.stderr : process.stdout).write(USAGE);
    return sub === undefined ? 2 : 0;
  }
  const run = SUBCOMMANDS[sub];
  if (!run) {
    process.stderr.write(`bgpstream ingest: unknown subcommand '${sub}'\n${USAGE}`);
    return 2;
  }
  try {
    return await run(rest);
  } catch (err) {
    const usage =
      err instanceof UsageError || String((err as { code?: string }).code).startsWith('ERR_PARSE_ARGS');
    process.stderr.write(`bgpstream ingest ${sub}: ${(err as Error).message}\n`);
    if (usage) process.stderr.write(`(bgpstream ingest -h for the options)\n`);
    return usage ? 2 : 1;
  }
}

// Distributed ingestion: one BullMQ job per dump, workers that export each into the Parquet lake.

export {
  countOutcomes,
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  type EnqueueOptions,
  type EnqueueOutcome,
  enqueueResources,
} from './enqueue.js';
export {
  CorruptDumpError,
  DEFAULT_MAX_CORRUPTED_RECORDS,
  type IngestDumpOptions,
  ingestDump,
} from './ingest-dump.js';
export { dumpKeyOf, ingestJobId, ingestJobName } from './job-id.js';
export {
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
export {
  ResourceSource,
  type ResourceSourceConfig,
  resourceConfigFromOptions,
  resourceSourceFromOptions,
} from './resources-from-options.js';
export { type IngestScheduleOptions, runIngestSchedule } from './schedule.js';
export {
  formatIngestStatus,
  getIngestStatus,
  type IngestActiveJob,
  type IngestFailedJob,
  type IngestJobCounts,
  type IngestStatus,
  type IngestStatusOptions,
  type IngestThroughput,
} from './status.js';
export {
  IngestWorker,
  type IngestWorkerEvent,
  type IngestWorkerOptions,
  startIngestWorker,
} from './worker.js';

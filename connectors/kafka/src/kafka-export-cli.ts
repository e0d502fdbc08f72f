import type { BgpRecord, Resource } from '@bgpstream-ts/core';
import { KAFKA_MESSAGE_FORMATS, type KafkaMessageFormat } from '@bgpstream-ts/schemas';
import { ExportCheckpoint } from './checkpoint.js';
import {
  type ExportToKafkaOptions,
  exportToKafka,
  type KafkaExportProgress,
  type KafkaExportSummary,
  resolveExportOptions,
} from './export-to-kafka.js';
import { KEY_MODES, type KeyMode } from './partitioner.js';
import { dumpKey } from './record-ids.js';
import { DEFAULT_TOPIC_TEMPLATE } from './topic-names.js';

/** A bad `--to kafka` option: the message names it; the command prints its usage. */
export class KafkaUsageError extends Error {
  override name = 'KafkaUsageError';
}

/** The `bgpstream export --to kafka` options, in `util.parseArgs` form (long names only). */
export const KAFKA_EXPORT_OPTIONS = {
  brokers: { type: 'string' },
  topic: { type: 'string' },
  format: { type: 'string' },
  key: { type: 'string' },
  partitions: { type: 'string' },
  'replication-factor': { type: 'string' },
  'no-create-topics': { type: 'boolean' },
  checkpoint: { type: 'string' },
  'batch-size': { type: 'string' },
  'flush-messages': { type: 'string' },
  'flush-bytes': { type: 'string' },
  linger: { type: 'string' },
  compression: { type: 'string' },
  'client-id': { type: 'string' },
  'connect-timeout': { type: 'string' },
} as const satisfies Record<string, { type: 'string' | 'boolean' }>;

/** Those of them that take a value (for `checkDashArguments`). */
export const KAFKA_EXPORT_VALUE_OPTIONS: readonly string[] = Object.entries(KAFKA_EXPORT_OPTIONS)
  .filter(([, spec]) => spec.type === 'string')
  .map(([name]) => name);

export const KAFKA_EXPORT_HELP = `Kafka (--to kafka):
   --brokers <host:port,...>      the Kafka bootstrap brokers (required)
   --format <json|arrow|mrt>      json (default): one elem per message (schemas/json/elem-message.schema.json);
                                  arrow: one Arrow IPC stream (one record batch) per message;
                                  mrt: one MRT record per message, readable by any MRT consumer
   --topic <template>             topic names; {project} {collector} {type} {elem_type} {format}
                                  (default ${DEFAULT_TOPIC_TEMPLATE}); sanitised to [a-zA-Z0-9._-], 249 chars
   --key <prefix|peer|none>       message key and partitioning (default prefix; mrt: peer)
   --partitions <n>               partitions of the topics created (default 1)
   --replication-factor <n>       replication of the topics created (default 1)
   --no-create-topics             do not create missing topics
   --checkpoint <file>            resume file: a stopped or killed export run again resumes from it
   --batch-size <rows>            arrow: rows per message (default 2048)
   --flush-messages <n>           messages per produce request (default 1000)
   --flush-bytes <n>              bytes per produce request (default 819200)
   --linger <ms>                  send a partial request after this long without input (default 200)
   --compression <none|gzip>      message compression (default none)
   --client-id <id>               Kafka client id (default bgpstream-ts)
   --connect-timeout <ms>         give up connecting after this long (default 10000)`;

function whole(values: Record<string, unknown>, name: string, min = 1): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d+$/.test(v) || Number(v) < min) {
    throw new KafkaUsageError(`--${name} '${String(v)}' is not a whole number >= ${min}`);
  }
  return Number(v);
}

/** The `exportToKafka` options of parsed `--to kafka` arguments. Throws {@link KafkaUsageError} naming a bad one. */
export function kafkaExportOptionsFromArgv(values: Record<string, unknown>): ExportToKafkaOptions {
  const brokers = values.brokers;
  if (typeof brokers !== 'string' || brokers.trim() === '')
    throw new KafkaUsageError('--brokers is required with --to kafka');
  const format = (values.format ?? 'json') as KafkaMessageFormat;
  if (!KAFKA_MESSAGE_FORMATS.includes(format)) {
    throw new KafkaUsageError(
      `--format '${String(values.format)}': expected ${KAFKA_MESSAGE_FORMATS.join(', ')}`,
    );
  }
  const key = values.key as KeyMode | undefined;
  if (key !== undefined && !KEY_MODES.includes(key)) {
    throw new KafkaUsageError(`--key '${String(key)}': expected ${KEY_MODES.join(', ')}`);
  }
  const compression = values.compression as string | undefined;
  if (compression !== undefined && compression !== 'none' && compression !== 'gzip') {
    throw new KafkaUsageError(`--compression '${compression}': expected none or gzip for Kafka`);
  }
  const options: ExportToKafkaOptions = {
    brokers,
    format,
    key,
    topicTemplate: values.topic as string | undefined,
    partitions: whole(values, 'partitions'),
    replicationFactor: whole(values, 'replication-factor'),
    createTopics: values['no-create-topics'] !== true,
    checkpoint: values.checkpoint as string | undefined,
    arrowBatchSize: whole(values, 'batch-size'),
    flushMessages: whole(values, 'flush-messages'),
    flushBytes: whole(values, 'flush-bytes'),
    lingerMs: whole(values, 'linger', 0),
    compression: compression as 'none' | 'gzip' | undefined,
    clientId: values['client-id'] as string | undefined,
    connectTimeoutMs: whole(values, 'connect-timeout'),
  };
  try {
    resolveExportOptions(options);
  } catch (err) {
    throw new KafkaUsageError((err as Error).message);
  }
  return options;
}

/** What `kafkaExport` exports from: a `BGPStream` (configured, started or not) or record batches. */
export type KafkaExportInput =
  | AsyncIterable<BgpRecord[]>
  | {
      batches(): AsyncIterable<BgpRecord[]>;
      addResourceFilter?(keep: (resource: Resource) => boolean | Promise<boolean>): void;
      close?(): Promise<void>;
    };

export interface KafkaExportIo {
  /** Progress after each acknowledged request (for a progress bar). */
  onProgress?: (progress: KafkaExportProgress) => void;
  /** Stops the export gracefully: what was read is delivered and checkpointed. */
  signal?: AbortSignal;
  /** kafkajs warnings and errors (default: none). */
  log?: ExportToKafkaOptions['log'];
}

/**
 * `bgpstream export --to kafka`: the stream into Kafka with the options of {@link KAFKA_EXPORT_OPTIONS}.
 * With `--checkpoint` and a stream not started yet, dumps the checkpoint marks complete are passed
 * over before they are opened. Resolves with the summary; throws {@link KafkaUsageError} for bad
 * options (before connecting) and Error for failures (a broker that cannot be reached is named).
 */
export async function kafkaExport(
  stream: KafkaExportInput,
  values: Record<string, unknown>,
  io: KafkaExportIo = {},
): Promise<KafkaExportSummary> {
  const options = kafkaExportOptionsFromArgv(values);
  // A BGPStream is also an iterable (of elems): its batches() are what is exported.
  const bgpstream = 'batches' in stream && typeof stream.batches === 'function' ? stream : null;
  if (options.checkpoint !== undefined && bgpstream?.addResourceFilter) {
    const o = resolveExportOptions(options);
    const cp = await ExportCheckpoint.open(options.checkpoint, {
      format: o.format,
      topicTemplate: o.template.template,
      key: o.key,
    });
    try {
      bgpstream.addResourceFilter(
        (r) =>
          !cp.complete(
            dumpKey({ project: r.project, collector: r.collector, type: r.type, dumpTime: r.initialTime }),
          ),
      );
    } catch {
      // The stream was started already: every dump is read, and delivered records are skipped.
    }
  }
  const batches = bgpstream ? bgpstream.batches() : (stream as AsyncIterable<BgpRecord[]>);
  const closeOnAbort = () => {
    void bgpstream?.close?.();
  };
  io.signal?.addEventListener('abort', closeOnAbort, { once: true });
  try {
    return await exportToKafka(batches, {
      ...options,
      onProgress: io.onProgress,
      signal: io.signal,
      log: io.log,
    });
  } finally {
    io.signal?.removeEventListener('abort', closeOnAbort);
  }
}

/** One line: `exported N elems of R records as M json messages (B bytes) to T topics in S s`. */
export function formatKafkaExportSummary(s: KafkaExportSummary): string {
  const parts = [
    `exported ${s.elems} elems of ${s.records} records as ${s.messages} ${s.format} messages (${s.bytes} bytes) ` +
      `to ${s.topics.length} topic${s.topics.length === 1 ? '' : 's'} in ${s.seconds.toFixed(1)} s`,
  ];
  if (s.skippedRecords > 0) parts.push(`${s.skippedRecords} records already delivered (checkpoint)`);
  if (s.replayedFlushes > 0)
    parts.push(`${s.replayedFlushes} interrupted request re-sent (possible duplicates)`);
  if (s.aborted) parts.push('stopped before the end of the input');
  return [parts.join('; '), ...s.warnings.map((w) => `warning: ${w}`)].join('\n');
}

import type { ElemBatchBuilder } from '@bgpstream-ts/arrow';
import type { BgpRecord, ElemType } from '@bgpstream-ts/core';
import { ELEM_SCHEMA_VERSION, KAFKA_MESSAGE_FORMATS, type KafkaMessageFormat } from '@bgpstream-ts/schemas';
import { type Admin, CompressionTypes, type Message, Partitioners, type Producer } from 'kafkajs';
import { arrowMessageBytes, BuilderPool } from './arrow-message.js';
import { ExportCheckpoint, type FlushProgress, type InFlightFlush } from './checkpoint.js';
import { elemJsonText } from './elem-json.js';
import {
  checkBrokers,
  createKafka,
  describeKafkaError,
  type KafkaConnectionOptions,
  parseBrokers,
} from './kafka-client.js';
import {
  arrowHeaders,
  HEADER_OVERHEAD,
  headerValuesBytes,
  messageHeaders,
  mrtHeaderExtraBytes,
  mrtHeaders,
  type RecordHeaderValues,
} from './message-headers.js';
import { MrtMessageEncoder } from './mrt-message.js';
import { choosePartition, elemKey, KEY_MODES, type KeyMode, recordKey } from './partitioner.js';
import { type DumpId, dumpKey, recordId } from './record-ids.js';
import { DEFAULT_TOPIC_TEMPLATE, TopicTemplate } from './topic-names.js';

export interface ExportToKafkaOptions extends KafkaConnectionOptions {
  /** `json` (default): one elem per message; `arrow`: one Arrow IPC stream per message; `mrt`: one MRT record per message. */
  format?: KafkaMessageFormat;
  /** Topic name template (README: "Topics"). Default `bgpstream.{project}.{collector}.{type}`. */
  topicTemplate?: string;
  /**
   * Message key: `prefix` (default for json and arrow: every change of one prefix in one partition,
   * in order), `peer` (default for mrt, whose records hold one peer but possibly many prefixes) or `none`.
   */
  key?: KeyMode;
  /** Partitions of the topics this export creates. Default 1. */
  partitions?: number;
  /** Replication factor of the topics this export creates. Default 1. */
  replicationFactor?: number;
  /** Create missing topics (CreateTopics). Default true; false: they must exist (or the broker creates them). */
  createTopics?: boolean;
  /** Checkpoint file: an export stopped or killed resumes from it (README: "Checkpoints"). */
  checkpoint?: string;
  /** Cut a flush (one produce request, acknowledged before the next) at this many messages. Default 1000. */
  flushMessages?: number;
  /** ... or at this many bytes (keys, values, headers). Default 800 KiB, below Kafka's 1 MiB batch and request limits. */
  flushBytes?: number;
  /** arrow: rows per record batch (per message), at most. Default 2048. */
  arrowBatchSize?: number;
  /** Send what is pending after this many milliseconds without enough input to fill a flush (live streams). Default 200. */
  lingerMs?: number;
  /** Flushes encoded ahead while one is being sent; the input is paused beyond (back-pressure). Default 2. */
  maxQueuedFlushes?: number;
  /** Message compression (kafkajs has gzip built in). Default none. */
  compression?: 'none' | 'gzip';
  /** Milliseconds the brokers may take to acknowledge (acks=-1: every in-sync replica). Default 30000. */
  ackTimeoutMs?: number;
  /** Called after each acknowledged flush. */
  onProgress?: (progress: KafkaExportProgress) => void;
  /** Stops reading the input; what was read is still delivered and checkpointed. */
  signal?: AbortSignal;
}

export interface KafkaExportProgress {
  /** Records of this run whose messages Kafka acknowledged (records without messages included). */
  records: number;
  /** Elems in those records. */
  elems: number;
  messages: number;
  /** Bytes of message keys, values and headers. */
  bytes: number;
  seconds: number;
  /** Records passed over because the checkpoint says an earlier run delivered them. */
  skippedRecords: number;
  flushes: number;
}

export interface KafkaExportSummary extends KafkaExportProgress {
  format: KafkaMessageFormat;
  /** Every topic written to. */
  topics: string[];
  /** Records that gave no message (mrt: no MRT bytes or no elems; json, arrow: no elems). */
  recordsWithoutMessage: number;
  /** The checkpoint had a flush in flight: its records were sent again, cut the same way (README: "Duplicates"). */
  replayedFlushes: number;
  /** The signal stopped the export before the input ended. */
  aborted: boolean;
  warnings: string[];
}

const DEFAULTS = {
  flushMessages: 1000,
  flushBytes: 800 * 1024,
  arrowBatchSize: 2048,
  lingerMs: 200,
  maxQueuedFlushes: 2,
  partitions: 1,
  replicationFactor: 1,
  ackTimeoutMs: 30_000,
};

function positive(name: string, value: number | undefined, fallback: number, min = 1): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min)
    throw new RangeError(`${name} must be a whole number >= ${min}, got ${value}`);
  return v;
}

interface ResolvedOptions {
  format: KafkaMessageFormat;
  key: KeyMode;
  template: TopicTemplate;
  partitions: number;
  replicationFactor: number;
  createTopics: boolean;
  flushMessages: number;
  flushBytes: number;
  arrowBatchSize: number;
  lingerMs: number;
  maxQueuedFlushes: number;
  compression: CompressionTypes;
  ackTimeoutMs: number;
}

/** Checks the options and fills in defaults; throws naming the bad one. */
export function resolveExportOptions(options: ExportToKafkaOptions): ResolvedOptions {
  parseBrokers(options.brokers);
  const format = options.format ?? 'json';
  if (!KAFKA_MESSAGE_FORMATS.includes(format)) {
    throw new Error(
      `unknown Kafka message format '${format}' (formats: ${KAFKA_MESSAGE_FORMATS.join(', ')})`,
    );
  }
  const key = options.key ?? (format === 'mrt' ? 'peer' : 'prefix');
  if (!KEY_MODES.includes(key))
    throw new Error(`unknown message key '${key}' (keys: ${KEY_MODES.join(', ')})`);
  const template = new TopicTemplate(options.topicTemplate ?? DEFAULT_TOPIC_TEMPLATE);
  if (format === 'mrt' && template.usesElemType) {
    throw new Error(
      `topic template '${template.template}': {elem_type} cannot be used with the mrt format (a message is a whole record)`,
    );
  }
  const compression = options.compression ?? 'none';
  if (compression !== 'none' && compression !== 'gzip') {
    throw new Error(`unknown compression '${compression}' (none, gzip)`);
  }
  return {
    format,
    key,
    template,
    partitions: positive('partitions', options.partitions, DEFAULTS.partitions),
    replicationFactor: positive('replicationFactor', options.replicationFactor, DEFAULTS.replicationFactor),
    createTopics: options.createTopics ?? true,
    flushMessages: positive('flushMessages', options.flushMessages, DEFAULTS.flushMessages),
    flushBytes: positive('flushBytes', options.flushBytes, DEFAULTS.flushBytes),
    arrowBatchSize: positive('arrowBatchSize', options.arrowBatchSize, DEFAULTS.arrowBatchSize),
    lingerMs: positive('lingerMs', options.lingerMs, DEFAULTS.lingerMs, 0),
    maxQueuedFlushes: positive('maxQueuedFlushes', options.maxQueuedFlushes, DEFAULTS.maxQueuedFlushes),
    compression: compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
    ackTimeoutMs: positive('ackTimeoutMs', options.ackTimeoutMs, DEFAULTS.ackTimeoutMs),
  };
}

/** Topics as they are met: created when missing, their partition count looked up once. */
class TopicRegistry {
  private readonly known = new Map<string, Promise<number>>();
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly admin: Admin,
    private readonly o: ResolvedOptions,
  ) {}

  get names(): string[] {
    return [...this.known.keys()];
  }

  /** The partition count of a topic met before (no await on the hot path). */
  count(topic: string): number | undefined {
    return this.counts.get(topic);
  }

  partitions(topic: string): Promise<number> {
    let p = this.known.get(topic);
    if (p === undefined) {
      p = this.ensure(topic).then((n) => {
        this.counts.set(topic, n);
        return n;
      });
      this.known.set(topic, p);
      p.catch(() => this.known.delete(topic));
    }
    return p;
  }

  private async ensure(topic: string): Promise<number> {
    try {
      if (this.o.createTopics) {
        await this.admin.createTopics({
          topics: [{ topic, numPartitions: this.o.partitions, replicationFactor: this.o.replicationFactor }],
          waitForLeaders: true,
        });
      }
      const md = await this.admin.fetchTopicMetadata({ topics: [topic] });
      const n = md.topics.find((t) => t.name === topic)?.partitions.length ?? 0;
      if (n === 0) throw new Error('no partitions');
      return n;
    } catch (err) {
      throw new Error(
        `Kafka topic '${topic}' could not be ${this.o.createTopics ? 'created' : 'found'}: ${describeKafkaError(err)}`,
      );
    }
  }
}

/** Messages of one produce request, and what their acknowledgement delivers. */
class Flush {
  readonly byTopic = new Map<string, Message[]>();
  messages = 0;
  bytes = 0;
  records = 0;
  elems = 0;
  recordsWithoutMessage = 0;
  readonly progress = new Map<string, FlushProgress>();
  firstRecordId = '';
  lastRecordId = '';
  readonly started = performance.now();

  add(topic: string, message: Message, bytes: number): void {
    let list = this.byTopic.get(topic);
    if (list === undefined) {
      list = [];
      this.byTopic.set(topic, list);
    }
    list.push(message);
    this.messages++;
    this.bytes += bytes;
  }

  noteRecord(key: string, dump: DumpId, index: number, id: string, ended: boolean, elems: number): void {
    this.records++;
    this.elems += elems;
    if (this.firstRecordId === '') this.firstRecordId = id;
    this.lastRecordId = id;
    const p = this.progress.get(key);
    if (p === undefined) this.progress.set(key, { dump, lastRecord: index, ended });
    else {
      p.lastRecord = index;
      if (ended) p.ended = true;
    }
  }

  get empty(): boolean {
    return this.records === 0;
  }
}

/** An arrow batch being filled: rows of one dump for one topic partition. */
interface PendingBatch {
  topic: string;
  partition: number;
  builder: ElemBatchBuilder;
  headers: RecordHeaderValues;
  firstId: string;
  lastId: string;
  key: string | null;
}

const TIMEOUT = Symbol('timeout');
const FAILED = Symbol('failed');
const ABORTED = Symbol('aborted');

/** A bounded queue between the encoder and the sender: `push` waits while it is full. */
class FlushQueue {
  private readonly items: Flush[] = [];
  private waitingPush: (() => void) | null = null;
  private waitingPop: (() => void) | null = null;
  private closed = false;
  failure: unknown = null;
  /** Called once when the sender fails (the encoder's wait sets it). */
  onFailure: (() => void) | null = null;

  constructor(private readonly capacity: number) {}

  async push(f: Flush): Promise<void> {
    while (this.items.length >= this.capacity && this.failure === null) {
      await new Promise<void>((resolve) => {
        this.waitingPush = resolve;
      });
    }
    if (this.failure !== null) throw this.failure;
    this.items.push(f);
    this.waitingPop?.();
  }

  close(): void {
    this.closed = true;
    this.waitingPop?.();
  }

  fail(err: unknown): void {
    if (this.failure === null) this.failure = err;
    this.waitingPush?.();
    this.onFailure?.();
  }

  async pop(): Promise<Flush | null> {
    while (this.items.length === 0) {
      if (this.closed) return null;
      await new Promise<void>((resolve) => {
        this.waitingPop = resolve;
      });
    }
    const f = this.items.shift() ?? null;
    this.waitingPush?.();
    return f;
  }
}

/**
 * Exports records (`BGPStream.batches()`, `readMrtBatches(...)`, or any iterable of records or
 * record arrays) to Kafka topics. Messages go with an idempotent producer (acks=-1, one request in
 * flight), flush by flush: the input pauses while Kafka is slow, and memory holds at most
 * `maxQueuedFlushes + 1` flushes. With `checkpoint`, a stopped or killed export run again with the
 * same input and options resumes where Kafka's acknowledgements stopped.
 */
export async function exportToKafka(
  records: AsyncIterable<BgpRecord[] | BgpRecord> | Iterable<BgpRecord[] | BgpRecord>,
  options: ExportToKafkaOptions,
): Promise<KafkaExportSummary> {
  const o = resolveExportOptions(options);
  const started = performance.now();
  const checkpoint = await ExportCheckpoint.open(options.checkpoint, {
    format: o.format,
    topicTemplate: o.template.template,
    key: o.key,
  });
  await checkBrokers(options);

  const kafka = createKafka(options);
  const admin = kafka.admin();
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // Every message names its partition (partitioner.ts); this only silences kafkajs's warning.
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: 12, initialRetryTime: 300, maxRetryTime: 5000, ...options.retry },
  });
  try {
    await admin.connect();
    await producer.connect();
  } catch (err) {
    await admin.disconnect().catch(() => {});
    await producer.disconnect().catch(() => {});
    throw new Error(
      `cannot connect to Kafka at ${parseBrokers(options.brokers).join(', ')}: ${describeKafkaError(err)}`,
    );
  }

  const topics = new TopicRegistry(admin, o);
  const totals: KafkaExportProgress = {
    records: 0,
    elems: 0,
    messages: 0,
    bytes: 0,
    seconds: 0,
    skippedRecords: 0,
    flushes: 0,
  };
  const summaryExtra = {
    recordsWithoutMessage: 0,
    replayedFlushes: 0,
    aborted: false,
    warnings: [] as string[],
  };
  const queue = new FlushQueue(o.maxQueuedFlushes);

  // ---- sender: one produce request at a time, each acknowledged before the next ----
  const sender = (async () => {
    for (let f = await queue.pop(); f !== null; f = await queue.pop()) {
      const inFlight: InFlightFlush = {
        records: f.records,
        firstRecordId: f.firstRecordId,
        lastRecordId: f.lastRecordId,
        messages: f.messages,
      };
      await checkpoint.begin(inFlight);
      if (f.messages > 0) {
        try {
          await producer.sendBatch({
            topicMessages: [...f.byTopic].map(([topic, messages]) => ({ topic, messages })),
            acks: -1,
            timeout: o.ackTimeoutMs,
            compression: o.compression,
          });
        } catch (err) {
          throw new Error(
            `Kafka did not acknowledge a flush of ${f.messages} messages: ${describeKafkaError(err)}`,
            {
              cause: err,
            },
          );
        }
      }
      checkpoint.ack(f.progress);
      totals.records += f.records;
      totals.elems += f.elems;
      totals.messages += f.messages;
      totals.bytes += f.bytes;
      totals.flushes++;
      summaryExtra.recordsWithoutMessage += f.recordsWithoutMessage;
      totals.seconds = (performance.now() - started) / 1000;
      options.onProgress?.({ ...totals });
    }
    await checkpoint.save();
  })();
  sender.catch((err) => queue.fail(err));

  // ---- encoder ----
  const recordIndex = new Map<string, number>();
  const replay = [...checkpoint.replay];
  let replaying = replay.length > 0;
  if (replaying) summaryExtra.replayedFlushes = replay.length;
  const mrt = new MrtMessageEncoder();
  const pool = new BuilderPool(Math.min(o.arrowBatchSize, 1024));
  const pending = new Map<string, PendingBatch>();
  let pendingRows = 0;
  let flush = new Flush();
  const schemaVersion = String(ELEM_SCHEMA_VERSION);

  const finishBatch = async (slot: string, b: PendingBatch): Promise<void> => {
    pending.delete(slot);
    pendingRows -= b.builder.length;
    const rows = b.builder.length;
    const value = await arrowMessageBytes(b.builder.finish());
    pool.give(b.builder);
    const headers = arrowHeaders(b.headers, b.firstId, b.lastId, rows);
    flush.add(
      b.topic,
      { partition: b.partition, key: b.key, value, headers },
      value.length + headerValuesBytes(b.headers) + b.firstId.length + b.lastId.length + 3 * HEADER_OVERHEAD,
    );
  };

  const cut = async (): Promise<void> => {
    for (const [slot, b] of [...pending]) await finishBatch(slot, b);
    if (flush.empty) return;
    const full = flush;
    flush = new Flush();
    await queue.push(full);
  };

  /** The headers every message of a record carries, and their size. */
  const recordHeaders = (record: BgpRecord): { values: RecordHeaderValues; bytes: number } => {
    const values: RecordHeaderValues = {
      format: o.format,
      schemaVersion,
      project: record.project,
      collector: record.collector,
      recordType: record.type,
      dumpTime: String(record.dumpTime),
      router: record.router === '' ? undefined : record.router,
      routerIp: record.routerIp === null ? undefined : record.routerIp.toString(),
    };
    return { values, bytes: headerValuesBytes(values) };
  };

  const topicOf = (record: BgpRecord, elemType?: ElemType): string =>
    o.template.topic({
      project: record.project,
      collector: record.collector,
      type: record.type,
      elemType,
      format: o.format,
    });

  /** Creates (or looks up) the topics the record's messages go to; resolves at once when all are known. */
  const ensureTopics = async (record: BgpRecord): Promise<void> => {
    if (o.format === 'mrt' || !o.template.usesElemType) {
      const t = topicOf(record);
      if (topics.count(t) === undefined) await topics.partitions(t);
      return;
    }
    for (const e of record.elems) {
      const t = topicOf(record, e.type);
      if (topics.count(t) === undefined) await topics.partitions(t);
    }
  };

  /** mrt: one message (after a PEER_INDEX_TABLE to every partition when it changed). Topics are known. */
  const encodeMrt = (record: BgpRecord, dk: string, id: string): boolean => {
    const topic = topicOf(record);
    const m = mrt.encode(record, `${topic}\u0000${dk}`);
    if (m === null) {
      if (record.dumpPosition === 'end') mrt.endDump(`${topic}\u0000${dk}`);
      return false;
    }
    const partitions = topics.count(topic) as number;
    const key = recordKey(record, o.key);
    const { values, bytes } = recordHeaders(record);
    const time = `${record.timeSec}.${String(record.timeUsec).padStart(6, '0')}`;
    const headers = mrtHeaders(values, id, time, record.dumpPosition, record.status);
    const size = bytes + mrtHeaderExtraBytes(id, time, record.dumpPosition, record.status);
    if (m.peerIndexTable !== null) {
      const value = Buffer.from(m.peerIndexTable);
      const pitId = `${id}/peer-index-table`;
      const pitHeaders = mrtHeaders(values, pitId, time, record.dumpPosition, record.status);
      for (let p = 0; p < partitions; p++) {
        flush.add(topic, { partition: p, key: null, value, headers: pitHeaders }, value.length + size + 17);
      }
    }
    const value = Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.length);
    flush.add(
      topic,
      { partition: choosePartition(key, id, partitions), key, value, headers },
      value.length + (key?.length ?? 0) + size,
    );
    return true;
  };

  /** json: one message per elem. Topics are known. */
  const encodeJson = (record: BgpRecord, dk: string, index: number): boolean => {
    const elems = record.elems;
    if (elems.length === 0) return false;
    const { values, bytes } = recordHeaders(record);
    let topic = o.template.usesElemType ? '' : topicOf(record);
    let topicType: ElemType | null = null;
    for (let i = 0; i < elems.length; i++) {
      const e = elems[i];
      if (o.template.usesElemType && e.type !== topicType) {
        topic = topicOf(record, e.type);
        topicType = e.type;
      }
      const partitions = topics.count(topic) as number;
      const key = elemKey(e, o.key);
      const elemId = recordId(dk, index, i);
      const value = Buffer.from(elemJsonText(record, e));
      flush.add(
        topic,
        {
          partition: choosePartition(key, elemId, partitions),
          key,
          value,
          headers: messageHeaders(values, elemId),
        },
        value.length + (key?.length ?? 0) + bytes + elemId.length + HEADER_OVERHEAD,
      );
    }
    return true;
  };

  /** arrow: runs of elems bound for the same (topic, partition) go into that slot's batch. */
  const encodeArrow = async (record: BgpRecord, dk: string, index: number): Promise<boolean> => {
    const elems = record.elems;
    if (elems.length === 0) return false;
    const { values } = recordHeaders(record);
    let i = 0;
    let topic = '';
    let topicType: ElemType | null = null;
    while (i < elems.length) {
      const e = elems[i];
      if (topic === '' || (o.template.usesElemType && e.type !== topicType)) {
        topic = topicOf(record, o.template.usesElemType ? e.type : undefined);
        topicType = e.type;
      }
      const partitions = topics.count(topic) as number;
      const key = o.key === 'none' ? null : elemKey(e, o.key);
      const elemId = recordId(dk, index, i);
      const partition = choosePartition(key, elemId, partitions);
      let j = i + 1;
      // With keys, while the partition stays the same; without, the rest of the record.
      while (j < elems.length) {
        const f = elems[j];
        if (o.template.usesElemType && f.type !== e.type) break;
        if (
          o.key !== 'none' &&
          partitions > 1 &&
          choosePartition(elemKey(f, o.key), '', partitions) !== partition
        )
          break;
        j++;
      }
      const slot = `${topic}\u0000${partition}\u0000${dk}`;
      let from = i;
      while (from < j) {
        let b = pending.get(slot);
        if (b === undefined) {
          b = { topic, partition, builder: pool.take(), headers: values, firstId: '', lastId: '', key: null };
          pending.set(slot, b);
        }
        // Never more than arrowBatchSize rows in a batch: a full one goes out into this flush.
        const take = Math.min(j - from, o.arrowBatchSize - b.builder.length);
        if (b.builder.length === 0) b.firstId = recordId(dk, index, from);
        b.builder.append(record, from, from + take);
        pendingRows += take;
        b.lastId = recordId(dk, index, from + take - 1);
        from += take;
        if (b.builder.length >= o.arrowBatchSize) await finishBatch(slot, b);
      }
      i = j;
    }
    return true;
  };

  // arrow: a flush goes as soon as one batch is full (at most one full batch per partition and
  // request, under Kafka's 1 MiB batch limit), or when the partial ones add up.
  const flushIsFull = (): boolean =>
    o.format === 'arrow'
      ? flush.messages > 0 || pendingRows >= o.arrowBatchSize * 4 || flush.records >= 100 * o.flushMessages
      : flush.messages >= o.flushMessages ||
        flush.bytes >= o.flushBytes ||
        flush.records >= 100 * o.flushMessages;

  const input = (
    Symbol.asyncIterator in records
      ? (records as AsyncIterable<BgpRecord[] | BgpRecord>)[Symbol.asyncIterator]()
      : (records as Iterable<BgpRecord[] | BgpRecord>)[Symbol.iterator]()
  ) as AsyncIterator<BgpRecord[] | BgpRecord> | Iterator<BgpRecord[] | BgpRecord>;
  const signal = options.signal;
  type Woken = IteratorResult<BgpRecord[] | BgpRecord> | typeof TIMEOUT | typeof ABORTED | typeof FAILED;
  /**
   * Waits for the next input, the linger timeout, the signal or a sender failure. A fresh promise
   * each time, with every listener removed after: racing long-lived promises (Promise.race) would
   * pile reactions, and with them every batch read, on them.
   */
  const wake = (
    next: Promise<IteratorResult<BgpRecord[] | BgpRecord>>,
    lingerMs: number | null,
  ): Promise<Woken> =>
    new Promise<Woken>((resolve, reject) => {
      let settled = false;
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => finish(ABORTED);
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        queue.onFailure = null;
      };
      const finish = (v: Woken) => {
        if (settled) return;
        settled = true;
        cleanup();
        resolve(v);
      };
      if (queue.failure !== null) return finish(FAILED);
      if (signal?.aborted) return finish(ABORTED);
      queue.onFailure = () => finish(FAILED);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (lingerMs !== null) timer = setTimeout(() => finish(TIMEOUT), lingerMs);
      next.then(finish, (err) => {
        if (settled) return;
        settled = true;
        cleanup();
        reject(err);
      });
    });

  let inputDone = false;
  let pendingNext = false;
  try {
    let next: Promise<IteratorResult<BgpRecord[] | BgpRecord>> | null = null;
    for (;;) {
      if (queue.failure !== null) throw queue.failure;
      if (next === null) {
        next = Promise.resolve(input.next());
        pendingNext = true;
      }
      const linger =
        !flush.empty && !replaying ? Math.max(0, o.lingerMs - (performance.now() - flush.started)) : null;
      const got = await wake(next, linger);
      if (got === FAILED) throw queue.failure;
      if (got === ABORTED) {
        summaryExtra.aborted = true;
        break;
      }
      if (got === TIMEOUT) {
        await cut();
        continue;
      }
      next = null;
      pendingNext = false;
      if (got.done) {
        inputDone = true;
        break;
      }
      const batch = Array.isArray(got.value) ? got.value : [got.value];
      for (const record of batch) {
        const dump: DumpId = {
          project: record.project,
          collector: record.collector,
          type: record.type,
          dumpTime: record.dumpTime,
        };
        const dk = dumpKey(dump);
        const index = recordIndex.get(dk) ?? 0;
        recordIndex.set(dk, index + 1);
        if (checkpoint.delivered(dk, index)) {
          totals.skippedRecords++;
          continue;
        }
        if (replaying && flush.empty && replay[0].firstRecordId !== recordId(dk, index)) {
          summaryExtra.warnings.push(
            `the checkpoint's flush in flight began with record ${replay[0].firstRecordId}, the input now gives ` +
              `${recordId(dk, index)}: the input changed since the interrupted run; its flush boundaries are not replayed`,
          );
          replaying = false;
          replay.length = 0;
        }
        const id = recordId(dk, index);
        await ensureTopics(record);
        const sent =
          o.format === 'mrt'
            ? encodeMrt(record, dk, id)
            : o.format === 'json'
              ? encodeJson(record, dk, index)
              : await encodeArrow(record, dk, index);
        if (!sent) flush.recordsWithoutMessage++;
        flush.noteRecord(dk, dump, index, id, record.dumpPosition === 'end', record.elems.length);
        if (replaying) {
          if (flush.records >= replay[0].records) {
            replay.shift();
            replaying = replay.length > 0;
            await cut();
          }
        } else if (flushIsFull()) {
          await cut();
        }
      }
    }
    if (replaying && !summaryExtra.aborted) {
      summaryExtra.warnings.push('the input ended inside the flush the checkpoint had in flight');
    }
    await cut();
    queue.close();
    await sender;
  } catch (err) {
    queue.close();
    queue.fail(err);
    await sender.catch(() => {});
    throw err;
  } finally {
    if (!inputDone) {
      // Ends the input (closes its files or sockets). An async generator still busy with a next()
      // (a live stream waiting for data) runs return() only after it: not awaited then.
      const ended = Promise.resolve((input as AsyncIterator<unknown>).return?.()).catch(() => {});
      if (!pendingNext) await ended;
    }
    await producer.disconnect().catch(() => {});
    await admin.disconnect().catch(() => {});
  }
  totals.seconds = (performance.now() - started) / 1000;
  return { ...totals, format: o.format, topics: topics.names.sort(), ...summaryExtra };
}

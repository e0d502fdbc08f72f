import {
  BgpRecord,
  BmpSession,
  bmpMessageToRecords,
  type DumpPosition,
  MrtReader,
  mrtTypes,
  type OpenResourceOptions,
  type RecordType,
  type Resource,
  risLiveLineToRecord,
} from '@bgpstream-ts/core';
import { KAFKA_HEADERS as H } from '@bgpstream-ts/schemas';
import type { Consumer, IHeaders, KafkaMessage } from 'kafkajs';
import { jsonToRecord } from './elem-json.js';
import {
  checkBrokers,
  createKafka,
  describeKafkaError,
  type KafkaConnectionOptions,
} from './kafka-client.js';
import { type KafkaSourceConfig, parseKafkaUrl } from './kafka-url.js';

/** Settings of the consumer that are not data interface options (tests and embedders). */
export interface KafkaSourceSettings extends Omit<KafkaConnectionOptions, 'brokers'> {
  /** Records decoded but not yet taken by the stream before fetching pauses. Default 20000. */
  queueRecords?: number;
  /** Consumer session timeout, ms. Default 30000. */
  sessionTimeoutMs?: number;
}

let settings: KafkaSourceSettings = {};

/** Sets connection settings for every `kafka` resource opened afterwards (timeouts, TLS, SASL, logs). */
export function setKafkaSourceSettings(s: KafkaSourceSettings): void {
  settings = { ...s };
}

const utf8 = new TextDecoder();

function header(headers: IHeaders | undefined, name: string): string | undefined {
  const v = headers?.[name];
  if (v === undefined) return undefined;
  const one = Array.isArray(v) ? v[0] : v;
  return one === undefined ? undefined : typeof one === 'string' ? one : one.toString('utf8');
}

interface MessageContext {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

type Decode = (ctx: MessageContext, out: BgpRecord[]) => void;

/** A record for a message that could not be decoded: the stream goes on. */
function corrupted(c: KafkaSourceConfig, ctx: MessageContext, reason: string): BgpRecord {
  const ms = Number(ctx.message.timestamp);
  const sec = Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
  const value = ctx.message.value;
  return new BgpRecord(
    c.project,
    c.collector,
    'update',
    0,
    sec,
    0,
    'corrupted-record',
    0,
    0,
    [],
    value === null ? null : new Uint8Array(value.buffer, value.byteOffset, value.length),
    `${ctx.topic}[${ctx.partition}]@${ctx.message.offset}: ${reason}`,
  );
}

function bytesOf(value: Buffer): Uint8Array {
  return new Uint8Array(value.buffer, value.byteOffset, value.length);
}

/** mrt: one MRT record per message; TABLE_DUMP_V2 RIB records are read after the partition's last PEER_INDEX_TABLE. */
function mrtDecoder(c: KafkaSourceConfig): Decode {
  const tables = new Map<string, Uint8Array>();
  return (ctx, out) => {
    const value = ctx.message.value;
    if (value === null || value.length === 0) return;
    const bytes = bytesOf(value);
    const h = ctx.message.headers;
    const type = bytes.length >= 8 ? (bytes[4] << 8) | bytes[5] : -1;
    const subtype = bytes.length >= 8 ? (bytes[6] << 8) | bytes[7] : -1;
    const slot = `${ctx.topic}\u0000${ctx.partition}`;
    if (type === mrtTypes.MRT_TABLE_DUMP_V2 && subtype === mrtTypes.TDV2_PEER_INDEX_TABLE) {
      tables.set(slot, Uint8Array.from(bytes));
      return;
    }
    const recordType = header(h, H.recordType);
    const dumpTime = Number(header(h, H.dumpTime) ?? 0);
    const reader = new MrtReader({
      source: {
        project: c.project || header(h, H.project) || '',
        collector: c.collector || header(h, H.collector) || '',
        dumpTime: Number.isFinite(dumpTime) ? dumpTime : 0,
        type: recordType === 'rib' || recordType === 'update' ? (recordType as RecordType) : undefined,
      },
    });
    const table = type === mrtTypes.MRT_TABLE_DUMP_V2 ? tables.get(slot) : undefined;
    if (table) reader.push(table);
    const records = [...reader.push(bytes), ...reader.finish()];
    const position = header(h, H.dumpPosition);
    for (const r of records) {
      if (r.status === 'empty-source' || r.status === 'filtered-source') continue;
      r.dumpPosition = position === 'start' || position === 'end' ? (position as DumpPosition) : 'middle';
      out.push(r);
    }
  };
}

async function decoderFor(c: KafkaSourceConfig): Promise<Decode> {
  switch (c.dataType) {
    case 'mrt':
      return mrtDecoder(c);
    case 'bmp': {
      // One session per topic: peer capabilities from Peer Up, router names from Initiation.
      const sessions = new Map<string, BmpSession>();
      return (ctx, out) => {
        const value = ctx.message.value;
        if (value === null || value.length === 0) return;
        let session = sessions.get(ctx.topic);
        if (session === undefined) {
          session = new BmpSession();
          sessions.set(ctx.topic, session);
        }
        const records = bmpMessageToRecords(
          Uint8Array.from(value),
          { project: c.project, collector: c.collector, type: 'update', dumpTime: 0 },
          { session },
        );
        for (const r of records) out.push(r);
      };
    }
    case 'ris-live': {
      const decode = risLiveLineToRecord;
      return (ctx, out) => {
        const value = ctx.message.value;
        if (value === null || value.length === 0) return;
        out.push(
          decode(utf8.decode(value).trim(), {
            project: c.project,
            collector: c.collector,
            type: 'update',
            dumpTime: 0,
          }),
        );
      };
    }
    case 'json':
      return (ctx, out) => {
        const value = ctx.message.value;
        if (value === null || value.length === 0) return;
        out.push(jsonToRecord(utf8.decode(value), Uint8Array.from(value), c));
      };
  }
}

/** Records waiting for the stream, with room for back-pressure. */
class RecordQueue {
  private readonly batches: BgpRecord[][] = [];
  private size = 0;
  private wake: (() => void) | null = null;
  private room: (() => void) | null = null;
  ended = false;
  failure: Error | null = null;

  constructor(readonly capacity: number) {}

  get full(): boolean {
    return this.size >= this.capacity;
  }

  push(batch: BgpRecord[]): void {
    if (batch.length === 0) return;
    this.batches.push(batch);
    this.size += batch.length;
    this.notify();
  }

  end(failure: Error | null = null): void {
    this.ended = true;
    this.failure ??= failure;
    this.notify();
    this.room?.();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** Resolves when there is room (or after `ms`, so that the caller can heartbeat). */
  waitForRoom(ms: number): Promise<void> {
    if (!this.full || this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.room = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Everything queued, or null at the end. */
  async take(): Promise<BgpRecord[] | null> {
    while (this.batches.length === 0) {
      if (this.ended) {
        if (this.failure) throw this.failure;
        return null;
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    const all = this.batches.length === 1 ? this.batches[0] : this.batches.flat();
    this.batches.length = 0;
    this.size = 0;
    const r = this.room;
    this.room = null;
    r?.();
    return all;
  }
}

/** Partition positions against the high watermarks seen at assignment, for `stop-at-end`. */
class EndTracker {
  private ends = new Map<string, bigint>();
  private readonly positions = new Map<string, bigint>();
  private ready = false;

  setAssignment(ends: Map<string, bigint>, starts: Map<string, bigint>): void {
    this.ends = ends;
    for (const [tp, start] of starts) {
      const seen = this.positions.get(tp);
      if (seen === undefined || seen < start) this.positions.set(tp, start);
    }
    this.ready = true;
  }

  advance(tp: string, next: bigint): void {
    const seen = this.positions.get(tp);
    if (seen === undefined || next > seen) this.positions.set(tp, next);
  }

  get done(): boolean {
    if (!this.ready) return false;
    for (const [tp, end] of this.ends) {
      if ((this.positions.get(tp) ?? -1n) < end) return false;
    }
    return true;
  }
}

function corruptedSource(c: KafkaSourceConfig, message: string): BgpRecord {
  const r = new BgpRecord(
    c.project,
    c.collector,
    'update',
    0,
    Math.floor(Date.now() / 1000),
    0,
    'corrupted-source',
    0,
    0,
    [],
    null,
    message,
  );
  r.dumpPosition = 'end';
  return r;
}

/**
 * The records of a `kafka://` resource: a kafkajs consumer in the resource's group, each message
 * decoded by the data type (mrt, bmp, ris-live, json) into records, in batches as Kafka fetches them
 * (one partition at a time; order is kept within a partition). A message that does not decode is a
 * `corrupted-record` record; brokers that cannot be reached give one `corrupted-source` record.
 * Never ends unless `stop-at-end`; `options.signal` (the stream closing) stops it.
 */
export async function* openKafkaResource(
  resource: Resource,
  options: OpenResourceOptions = {},
): AsyncGenerator<BgpRecord[]> {
  const c = parseKafkaUrl(resource.url);
  const conn: KafkaConnectionOptions = { ...settings, brokers: c.brokers };
  try {
    await checkBrokers(conn);
  } catch (err) {
    yield [corruptedSource(c, (err as Error).message)];
    return;
  }
  const decode = await decoderFor(c);
  const kafka = createKafka(conn);
  const admin = kafka.admin();
  const consumer: Consumer = kafka.consumer({
    groupId: c.group,
    sessionTimeout: settings.sessionTimeoutMs ?? 30_000,
    heartbeatInterval: 3000,
    maxWaitTimeInMs: 100,
    allowAutoTopicCreation: false,
    retry: { retries: 12, initialRetryTime: 300, maxRetryTime: 5000, ...settings.retry },
  });
  const queue = new RecordQueue(settings.queueRecords ?? 20_000);
  const tracker = new EndTracker();
  const interval = options.interval;
  const signal = options.signal;
  const onAbort = () => queue.end();
  signal?.addEventListener('abort', onAbort, { once: true });

  const checkEnd = () => {
    if (c.stopAtEnd && tracker.done) queue.end();
  };

  try {
    await admin.connect();
    await consumer.connect();
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      const assignment = event.payload.memberAssignment;
      void (async () => {
        const ends = new Map<string, bigint>();
        const starts = new Map<string, bigint>();
        for (const [topic, partitions] of Object.entries(assignment)) {
          const offsets = await admin.fetchTopicOffsets(topic);
          const committed = await admin.fetchOffsets({ groupId: c.group, topics: [topic] });
          const committedOf = new Map(
            committed.flatMap((t) => t.partitions.map((p) => [p.partition, BigInt(p.offset)] as const)),
          );
          for (const p of partitions) {
            const o = offsets.find((x) => x.partition === p);
            if (!o) continue;
            const tp = `${topic}\u0000${p}`;
            ends.set(tp, BigInt(o.high));
            const done = committedOf.get(p) ?? -1n;
            starts.set(tp, done >= 0n ? done : c.offset === 'earliest' ? BigInt(o.low) : BigInt(o.high));
          }
        }
        tracker.setAssignment(ends, starts);
        checkEnd();
      })().catch((err) =>
        queue.end(new Error(`kafka: reading the high watermarks failed: ${describeKafkaError(err)}`)),
      );
    });
    consumer.on(consumer.events.CRASH, (event) => {
      const e = event.payload.error;
      if (!event.payload.restart) queue.end(new Error(`kafka consumer stopped: ${describeKafkaError(e)}`));
    });
    await consumer.subscribe({ topics: c.topics, fromBeginning: c.offset === 'earliest' });
    await consumer.run({
      autoCommit: true,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        const out: BgpRecord[] = [];
        for (const message of batch.messages) {
          if (!isRunning() || isStale() || queue.ended) break;
          const ctx = { topic: batch.topic, partition: batch.partition, message };
          const before = out.length;
          try {
            decode(ctx, out);
          } catch (err) {
            out.length = before;
            out.push(corrupted(c, ctx, (err as Error).message));
          }
          if (interval) {
            let kept = before;
            for (let i = before; i < out.length; i++) {
              const t = out[i].timeSec;
              if (t >= interval.begin && (interval.end === 0 || t <= interval.end)) out[kept++] = out[i];
            }
            out.length = kept;
          }
          resolveOffset(message.offset);
          tracker.advance(`${batch.topic}\u0000${batch.partition}`, BigInt(message.offset) + 1n);
        }
        queue.push(out);
        while (queue.full && !queue.ended && isRunning()) {
          await queue.waitForRoom(2000);
          await heartbeat();
        }
        checkEnd();
      },
    });
    for (let batch = await queue.take(); batch !== null; batch = await queue.take()) yield batch;
  } catch (err) {
    if (signal?.aborted) return;
    yield [corruptedSource(c, `kafka ${c.brokers.join(',')}: ${describeKafkaError(err)}`)];
  } finally {
    signal?.removeEventListener('abort', onAbort);
    queue.end();
    await consumer.disconnect().catch(() => {});
    await admin.disconnect().catch(() => {});
  }
}

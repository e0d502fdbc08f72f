/**
 * Faults: the broker stopped and started again in the middle of an export; an export killed with
 * SIGKILL and run again from its checkpoint; brokers that cannot be reached.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BgpRecord } from '@bgpstream-ts/core';
import { KAFKA_HEADERS as H } from '@bgpstream-ts/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointFile } from '../src/checkpoint.js';
import {
  dumpKey,
  exportToKafka,
  KafkaConnectError,
  type KafkaExportSummary,
  recordId,
} from '../src/index.js';
import { type RunningBroker, startDevBroker } from './helpers/broker.js';
import { consumeAll } from './helpers/consume.js';
import { readSample, SAMPLES, samplesPresent } from './helpers/samples.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let tmp: string;
const records: BgpRecord[] = [];
/** Every elem id, and the input position of every record id (for the duplicate window). */
const elemIds = new Set<string>();
const position = new Map<string, number>();

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'kafka-faults-'));
  if (!samplesPresent) return;
  for (const s of SAMPLES) {
    (await readSample(s)).forEach((r, i) => {
      const dk = dumpKey(r);
      position.set(recordId(dk, i), position.size);
      r.elems.forEach((_, j) => {
        elemIds.add(recordId(dk, i, j));
      });
      records.push(r);
    });
  }
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Counts of each record id header among the messages. */
function idCounts(messages: { headers: Record<string, string> }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of messages) counts.set(m.headers[H.recordId], (counts.get(m.headers[H.recordId]) ?? 0) + 1);
  return counts;
}

describe.skipIf(!samplesPresent)('faults', () => {
  it('the broker stops in the middle of an export and comes back on the same port: every elem arrives', async () => {
    const dataDir = join(tmp, 'broker-data');
    let broker: RunningBroker = await startDevBroker({ dataDir });
    const port = broker.port;
    let yielded = 0;
    let restarted: Promise<void> | null = null;
    let yieldedElems = 0;
    let ackedElems = 0;
    let maxLead = 0;
    let kafkaErrors = 0;
    async function* slow() {
      for (let i = 0; i < records.length; i += 20) {
        const batch = records.slice(i, i + 20);
        for (const r of batch) yieldedElems += r.elems.length;
        maxLead = Math.max(maxLead, yieldedElems - ackedElems);
        yield batch;
        yielded += 20;
        if (yielded === 800) {
          // Stop the broker under the export's feet; start it again 1.5 s later with the same data.
          restarted = (async () => {
            await broker.stop();
            await sleep(1500);
            broker = await startDevBroker({ port, dataDir });
          })();
        }
        await sleep(2);
      }
    }
    try {
      const summary = await exportToKafka(slow(), {
        brokers: broker.bootstrap,
        format: 'json',
        partitions: 2,
        topicTemplate: 'outage.{project}',
        flushMessages: 200,
        lingerMs: 20,
        retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 1000 },
        log: (level) => {
          if (level === 'error') kafkaErrors++;
        },
        onProgress: (p) => {
          ackedElems = p.elems;
        },
      });
      // Back-pressure: while Kafka was away the input waited. What was read but not acknowledged never
      // exceeded the flushes queued (2), the one being sent and the one being built, plus one input batch.
      expect(maxLead).toBeLessThanOrEqual(4 * 200 + 20 * 40);
      console.info(`outage: at most ${maxLead} elems read ahead of Kafka's acknowledgements`);
      await restarted;
      // The outage was felt: kafkajs logged failed requests and retried them.
      expect(kafkaErrors).toBeGreaterThan(0);
      expect(summary.elems).toBe(elemIds.size);
      const messages = await consumeAll(broker.bootstrap, ['outage.ris', 'outage.routeviews']);
      const counts = idCounts(messages);
      expect(new Set(counts.keys())).toEqual(elemIds);
      const duplicates = [...counts].filter(([, n]) => n > 1);
      // The idempotent producer's retries are recognised by the broker (its producer state is in
      // the log): no copies. README "Duplicates": at most one request (200 messages) could repeat.
      expect(duplicates.length).toBeLessThanOrEqual(200);
      console.info(`outage: ${kafkaErrors} kafkajs errors logged, ${duplicates.length} duplicated messages`);
    } finally {
      await restarted;
      await broker.stop();
    }
  });

  it('an export killed with SIGKILL resumes from its checkpoint: no gaps, copies only of the flush in flight', async () => {
    const broker = await startDevBroker();
    const checkpoint = join(tmp, 'crash.checkpoint.json');
    const child = fileURLToPath(new URL('./fixtures/export-child.mjs', import.meta.url));
    const run = (delay: number): { proc: ChildProcess; done: Promise<KafkaExportSummary | null> } => {
      const proc = spawn(process.execPath, [child, broker.bootstrap, checkpoint, String(delay)], {
        env: { ...process.env, SAMPLES: JSON.stringify(SAMPLES) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      proc.stdout?.on('data', (d) => {
        out += d;
      });
      proc.stderr?.on('data', (d) => {
        err += d;
      });
      const done = new Promise<KafkaExportSummary | null>((resolve, reject) => {
        proc.on('exit', (code, signal) => {
          if (signal === 'SIGKILL') resolve(null);
          else if (code === 0) resolve(JSON.parse(out));
          else reject(new Error(`export child exited ${code}: ${err}`));
        });
      });
      return { proc, done };
    };
    try {
      // First run: slow; killed once the checkpoint shows a few hundred records delivered.
      const first = run(15);
      let state: CheckpointFile | null = null;
      for (let i = 0; i < 400; i++) {
        await sleep(25);
        if (!existsSync(checkpoint)) continue;
        try {
          state = JSON.parse(readFileSync(checkpoint, 'utf8')) as CheckpointFile;
        } catch {
          continue;
        }
        const delivered = Object.values(state.dumps).reduce((n, d) => n + d.lastRecord + 1, 0);
        if (delivered >= 300) break;
      }
      first.proc.kill('SIGKILL');
      expect(await first.done).toBeNull();
      const killed = JSON.parse(readFileSync(checkpoint, 'utf8')) as CheckpointFile;
      const delivered = Object.values(killed.dumps).reduce((n, d) => n + d.lastRecord + 1, 0);
      expect(delivered).toBeGreaterThan(0);
      expect(delivered).toBeLessThan(records.length);
      expect(killed.inFlight.length).toBeLessThanOrEqual(1);

      // Second run: resumes.
      const second = await run(0).done;
      expect(second).not.toBeNull();
      expect(second?.skippedRecords).toBe(delivered);
      expect(second?.replayedFlushes).toBe(killed.inFlight.length);
      expect(second?.warnings).toEqual([]);
      const after = JSON.parse(readFileSync(checkpoint, 'utf8')) as CheckpointFile;
      expect(after.inFlight).toEqual([]);
      expect(Object.values(after.dumps).every((d) => d.complete)).toBe(true);

      const messages = await consumeAll(broker.bootstrap, ['crash.ris', 'crash.routeviews']);
      const counts = idCounts(messages);
      expect(new Set(counts.keys())).toEqual(elemIds);
      // Copies only of records of the flush that was in flight when the process died.
      const window = killed.inFlight[0];
      const copies = new Map<string, string>();
      for (const m of messages) {
        if ((counts.get(m.headers[H.recordId]) ?? 0) < 2) continue;
        // A copy is the same message: same partition, key and value.
        const what = `${m.topic}/${m.partition}/${m.key}/${m.value.toString('hex')}`;
        const seen = copies.get(m.headers[H.recordId]);
        if (seen === undefined) copies.set(m.headers[H.recordId], what);
        else expect(what).toBe(seen);
      }
      for (const [id, n] of counts) {
        if (n === 1) continue;
        expect(n).toBe(2);
        expect(window).toBeDefined();
        const rec = id.split('/').slice(0, 5).join('/');
        const p = position.get(rec) as number;
        expect(p).toBeGreaterThanOrEqual(position.get(window.firstRecordId) as number);
        expect(p).toBeLessThanOrEqual(position.get(window.lastRecordId) as number);
      }
      console.info(
        `crash: ${delivered} records delivered before SIGKILL, ${killed.inFlight[0]?.messages ?? 0} messages in flight, ` +
          `${[...counts.values()].filter((n) => n > 1).length} copies`,
      );
      // Resuming again changes nothing: every record is delivered.
      const third = await run(0).done;
      expect(third).toMatchObject({ messages: 0, skippedRecords: records.length });
    } finally {
      await broker.stop();
    }
  });
});

describe.skipIf(!samplesPresent)('stopping an export', () => {
  it('with its signal delivers what was read, checkpoints it, and a re-run completes without gaps or copies', async () => {
    const broker = await startDevBroker();
    const checkpoint = join(tmp, 'abort.json');
    try {
      const stop = new AbortController();
      async function* slow() {
        for (let i = 0; i < records.length; i += 10) {
          if (i === 400) stop.abort();
          yield records.slice(i, i + 10);
          await sleep(1);
        }
      }
      const options = {
        brokers: broker.bootstrap,
        format: 'json' as const,
        topicTemplate: 'abort.{project}',
        checkpoint,
      };
      const first = await exportToKafka(slow(), { ...options, signal: stop.signal });
      expect(first.aborted).toBe(true);
      expect(first.records).toBeGreaterThanOrEqual(400);
      expect(first.records).toBeLessThan(records.length);
      const second = await exportToKafka([records], options);
      expect(second.skippedRecords).toBe(first.records);
      expect(second.replayedFlushes).toBe(0);
      const counts = idCounts(await consumeAll(broker.bootstrap, ['abort.ris', 'abort.routeviews']));
      expect(new Set(counts.keys())).toEqual(elemIds);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await broker.stop();
    }
  });
});

describe.skipIf(!samplesPresent)('resuming an arrow export', () => {
  it('cuts the interrupted flush where the crashed run cut it: the re-sent messages are byte-identical copies', async () => {
    const a = await startDevBroker();
    const b = await startDevBroker();
    try {
      const options = {
        format: 'arrow' as const,
        partitions: 2,
        topicTemplate: 'resume.{project}',
        arrowBatchSize: 300,
        lingerMs: 0,
      };
      // Run A, whole, noting the records delivered after each flush.
      const after: number[] = [];
      await exportToKafka([records], {
        ...options,
        brokers: a.bootstrap,
        checkpoint: join(tmp, 'a.json'),
        onProgress: (p) => after.push(p.records),
      });
      expect(after.length).toBeGreaterThan(4);
      // Run B starts from the checkpoint A would have left had it died while sending flush k.
      const k = 3;
      const done = after[k - 1];
      const dumps: CheckpointFile['dumps'] = {};
      let index = 0;
      const counter = new Map<string, number>();
      let first = '';
      let last = '';
      for (const r of records) {
        const dk = dumpKey(r);
        const i = counter.get(dk) ?? 0;
        counter.set(dk, i + 1);
        if (index < done)
          dumps[dk] = {
            project: r.project,
            collector: r.collector,
            type: r.type,
            dumpTime: r.dumpTime,
            lastRecord: i,
            complete: false,
          };
        else if (index < after[k]) {
          if (first === '') first = recordId(dk, i);
          last = recordId(dk, i);
        }
        index++;
      }
      const crashed: CheckpointFile = {
        version: 1,
        format: 'arrow',
        topicTemplate: options.topicTemplate,
        key: 'prefix',
        updated: '',
        dumps,
        inFlight: [{ records: after[k] - done, firstRecordId: first, lastRecordId: last, messages: 0 }],
      };
      writeFileSync(join(tmp, 'b.json'), JSON.stringify(crashed));
      const summary = await exportToKafka([records], {
        ...options,
        brokers: b.bootstrap,
        checkpoint: join(tmp, 'b.json'),
      });
      expect(summary).toMatchObject({ skippedRecords: done, replayedFlushes: 1, warnings: [] });
      const topics = ['resume.ris', 'resume.routeviews'];
      const fromA = new Map(
        (await consumeAll(a.bootstrap, topics)).map((m) => [`${m.topic}/${m.headers[H.recordId]}`, m]),
      );
      const fromB = await consumeAll(b.bootstrap, summary.topics);
      expect(fromB.length).toBeGreaterThan(0);
      for (const m of fromB) {
        const twin = fromA.get(`${m.topic}/${m.headers[H.recordId]}`);
        expect(twin).toBeDefined();
        expect(twin?.partition).toBe(m.partition);
        expect(twin?.headers[H.recordIdLast]).toBe(m.headers[H.recordIdLast]);
        expect(Buffer.compare(twin?.value ?? Buffer.alloc(0), m.value)).toBe(0);
      }
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});

describe('unreachable brokers', () => {
  it('fail the export within a bounded time with an error naming the broker address', async () => {
    for (const brokers of ['127.0.0.1:1', '10.255.255.1:9092']) {
      const started = Date.now();
      const err = await exportToKafka([[]], {
        brokers,
        connectTimeoutMs: 4000,
        connectionTimeoutMs: 1000,
      }).then(
        () => null,
        (e: unknown) => e,
      );
      const took = Date.now() - started;
      expect(err).toBeInstanceOf(KafkaConnectError);
      expect((err as Error).message).toContain(brokers);
      expect(took).toBeLessThan(6000);
    }
  });
});

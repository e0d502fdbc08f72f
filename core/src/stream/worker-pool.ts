import { Worker } from 'node:worker_threads';
import type { PeerFilter } from '../bgp/decode-output.js';
import type { Resource } from '../datainterfaces/resource.js';
import type { Elem } from '../model/elem.js';
import { BgpRecord } from '../model/record.js';
import { MrtReader, type TimeInterval } from '../mrt/mrt-reader.js';
import {
  COLUMNS,
  type FilterCall,
  type FromWorker,
  POSITIONS,
  STATUSES,
  type ToWorker,
  type WorkerBatch,
} from './worker-protocol.js';

type Inbox = { push(msg: FromWorker): void };

/** The worker's script. From the sources (the tests run them) it is the built one: a worker thread cannot load TypeScript. */
function workerScript(): URL {
  const here = new URL(import.meta.url);
  return here.pathname.endsWith('.ts')
    ? new URL('../../dist/stream/decode-worker.js', here)
    : new URL('./decode-worker.js', here);
}

/**
 * Worker threads that read, decode and filter dumps in parallel; the main
 * thread decodes again only the records whose elems passed the filters. A
 * dump's batches are paced by acknowledgements (a bounded queue of a few
 * batches per dump), and each worker runs several dumps at once so that the
 * merge never waits on a dump that has no worker yet.
 */
export class WorkerPool {
  private readonly workers: Worker[] = [];
  /** Dumps running per worker: a worker keeps the process alive only while it has work. */
  private readonly active = new Map<Worker, number>();
  private readonly inboxes = new Map<number, Inbox>();
  private readonly owners = new Map<number, Worker>();
  private nextId = 0;
  private nextWorker = 0;

  constructor(private readonly size: number) {}

  private worker(): Worker {
    if (this.workers.length < this.size) {
      const w = new Worker(workerScript());
      w.on('message', (msg: FromWorker) => this.inboxes.get(msg.id)?.push(msg));
      // A worker that dies takes its dumps with it: their readers must hear it, not wait forever.
      const fail = (message: string) => {
        for (const [id, owner] of this.owners)
          if (owner === w) this.inboxes.get(id)?.push({ kind: 'error', id, message });
      };
      w.on('error', (err) => fail(`worker thread failed: ${err.message}`));
      w.on('exit', (code) => fail(`worker thread exited (code ${code})`));
      w.unref();
      this.workers.push(w);
      return w;
    }
    const w = this.workers[this.nextWorker];
    this.nextWorker = (this.nextWorker + 1) % this.workers.length;
    return w;
  }

  /** The records of one MRT dump, read and filtered in a worker; same records as `openResource` with the same filters. */
  async *open(
    resource: Resource,
    interval: TimeInterval | null,
    filters: FilterCall[],
    peerFilter: PeerFilter | undefined,
  ): AsyncGenerator<BgpRecord[]> {
    const id = this.nextId++;
    const worker = this.worker();
    const queue: FromWorker[] = [];
    let wake: (() => void) | null = null;
    this.inboxes.set(id, {
      push: (msg) => {
        queue.push(msg);
        wake?.();
        wake = null;
      },
    });
    const send = (msg: ToWorker) => worker.postMessage(msg);
    this.owners.set(id, worker);
    this.active.set(worker, (this.active.get(worker) ?? 0) + 1);
    worker.ref();
    send({ kind: 'start', id, resource, interval, filters });
    // Decodes the records that come back; keeps the dump's PEER_INDEX_TABLE for its RIB records.
    // The same peer pre-check as the worker's, so that the kept elem indices refer to the same elems.
    const reader = new MrtReader({
      peerFilter,
      source: {
        project: resource.project,
        collector: resource.collector,
        type: resource.type,
        dumpTime: resource.initialTime,
      },
    });
    let ended = false;
    try {
      while (true) {
        if (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        const msg = queue.shift()!;
        if (msg.kind === 'end') {
          ended = true;
          return;
        }
        if (msg.kind === 'error') throw new Error(`${resource.url}: ${msg.message}`);
        send({ kind: 'ack', id });
        yield this.records(msg, resource, reader);
      }
    } finally {
      this.inboxes.delete(id);
      this.owners.delete(id);
      if (!ended) send({ kind: 'stop', id });
      const left = (this.active.get(worker) ?? 1) - 1;
      this.active.set(worker, left);
      if (left === 0) worker.unref();
    }
  }

  private records(batch: WorkerBatch, resource: Resource, reader: MrtReader): BgpRecord[] {
    for (const pit of batch.peerIndexTables) reader.decodeRecord(pit);
    const errors = new Map(batch.errors);
    const out: BgpRecord[] = new Array(batch.count);
    const c = batch.columns;
    for (let i = 0; i < batch.count; i++) {
      const o = i * COLUMNS;
      const codes = c[o + 2];
      const rawLength = c[o + 5];
      let record: BgpRecord | null = null;
      if (rawLength > 0) {
        record = reader.decodeRecord(batch.raw.subarray(c[o + 4], c[o + 4] + rawLength));
        const keepCount = c[o + 7];
        if (record && keepCount !== 0xffffffff) {
          const all = record.elems;
          const kept: Elem[] = [];
          for (let k = 0; k < keepCount; k++) kept.push(all[batch.keep[c[o + 6] + k]]);
          all.length = 0;
          all.push(...kept);
        }
      }
      if (!record) {
        record = new BgpRecord(
          resource.project,
          resource.collector,
          (codes >> 6) & 1 ? 'rib' : 'update',
          resource.initialTime,
          c[o],
          c[o + 1],
          'valid',
          c[o + 3] >>> 16,
          c[o + 3] & 0xffff,
          [],
          null,
        );
      }
      record.timeUsec = c[o + 1];
      record.status = STATUSES[codes & 15];
      record.dumpPosition = POSITIONS[(codes >> 4) & 3];
      record.error = errors.get(i) ?? null;
      out[i] = record;
    }
    return out;
  }

  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    for (const w of workers) w.removeAllListeners('exit');
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

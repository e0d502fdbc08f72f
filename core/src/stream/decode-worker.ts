// Worker thread: reads, decodes and filters whole dumps, and sends the main thread only what
// passed, as raw MRT bytes. Several dumps run at once here, each paced by the main thread's acks.
import { parentPort } from 'node:worker_threads';
import { FilterSet, parseFilterString } from '../filter/index.js';
import { readMrtBatches } from '../mrt/read-mrt.js';
import {
  COLUMNS,
  type FilterCall,
  type FromWorker,
  POSITIONS,
  STATUSES,
  type ToWorker,
  type WorkerBatch,
} from './worker-protocol.js';

/** Batches a dump may have in flight before it waits for the main thread. */
const IN_FLIGHT = 8;

interface Job {
  acked: number;
  sent: number;
  wake: (() => void) | null;
  abort: AbortController;
}

const jobs = new Map<number, Job>();
const port = parentPort!;

function rebuildFilters(calls: FilterCall[]): FilterSet {
  const set = new FilterSet();
  for (const call of calls) {
    if (call[0] === 'filter') set.addFilter(call[1], call[2]);
    else set.merge(parseFilterString(call[1]));
  }
  return set;
}

async function run(msg: Extract<ToWorker, { kind: 'start' }>): Promise<void> {
  const job: Job = { acked: 0, sent: 0, wake: null, abort: new AbortController() };
  jobs.set(msg.id, job);
  const filters = rebuildFilters(msg.filters);
  const pits: Uint8Array[] = [];
  try {
    const r = msg.resource;
    const peerFilter =
      filters.peerAsns.size > 0 || filters.notPeerAsns.size > 0
        ? (asn: number) => filters.peerCanPass(asn)
        : undefined;
    for await (const batch of readMrtBatches(r.url, {
      source: { project: r.project, collector: r.collector, type: r.type, dumpTime: r.initialTime },
      interval: msg.interval ?? undefined,
      peerFilter,
      signal: job.abort.signal,
      onPeerIndexTable: (raw) => pits.push(raw.slice()),
    })) {
      const columns = new Uint32Array(batch.length * COLUMNS);
      const keep: number[] = [];
      const errors: [number, string][] = [];
      const rawParts: Uint8Array[] = [];
      let rawSize = 0;
      for (let i = 0; i < batch.length; i++) {
        const rec = batch[i];
        const c = i * COLUMNS;
        columns[c] = rec.timeSec;
        columns[c + 1] = rec.timeUsec;
        columns[c + 2] =
          STATUSES.indexOf(rec.status) |
          (POSITIONS.indexOf(rec.dumpPosition) << 4) |
          ((rec.type === 'rib' ? 1 : 0) << 6);
        columns[c + 3] = ((rec.mrtType << 16) | rec.mrtSubtype) >>> 0;
        if (rec.error !== null) errors.push([i, rec.error]);
        let kept = -1;
        const passed: number[] = [];
        if (filters.hasElemFilters) {
          for (let e = 0; e < rec.elems.length; e++) if (filters.matchElem(rec.elems[e])) passed.push(e);
          if (passed.length < rec.elems.length) kept = passed.length;
        }
        const hasElems = kept === -1 ? rec.elems.length > 0 : kept > 0;
        if (hasElems && rec.raw) {
          columns[c + 4] = rawSize;
          columns[c + 5] = rec.raw.length;
          rawParts.push(rec.raw);
          rawSize += rec.raw.length;
        }
        columns[c + 6] = keep.length;
        columns[c + 7] = kept === -1 ? 0xffffffff : kept;
        if (kept > 0) keep.push(...passed);
      }
      const raw = new Uint8Array(rawSize);
      let off = 0;
      for (const part of rawParts) {
        raw.set(part, off);
        off += part.length;
      }
      const out: WorkerBatch = {
        kind: 'batch',
        id: msg.id,
        count: batch.length,
        columns,
        raw,
        keep: Int32Array.from(keep),
        errors,
        peerIndexTables: pits.splice(0),
      };
      port.postMessage(out, [
        columns.buffer as ArrayBuffer,
        raw.buffer as ArrayBuffer,
        out.keep.buffer as ArrayBuffer,
      ]);
      job.sent++;
      while (job.sent - job.acked >= IN_FLIGHT && !job.abort.signal.aborted) {
        await new Promise<void>((resolve) => {
          job.wake = resolve;
        });
      }
      if (job.abort.signal.aborted) return;
    }
    port.postMessage({ kind: 'end', id: msg.id } satisfies FromWorker);
  } catch (err) {
    if (!job.abort.signal.aborted)
      port.postMessage({ kind: 'error', id: msg.id, message: (err as Error).message } satisfies FromWorker);
  } finally {
    jobs.delete(msg.id);
  }
}

port.on('message', (msg: ToWorker) => {
  if (msg.kind === 'start') {
    void run(msg);
    return;
  }
  const job = jobs.get(msg.id);
  if (!job) return;
  if (msg.kind === 'ack') job.acked++;
  else job.abort.abort();
  job.wake?.();
  job.wake = null;
});

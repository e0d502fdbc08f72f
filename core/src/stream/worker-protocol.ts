import type { Resource } from '../datainterfaces/resource.js';
import type { TimeInterval } from '../mrt/mrt-reader.js';

/** A filter call to replay in a worker: `addFilter(type, value)` or a filter string. */
export type FilterCall = ['filter', string, string] | ['string', string];

export type ToWorker =
  | { kind: 'start'; id: number; resource: Resource; interval: TimeInterval | null; filters: FilterCall[] }
  | { kind: 'ack'; id: number }
  | { kind: 'stop'; id: number };

/**
 * One batch of one dump, as columns: every record's header facts, and the raw
 * bytes only of records that still have elems after the filters (with the
 * indices of the elems that passed, or -1 for all of them).
 */
export interface WorkerBatch {
  kind: 'batch';
  id: number;
  count: number;
  /** Per record: timeSec, timeUsec, codes (status | position << 4 | type << 6), mrtType << 16 | mrtSubtype, rawStart, rawLength, keepStart, keepCount (-1: all). */
  columns: Uint32Array;
  raw: Uint8Array;
  keep: Int32Array;
  errors: [number, string][];
  /** PEER_INDEX_TABLE records seen since the previous batch, needed to decode RIB records again. */
  peerIndexTables: Uint8Array[];
}

export type FromWorker =
  | WorkerBatch
  | { kind: 'end'; id: number }
  | { kind: 'error'; id: number; message: string };

export const COLUMNS = 8;
export const STATUSES = [
  'valid',
  'filtered-source',
  'empty-source',
  'outside-time-interval',
  'corrupted-source',
  'corrupted-record',
  'unsupported-record',
] as const;
export const POSITIONS = ['start', 'middle', 'end'] as const;

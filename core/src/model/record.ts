import type { IpAddress } from './address.js';
import type { Elem } from './elem.js';

/** BGPStream record statuses, spelled as pybgpstream spells them. */
export type RecordStatus =
  | 'valid'
  | 'filtered-source'
  | 'empty-source'
  | 'outside-time-interval'
  | 'corrupted-source'
  | 'corrupted-record'
  | 'unsupported-record';

export type DumpPosition = 'start' | 'middle' | 'end';
export type RecordType = 'update' | 'rib';

/** Where a record's file came from: the resource of the data interface. */
export interface RecordSource {
  project: string;
  collector: string;
  type: RecordType;
  /** The dump's nominal time (unix seconds). */
  dumpTime: number;
}

/**
 * One MRT record (or BMP/RIS-Live message) with the elems it holds. Records
 * with any status but `valid` hold no elems.
 */
export class BgpRecord {
  router = '';
  routerIp: IpAddress | null = null;
  dumpPosition: DumpPosition = 'middle';
  private nextElem = 0;

  constructor(
    readonly project: string,
    readonly collector: string,
    readonly type: RecordType,
    readonly dumpTime: number,
    public timeSec: number,
    public timeUsec: number,
    public status: RecordStatus,
    /** MRT type and subtype (0 when the record did not come from MRT). */
    readonly mrtType: number,
    readonly mrtSubtype: number,
    readonly elems: Elem[],
    /** The record's bytes as they were read (MRT header included), when kept. */
    readonly raw: Uint8Array | null,
    /** Why the record is corrupted or unsupported. */
    public error: string | null = null,
  ) {}

  /** BGPStream's iteration: the next elem, or null after the last. */
  getNextElem(): Elem | null {
    return this.nextElem < this.elems.length ? this.elems[this.nextElem++] : null;
  }

  /** The record time as a float, like pybgpstream's `record.time`. */
  get time(): number {
    return this.timeSec + this.timeUsec / 1e6;
  }
}

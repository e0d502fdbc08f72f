import type { RecordType } from '../model/record.js';
import type { TimeInterval } from '../mrt/mrt-reader.js';

export type ResourceFormat = 'mrt' | 'bmp' | 'ris-live';

/** One dump (or stream) that a data interface found: where it is and what it holds. */
export interface Resource {
  /** Path or URL. */
  url: string;
  format: ResourceFormat;
  project: string;
  collector: string;
  type: RecordType;
  /** Nominal start of the dump (unix seconds): the records' `dumpTime`. */
  initialTime: number;
  /** Seconds the dump covers; 0 for a never-ending stream. */
  duration: number;
}

/** What the stream asks a data interface for: the record-level filters it can apply before opening anything. */
export interface ResourceQuery {
  projects: ReadonlySet<string>;
  collectors: ReadonlySet<string>;
  recordTypes: ReadonlySet<RecordType>;
  interval: TimeInterval | null;
}

export function emptyQuery(): ResourceQuery {
  return { projects: new Set(), collectors: new Set(), recordTypes: new Set(), interval: null };
}

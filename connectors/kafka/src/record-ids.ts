import type { RecordType } from '@bgpstream-ts/core';

/** One dump: what a record id starts with and what a checkpoint counts per. */
export interface DumpId {
  project: string;
  collector: string;
  type: RecordType;
  dumpTime: number;
}

/** `/` and `%` would break the id's structure: they are percent-encoded. */
function part(text: string): string {
  return text.replace(/%/g, '%25').replace(/\//g, '%2F');
}

function unpart(text: string): string {
  return text.replace(/%2F/gi, '/').replace(/%25/g, '%');
}

/** `<project>/<collector>/<type>/<dumpTime>`. */
export function dumpKey(d: DumpId): string {
  return `${part(d.project)}/${part(d.collector)}/${d.type}/${d.dumpTime}`;
}

/** `<dump key>/<record index>`, or with `/<elem index>` for one elem. */
export function recordId(dump: string, recordIndex: number, elemIndex?: number): string {
  return elemIndex === undefined ? `${dump}/${recordIndex}` : `${dump}/${recordIndex}/${elemIndex}`;
}

export interface ParsedRecordId extends DumpId {
  /** `project/collector/type/dumpTime`, as {@link dumpKey} makes it. */
  dump: string;
  recordIndex: number;
  /** Absent in the id of a whole record (mrt). */
  elemIndex?: number;
}

/** Splits a record id header back into its parts; null when it is not one. */
export function parseRecordId(id: string): ParsedRecordId | null {
  const p = id.split('/');
  if (p.length !== 5 && p.length !== 6) return null;
  if (p[2] !== 'update' && p[2] !== 'rib') return null;
  const nums = p.slice(3).map((x) => (/^\d+$/.test(x) ? Number(x) : Number.NaN));
  if (nums.some((n) => Number.isNaN(n))) return null;
  return {
    project: unpart(p[0]),
    collector: unpart(p[1]),
    type: p[2],
    dumpTime: nums[0],
    dump: p.slice(0, 4).join('/'),
    recordIndex: nums[1],
    elemIndex: nums[2],
  };
}

/**
 * Orders two ids of the same dump: negative when `a` comes first. Within one partition a clean run
 * writes the ids of each dump in increasing order; a message whose id is not greater than the last
 * one seen for its (partition, dump) is a re-sent copy (README: "Duplicates").
 */
export function compareRecordIds(a: ParsedRecordId, b: ParsedRecordId): number {
  if (a.recordIndex !== b.recordIndex) return a.recordIndex - b.recordIndex;
  return (a.elemIndex ?? -1) - (b.elemIndex ?? -1);
}

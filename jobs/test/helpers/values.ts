import type { QueryResult } from '../../src/query/lake-connection.js';
import { resultObjects } from '../../src/query/lake-connection.js';

/** Microseconds since the epoch from the ISO 8601 UTC text the query results use. */
export function us(iso: unknown): number {
  const s = String(iso);
  const m = /\.(\d+)Z$/.exec(s);
  const frac = m ? Number(m[1].padEnd(6, '0').slice(0, 6)) : 0;
  const ms = Date.parse(s.replace(/\.\d+Z$/, 'Z'));
  if (Number.isNaN(ms)) throw new Error(`not a timestamp: ${s}`);
  return ms * 1000 + frac;
}

/** ISO text (no fraction) of unix seconds, as a parameter value. */
export const isoSec = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

/** Rows as objects with loosely typed values, for assertions. */
// biome-ignore lint/suspicious/noExplicitAny: test rows are inspected field by field
export type Row = Record<string, any>;

export function rows(result: QueryResult): Row[] {
  return resultObjects(result) as Row[];
}

/** Sorts strings for set-like comparisons. */
export const sorted = <T>(xs: T[], key: (x: T) => string = String): T[] =>
  [...xs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

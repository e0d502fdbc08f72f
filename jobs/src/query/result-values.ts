import {
  DuckDBArrayValue,
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  type DuckDBValue,
} from '@duckdb/node-api';

/**
 * A result value as plain data, the same for every output format:
 * integers as numbers (bigint only beyond 2^53), timestamps as ISO 8601 text in UTC
 * (`2026-01-01T00:08:00.25Z`, fraction only when not zero), dates as `YYYY-MM-DD`, BLOBs as
 * lowercase hex, lists as arrays, structs as objects, maps as `{key, value}` arrays, other types
 * (decimals, intervals, UUIDs, times) as DuckDB prints them.
 */
export type PlainValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | PlainValue[]
  | { [key: string]: PlainValue };

export type PlainRow = PlainValue[];

const TWO_53 = 2n ** 53n;

/** Microseconds since the epoch as ISO 8601 UTC text; `Z` when `zone`. */
export function isoFromMicros(micros: bigint, zone = true): string {
  let ms = micros / 1000n;
  let rest = micros % 1000n;
  if (rest < 0n) {
    rest += 1000n;
    ms -= 1n;
  }
  const date = new Date(Number(ms));
  if (Number.isNaN(date.getTime())) return micros < 0n ? '-infinity' : 'infinity';
  const base = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ (or ±YYYYYY-...)
  const fraction = `${base.slice(-4, -1)}${rest.toString().padStart(3, '0')}`.replace(/0+$/, '');
  return `${base.slice(0, -5)}${fraction ? `.${fraction}` : ''}${zone ? 'Z' : ''}`;
}

function timestamp(micros: bigint, zone: boolean, finite = true): string {
  if (!finite) return micros > 0n ? 'infinity' : '-infinity';
  return isoFromMicros(micros, zone);
}

export function toPlain(value: DuckDBValue): PlainValue {
  if (value === null) return null;
  switch (typeof value) {
    case 'boolean':
    case 'number':
    case 'string':
      return value;
    case 'bigint':
      return value <= TWO_53 && value >= -TWO_53 ? Number(value) : value;
    default:
      break;
  }
  if (value instanceof DuckDBTimestampTZValue) return timestamp(value.micros, true, value.isFinite);
  if (value instanceof DuckDBTimestampValue) return timestamp(value.micros, false, value.isFinite);
  if (value instanceof DuckDBTimestampSecondsValue) {
    return timestamp(value.seconds * 1_000_000n, false, value.isFinite);
  }
  if (value instanceof DuckDBTimestampMillisecondsValue)
    return timestamp(value.millis * 1000n, false, value.isFinite);
  if (value instanceof DuckDBTimestampNanosecondsValue)
    return timestamp(value.nanos / 1000n, false, value.isFinite);
  if (value instanceof DuckDBDateValue) return value.toString();
  if (value instanceof DuckDBBlobValue) return Buffer.from(value.bytes).toString('hex');
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) return value.items.map(toPlain);
  if (value instanceof DuckDBStructValue) {
    const out: { [key: string]: PlainValue } = {};
    for (const [k, v] of Object.entries(value.entries)) out[k] = toPlain(v);
    return out;
  }
  if (value instanceof DuckDBMapValue) {
    return value.entries.map((e) => ({ key: toPlain(e.key), value: toPlain(e.value) }));
  }
  if (value instanceof DuckDBDecimalValue) return Number(value.toString());
  return String(value);
}

/** JSON text of a plain value; bigints are written as exact JSON numbers. */
export function plainToJson(value: PlainValue): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
    case 'boolean':
    case 'string':
      return JSON.stringify(value);
    default:
      break;
  }
  if (Array.isArray(value)) return `[${value.map(plainToJson).join(',')}]`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) parts.push(`${JSON.stringify(k)}:${plainToJson(v)}`);
  return `{${parts.join(',')}}`;
}

/** A value as one line of text (CSV field, table cell): scalars as is, lists and structs as JSON; null as `nullText`. */
export function plainToText(value: PlainValue, nullText = ''): string {
  if (value === null) return nullText;
  if (typeof value === 'object') return plainToJson(value);
  return String(value);
}

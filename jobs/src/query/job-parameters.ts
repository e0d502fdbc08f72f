import { IpAddress, Prefix } from '@bgpstream-ts/core';
import {
  BIGINT,
  DuckDBTimestampTZValue,
  type DuckDBType,
  type DuckDBValue,
  TIMESTAMPTZ,
  UINTEGER,
  VARCHAR,
} from '@duckdb/node-api';
import { QueryError } from './query-error.js';
import { isoFromMicros } from './result-values.js';

/** The types a job parameter can have. */
export type ParamKind = 'timestamp' | 'integer' | 'asn' | 'ip' | 'prefix' | 'text' | 'choice';

export interface ParamType {
  kind: ParamKind;
  /** choice: the allowed values. */
  choices?: readonly string[];
  /** integer: inclusive bounds. */
  min?: bigint;
  max?: bigint;
}

/** A value ready to bind to a prepared statement, and its canonical text (null for SQL NULL). */
export interface BoundParam {
  value: DuckDBValue;
  type: DuckDBType;
  text: string | null;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** What each type accepts, for usage text and error messages. */
export function describeParamType(t: ParamType): string {
  switch (t.kind) {
    case 'timestamp':
      return "timestamp: 'YYYY-MM-DD[ HH:MM[:SS[.ffffff]]]' or ISO 8601 (T, Z or ±HH:MM; UTC when no zone), or unix seconds";
    case 'integer': {
      const range = t.min !== undefined || t.max !== undefined ? ` in ${t.min ?? '-∞'}..${t.max ?? '∞'}` : '';
      return `integer${range}`;
    }
    case 'asn':
      return 'AS number 0..4294967295 (an `AS` prefix is allowed)';
    case 'ip':
      return 'IPv4 or IPv6 address';
    case 'prefix':
      return 'IPv4 or IPv6 prefix `address/length` (host bits are cleared)';
    case 'text':
      return 'text';
    case 'choice':
      return `one of ${(t.choices ?? []).join(', ')}`;
  }
}

/** The type's name as the catalog header writes it: `integer(1..100)`, `choice(a|b)`. */
export function formatParamType(t: ParamType): string {
  if (t.kind === 'choice') return `choice(${(t.choices ?? []).join('|')})`;
  if (t.kind === 'integer' && (t.min !== undefined || t.max !== undefined)) {
    return `integer(${t.min ?? ''}..${t.max ?? ''})`;
  }
  return t.kind;
}

/** Parses a type as the catalog header writes it; throws (plain Error) for an unknown one. */
export function parseParamType(spec: string): ParamType {
  const m = /^([a-z]+)(?:\((.*)\))?$/.exec(spec);
  if (!m) throw new Error(`bad parameter type '${spec}'`);
  const [, kind, args] = m;
  switch (kind) {
    case 'timestamp':
    case 'asn':
    case 'ip':
    case 'prefix':
    case 'text':
      if (args !== undefined) throw new Error(`type ${kind} takes no arguments`);
      return { kind };
    case 'integer': {
      if (args === undefined) return { kind };
      const r = /^(-?\d+)?\.\.(-?\d+)?$/.exec(args);
      if (!r)
        throw new Error(`bad integer range '${args}' (write integer(min..max), either side may be empty)`);
      return {
        kind,
        min: r[1] === undefined ? undefined : BigInt(r[1]),
        max: r[2] === undefined ? undefined : BigInt(r[2]),
      };
    }
    case 'choice': {
      const choices = (args ?? '').split('|').map((c) => c.trim());
      if (choices.length < 1 || choices.some((c) => !/^[A-Za-z0-9_.-]+$/.test(c))) {
        throw new Error(`bad choice list '${args ?? ''}' (write choice(a|b|c))`);
      }
      return { kind, choices };
    }
    default:
      throw new Error(
        `unknown parameter type '${kind}' (timestamp, integer, asn, ip, prefix, text, choice(...))`,
      );
  }
}

const TIME_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?$/;

/** Parses a timestamp to microseconds since the epoch; undefined when the text is not one. */
export function parseTimestampMicros(text: string): bigint | undefined {
  const t = text.trim();
  const unix = /^(\d{1,12})(?:\.(\d{1,6}))?$/.exec(t);
  if (unix) return BigInt(unix[1]) * 1_000_000n + BigInt((unix[2] ?? '').padEnd(6, '0') || '0');
  const m = TIME_RE.exec(t);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((x) => (x === undefined ? 0 : Number(x)));
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(ms);
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return undefined; // 2026-02-30
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone && zone !== 'Z' && zone !== 'z' && zone !== 'UTC') {
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
    if (!z) return undefined;
    const hours = Number(z[2]);
    const minutes = Number(z[3] ?? '0');
    if (hours > 23 || minutes > 59) return undefined;
    offsetMinutes = (z[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  const micros = BigInt((m[7] ?? '').padEnd(6, '0') || '0');
  return (BigInt(ms) - BigInt(offsetMinutes) * 60_000n) * 1000n + micros;
}

function bad(name: string, t: ParamType, text: string, why?: string): QueryError {
  return new QueryError(
    `parameter '${name}': ${JSON.stringify(text)} is not a valid ${formatParamType(t)}${why ? ` (${why})` : ''}; expected ${describeParamType(t)}`,
  );
}

/**
 * Checks a parameter value given as text and returns it typed for binding. The value is never part
 * of SQL text: it goes to DuckDB as a bound value of a fixed type.
 */
export function parseParamValue(name: string, t: ParamType, text: string): BoundParam {
  switch (t.kind) {
    case 'timestamp': {
      const micros = parseTimestampMicros(text);
      if (micros === undefined) throw bad(name, t, text);
      return { value: new DuckDBTimestampTZValue(micros), type: TIMESTAMPTZ, text: isoFromMicros(micros) };
    }
    case 'integer': {
      if (!/^[+-]?\d{1,19}$/.test(text.trim())) throw bad(name, t, text);
      const v = BigInt(text.trim());
      if (v < INT64_MIN || v > INT64_MAX) throw bad(name, t, text, 'outside 64-bit range');
      if ((t.min !== undefined && v < t.min) || (t.max !== undefined && v > t.max)) {
        throw bad(name, t, text, 'out of range');
      }
      return { value: v, type: BIGINT, text: v.toString() };
    }
    case 'asn': {
      const m = /^(?:AS)?(\d{1,10})$/i.exec(text.trim());
      const v = m ? Number(m[1]) : Number.NaN;
      if (!(v >= 0 && v <= 0xffffffff)) throw bad(name, t, text);
      return { value: v, type: UINTEGER, text: String(v) };
    }
    case 'ip': {
      const a = IpAddress.tryParse(text.trim());
      if (!a) throw bad(name, t, text);
      const canonical = a.toString();
      return { value: canonical, type: VARCHAR, text: canonical };
    }
    case 'prefix': {
      let p: Prefix;
      try {
        p = Prefix.parse(text.trim());
      } catch (err) {
        throw bad(name, t, text, (err as Error).message);
      }
      const canonical = p.toString();
      return { value: canonical, type: VARCHAR, text: canonical };
    }
    case 'text':
      return { value: text, type: VARCHAR, text };
    case 'choice':
      if (!(t.choices ?? []).includes(text)) throw bad(name, t, text);
      return { value: text, type: VARCHAR, text };
  }
}

/** SQL NULL of the parameter's type (an optional parameter that was not given). */
export function nullParam(t: ParamType): BoundParam {
  const type =
    t.kind === 'timestamp'
      ? TIMESTAMPTZ
      : t.kind === 'integer'
        ? BIGINT
        : t.kind === 'asn'
          ? UINTEGER
          : VARCHAR;
  return { value: null, type, text: null };
}

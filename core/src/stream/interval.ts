import { parseTime } from './time.js';

/** A time given as unix seconds, a `Date`, or text bgpreader accepts (`2015-04-01 00:00:00`, UTC). */
export type TimeInput = number | string | Date;

export function toUnixSeconds(value: TimeInput, what: string): number {
  if (value instanceof Date) {
    const t = value.getTime();
    if (Number.isNaN(t)) throw new Error(`${what}: invalid Date`);
    return Math.floor(t / 1000);
  }
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0)
      throw new Error(`${what}: '${value}' is not a whole number of seconds`);
    return value;
  }
  const parsed = parseTime(value) ?? isoTime(value);
  if (parsed === undefined)
    throw new Error(`${what}: cannot read time '${value}' (unix seconds or 'YYYY-MM-DD[ HH:MM[:SS]]' UTC)`);
  return parsed;
}

/** ISO 8601 with an explicit zone (`2015-04-01T00:00:00Z`), which users of JavaScript dates will write. */
function isoTime(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(text)) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : Math.floor(t / 1000);
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** bgpreader's `-I "<n> <s|m|h|d>"`: the last n units up to now. */
export function parseRecentInterval(text: string, now: number): { begin: number; end: number } {
  const m = /^\s*(\d+)\s*([smhd])\s*$/.exec(text);
  if (!m) throw new Error(`recent interval '${text}' is not '<n> <s|m|h|d>'`);
  return { begin: now - Number(m[1]) * UNITS[m[2]], end: now };
}

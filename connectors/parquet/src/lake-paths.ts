import path from 'node:path';
import type { RecordType } from '@bgpstream-ts/core';

/** One dump: the unit the lake writes, replaces and records in its manifest. */
export interface DumpKey {
  project: string;
  collector: string;
  type: RecordType;
  /** The dump's nominal time, unix seconds. */
  dumpTime: number;
}

/** Hive's name for an empty (null) partition value; DuckDB reads it as NULL. */
export const EMPTY_PARTITION_VALUE = '__HIVE_DEFAULT_PARTITION__';

/**
 * A partition value as a safe folder-name part: `[A-Za-z0-9._-]` stay, every other byte of the
 * UTF-8 text becomes `%XX` (which DuckDB's hive partitioning decodes back). Dots in a run of two or
 * more are encoded too, so the result never contains `..` nor `/`; the empty string becomes
 * `__HIVE_DEFAULT_PARTITION__`.
 */
export function encodePartitionValue(value: string): string {
  if (value === '') return EMPTY_PARTITION_VALUE;
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9_-]/.test(c)
      ? c
      : c === '.'
        ? c
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out.replace(/\.{2,}/g, (dots) => '%2E'.repeat(dots.length));
}

/** The UTC day of a unix time, `YYYY-MM-DD`. */
export function utcDate(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 10);
}

/** `project=<p>/collector=<c>/type=<t>/date=<YYYY-MM-DD>`, relative to the lake. */
export function dumpPartition(key: DumpKey): string {
  return [
    `project=${encodePartitionValue(key.project)}`,
    `collector=${encodePartitionValue(key.collector)}`,
    `type=${encodePartitionValue(key.type)}`,
    `date=${utcDate(key.dumpTime)}`,
  ].join('/');
}

/** The name of a dump's part file: the dump time and the part number. */
export function partFileName(dumpTime: number, part: number): string {
  return `dump-${dumpTime}-part-${String(part).padStart(5, '0')}.parquet`;
}

/** Matches the part files of dump `dumpTime` (published ones). */
export function isPartFileOf(name: string, dumpTime: number): boolean {
  return name.startsWith(`dump-${dumpTime}-part-`) && name.endsWith('.parquet');
}

/** Matches temporary files of dump `dumpTime` left by any writer (dot-prefixed, `.tmp` suffix). */
export function isTempFileOf(name: string, dumpTime: number): boolean {
  return name.startsWith(`.dump-${dumpTime}-`) && name.endsWith('.tmp');
}

/** A temporary name beside `finalName`: hidden (dot), not matching `*.parquet`, unique per writer. */
export function tempNameFor(finalName: string): string {
  const rand = Math.floor(Math.random() * 0x100000000)
    .toString(16)
    .padStart(8, '0');
  return `.${finalName}.${process.pid}-${rand}.tmp`;
}

/** The manifest entry of a dump, relative to the lake. */
export function manifestEntryPath(key: DumpKey): string {
  return [
    '_manifest',
    `project=${encodePartitionValue(key.project)}`,
    `collector=${encodePartitionValue(key.collector)}`,
    `type=${encodePartitionValue(key.type)}`,
    `dump-${key.dumpTime}.json`,
  ].join('/');
}

/** `lake` joined with `relative`; throws unless the result is inside the lake. */
export function insideLake(lake: string, relative: string): string {
  const root = path.resolve(lake);
  const full = path.resolve(root, relative);
  const rel = path.relative(root, full);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new Error(`path '${relative}' would leave the lake ${root}`);
  }
  return full;
}

/** A stable text key for maps. */
export function dumpId(key: DumpKey): string {
  return `${key.project}\u0000${key.collector}\u0000${key.type}\u0000${key.dumpTime}`;
}

export function describeDump(key: DumpKey): string {
  return `${key.project}/${key.collector}/${key.type}@${key.dumpTime}`;
}

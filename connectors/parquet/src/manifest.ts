import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RecordType } from '@bgpstream-ts/core';
import { removeIfPresent, replaceFileAtomic, syncDirectory } from './durable-fs.js';
import { type DumpKey, insideLake, manifestEntryPath, tempNameFor } from './lake-paths.js';

/** Version of the manifest entry format below. */
export const MANIFEST_VERSION = 1;

/**
 * What the lake knows about one completely exported dump: `<lake>/_manifest/project=…/collector=…/
 * type=…/dump-<dumpTime>.json`, written only after the dump's files are in place.
 */
export interface DumpManifest extends DumpKey {
  manifestVersion: number;
  elemSchemaVersion: number;
  /** Part files, relative to the lake, `/`-separated. */
  files: string[];
  rows: number;
  bytes: number;
  /** Where the dump was read from, when the caller said. */
  sourceUrl: string | null;
  /** When the export finished (ISO 8601). */
  exportedAt: string;
}

function isRecordType(x: unknown): x is RecordType {
  return x === 'rib' || x === 'update';
}

function parseManifest(text: string, where: string): DumpManifest {
  const m = JSON.parse(text) as DumpManifest;
  if (
    typeof m !== 'object' ||
    m === null ||
    typeof m.project !== 'string' ||
    typeof m.collector !== 'string' ||
    !isRecordType(m.type) ||
    typeof m.dumpTime !== 'number' ||
    !Array.isArray(m.files) ||
    typeof m.rows !== 'number'
  ) {
    throw new Error(`${where}: not a dump manifest entry`);
  }
  return m;
}

/** The manifest entry of `key`, or null when the dump was never completely exported. */
export async function readDumpManifest(lake: string, key: DumpKey): Promise<DumpManifest | null> {
  const file = insideLake(lake, manifestEntryPath(key));
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const m = parseManifest(text, file);
  // A file whose name matches but whose content names another dump is not this dump's entry.
  if (
    m.project !== key.project ||
    m.collector !== key.collector ||
    m.type !== key.type ||
    m.dumpTime !== key.dumpTime
  ) {
    throw new Error(`${file}: entry names another dump`);
  }
  return m;
}

/** True when `key` is in the lake's manifest (a re-run would skip it). */
export async function isDumpExported(lake: string, key: DumpKey): Promise<boolean> {
  return (await readDumpManifest(lake, key)) !== null;
}

/** Writes (or replaces) the entry of a dump atomically. */
export async function writeDumpManifest(lake: string, entry: DumpManifest): Promise<void> {
  const file = insideLake(lake, manifestEntryPath(entry));
  await mkdir(path.dirname(file), { recursive: true });
  const text = `${JSON.stringify(entry, null, 2)}\n`;
  await replaceFileAtomic(file, Buffer.from(text, 'utf8'), tempNameFor(path.basename(file)));
}

/** Removes the entry of a dump (durably), so that an interrupted re-export is redone next time. */
export async function removeDumpManifest(lake: string, key: DumpKey): Promise<void> {
  const file = insideLake(lake, manifestEntryPath(key));
  if (await removeIfPresent(file)) await syncDirectory(path.dirname(file));
}

/** Every manifest entry of the lake (completely exported dumps), in no particular order. */
export async function readLakeManifest(lake: string): Promise<DumpManifest[]> {
  const root = path.join(path.resolve(lake), '_manifest');
  const out: DumpManifest[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile() && e.name.endsWith('.json') && !e.name.startsWith('.')) {
        out.push(parseManifest(await readFile(full, 'utf8'), full));
      }
    }
  };
  await walk(root);
  return out;
}

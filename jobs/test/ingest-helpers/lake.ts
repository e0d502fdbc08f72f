import { readdirSync } from 'node:fs';
import path from 'node:path';
import { type BgpRecord, openResource, type Resource } from '@bgpstream-ts/core';
import { exportToParquetLake, type LakeExportSummary, readLakeManifest } from '@bgpstream-ts/parquet';
import { DuckDBInstance } from '@duckdb/node-api';

/** Every file under `dir`, relative, sorted (hidden temporary files included). */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

/** Every folder under `dir`, relative, sorted. */
export function listFolders(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const full = path.join(d, e.name);
      out.push(path.relative(dir, full));
      walk(full);
    }
  };
  walk(dir);
  return out.sort();
}

/** Temporary (unpublished) files anywhere in the lake. */
export function tempFiles(lake: string): string[] {
  return listFiles(lake).filter((f) => path.basename(f).startsWith('.') || f.endsWith('.tmp'));
}

export interface DumpContent {
  rows: number;
  /** Order-independent hash of every column of every row (DuckDB `hash`), partition columns included. */
  hash: string;
}

/** Per dump (`project|collector|type|dumpTime`): rows and content hash, read back by DuckDB. */
export async function dumpContents(lake: string): Promise<Map<string, DumpContent>> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const glob = `${lake.replace(/'/g, "''")}/**/*.parquet`;
    const reader = await conn.runAndReadAll(
      `SELECT project, collector, type, epoch(dump_time)::BIGINT AS t, count(*) AS n,
              sum(hash(*COLUMNS(*)))::VARCHAR AS h
       FROM read_parquet('${glob}', hive_partitioning = true) GROUP BY ALL`,
    );
    const out = new Map<string, DumpContent>();
    for (const r of reader.getRowObjectsJS()) {
      out.set(`${r.project}|${r.collector}|${r.type}|${r.t}`, { rows: Number(r.n), hash: String(r.h) });
    }
    return out;
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** The manifest as `key → {rows, files}` (what the lake claims to hold). */
export async function manifestSummary(lake: string): Promise<Map<string, { rows: number; files: string[] }>> {
  const out = new Map<string, { rows: number; files: string[] }>();
  for (const m of await readLakeManifest(lake)) {
    out.set(`${m.project}|${m.collector}|${m.type}|${m.dumpTime}`, {
      rows: m.rows,
      files: [...m.files].sort(),
    });
  }
  return out;
}

/** The reference: the same dumps exported one after another by one `exportToParquetLake` call in this process. */
export async function referenceExport(
  resources: readonly Resource[],
  lake: string,
  rowGroupSize?: number,
): Promise<LakeExportSummary> {
  async function* all(): AsyncGenerator<BgpRecord[]> {
    for (const r of resources) yield* openResource(r);
  }
  return exportToParquetLake(all(), { lake, rowGroupSize, sourceUrl: () => undefined });
}

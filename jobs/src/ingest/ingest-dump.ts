import { rmdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { type BgpRecord, openResource, type Resource } from '@bgpstream-ts/core';
import { dumpPartition, exportToParquetLake, type LakeExportSummary } from '@bgpstream-ts/parquet';
import { dumpKeyOf, ingestJobName } from './job-id.js';
import type { IngestJobResult } from './queue.js';

/** Records with status `corrupted-record` a dump may hold and still go into the lake. */
export const DEFAULT_MAX_CORRUPTED_RECORDS = 100;

export interface IngestDumpOptions {
  /** The lake's root folder. */
  lake: string;
  /** More `corrupted-record` records than this fail the dump. Default {@link DEFAULT_MAX_CORRUPTED_RECORDS}. */
  maxCorruptedRecords?: number;
  /** Rows per Parquet part file (the lake writer's `rowGroupSize`). */
  rowGroupSize?: number;
  /** Aborts the export: nothing of the dump is published. */
  signal?: AbortSignal;
  /**
   * Test hook: sleep this long once in the middle of the dump (after its first part file is written
   * under its temporary name, or before its last batch when it has a single part).
   */
  testDelayMs?: number;
  /** Called when the test delay starts. */
  onTestDelay?: () => void;
}

/**
 * The dump cannot go into the lake: its source is corrupted (a `corrupted-source` record: a
 * truncated or unreadable file) or it holds too many corrupted records. `permanent` is false when a
 * retry may help (a remote source: the download may have failed).
 */
export class CorruptDumpError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'CorruptDumpError';
  }
}

const isRemote = (url: string) => /^(https?|s3|gs|ftp):\/\//i.test(url);

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done(): void {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort(): void {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface Counters {
  records: number;
  corrupted: number;
  partsWritten: number;
  delayed: boolean;
}

/**
 * Passes the dump's batches on, and throws (before the batch reaches the lake writer, so the dump is
 * never completed) on a `corrupted-source` record or one `corrupted-record` too many.
 */
async function* checked(
  resource: Resource,
  batches: AsyncIterable<BgpRecord[]>,
  counters: Counters,
  options: IngestDumpOptions,
): AsyncGenerator<BgpRecord[]> {
  const max = options.maxCorruptedRecords ?? DEFAULT_MAX_CORRUPTED_RECORDS;
  for await (const batch of batches) {
    let last = false;
    for (const r of batch) {
      counters.records++;
      if (r.dumpPosition === 'end') last = true;
      if (r.status === 'corrupted-source') {
        throw new CorruptDumpError(
          `corrupted source ${resource.url}: ${r.error ?? 'unreadable'}`,
          !isRemote(resource.url),
        );
      }
      if (r.status === 'corrupted-record' && ++counters.corrupted > max) {
        throw new CorruptDumpError(
          `${resource.url}: more than ${max} corrupted records (the last: ${r.error ?? 'no detail'})`,
          true,
        );
      }
    }
    if (options.testDelayMs && !counters.delayed && (counters.partsWritten > 0 || last)) {
      counters.delayed = true;
      options.onTestDelay?.();
      await sleep(options.testDelayMs, options.signal);
    }
    yield batch;
  }
}

/** Removes the dump's partition folders if they are empty (a failed dump leaves no visible partition). */
async function removeEmptyPartition(lake: string, resource: Resource): Promise<void> {
  let dir = path.join(path.resolve(lake), dumpPartition(dumpKeyOf(resource)));
  // date=…, type=…, collector=…, project=…: stop at the first folder that holds anything.
  for (let level = 0; level < 4; level++) {
    try {
      await rmdir(dir);
    } catch {
      return;
    }
    dir = path.dirname(dir);
  }
}

/**
 * Exports one dump into the lake with `exportToParquetLake` (part files under temporary names,
 * published with its manifest entry only when the whole dump is read). A dump already in the
 * manifest is not written again (`alreadyExported`). Throws {@link CorruptDumpError} for a corrupted
 * dump, and whatever reading or writing threw otherwise; either way nothing of the dump is published.
 */
export async function ingestDump(resource: Resource, options: IngestDumpOptions): Promise<IngestJobResult> {
  const started = performance.now();
  const counters: Counters = { records: 0, corrupted: 0, partsWritten: 0, delayed: false };
  let summary: LakeExportSummary;
  try {
    summary = await exportToParquetLake(
      checked(resource, openResource(resource, { signal: options.signal }), counters, options),
      {
        lake: options.lake,
        rowGroupSize: options.rowGroupSize,
        sourceUrl: () => resource.url,
        onProgress: (p) => {
          if (p.event === 'part-written') counters.partsWritten++;
        },
      },
    );
  } catch (err) {
    await removeEmptyPartition(options.lake, resource);
    throw err;
  }
  if (summary.dumpsFailed.length > 0) {
    await removeEmptyPartition(options.lake, resource);
    const f = summary.dumpsFailed[0];
    throw new CorruptDumpError(`corrupted source ${resource.url}: ${f.error}`, !isRemote(resource.url));
  }
  if (summary.dumps.length === 0 && summary.dumpsSkipped.length === 0) {
    throw new Error(`${ingestJobName(resource)}: ${resource.url} gave no records`);
  }
  return {
    dump: dumpKeyOf(resource),
    url: resource.url,
    alreadyExported: summary.dumps.length === 0,
    rows: summary.rows,
    records: counters.records,
    corruptedRecords: counters.corrupted,
    files: summary.dumps.flatMap((d) => d.files),
    bytes: summary.bytes,
    seconds: (performance.now() - started) / 1000,
    worker: `${hostname()}:${process.pid}`,
  };
}

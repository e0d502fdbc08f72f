import { openByteStream } from '../io/index.js';
import { readBatches } from '../model/chunked-reader.js';
import type { Elem } from '../model/elem.js';
import type { BgpRecord } from '../model/record.js';
import { MrtReader, type MrtReaderOptions } from './mrt-reader.js';

export interface ReadMrtOptions extends MrtReaderOptions {
  /** Stops reading and releases the file, process or socket. */
  signal?: AbortSignal;
  /** Read size for local files (default 64 KiB: batches small enough that their elems die young, which keeps garbage collection cheap). */
  readSize?: number;
}

/**
 * Reads one MRT dump (path, file:// or http(s):// URL; plain, gzip or bzip2)
 * as batches of records. Never throws for bad data: a source that cannot be
 * opened or stops being readable ends with a `corrupted-source` record.
 */
export async function* readMrtBatches(
  location: string,
  options: ReadMrtOptions = {},
): AsyncGenerator<BgpRecord[]> {
  const reader = new MrtReader(options);
  const chunks = openByteStream(location, {
    signal: options.signal,
    highWaterMark: options.readSize ?? 1 << 16,
  });
  yield* readBatches(reader, chunks, options.signal);
}

/** The records of one MRT dump, one at a time. */
export async function* readMrt(location: string, options: ReadMrtOptions = {}): AsyncGenerator<BgpRecord> {
  for await (const batch of readMrtBatches(location, options)) yield* batch;
}

/** The elems of one MRT dump, with the record each came from. */
export async function* readMrtElems(
  location: string,
  options: ReadMrtOptions = {},
): AsyncGenerator<{ record: BgpRecord; elem: Elem }> {
  for await (const batch of readMrtBatches(location, options)) {
    for (const record of batch) for (const elem of record.elems) yield { record, elem };
  }
}

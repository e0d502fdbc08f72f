import { describeError } from '../io/source-error.js';
import type { BgpRecord } from './record.js';

/** A decoder of one dump fed with bytes: MRT, BMP and RIS Live readers all have this shape. */
export interface ChunkedRecordReader {
  /** Feeds bytes; returns the records they completed. */
  push(chunk: Uint8Array): BgpRecord[];
  /** Ends the input: the last held record, or the record that says why there was none. */
  finish(): BgpRecord[];
  /** Ends the input after the source failed: a `corrupted-source` record. */
  sourceFailure(message: string): BgpRecord[];
  /** True once the reader wants no more bytes (a record past the time interval). */
  readonly done?: boolean;
}

/**
 * Drives a reader over a byte source, one batch of records per chunk. A
 * source that fails ends with the reader's `corrupted-source` record rather
 * than an exception; an abort (the consumer stopping) is rethrown.
 */
export async function* readBatches(
  reader: ChunkedRecordReader,
  chunks: AsyncIterable<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<BgpRecord[]> {
  try {
    for await (const chunk of chunks) {
      signal?.throwIfAborted();
      const out = reader.push(chunk);
      if (out.length > 0) yield out;
      if (reader.done) return;
    }
  } catch (err) {
    if (signal?.aborted) throw err;
    yield reader.sourceFailure(describeError(err));
    return;
  }
  const last = reader.finish();
  if (last.length > 0) yield last;
}

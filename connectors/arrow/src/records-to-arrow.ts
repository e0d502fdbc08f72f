import type { BgpRecord } from '@bgpstream-ts/core';
import type { RecordBatch } from 'apache-arrow';
import { ElemBatchBuilder } from './elem-batch-builder.js';

export interface RecordsToArrowOptions {
  /** Rows per record batch (the last one may be shorter). Default 65536. */
  batchSize?: number;
}

export type RecordSource = AsyncIterable<BgpRecord | BgpRecord[]> | Iterable<BgpRecord | BgpRecord[]>;

/**
 * Turns records (one at a time, or in batches as `readMrtBatches` yields them) into Arrow record
 * batches of the elem schema, one row per elem, in input order. Built from the decoded model with
 * typed arrays, never through text parsing; memory is bounded by `batchSize` rows. Dictionaries are
 * stable across batches (later batches add deltas), so the batches can go to an IPC file.
 */
export async function* recordsToArrowBatches(
  records: RecordSource,
  options: RecordsToArrowOptions = {},
): AsyncGenerator<RecordBatch> {
  const batchSize = options.batchSize ?? 65536;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batchSize must be a positive integer, got ${batchSize}`);
  const builder = new ElemBatchBuilder({
    initialCapacity: Math.min(batchSize, 4096),
    stableDictionaries: true,
  });
  for await (const item of records as AsyncIterable<BgpRecord | BgpRecord[]>) {
    const list = Array.isArray(item) ? item : [item];
    for (let i = 0; i < list.length; i++) {
      const record = list[i];
      const n = record.elems.length;
      if (n === 0) continue;
      if (builder.length + n < batchSize) {
        builder.append(record);
        continue;
      }
      // The record fills the batch: cut it.
      let start = 0;
      while (start < n) {
        const take = Math.min(n - start, batchSize - builder.length);
        builder.append(record, start, start + take);
        start += take;
        if (builder.length >= batchSize) yield builder.finish();
      }
    }
  }
  if (builder.length > 0) yield builder.finish();
}

import type { BgpRecord } from '@bgpstream-ts/core';
import { type LakeExportSummary, type ParquetLakeOptions, ParquetLakeWriter } from './lake-writer.js';

export type LakeExportOptions = ParquetLakeOptions;

/**
 * Exports records (batches as `readMrtBatches` or a merged stream yields them, or single records)
 * into a hive-partitioned Parquet lake and resolves with what was written. Dumps may be
 * interleaved; each is published when its `end` record arrives or the input ends. Dumps already in
 * the lake's manifest are skipped (unless `force`). On an error the temporary files of unfinished
 * dumps are removed and the error is rethrown; dumps completed before it stay published.
 */
export async function exportToParquetLake(
  records: AsyncIterable<BgpRecord[] | BgpRecord> | Iterable<BgpRecord[] | BgpRecord>,
  options: LakeExportOptions,
): Promise<LakeExportSummary> {
  const writer = new ParquetLakeWriter(options);
  try {
    for await (const item of records as AsyncIterable<BgpRecord[] | BgpRecord>) await writer.write(item);
    return await writer.close();
  } catch (err) {
    await writer.abort();
    throw err;
  }
}

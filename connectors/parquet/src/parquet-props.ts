// Writer settings and the IPC-to-Parquet step, shared by the in-thread encoder and the encoder
// worker. Imports nothing but parquet-wasm's types, so that the worker loads only parquet-wasm.

type ParquetWasm = typeof import('parquet-wasm');

export type ParquetCompression = 'zstd' | 'snappy' | 'gzip' | 'brotli' | 'lz4' | 'none';

/** Everything the encoder needs besides the data: plain values, so that it can go to a worker. */
export interface ParquetWriteSettings {
  compression: ParquetCompression;
  /** Largest row group (rows). */
  rowGroupSize: number;
  /** Columns that get Parquet dictionary pages (the others are plain-encoded). */
  dictionaryColumns: readonly string[];
  /** Key-value metadata for the footer. */
  metadata: readonly (readonly [string, string])[];
}

function codec(pw: ParquetWasm, c: ParquetCompression) {
  switch (c) {
    case 'zstd':
      // parquet-wasm 0.8 has no level setting: parquet-rs's default ZSTD level (3) applies.
      return pw.Compression.ZSTD;
    case 'snappy':
      return pw.Compression.SNAPPY;
    case 'gzip':
      return pw.Compression.GZIP;
    case 'brotli':
      return pw.Compression.BROTLI;
    case 'lz4':
      return pw.Compression.LZ4_RAW;
    case 'none':
      return pw.Compression.UNCOMPRESSED;
    default:
      throw new Error(`unknown Parquet compression '${String(c)}'`);
  }
}

/**
 * One Parquet file from an Arrow IPC stream: column statistics at chunk and page level, dictionary
 * pages for `dictionaryColumns` only, the given key-value metadata. The same input gives the same
 * bytes.
 */
export function encodeIpcWith(pw: ParquetWasm, ipc: Uint8Array, settings: ParquetWriteSettings): Uint8Array {
  const table = pw.Table.fromIPCStream(ipc);
  // One key only (see encodeParquet): parquet-wasm passes the key-value metadata through a hash
  // map, so with several keys their order in the footer would change from run to run.
  const metadata = new Map<string, string>(settings.metadata);
  let builder = new pw.WriterPropertiesBuilder()
    .setCompression(codec(pw, settings.compression))
    .setMaxRowGroupSize(settings.rowGroupSize)
    .setStatisticsEnabled(pw.EnabledStatistics.Page)
    .setCreatedBy('@bgpstream-ts/parquet (parquet-wasm)')
    .setKeyValueMetadata(metadata)
    .setDictionaryEnabled(false);
  for (const name of settings.dictionaryColumns) builder = builder.setColumnDictionaryEnabled(name, true);
  const props = builder.build();
  // Both the table and the properties are consumed (freed) by the call.
  return pw.writeParquet(table, props);
}

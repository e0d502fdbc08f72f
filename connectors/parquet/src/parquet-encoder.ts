import {
  ELEM_COLUMNS,
  ELEM_SCHEMA_VERSION,
  ELEM_SCHEMA_VERSION_KEY,
  usesParquetDictionary,
} from '@bgpstream-ts/schemas';
import { type RecordBatch, Table, tableToIPC } from 'apache-arrow';

type ParquetWasm = typeof import('parquet-wasm');

export type ParquetCompression = 'zstd' | 'snappy' | 'gzip' | 'brotli' | 'lz4' | 'none';

let loading: Promise<ParquetWasm> | undefined;

/** parquet-wasm, loaded on first use: compiling its wasm costs a few seconds once per process. */
export function loadParquetWasm(): Promise<ParquetWasm> {
  loading ??= import('parquet-wasm');
  return loading;
}

export interface EncodeParquetOptions {
  compression: ParquetCompression;
  /** Largest row group (rows). */
  rowGroupSize: number;
}

function codec(pw: ParquetWasm, c: ParquetCompression) {
  switch (c) {
    case 'zstd':
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

/** Checks a compression name early (before any data is read). */
export function checkCompression(c: string): asserts c is ParquetCompression {
  if (!['zstd', 'snappy', 'gzip', 'brotli', 'lz4', 'none'].includes(c)) {
    throw new Error(`unknown Parquet compression '${c}' (zstd, snappy, gzip, brotli, lz4, none)`);
  }
}

/**
 * One Parquet file from elem record batches (through Arrow IPC into parquet-wasm): column
 * statistics at chunk and page level, dictionary pages for the columns the schema marks, the Arrow
 * schema in the footer, and the elem schema version in the key-value metadata. The same batches
 * give the same bytes.
 */
export async function encodeParquet(
  batches: readonly RecordBatch[],
  options: EncodeParquetOptions,
): Promise<Uint8Array> {
  const pw = await loadParquetWasm();
  const ipc = tableToIPC(new Table(batches as RecordBatch[]), 'stream');
  const table = pw.Table.fromIPCStream(ipc);
  // One key only: parquet-wasm passes the key-value metadata through a hash map, so with several
  // keys their order in the footer (and so the file's bytes) would change from run to run.
  const metadata = new Map<string, string>([[ELEM_SCHEMA_VERSION_KEY, String(ELEM_SCHEMA_VERSION)]]);
  let builder = new pw.WriterPropertiesBuilder()
    .setCompression(codec(pw, options.compression))
    .setMaxRowGroupSize(options.rowGroupSize)
    .setStatisticsEnabled(pw.EnabledStatistics.Page)
    .setCreatedBy('@bgpstream-ts/parquet (parquet-wasm)')
    .setKeyValueMetadata(metadata)
    .setDictionaryEnabled(false);
  // Dictionary pages where the schema says values repeat (see `parquetDictionary` in the schema).
  for (const c of ELEM_COLUMNS)
    if (usesParquetDictionary(c)) builder = builder.setColumnDictionaryEnabled(c.name, true);
  const props = builder.build();
  // Both the table and the properties are consumed (freed) by the call.
  return pw.writeParquet(table, props);
}

// The public surface of @bgpstream-ts/parquet.

export { exportToParquetLake, type LakeExportOptions } from './export-to-lake.js';
export {
  type DumpKey,
  dumpPartition,
  EMPTY_PARTITION_VALUE,
  encodePartitionValue,
  manifestEntryPath,
  partFileName,
  utcDate,
} from './lake-paths.js';
export {
  type DumpExportResult,
  type LakeExportProgress,
  type LakeExportSummary,
  type LakeExportTotals,
  type ParquetLakeOptions,
  ParquetLakeWriter,
} from './lake-writer.js';
export {
  type DumpManifest,
  isDumpExported,
  MANIFEST_VERSION,
  readDumpManifest,
  readLakeManifest,
} from './manifest.js';
export {
  type EncodedBy,
  type EncodeParquetOptions,
  encodeParquet,
  loadParquetWasm,
  type ParquetCompression,
  startEncoderThread,
} from './parquet-encoder.js';

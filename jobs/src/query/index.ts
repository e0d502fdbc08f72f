// The public surface of the query part of @bgpstream-ts/jobs: DuckDB over a Parquet lake.

export {
  BUILTIN_CATALOG_DIR,
  type ChartSpec,
  describeJob,
  describeJobParams,
  JobCatalog,
  type JobDefinition,
  type JobParameter,
  type JobRun,
  parseJobFile,
} from './job-catalog.js';
export {
  type BoundParam,
  describeParamType,
  formatParamType,
  type ParamKind,
  type ParamType,
  parseParamType,
  parseParamValue,
  parseTimestampMicros,
} from './job-parameters.js';
export {
  LAKE_VIEWS,
  LakeConnection,
  type LakeConnectionOptions,
  type QueryParam,
  type QueryResult,
  type ResultColumn,
  resultObjects,
} from './lake-connection.js';
export { LAKE_MACROS, type LakeMacro } from './lake-macros.js';
export { QueryError } from './query-error.js';
export { type ChartOptions, renderChartSvg } from './result-chart.js';
export {
  csvField,
  csvLine,
  formatTable,
  jsonLine,
  OUTPUT_FORMATS,
  type OutputFormat,
  type TableOptions,
  type TextSink,
  writeCsv,
  writeJsonLines,
} from './result-formats.js';
export {
  isoFromMicros,
  type PlainRow,
  type PlainValue,
  plainToJson,
  plainToText,
  toPlain,
} from './result-values.js';
export { runJob } from './run-job.js';

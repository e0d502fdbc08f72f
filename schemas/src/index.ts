// The public surface of @bgpstream-ts/schemas.

export { elemArrowSchema } from './arrow-schema.js';
export { COLUMNS_BEGIN, COLUMNS_END, renderColumnTable, updateReadme } from './docs.js';
export {
  type ColumnLevel,
  ELEM_COLUMN_NAMES,
  ELEM_COLUMNS,
  ELEM_SCHEMA_VERSION,
  ELEM_SCHEMA_VERSION_KEY,
  ELEM_TYPES,
  type ElemColumn,
  elemColumn,
  IPV4_MAPPED_PREFIX,
  ORIGINS,
  RECORD_TYPES,
  usesParquetDictionary,
} from './elem-columns.js';
export {
  DUMP_POSITIONS,
  ELEM_MESSAGE_SCHEMA_ID,
  elemMessageJsonSchema,
  elemMessageJsonSchemaText,
  jsonSchemaOfArrowType,
  KAFKA_HEADERS,
  KAFKA_MESSAGE_FORMATS,
  type KafkaMessageFormat,
  RECORD_STATUSES,
} from './kafka-message-format.js';
export { arrowTypeName, duckdbTypeName, parquetTypeName } from './type-names.js';

import { DataType, type Field, type FixedSizeBinary, type Int } from 'apache-arrow';
import {
  ELEM_COLUMNS,
  ELEM_SCHEMA_VERSION,
  ELEM_TYPES,
  type ElemColumn,
  RECORD_TYPES,
} from './elem-columns.js';

/**
 * The Kafka message formats of `@bgpstream-ts/kafka`: what a message holds and the headers it carries.
 * The `json` format is one elem per message, an object with one property per elem column
 * ({@link ELEM_COLUMNS}, same names, same order); its JSON Schema is {@link elemMessageJsonSchema},
 * also in `schemas/json/elem-message.schema.json`.
 */

/** `json`: one elem per message; `arrow`: one Arrow IPC stream (schema + one record batch) per message; `mrt`: one MRT record per message. */
export const KAFKA_MESSAGE_FORMATS = ['json', 'arrow', 'mrt'] as const;
export type KafkaMessageFormat = (typeof KAFKA_MESSAGE_FORMATS)[number];

/** Header names (values are UTF-8 text). Every message carries the first seven. */
export const KAFKA_HEADERS = {
  /** `json`, `arrow` or `mrt`. */
  format: 'bgpstream-format',
  /** The elem schema version ({@link ELEM_SCHEMA_VERSION}) of json and arrow bodies; mrt messages carry it too. */
  schemaVersion: 'bgpstream-schema-version',
  project: 'bgpstream-project',
  collector: 'bgpstream-collector',
  /** `update` or `rib`. */
  recordType: 'bgpstream-record-type',
  /** The dump's nominal time, unix seconds (decimal). */
  dumpTime: 'bgpstream-dump-time',
  /**
   * Stable id of what the message holds: `<project>/<collector>/<type>/<dumpTime>/<record index>` for
   * an mrt message, plus `/<elem index>` for a json message; for an arrow message, the id of its first
   * row. Components are percent-encoded (`/` and `%`). The same record always gets the same id, so a
   * re-sent message is recognised.
   */
  recordId: 'bgpstream-record-id',
  /** arrow: the id of the last row (`.../<record index>/<elem index>`). */
  recordIdLast: 'bgpstream-record-id-last',
  /** arrow: the number of rows. */
  rows: 'bgpstream-rows',
  /** mrt: the record time, `<seconds>.<microseconds>`. */
  time: 'bgpstream-time',
  /** mrt: `start`, `middle` or `end`: the record's position in its dump. */
  dumpPosition: 'bgpstream-dump-position',
  /** mrt: the record status (`valid`, `corrupted-record`, ...). */
  status: 'bgpstream-status',
  /** Router name and address, when the record has them (BMP sources). */
  router: 'bgpstream-router',
  routerIp: 'bgpstream-router-ip',
} as const;

/** The record statuses and dump positions, as the `status` and `dump_position` columns spell them. */
export const RECORD_STATUSES = [
  'valid',
  'filtered-source',
  'empty-source',
  'outside-time-interval',
  'corrupted-source',
  'corrupted-record',
  'unsupported-record',
] as const;
export const DUMP_POSITIONS = ['start', 'middle', 'end'] as const;

/** JSON Schema `$id` of the json elem message, versioned with the elem schema. */
export const ELEM_MESSAGE_SCHEMA_ID = `https://bgpstream-ts.github.io/schemas/elem-message.v${ELEM_SCHEMA_VERSION}.schema.json`;

type JsonSchema = Record<string, unknown>;

const ENUMS: Readonly<Record<string, readonly string[]>> = {
  elem_type: ELEM_TYPES,
  record_type: RECORD_TYPES,
  status: RECORD_STATUSES,
  dump_position: DUMP_POSITIONS,
};

/**
 * How a value of an Arrow type is written in a json message: text and dictionary columns as
 * strings, unsigned integers as integers, booleans as booleans, timestamps as integer
 * microseconds since 1970-01-01 UTC (the Arrow value itself: exact, no float rounding), fixed-size
 * binary as lowercase hex, lists as arrays, structs as objects.
 */
export function jsonSchemaOfArrowType(type: DataType): JsonSchema {
  if (DataType.isDictionary(type)) return jsonSchemaOfArrowType(type.dictionary);
  if (DataType.isUtf8(type)) return { type: 'string' };
  if (DataType.isBool(type)) return { type: 'boolean' };
  if (DataType.isInt(type)) {
    const t = type as Int;
    if (t.isSigned || t.bitWidth > 32) throw new Error(`no JSON mapping for ${String(type)}`);
    return { type: 'integer', minimum: 0, maximum: 2 ** t.bitWidth - 1 };
  }
  if (DataType.isTimestamp(type)) {
    return { type: 'integer', minimum: 0, description: 'microseconds since 1970-01-01 00:00:00 UTC' };
  }
  if (DataType.isFixedSizeBinary(type)) {
    const n = (type as FixedSizeBinary).byteWidth;
    return { type: 'string', pattern: `^[0-9a-f]{${2 * n}}$`, description: `${n} bytes as lowercase hex` };
  }
  if (DataType.isList(type)) return { type: 'array', items: jsonSchemaOfArrowType(type.children[0].type) };
  if (DataType.isStruct(type)) {
    const fields = type.children as Field[];
    return {
      type: 'object',
      properties: Object.fromEntries(fields.map((f) => [f.name, jsonSchemaOfArrowType(f.type)])),
      required: fields.map((f) => f.name),
      additionalProperties: false,
    };
  }
  throw new Error(`no JSON mapping for Arrow type ${String(type)}`);
}

function columnSchema(column: ElemColumn): JsonSchema {
  const base = jsonSchemaOfArrowType(column.type);
  const values = ENUMS[column.name];
  const typed: JsonSchema = values ? { ...base, enum: [...values] } : { ...base };
  const { description: typeNote, ...rest } = typed;
  const description = typeNote ? `${column.description} (${typeNote})` : column.description;
  if (!column.nullable) return { description, ...rest };
  // A nullable column: the same schema, or null.
  const type = rest.type as string;
  const nullable: JsonSchema = { description, ...rest, type: [type, 'null'] };
  if (values) nullable.enum = [...values, null];
  return nullable;
}

/**
 * The JSON Schema (draft 2020-12) of a `json` message: one property per elem column, all required,
 * null where the column is nullable; generated from {@link ELEM_COLUMNS}, so it cannot drift from
 * the Arrow and Parquet layouts.
 */
export function elemMessageJsonSchema(): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: ELEM_MESSAGE_SCHEMA_ID,
    title: `bgpstream elem message, elem schema version ${ELEM_SCHEMA_VERSION}`,
    description:
      'One BGPStream elem (with its record fields) as the json format of @bgpstream-ts/kafka writes it: one Kafka message per elem. ' +
      'Properties are the elem columns of @bgpstream-ts/schemas, in column order. Headers carry the record id and the schema version.',
    type: 'object',
    properties: Object.fromEntries(ELEM_COLUMNS.map((c) => [c.name, columnSchema(c)])),
    required: ELEM_COLUMNS.map((c) => c.name),
    additionalProperties: false,
  };
}

/** The schema as the file `schemas/json/elem-message.schema.json` holds it (two-space JSON, final newline). */
export function elemMessageJsonSchemaText(): string {
  return `${JSON.stringify(elemMessageJsonSchema(), null, 2)}\n`;
}

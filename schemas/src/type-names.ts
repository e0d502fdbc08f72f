import { DataType, TimeUnit } from 'apache-arrow';

/**
 * Names of the column types in the three places a user meets them: Arrow, the Parquet file
 * (as parquet-wasm / arrow-rs writes an Arrow type) and DuckDB (as `read_parquet` reads it back).
 * Derived from the Arrow type so that the docs cannot drift from the schema; the Parquet connector's
 * tests compare `duckdbTypeName` with DuckDB's own `DESCRIBE`.
 */

const UNIT: Record<number, string> = {
  [TimeUnit.SECOND]: 's',
  [TimeUnit.MILLISECOND]: 'ms',
  [TimeUnit.MICROSECOND]: 'us',
  [TimeUnit.NANOSECOND]: 'ns',
};

function unsupported(type: DataType): never {
  throw new Error(`no name for Arrow type ${String(type)}`);
}

/** Arrow type as Arrow C++/pyarrow prints it: `uint32`, `list<item: uint32>`, `timestamp[us, tz=UTC]`. */
export function arrowTypeName(type: DataType): string {
  if (DataType.isDictionary(type)) {
    return `dictionary<values=${arrowTypeName(type.dictionary)}, indices=${arrowTypeName(type.indices)}>`;
  }
  if (DataType.isInt(type)) return `${type.isSigned ? 'int' : 'uint'}${type.bitWidth}`;
  if (DataType.isUtf8(type)) return 'string';
  if (DataType.isBool(type)) return 'bool';
  if (DataType.isFixedSizeBinary(type)) return `fixed_size_binary[${type.byteWidth}]`;
  if (DataType.isTimestamp(type)) {
    return `timestamp[${UNIT[type.unit]}${type.timezone ? `, tz=${type.timezone}` : ''}]`;
  }
  if (DataType.isList(type)) {
    const child = type.children[0];
    return `list<${child.name}: ${arrowTypeName(child.type)}>`;
  }
  if (DataType.isStruct(type)) {
    return `struct<${type.children.map((f) => `${f.name}: ${arrowTypeName(f.type)}`).join(', ')}>`;
  }
  return unsupported(type);
}

/**
 * Parquet physical type and logical annotation as arrow-rs writes the Arrow type (the file also
 * keeps the Arrow schema in its `ARROW:schema` metadata, which restores dictionaries for Arrow
 * readers).
 */
export function parquetTypeName(type: DataType): string {
  if (DataType.isDictionary(type)) return parquetTypeName(type.dictionary);
  if (DataType.isInt(type)) {
    return `INT${type.bitWidth === 64 ? 64 : 32} (INT(${type.bitWidth}, ${type.isSigned ? 'signed' : 'unsigned'}))`;
  }
  if (DataType.isUtf8(type)) return 'BYTE_ARRAY (STRING)';
  if (DataType.isBool(type)) return 'BOOLEAN';
  if (DataType.isFixedSizeBinary(type)) return `FIXED_LEN_BYTE_ARRAY(${type.byteWidth})`;
  if (DataType.isTimestamp(type)) {
    // Parquet timestamps have no second unit: arrow-rs writes seconds as a plain INT64.
    if (type.unit === TimeUnit.SECOND) return 'INT64 (seconds, no timestamp annotation)';
    const unit = {
      [TimeUnit.MILLISECOND]: 'MILLIS',
      [TimeUnit.MICROSECOND]: 'MICROS',
      [TimeUnit.NANOSECOND]: 'NANOS',
    }[type.unit];
    return `INT64 (TIMESTAMP(${unit}, ${type.timezone ? 'UTC-adjusted' : 'local'}))`;
  }
  if (DataType.isList(type)) return `LIST of ${parquetTypeName(type.children[0].type)}`;
  if (DataType.isStruct(type)) {
    return `group (${type.children.map((f) => `${f.name}: ${parquetTypeName(f.type)}`).join('; ')})`;
  }
  return unsupported(type);
}

/** The DuckDB type `read_parquet` gives the column. */
export function duckdbTypeName(type: DataType): string {
  if (DataType.isDictionary(type)) return duckdbTypeName(type.dictionary);
  if (DataType.isInt(type)) {
    const base = { 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' }[type.bitWidth];
    if (!base) return unsupported(type);
    return type.isSigned ? base : `U${base}`;
  }
  if (DataType.isUtf8(type)) return 'VARCHAR';
  if (DataType.isBool(type)) return 'BOOLEAN';
  if (DataType.isFixedSizeBinary(type)) return 'BLOB';
  if (DataType.isTimestamp(type)) {
    if (type.unit === TimeUnit.SECOND) return 'BIGINT';
    return type.timezone ? 'TIMESTAMP WITH TIME ZONE' : 'TIMESTAMP';
  }
  if (DataType.isList(type)) return `${duckdbTypeName(type.children[0].type)}[]`;
  if (DataType.isStruct(type)) {
    return `STRUCT(${type.children.map((f) => `"${f.name}" ${duckdbTypeName(f.type)}`).join(', ')})`;
  }
  return unsupported(type);
}

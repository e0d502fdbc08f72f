import { statSync } from 'node:fs';
import path from 'node:path';
import {
  BIGINT,
  BLOB,
  BOOLEAN,
  DOUBLE,
  DuckDBBlobValue,
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBPreparedStatement,
  DuckDBTimestampTZValue,
  type DuckDBType,
  type DuckDBValue,
  TIMESTAMPTZ,
  VARCHAR,
} from '@duckdb/node-api';
import type { BoundParam } from './job-parameters.js';
import { LAKE_MACROS } from './lake-macros.js';
import { QueryError } from './query-error.js';
import { type PlainRow, toPlain } from './result-values.js';
import { checkGlobSafePath, sqlString, stripTrailingSemicolons } from './sql-text.js';

export interface LakeConnectionOptions {
  /** DuckDB worker threads (default: DuckDB's choice, the number of cores). */
  threads?: number;
  /** DuckDB memory limit, e.g. `'4GB'` (default: DuckDB's, 80% of RAM). */
  memoryLimit?: string;
}

/**
 * A parameter value: typed (`{ value, type }`, as the job catalog makes them) or a plain JS value
 * (string → VARCHAR, integer number or bigint → BIGINT, other number → DOUBLE, boolean, Date →
 * TIMESTAMPTZ, Uint8Array → BLOB, null).
 */
export type QueryParam =
  | BoundParam
  | { value: DuckDBValue; type: DuckDBType }
  | string
  | number
  | bigint
  | boolean
  | Date
  | Uint8Array
  | null;

export interface ResultColumn {
  name: string;
  /** DuckDB's name of the type (`BIGINT`, `TIMESTAMP WITH TIME ZONE`, `UINTEGER[]`, ...). */
  type: string;
}

/** A query's result as plain values (see {@link toPlain}). */
export interface QueryResult {
  columns: ResultColumn[];
  rows: PlainRow[];
}

/** Rows of a result as objects keyed by column name. */
export function resultObjects(result: QueryResult): Record<string, unknown>[] {
  return result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, row[i]])));
}

/** The views every lake connection defines (see the README's "query" section). */
export const LAKE_VIEWS = ['elems', 'records', 'dumps'] as const;

/** Hive partition columns and their types: never guessed from folder names (`collector=2024` stays text). */
const HIVE_TYPES = "{'project': 'VARCHAR', 'collector': 'VARCHAR', 'type': 'VARCHAR', 'date': 'DATE'}";

const MANIFEST_COLUMNS =
  "{'manifestVersion': 'INTEGER', 'elemSchemaVersion': 'INTEGER', 'project': 'VARCHAR', 'collector': 'VARCHAR', 'type': 'VARCHAR', 'dumpTime': 'BIGINT', 'files': 'VARCHAR[]', 'rows': 'BIGINT', 'bytes': 'BIGINT', 'sourceUrl': 'VARCHAR', 'exportedAt': 'VARCHAR'}";

function isTyped(p: QueryParam): p is { value: DuckDBValue; type: DuckDBType } {
  return (
    typeof p === 'object' && p !== null && !(p instanceof Date) && !(p instanceof Uint8Array) && 'type' in p
  );
}

function typedParam(p: QueryParam): { value: DuckDBValue; type: DuckDBType } {
  if (isTyped(p)) return p;
  if (p === null) return { value: null, type: VARCHAR };
  if (typeof p === 'string') return { value: p, type: VARCHAR };
  if (typeof p === 'boolean') return { value: p, type: BOOLEAN };
  if (typeof p === 'bigint') return { value: p, type: BIGINT };
  if (typeof p === 'number')
    return Number.isInteger(p) ? { value: BigInt(p), type: BIGINT } : { value: p, type: DOUBLE };
  if (p instanceof Date)
    return { value: new DuckDBTimestampTZValue(BigInt(p.getTime()) * 1000n), type: TIMESTAMPTZ };
  return { value: new DuckDBBlobValue(p), type: BLOB };
}

/**
 * DuckDB over a Parquet lake (`<lake>/project=…/collector=…/type=…/date=…/*.parquet`, as
 * `exportToParquetLake` writes it): an in-memory database with the views `elems`, `records`,
 * `dumps` and the prefix, window and routing-table macros of {@link LAKE_MACROS}. Queries take
 * bound parameters (`$name`), never values pasted into SQL.
 */
export class LakeConnection {
  private constructor(
    /** The lake folder (absolute). */
    readonly lake: string,
    readonly instance: DuckDBInstance,
    /** The DuckDB connection, for anything this class does not wrap. */
    readonly connection: DuckDBConnection,
    /** Parquet part files the lake had when it was opened. */
    readonly files: number,
  ) {}

  /** Opens a lake. Throws a QueryError when the folder is missing or holds no Parquet file. */
  static async open(lake: string, options: LakeConnectionOptions = {}): Promise<LakeConnection> {
    const dir = path.resolve(lake);
    checkGlobSafePath(dir, 'lake path');
    let isDir = false;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      // reported below
    }
    if (!isDir) throw new QueryError(`lake '${lake}' is not a folder`);
    const config: Record<string, string> = {};
    if (options.threads !== undefined) config.threads = String(options.threads);
    if (options.memoryLimit !== undefined) config.memory_limit = options.memoryLimit;
    const instance = await DuckDBInstance.create(':memory:', config);
    const connection = await instance.connect();
    try {
      await connection.run("SET TimeZone = 'UTC'");
      const parquetGlob = sqlString(`${dir}/**/*.parquet`);
      const count = await connection.runAndReadAll(`SELECT count(*) FROM glob(${parquetGlob})`);
      const files = Number(count.getRows()[0][0]);
      if (files === 0) {
        throw new QueryError(
          `lake '${lake}' holds no Parquet files (expected ${dir}/project=…/collector=…/type=…/date=…/*.parquet)`,
        );
      }
      await connection.run(
        `CREATE VIEW elems AS SELECT * FROM read_parquet(${parquetGlob}, hive_partitioning = true, hive_types = ${HIVE_TYPES}, filename = true, file_row_number = true)`,
      );
      await connection.run(RECORDS_VIEW);
      const manifestGlob = sqlString(`${dir}/_manifest/**/*.json`);
      const manifests = await connection.runAndReadAll(`SELECT count(*) FROM glob(${manifestGlob})`);
      const source =
        Number(manifests.getRows()[0][0]) > 0
          ? `read_json(${manifestGlob}, columns = ${MANIFEST_COLUMNS}, format = 'auto', hive_partitioning = false)`
          : `(SELECT * FROM (VALUES (NULL::INTEGER, NULL::INTEGER, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, NULL::BIGINT, NULL::VARCHAR[], NULL::BIGINT, NULL::BIGINT, NULL::VARCHAR, NULL::VARCHAR)) AS t(manifestVersion, elemSchemaVersion, project, collector, type, dumpTime, files, rows, bytes, sourceUrl, exportedAt) WHERE false)`;
      await connection.run(`CREATE VIEW dumps AS
SELECT project, collector, type, to_timestamp(dumpTime) AS dump_time, len(files) AS files, rows, bytes,
       sourceUrl AS source_url, exportedAt::TIMESTAMPTZ AS exported_at, elemSchemaVersion AS elem_schema_version,
       files AS file_list
FROM ${source}`);
      for (const m of LAKE_MACROS) await connection.run(m.sql);
      return new LakeConnection(dir, instance, connection, files);
    } catch (err) {
      connection.closeSync();
      instance.closeSync();
      throw err;
    }
  }

  /** Binds every `$name` of a prepared statement from `params` (a missing one is an error). */
  private bind(prepared: DuckDBPreparedStatement, params: Readonly<Record<string, QueryParam>>): void {
    for (let i = 1; i <= prepared.parameterCount; i++) {
      const name = prepared.parameterName(i);
      if (!Object.hasOwn(params, name)) {
        const known = Object.keys(params);
        throw new QueryError(
          `the query uses $${name} but no value was given for it${known.length ? ` (given: ${known.join(', ')})` : ''}`,
        );
      }
      const { value, type } = typedParam(params[name]);
      prepared.bindValue(i, value, type);
    }
  }

  /**
   * Prepares the statements of `sql` (one or more, separated by `;`), runs all but the last with
   * their parameters bound, and returns the last one prepared and bound.
   */
  private async prepareScript(
    sql: string,
    params: Readonly<Record<string, QueryParam>>,
  ): Promise<DuckDBPreparedStatement> {
    const extracted = await this.connection.extractStatements(sql);
    if (extracted.count === 0) throw new QueryError('the SQL holds no statement');
    for (let i = 0; i < extracted.count; i++) {
      const prepared = await extracted.prepare(i);
      try {
        this.bind(prepared, params);
        if (i === extracted.count - 1) return prepared;
        await prepared.run();
      } catch (err) {
        prepared.destroySync();
        throw err;
      }
      prepared.destroySync();
    }
    throw new Error('unreachable');
  }

  /**
   * Runs SQL (one statement, or several separated by `;`: the last one's rows are returned) with
   * bound parameters: `$name` takes `params[name]`.
   */
  async query(sql: string, params: Readonly<Record<string, QueryParam>> = {}): Promise<QueryResult> {
    const prepared = await this.prepareScript(sql, params);
    try {
      const reader = await prepared.runAndReadAll();
      const columns = reader
        .columnNames()
        .map((name, i) => ({ name, type: reader.columnType(i).toString() }));
      return { columns, rows: reader.getRows().map((r) => r.map(toPlain)) };
    } finally {
      prepared.destroySync();
    }
  }

  /**
   * Like {@link query}, but yields the rows in batches as DuckDB produces them (bounded memory for
   * big results). `onColumns` is called once, before the first batch.
   */
  async *stream(
    sql: string,
    params: Readonly<Record<string, QueryParam>> = {},
    onColumns?: (columns: ResultColumn[]) => void,
  ): AsyncGenerator<PlainRow[]> {
    const prepared = await this.prepareScript(sql, params);
    try {
      const result = await prepared.stream();
      onColumns?.(result.columnNames().map((name, i) => ({ name, type: result.columnType(i).toString() })));
      for await (const rows of result.yieldRows()) yield rows.map((r) => r.map(toPlain));
    } finally {
      prepared.destroySync();
    }
  }

  /**
   * Writes the result of one statement to a Parquet file with DuckDB (`COPY (query) TO file
   * (FORMAT parquet)`), parameters bound. Returns the number of rows written. The file may not be
   * inside the lake (it would become part of it).
   */
  async copyToParquet(
    sql: string,
    params: Readonly<Record<string, QueryParam>>,
    file: string,
  ): Promise<number> {
    const target = path.resolve(file);
    const rel = path.relative(this.lake, target);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) {
      throw new QueryError(`--out ${file} is inside the lake ${this.lake}; the lake would read it as data`);
    }
    const extracted = await this.connection.extractStatements(sql);
    if (extracted.count !== 1) {
      throw new QueryError(`Parquet output takes exactly one statement (the SQL has ${extracted.count})`);
    }
    const copy = `COPY (\n${stripTrailingSemicolons(sql)}\n) TO ${sqlString(target)} (FORMAT parquet, COMPRESSION zstd)`;
    const prepared = await this.connection.prepare(copy);
    try {
      this.bind(prepared, params);
      const result = await prepared.run();
      return Number(result.rowsChanged);
    } finally {
      prepared.destroySync();
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/**
 * One row per record, as far as the lake can tell: elems grouped by the record columns plus the
 * peer (update dumps: one BGP message comes from one peer) or the prefix (RIB dumps: one
 * TABLE_DUMP_V2 record holds one prefix). The lake keeps no record number, so records that agree on
 * all of these (two messages of one peer in the same second of a non-ET dump) fold into one row;
 * `elems` counts every elem.
 */
const RECORDS_VIEW = `CREATE VIEW records AS
SELECT project, collector, type, date, router, router_ip, record_type, dump_time, record_time, status, dump_position,
       CASE WHEN type = 'update' THEN peer_asn END AS peer_asn,
       CASE WHEN type = 'update' THEN peer_address END AS peer_address,
       CASE WHEN type = 'rib' THEN prefix END AS prefix,
       count(*) AS elems,
       count(*) FILTER (WHERE elem_type = 'R') AS rib_entries,
       count(*) FILTER (WHERE elem_type = 'A') AS announcements,
       count(*) FILTER (WHERE elem_type = 'W') AS withdrawals,
       count(*) FILTER (WHERE elem_type = 'S') AS state_changes
FROM elems
GROUP BY ALL`;

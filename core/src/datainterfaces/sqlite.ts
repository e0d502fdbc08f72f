import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import type { RecordType } from '../model/record.js';
import { checkOptionName, type DataInterface, type DataInterfaceType } from './data-interface.js';
import type { Resource, ResourceQuery } from './resource.js';

/** The reference's extra slack before `begin - time_span`. */
const EXTRA_SLACK = 120;

export const sqliteType: DataInterfaceType = {
  name: 'sqlite',
  description: 'Retrieve metadata information from an SQLite database',
  options: [{ name: 'db-file', description: 'SQLite database file' }],
  create: () => new SqliteDataInterface(),
};

let sqlJs: Promise<SqlJsStatic> | undefined;

/**
 * sql.js, loaded on first use (so that importing core does not load it) and once; its wasm is found
 * through Node's resolver so that it works from dist and from vitest.
 */
function loadSqlJs(): Promise<SqlJsStatic> {
  if (!sqlJs) {
    const wasm = createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm');
    sqlJs = import('sql.js').then(({ default: initSqlJs }) => initSqlJs({ locateFile: () => wasm }));
    sqlJs.catch(() => {
      sqlJs = undefined;
    });
  }
  return sqlJs;
}

const URL_SCHEME = /^[a-z][a-z0-9+.-]+:\/\//i;

/**
 * `sqlite`: dumps listed in a BGPStream SQLite database (schema of the reference's
 * `bgpstream_sqlite_mgmt.py`). Each poll takes the rows added (`ts`) in `(last poll, now - 1]` that
 * pass the project, collector, type and time filters (`file_time >= begin - time_span - 120`,
 * `file_time <= end`). The database is read with sql.js from a copy in memory, never written.
 *
 * Differences from the reference:
 * - An open-ended interval (end 0) simply has no upper bound; the reference's SQL then has a
 *   dangling `AND` and fails to prepare.
 * - Filter values are bound as parameters, never pasted into the SQL.
 * - A relative `file_path` is resolved against the database file's folder (the reference uses it
 *   as given, i.e. relative to the working directory). The management script stores paths as
 *   given to it, and the reference's own test database lists bare file names that sit beside it.
 *   URLs and absolute paths are kept as they are.
 */
export class SqliteDataInterface implements DataInterface {
  readonly name = 'sqlite';
  private dbFile = '';
  private lastTs = 0;

  setOption(name: string, value: string): void {
    checkOptionName(sqliteType, name);
    if (value === '') throw new Error("sqlite option 'db-file' needs a path");
    this.dbFile = value;
  }

  validate(): void {
    if (this.dbFile === '') throw new Error("sqlite: the 'db-file' option must be set");
    if (!existsSync(this.dbFile)) throw new Error(`sqlite option 'db-file': '${this.dbFile}' does not exist`);
  }

  async nextResources(query: ResourceQuery): Promise<Resource[]> {
    const SQL = await loadSqlJs();
    const bytes = await readFile(this.dbFile);
    const db = new SQL.Database(bytes);
    const now = Math.floor(Date.now() / 1000) - 1;
    try {
      const where: string[] = [];
      const params: (string | number)[] = [];
      const inList = (column: string, values: Iterable<string>) => {
        const list = [...values];
        if (list.length === 0) return;
        where.push(`${column} IN (${list.map(() => '?').join(', ')})`);
        params.push(...list);
      };
      inList('collectors.project', query.projects);
      inList('collectors.name', query.collectors);
      inList(
        'bgp_types.name',
        [...query.recordTypes].map((t) => (t === 'rib' ? 'ribs' : 'updates')),
      );
      if (query.interval) {
        where.push('bgp_data.file_time >= ? - time_span.time_span - ?');
        params.push(query.interval.begin, EXTRA_SLACK);
        if (query.interval.end !== 0) {
          where.push('bgp_data.file_time <= ?');
          params.push(query.interval.end);
        }
      }
      where.push('bgp_data.ts > ?', 'bgp_data.ts <= ?');
      params.push(this.lastTs, now);
      const sql = `SELECT bgp_data.file_path, collectors.project, collectors.name, bgp_types.name,
          time_span.time_span, bgp_data.file_time
        FROM bgp_data
        JOIN collectors ON bgp_data.collector_id = collectors.id
        JOIN bgp_types ON bgp_data.type_id = bgp_types.id
        JOIN time_span ON time_span.collector_id = collectors.id AND time_span.bgp_type_id = bgp_types.id
        WHERE ${where.join(' AND ')}
        ORDER BY bgp_data.file_time DESC, bgp_types.name DESC`;
      const out: Resource[] = [];
      const stmt = db.prepare(sql);
      try {
        stmt.bind(params);
        while (stmt.step()) {
          const [filePath, project, collector, typeName, timeSpan, fileTime] = stmt.get();
          out.push(this.toResource(filePath, project, collector, typeName, timeSpan, fileTime));
        }
      } finally {
        stmt.free();
      }
      this.lastTs = now;
      return out;
    } catch (err) {
      throw new Error(`sqlite: querying '${this.dbFile}' failed: ${(err as Error).message}`, { cause: err });
    } finally {
      db.close();
    }
  }

  private toResource(
    filePath: unknown,
    project: unknown,
    collector: unknown,
    typeName: unknown,
    timeSpan: unknown,
    fileTime: unknown,
  ): Resource {
    if (typeof filePath !== 'string' || filePath === '') throw new Error('a row has no file_path');
    if (typeName !== 'ribs' && typeName !== 'updates') {
      throw new Error(`${filePath}: type '${String(typeName)}' is not ribs or updates`);
    }
    const type: RecordType = typeName === 'ribs' ? 'rib' : 'update';
    const initialTime = Number(fileTime);
    const duration = Number(timeSpan);
    if (!Number.isSafeInteger(initialTime) || !Number.isSafeInteger(duration)) {
      throw new Error(`${filePath}: file_time or time_span is not a whole number`);
    }
    const url =
      URL_SCHEME.test(filePath) || path.isAbsolute(filePath)
        ? filePath
        : path.resolve(path.dirname(this.dbFile), filePath);
    return {
      url,
      format: 'mrt',
      project: String(project),
      collector: String(collector),
      type,
      initialTime,
      duration,
    };
  }
}

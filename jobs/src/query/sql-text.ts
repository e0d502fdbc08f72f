import { QueryError } from './query-error.js';

/**
 * A SQL string literal holding `text` exactly: quotes doubled, nothing else special (DuckDB's
 * standard strings have no backslash escapes). For the few places SQL cannot take a bound
 * parameter: paths in `CREATE VIEW ... read_parquet(...)` and `COPY ... TO`.
 */
export function sqlString(text: string): string {
  if (text.includes('\u0000')) throw new QueryError('a NUL character cannot be part of a path');
  return `'${text.replace(/'/g, "''")}'`;
}

/** Characters DuckDB's glob would read as a pattern (or an escape) in a path. */
const GLOB_SPECIAL = /[*?[\]{}\\]/;

/**
 * Rejects a folder path that a glob built from it would misread: `<dir>/**\/*.parquet` must match
 * files under that folder and nowhere else.
 */
export function checkGlobSafePath(dir: string, what: string): void {
  const bad = GLOB_SPECIAL.exec(dir);
  if (bad) {
    throw new QueryError(
      `${what} '${dir}' contains '${bad[0]}', which DuckDB's file glob would read as a pattern; use another path`,
    );
  }
}

/** A statement's text without trailing semicolons and white space, to be wrapped (`COPY (...) TO`). */
export function stripTrailingSemicolons(sql: string): string {
  return sql.replace(/[\s;]+$/, '');
}

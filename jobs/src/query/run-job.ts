import type { JobCatalog } from './job-catalog.js';
import type { LakeConnection, QueryResult } from './lake-connection.js';

/**
 * Runs a catalog job on a lake: checks `params` (name → value text) against the job's declarations
 * and binds them (never pastes them into the SQL). Throws a QueryError for an unknown job or a bad,
 * unknown or missing parameter.
 *
 * ```ts
 * const lake = await LakeConnection.open('/data/lake');
 * const moas = await runJob(lake, JobCatalog.load(), 'moas', { from: '2026-01-01 00:08', until: '2026-01-01 00:10' });
 * ```
 */
export async function runJob(
  connection: LakeConnection,
  catalog: JobCatalog,
  name: string,
  params: Readonly<Record<string, string>> = {},
): Promise<QueryResult> {
  const run = catalog.prepare(name, params);
  return connection.query(run.sql, run.params);
}

import { DuckDBInstance } from '@duckdb/node-api';

export interface Db {
  /** Rows as plain JS values (BIGINT as bigint, lists as arrays, structs as objects). */
  query(sql: string): Promise<Record<string, unknown>[]>;
  close(): void;
}

/** An in-memory DuckDB. */
export async function openDuckDB(): Promise<Db> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  return {
    query: async (sql) => (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[],
    close: () => {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

/** SQL string literal. */
export const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** `read_parquet` over every part file of a lake, with the hive partition columns. */
export function lakeScan(lake: string, extra = ''): string {
  return `read_parquet(${lit(`${lake}/**/*.parquet`)}, hive_partitioning = true${extra})`;
}

/**
 * Every elem column in the oracle's shape: times as bigint microseconds, binary as lowercase hex.
 * `project` and `collector` here are the hive partition values (decoded from the folder names).
 */
export const NORMALIZED_COLUMNS = `
  project, collector, router, router_ip, record_type,
  epoch_us(dump_time) AS dump_time, epoch_us(record_time) AS record_time, status, dump_position,
  elem_type, peer_asn, peer_address, prefix, prefix_family, prefix_length,
  lower(hex(prefix_network)) AS prefix_network, next_hop, as_path, as_path_asns, as_path_segment_types,
  origin_asns, communities, large_communities,
  list_transform(extended_communities, x -> lower(hex(x))) AS extended_communities,
  origin, med, local_pref, atomic_aggregate, aggregator_asn, aggregator_address, only_to_customer, path_id,
  epoch_us(orig_time) AS orig_time, old_state, new_state`;

/** Per dump: rows and an order-independent hash of every column (partition columns included). */
export async function dumpHashes(db: Db, lake: string): Promise<Map<string, { rows: bigint; hash: string }>> {
  const rows = await db.query(
    `SELECT project, collector, type, epoch(dump_time)::BIGINT AS t, count(*) AS n, sum(hash(*COLUMNS(*)))::VARCHAR AS h
     FROM ${lakeScan(lake)} GROUP BY ALL`,
  );
  const out = new Map<string, { rows: bigint; hash: string }>();
  for (const r of rows)
    out.set(`${r.project}|${r.collector}|${r.type}|${r.t}`, { rows: r.n as bigint, hash: r.h as string });
  return out;
}

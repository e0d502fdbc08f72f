import { tableFromIPC, Vector } from 'apache-arrow';

function plain(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Vector) return [...v].map(plain);
  if (typeof v === 'object') {
    const o = (v as { toJSON?: () => object }).toJSON?.() ?? v;
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

const TIME_COLUMNS = new Set(['dump_time', 'record_time', 'orig_time']);

/**
 * The rows of one Arrow message (an IPC stream), in the json message form: timestamps as integer
 * microseconds, binary as hex, lists as arrays.
 */
export function arrowMessageRows(bytes: Uint8Array): {
  rows: Record<string, unknown>[];
  metadata: Map<string, string>;
} {
  const table = tableFromIPC(bytes);
  const rows: Record<string, unknown>[] = Array.from({ length: table.numRows }, () => ({}));
  // Column by column: Arrow JS row objects are slow.
  for (const field of table.schema.fields) {
    const column = table.getChild(field.name);
    if (!column) continue;
    let i = 0;
    const time = TIME_COLUMNS.has(field.name);
    for (const v of column) {
      rows[i++][field.name] = time && typeof v === 'number' ? Math.round(v * 1000) : plain(v);
    }
  }
  return { rows, metadata: table.schema.metadata };
}

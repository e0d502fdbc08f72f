import { Field, Schema } from 'apache-arrow';
import { ELEM_COLUMNS, ELEM_SCHEMA_VERSION, ELEM_SCHEMA_VERSION_KEY } from './elem-columns.js';

let cached: Schema | undefined;

/**
 * The Arrow schema of an elem row, built from {@link ELEM_COLUMNS}. The same instance every call
 * (its dictionary types carry the ids that record batches must use). Metadata: the schema version
 * under `bgpstream.elem_schema_version`.
 */
export function elemArrowSchema(): Schema {
  if (!cached) {
    const fields = ELEM_COLUMNS.map((c) => new Field(c.name, c.type, c.nullable));
    cached = new Schema(fields, new Map([[ELEM_SCHEMA_VERSION_KEY, String(ELEM_SCHEMA_VERSION)]]));
  }
  return cached;
}

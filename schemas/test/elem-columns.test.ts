import { DataType } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import {
  arrowTypeName,
  duckdbTypeName,
  ELEM_COLUMN_NAMES,
  ELEM_COLUMNS,
  ELEM_SCHEMA_VERSION,
  ELEM_SCHEMA_VERSION_KEY,
  elemArrowSchema,
  elemColumn,
  parquetTypeName,
  usesParquetDictionary,
} from '../src/index.js';

describe('elem columns', () => {
  it('have unique snake_case names, a description and an example each', () => {
    expect(new Set(ELEM_COLUMN_NAMES).size).toBe(ELEM_COLUMNS.length);
    for (const c of ELEM_COLUMNS) {
      expect(c.name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(c.description.length, c.name).toBeGreaterThan(10);
      expect(c.example.length, c.name).toBeGreaterThan(0);
      // Every type has a name in each of the three worlds.
      expect(arrowTypeName(c.type)).not.toBe('');
      expect(parquetTypeName(c.type)).not.toBe('');
      expect(duckdbTypeName(c.type)).not.toBe('');
    }
  });

  it('include every column the issue asks for, with the types it asks for', () => {
    const want: Record<string, string> = {
      project: 'VARCHAR',
      collector: 'VARCHAR',
      router: 'VARCHAR',
      router_ip: 'VARCHAR',
      record_type: 'VARCHAR',
      dump_time: 'TIMESTAMP WITH TIME ZONE',
      record_time: 'TIMESTAMP WITH TIME ZONE',
      status: 'VARCHAR',
      dump_position: 'VARCHAR',
      elem_type: 'VARCHAR',
      peer_asn: 'UINTEGER',
      peer_address: 'VARCHAR',
      prefix: 'VARCHAR',
      prefix_family: 'UTINYINT',
      prefix_length: 'UTINYINT',
      prefix_network: 'BLOB',
      next_hop: 'VARCHAR',
      as_path: 'VARCHAR',
      as_path_asns: 'UINTEGER[]',
      origin_asns: 'UINTEGER[]',
      communities: 'STRUCT("asn" USMALLINT, "value" USMALLINT)[]',
      large_communities: 'STRUCT("global" UINTEGER, "local1" UINTEGER, "local2" UINTEGER)[]',
      extended_communities: 'BLOB[]',
      origin: 'VARCHAR',
      med: 'UINTEGER',
      local_pref: 'UINTEGER',
      atomic_aggregate: 'BOOLEAN',
      aggregator_asn: 'UINTEGER',
      aggregator_address: 'VARCHAR',
      only_to_customer: 'UINTEGER',
      path_id: 'UINTEGER',
      old_state: 'VARCHAR',
      new_state: 'VARCHAR',
    };
    for (const [name, type] of Object.entries(want))
      expect(duckdbTypeName(elemColumn(name).type), name).toBe(type);
    expect(() => elemColumn('nope')).toThrow(/unknown elem column/);
  });

  it('dictionary-encode the repeating columns', () => {
    const dict = ELEM_COLUMNS.filter((c) => DataType.isDictionary(c.type)).map((c) => c.name);
    expect(dict).toEqual([
      'project',
      'collector',
      'router',
      'record_type',
      'status',
      'dump_position',
      'elem_type',
      'origin',
      'old_state',
      'new_state',
    ]);
    const pages = ELEM_COLUMNS.filter(usesParquetDictionary).map((c) => c.name);
    expect(pages).toEqual([
      ...dict.slice(0, 7),
      'peer_address',
      'next_hop',
      'as_path',
      'origin',
      'old_state',
      'new_state',
    ]);
  });

  it('give one Arrow schema with unique dictionary ids and the version in its metadata', () => {
    const schema = elemArrowSchema();
    expect(elemArrowSchema()).toBe(schema);
    expect(schema.fields.map((f) => f.name)).toEqual(ELEM_COLUMN_NAMES);
    expect(schema.fields.map((f) => f.nullable)).toEqual(ELEM_COLUMNS.map((c) => c.nullable));
    const ids = schema.fields.filter((f) => DataType.isDictionary(f.type)).map((f) => f.type.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(schema.metadata.get(ELEM_SCHEMA_VERSION_KEY)).toBe(String(ELEM_SCHEMA_VERSION));
  });

  it('name types as Arrow, Parquet and DuckDB do', () => {
    const c = elemColumn('large_communities');
    expect(arrowTypeName(c.type)).toBe('list<item: struct<global: uint32, local1: uint32, local2: uint32>>');
    expect(parquetTypeName(elemColumn('record_time').type)).toBe('INT64 (TIMESTAMP(MICROS, UTC-adjusted))');
    expect(parquetTypeName(elemColumn('peer_asn').type)).toBe('INT32 (INT(32, unsigned))');
    expect(arrowTypeName(elemColumn('project').type)).toBe('dictionary<values=string, indices=int32>');
  });
});

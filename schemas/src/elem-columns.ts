import {
  Bool,
  DataType,
  Dictionary,
  Field,
  FixedSizeBinary,
  Int32,
  List,
  Struct,
  TimestampMicrosecond,
  Uint8,
  Uint16,
  Uint32,
  Utf8,
} from 'apache-arrow';

/**
 * Version of the elem row layout below. Bump it when a column is added, removed, renamed or changes
 * type or meaning; readers find it in the Arrow schema metadata and in every Parquet file's
 * key-value metadata under {@link ELEM_SCHEMA_VERSION_KEY}.
 */
export const ELEM_SCHEMA_VERSION = 1;
export const ELEM_SCHEMA_VERSION_KEY = 'bgpstream.elem_schema_version';

/** Where a column's value comes from: the MRT record (shared by all its elems) or the elem itself. */
export type ColumnLevel = 'record' | 'elem';

/** One column of an elem row: the single source of the Arrow schema, the Parquet layout and the docs. */
export interface ElemColumn {
  readonly name: string;
  readonly level: ColumnLevel;
  /** The Arrow type; the Parquet and DuckDB types are derived from it (see `type-names.ts`). */
  readonly type: DataType;
  readonly nullable: boolean;
  /** What the value means, and when it is null. Markdown. */
  readonly description: string;
  /** A value as DuckDB prints it. */
  readonly example: string;
  /**
   * Dictionary-encode the column's Parquet pages. Default: only Arrow dictionary columns. Measured on
   * 131k update rows: dictionary pages for every column made files 10% larger and encoding 60%
   * slower than for these low-cardinality columns only (ZSTD does the rest).
   */
  readonly parquetDictionary?: boolean;
}

// Dictionary ids must be unique within a schema; one per dictionary column, in column order.
let nextDictionaryId = 0;
const dict = () => new Dictionary(new Utf8(), new Int32(), nextDictionaryId++);
const listOf = (type: DataType) => new List(new Field('item', type, false));
const u32 = () => new Uint32();

/** Values of the dictionary columns that come from a fixed set. */
export const ELEM_TYPES = ['R', 'A', 'W', 'S'] as const;
export const RECORD_TYPES = ['rib', 'update'] as const;
export const ORIGINS = ['IGP', 'EGP', 'INCOMPLETE'] as const;

/** The 4-byte prefix of an IPv4 network in `prefix_network`: `::ffff:0:0/96` (RFC 4291 IPv4-mapped). */
export const IPV4_MAPPED_PREFIX: readonly number[] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/**
 * The elem row, in column order. One row per elem (R, A, W, S); records without elems (corrupted,
 * empty, filtered) give no row. Columns that come from path attributes are null on W and S rows
 * (no attributes), and lists are empty, not null, on R and A rows that lack the attribute.
 */
export const ELEM_COLUMNS: readonly ElemColumn[] = [
  // ---- record ----
  {
    name: 'project',
    level: 'record',
    type: dict(),
    nullable: false,
    description:
      'Project that published the dump (`routeviews`, `ris`, ...), as the data interface named it.',
    example: 'ris',
  },
  {
    name: 'collector',
    level: 'record',
    type: dict(),
    nullable: false,
    description: 'Collector name, as the data interface named it.',
    example: 'rrc06',
  },
  {
    name: 'router',
    level: 'record',
    type: dict(),
    nullable: true,
    description:
      'Router name for BMP and RIS Live sources; null for MRT dumps (BGPStream prints an empty field).',
    example: 'null',
  },
  {
    name: 'router_ip',
    level: 'record',
    type: new Utf8(),
    nullable: true,
    description: 'Router address (text) for BMP sources; null for MRT dumps.',
    example: 'null',
  },
  {
    name: 'record_type',
    level: 'record',
    type: dict(),
    nullable: false,
    description: 'Dump type: `rib` (TABLE_DUMP, TABLE_DUMP_V2) or `update` (BGP4MP, BGP4MP_ET, ...).',
    example: 'update',
  },
  {
    name: 'dump_time',
    level: 'record',
    type: new TimestampMicrosecond('UTC'),
    nullable: false,
    description:
      "The dump's nominal time (the start of the file's interval, BGPStream's `dump_time`), whole seconds. The lake's `date=` partition is its UTC day. Microsecond unit like the other times: Parquet has no second-unit timestamp, and DuckDB reads this as `TIMESTAMP WITH TIME ZONE`.",
    example: '2015-04-01 00:00:00+00',
  },
  {
    name: 'record_time',
    level: 'record',
    type: new TimestampMicrosecond('UTC'),
    nullable: false,
    description:
      'MRT record time; microseconds are set only by BGP4MP_ET records, zero otherwise. Every elem of a record has this time.',
    example: '2015-04-01 00:00:03.123456+00',
  },
  {
    name: 'status',
    level: 'record',
    type: dict(),
    nullable: false,
    description:
      'BGPStream record status. Rows exist only for elems, and only `valid` records hold elems, so this is `valid` in practice.',
    example: 'valid',
  },
  {
    name: 'dump_position',
    level: 'record',
    type: dict(),
    nullable: false,
    description: 'Position of the record in its dump: `start`, `middle` or `end`.',
    example: 'middle',
  },
  // ---- elem ----
  {
    name: 'elem_type',
    level: 'elem',
    type: dict(),
    nullable: false,
    description: '`R` RIB entry, `A` announcement, `W` withdrawal, `S` peer state change.',
    example: 'A',
  },
  {
    name: 'peer_asn',
    level: 'elem',
    type: u32(),
    nullable: false,
    description: 'ASN of the peer that sent the route (unsigned: 4-byte ASNs up to 4294967295 are exact).',
    example: '4200000002',
  },
  {
    name: 'peer_address',
    level: 'elem',
    type: new Utf8(),
    nullable: true,
    parquetDictionary: true,
    description:
      'Peer address as `inet_ntop` prints it. Null only for old Quagga state changes that carry no address.',
    example: '2001:7f8:4::3356:1',
  },
  {
    name: 'prefix',
    level: 'elem',
    type: new Utf8(),
    nullable: true,
    description: 'Prefix as text, host bits cleared (`address/length`). Null on S rows.',
    example: '2a02:2e0::/32',
  },
  {
    name: 'prefix_family',
    level: 'elem',
    type: new Uint8(),
    nullable: true,
    description: 'Address family of `prefix`: 4 or 6. Null on S rows.',
    example: '6',
  },
  {
    name: 'prefix_length',
    level: 'elem',
    type: new Uint8(),
    nullable: true,
    description: 'Mask length of `prefix` (0-32 for IPv4, 0-128 for IPv6). Null on S rows.',
    example: '32',
  },
  {
    name: 'prefix_network',
    level: 'elem',
    type: new FixedSizeBinary(16),
    nullable: true,
    description:
      'Network address of `prefix` as 16 big-endian bytes, host bits zero. IPv6 as is; IPv4 in the IPv4-mapped form `::ffff:a.b.c.d` (10 zero bytes, `ff ff`, then the 4 IPv4 bytes). ' +
      'Byte order equals address order, so "inside prefix P/len" is a range test: ' +
      '`prefix_family = f AND prefix_network BETWEEN net(P) AND net(P) with the host bits set AND prefix_length >= len` (see "Prefix queries"). Null on S rows.',
    example: "'\\x2A\\x02\\x02\\xE0\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00'",
  },
  {
    name: 'next_hop',
    level: 'elem',
    type: new Utf8(),
    nullable: true,
    parquetDictionary: true,
    description:
      'NEXT_HOP for IPv4 NLRI, the MP_REACH_NLRI next hop (global address) otherwise. Null on W and S rows, and on R/A rows without one.',
    example: '2001:7f8:4::3356:1',
  },
  {
    name: 'as_path',
    level: 'elem',
    type: new Utf8(),
    nullable: true,
    parquetDictionary: true,
    description:
      'AS path in BGPStream text: sequences as space-separated ASNs, `{a,b}` AS_SET, `(a b)` AS_CONFED_SEQUENCE, `[a,b]` AS_CONFED_SET. AS_PATH and AS4_PATH are merged as RFC 6793 says. Empty string for an empty path (iBGP); null on W and S rows.',
    example: '3356 1299 {64512,64513}',
  },
  {
    name: 'as_path_asns',
    level: 'elem',
    type: listOf(u32()),
    nullable: true,
    description:
      'Every ASN of the AS path, in path order, segments flattened (sets included): `list_contains(as_path_asns, 1299)` finds paths through AS1299. Null on W and S rows.',
    example: '[3356, 1299, 64512, 64513]',
  },
  {
    name: 'as_path_segment_types',
    level: 'elem',
    type: listOf(new Uint8()),
    nullable: true,
    description:
      'Parallel to `as_path_asns`: the segment type each ASN sits in, 1 AS_SET, 2 AS_SEQUENCE, 3 AS_CONFED_SEQUENCE, 4 AS_CONFED_SET. Keeps sets and confederation segments distinguishable (`list_contains(as_path_segment_types, 1)`: the path has an AS_SET). Boundaries between two adjacent segments of the same type are in `as_path`. Null on W and S rows.',
    example: '[2, 2, 1, 1]',
  },
  {
    name: 'origin_asns',
    level: 'elem',
    type: listOf(u32()),
    nullable: true,
    description:
      "BGPStream's origin: the last AS path segment, as a list: one ASN when the path ends in a sequence, every ASN of a final AS_SET/confed segment. Empty for an empty path; null on W and S rows.",
    example: '[64512, 64513]',
  },
  {
    name: 'communities',
    level: 'elem',
    type: listOf(
      new Struct([new Field('asn', new Uint16(), false), new Field('value', new Uint16(), false)]),
    ),
    nullable: true,
    description: 'COMMUNITIES (RFC 1997) in wire order, duplicates kept: `asn:value`. Null on W and S rows.',
    example: "[{'asn': 3356, 'value': 2}]",
  },
  {
    name: 'large_communities',
    level: 'elem',
    type: listOf(
      new Struct([
        new Field('global', u32(), false),
        new Field('local1', u32(), false),
        new Field('local2', u32(), false),
      ]),
    ),
    nullable: true,
    description: 'LARGE_COMMUNITY (RFC 8092) in wire order: `global:local1:local2`. Null on W and S rows.',
    example: "[{'global': 4200000002, 'local1': 1, 'local2': 2}]",
  },
  {
    name: 'extended_communities',
    level: 'elem',
    type: listOf(new FixedSizeBinary(8)),
    nullable: true,
    description:
      'EXTENDED_COMMUNITIES (RFC 4360) in wire order, each as its 8 wire bytes (type, subtype, value): lossless for every type, including ones without a standard text form. `hex(x)` prints one. Null on W and S rows.',
    example: "['\\x00\\x02\\x0D\\x1C\\x00\\x00\\x00\\x01']",
  },
  {
    name: 'origin',
    level: 'elem',
    type: dict(),
    nullable: true,
    description: 'ORIGIN attribute: `IGP`, `EGP` or `INCOMPLETE`; null when absent (and on W and S rows).',
    example: 'IGP',
  },
  {
    name: 'med',
    level: 'elem',
    type: u32(),
    nullable: true,
    description: 'MULTI_EXIT_DISC; null when absent.',
    example: '0',
  },
  {
    name: 'local_pref',
    level: 'elem',
    type: u32(),
    nullable: true,
    description: 'LOCAL_PREF; null when absent.',
    example: '100',
  },
  {
    name: 'atomic_aggregate',
    level: 'elem',
    type: new Bool(),
    nullable: true,
    description: 'True when ATOMIC_AGGREGATE is present, false when not; null on W and S rows.',
    example: 'false',
  },
  {
    name: 'aggregator_asn',
    level: 'elem',
    type: u32(),
    nullable: true,
    description: 'AGGREGATOR (or AS4_AGGREGATOR, RFC 6793) ASN; null when absent.',
    example: '65001',
  },
  {
    name: 'aggregator_address',
    level: 'elem',
    type: new Utf8(),
    nullable: true,
    description: 'AGGREGATOR address; null when absent.',
    example: '192.0.2.1',
  },
  {
    name: 'only_to_customer',
    level: 'elem',
    type: u32(),
    nullable: true,
    description: 'ONLY_TO_CUSTOMER (RFC 9234) ASN; null when absent.',
    example: '64500',
  },
  {
    name: 'path_id',
    level: 'elem',
    type: u32(),
    nullable: true,
    description: 'ADD-PATH path identifier (RFC 7911, MRT RFC 8050); null when the source had none.',
    example: '1',
  },
  {
    name: 'orig_time',
    level: 'elem',
    type: new TimestampMicrosecond('UTC'),
    nullable: true,
    description:
      'R rows: when the RIB entry was learned (TABLE_DUMP/TABLE_DUMP_V2 originated time, whole seconds); null on A, W and S rows.',
    example: '2015-03-31 21:14:05+00',
  },
  {
    name: 'old_state',
    level: 'elem',
    type: dict(),
    nullable: true,
    description:
      'S rows: BGP FSM state before the change, as BGPStream names it (`IDLE`, `CONNECT`, `ACTIVE`, `OPENSENT`, `OPENCONFIRM`, `ESTABLISHED`, `CLEARING`, `DELETED`); a code outside 1-8 as its decimal number. Null on other rows.',
    example: 'ESTABLISHED',
  },
  {
    name: 'new_state',
    level: 'elem',
    type: dict(),
    nullable: true,
    description: 'S rows: BGP FSM state after the change, named as in `old_state`. Null on other rows.',
    example: 'IDLE',
  },
];

/** Whether the column's Parquet pages are dictionary-encoded. */
export function usesParquetDictionary(column: ElemColumn): boolean {
  return column.parquetDictionary ?? DataType.isDictionary(column.type);
}

/** The names of {@link ELEM_COLUMNS}, in order. */
export const ELEM_COLUMN_NAMES: readonly string[] = ELEM_COLUMNS.map((c) => c.name);

/** Looks a column up by name; throws for an unknown one. */
export function elemColumn(name: string): ElemColumn {
  const col = ELEM_COLUMNS.find((c) => c.name === name);
  if (!col) throw new Error(`unknown elem column '${name}'`);
  return col;
}

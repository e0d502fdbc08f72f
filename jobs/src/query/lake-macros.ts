/**
 * The SQL macros a lake connection defines: prefix and address tests on the elem schema's address
 * columns (`prefix_family`, `prefix_network`, `prefix_length`), time-window helpers and the routing
 * table at a time. DuckDB built-ins only (no extension): a network is the schema's 16-byte
 * big-endian BLOB (IPv4 as `::ffff:a.b.c.d`), compared as a 128-bit unsigned integer
 * (`BLOB -> BIT -> UHUGEINT`, exact, ~0.3 µs a row) after a shift that keeps only the bits that
 * matter.
 *
 * Macro arguments are substituted as text, so a macro that uses an argument many times makes that
 * expression many times; `ip_network` therefore runs its stages as levels of one scalar subquery
 * (each stage once, and once per query when the argument is a constant or a bound parameter), and
 * its helpers never hold a subquery themselves (nested, they would be copied into each use).
 */

export interface LakeMacro {
  /** How it is called, as the README and `-h` show it. */
  readonly signature: string;
  readonly description: string;
  /** Internal helpers are defined but not advertised. */
  readonly internal?: boolean;
  readonly sql: string;
}

const MAPPED_LOW = "'\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\xFF\\xFF\\x00\\x00\\x00\\x00'::BLOB";
const MAPPED_HIGH =
  "'\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\xFF\\xFF\\xFF\\xFF\\xFF\\xFF'::BLOB";
const OCTET = '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';

export const LAKE_MACROS: readonly LakeMacro[] = [
  // ---------------------------------------------------------------- text parsing (internal)
  {
    signature: 'ipv4_text_ok(text)',
    description: 'Dotted-quad IPv4 text (no leading zeros).',
    internal: true,
    sql: `CREATE OR REPLACE MACRO ipv4_text_ok(s) AS regexp_full_match(s, '${OCTET}(\\.${OCTET}){3}')`,
  },
  {
    signature: 'ipv4_text_hex(text)',
    description: 'The 8 hex digits of valid IPv4 text.',
    internal: true,
    sql: `CREATE OR REPLACE MACRO ipv4_text_hex(s) AS
  printf('%02x%02x%02x%02x', split_part(s, '.', 1)::INTEGER, split_part(s, '.', 2)::INTEGER,
         split_part(s, '.', 3)::INTEGER, split_part(s, '.', 4)::INTEGER)`,
  },
  {
    signature: 'ipv6_text_groups(text)',
    description: 'Number of colon-separated groups in a part of IPv6 text (0 for empty).',
    internal: true,
    sql: `CREATE OR REPLACE MACRO ipv6_text_groups(s) AS
  CASE WHEN s = '' THEN 0 ELSE length(s) - length(replace(s, ':', '')) + 1 END`,
  },
  {
    signature: 'ipv6_text_hex(text)',
    description:
      'The 32 hex digits of 8 expanded IPv6 groups; NULL unless exactly 8 groups of 1-4 hex digits.',
    internal: true,
    sql: `CREATE OR REPLACE MACRO ipv6_text_hex(x) AS
  CASE WHEN regexp_full_match(x, '([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}') THEN
    lpad(split_part(x, ':', 1), 4, '0') || lpad(split_part(x, ':', 2), 4, '0') ||
    lpad(split_part(x, ':', 3), 4, '0') || lpad(split_part(x, ':', 4), 4, '0') ||
    lpad(split_part(x, ':', 5), 4, '0') || lpad(split_part(x, ':', 6), 4, '0') ||
    lpad(split_part(x, ':', 7), 4, '0') || lpad(split_part(x, ':', 8), 4, '0')
  END`,
  },
  // ---------------------------------------------------------------- addresses and prefixes
  {
    signature: 'ip_network(text) -> BLOB',
    description:
      "An address as the schema's 16-byte `prefix_network` encoding: IPv6 as is, IPv4 as `::ffff:a.b.c.d`. NULL for text that is not an address (`ip_network('203.0.113.7')`).",
    // One subquery level per stage, so that each stage is computed once: the IPv4 tail of IPv6 text
    // (`::ffff:1.2.3.4`) rewritten as two hex groups, `::` expanded to zero groups, 8 groups padded.
    sql: `CREATE OR REPLACE MACRO ip_network(ip) AS (
  SELECT CASE WHEN v4 THEN from_hex('00000000000000000000ffff' || ipv4_text_hex(t))
              WHEN hex6 IS NOT NULL THEN from_hex(hex6) END
  FROM (SELECT t, v4, ipv6_text_hex(expanded) AS hex6
  FROM (SELECT t, v4,
               CASE WHEN strpos(plain, '::') = 0 THEN plain
                    WHEN strpos(substr(plain, strpos(plain, '::') + 1), '::') > 0 THEN NULL
                    WHEN ipv6_text_groups(head) + ipv6_text_groups(tail) > 7 THEN NULL
                    ELSE concat_ws(':', nullif(head, ''),
                                   substr(repeat(':0', 8 - ipv6_text_groups(head) - ipv6_text_groups(tail)), 2),
                                   nullif(tail, ''))
               END AS expanded
  FROM (SELECT t, v4, plain, split_part(plain, '::', 1) AS head, split_part(plain, '::', 2) AS tail
  FROM (SELECT t, v4,
               CASE WHEN v4 OR strpos(t, ':') = 0 THEN NULL
                    WHEN strpos(t, '.') = 0 THEN lower(t)
                    WHEN ipv4_text_ok(tail4) THEN lower(left(t, length(t) - length(tail4))) ||
                      printf('%x:%x', split_part(tail4, '.', 1)::INTEGER * 256 + split_part(tail4, '.', 2)::INTEGER,
                                      split_part(tail4, '.', 3)::INTEGER * 256 + split_part(tail4, '.', 4)::INTEGER)
               END AS plain
  FROM (SELECT t, v4, regexp_extract(t, '[^:]*$') AS tail4
  FROM (SELECT ip AS t, ipv4_text_ok(ip) AS v4)))))))`,
  },
  {
    signature: 'ip_family(text) -> 4 | 6 | NULL',
    description:
      'The family of address text: 4 for dotted IPv4, 6 for IPv6 text (`::ffff:1.2.3.4` is 6), NULL when not an address.',
    sql: `CREATE OR REPLACE MACRO ip_family(ip) AS
  CASE WHEN ipv4_text_ok(ip) THEN 4 WHEN ip_network(ip) IS NOT NULL THEN 6 END`,
  },
  {
    signature: 'net_u128(network) -> UHUGEINT',
    description: 'A 16-byte network as an unsigned 128-bit integer (big-endian: address order).',
    sql: 'CREATE OR REPLACE MACRO net_u128(n) AS n::BIT::UHUGEINT',
  },
  {
    signature: 'network_bits_equal(net_a, net_b, bits) -> BOOLEAN',
    description:
      'Whether the first `bits` (0-128) bits of two 16-byte networks are equal; NULL for `bits` outside 0-128.',
    sql: `CREATE OR REPLACE MACRO network_bits_equal(a, b, nbits) AS
  CASE WHEN nbits BETWEEN 0 AND 128 THEN (xor(net_u128(a), net_u128(b)) >> (128 - nbits)::UTINYINT) = 0 END`,
  },
  {
    signature: 'is_ipv4_network(network) -> BOOLEAN',
    description: 'Whether a 16-byte network is in `::ffff:0:0/96`, the IPv4 encoding.',
    sql: `CREATE OR REPLACE MACRO is_ipv4_network(n) AS n BETWEEN ${MAPPED_LOW} AND ${MAPPED_HIGH}`,
  },
  {
    signature: 'network_bits(family, prefix_length) -> INTEGER',
    description:
      'The number of leading bits of the 16-byte network a prefix fixes: `prefix_length + 96` for IPv4, `prefix_length` for IPv6; NULL for an IPv4 length above 32.',
    sql: `CREATE OR REPLACE MACRO network_bits(family, len) AS
  CASE WHEN family = 4 AND len <= 32 THEN len + 96 WHEN family = 6 THEN len END`,
  },
  {
    signature: 'covers(net_a, len_a, net_b, len_b) | covers(family_a, net_a, len_a, family_b, net_b, len_b)',
    description:
      'Prefix A covers prefix B: same family, `len_a <= len_b` and the first `len_a` bits equal (a prefix covers itself). The 4-argument form takes the family from the network (in `::ffff:0:0/96` = IPv4); the 6-argument form is exact also for IPv6 prefixes inside `::ffff:0:0/96`.',
    sql: `CREATE OR REPLACE MACRO covers(net_a, len_a, net_b, len_b) AS
    is_ipv4_network(net_a) = is_ipv4_network(net_b) AND len_a <= len_b
    AND network_bits_equal(net_a, net_b, network_bits(CASE WHEN is_ipv4_network(net_a) THEN 4 ELSE 6 END, len_a)),
  (family_a, net_a, len_a, family_b, net_b, len_b) AS
    family_a = family_b AND len_a <= len_b AND network_bits_equal(net_a, net_b, network_bits(family_a, len_a))`,
  },
  {
    signature:
      'covered_by(net_a, len_a, net_b, len_b) | covered_by(family_a, net_a, len_a, family_b, net_b, len_b)',
    description: 'Prefix A is covered by prefix B (B covers A; equal prefixes included).',
    sql: `CREATE OR REPLACE MACRO covered_by(net_a, len_a, net_b, len_b) AS covers(net_b, len_b, net_a, len_a),
  (family_a, net_a, len_a, family_b, net_b, len_b) AS covers(family_b, net_b, len_b, family_a, net_a, len_a)`,
  },
  {
    signature: 'contains_address(prefix_family, prefix_network, prefix_length, ip_text) -> BOOLEAN',
    description:
      "The prefix contains the address: `contains_address(prefix_family, prefix_network, prefix_length, '203.0.113.7')`. The address's family must match (IPv6 text never matches an IPv4 prefix).",
    sql: `CREATE OR REPLACE MACRO contains_address(prefix_family, prefix_network, prefix_length, ip) AS
  prefix_family = ip_family(ip)
  AND network_bits_equal(prefix_network, ip_network(ip), network_bits(prefix_family, prefix_length))`,
  },
  // ---------------------------------------------------------------- time windows
  {
    signature: 'in_window(t, from_ts, until_ts) -> BOOLEAN',
    description: '`from_ts <= t < until_ts`; a NULL bound is open.',
    sql: `CREATE OR REPLACE MACRO in_window(t, from_ts, until_ts) AS
  (from_ts IS NULL OR t >= from_ts) AND (until_ts IS NULL OR t < until_ts)`,
  },
  {
    signature: 'window_dates(date, from_ts, until_ts) -> BOOLEAN',
    description:
      "Partition pruning for a record-time window: the `date` partitions (a dump's UTC day) from the day before `from_ts` to the day of `until_ts`. Records more than a day after their dump's day are missed (no real dump spans that long).",
    sql: `CREATE OR REPLACE MACRO window_dates(d, from_ts, until_ts) AS
  (from_ts IS NULL OR d >= (from_ts::TIMESTAMPTZ - INTERVAL 1 DAY)::DATE)
  AND (until_ts IS NULL OR d <= until_ts::TIMESTAMPTZ::DATE)`,
  },
  // ---------------------------------------------------------------- the routing table at a time
  {
    signature: 'routes_at(at, lookback [, address := ip_text]) -> TABLE',
    description:
      "The routes held at time `at` (TIMESTAMPTZ), one elem row (R or A) per (project, collector, peer_asn, peer_address, prefix, path_id). Per collector: the latest RIB dump with `at - lookback <= dump_time <= at` (an INTERVAL), then the updates from its dump time to `at` replayed in order (A installs, W removes; a session leaving ESTABLISHED removes the peer's routes learned before). Without such a RIB the replay starts at `at - lookback` (updates only: routes not announced since are unknown). With `address := 'ip text'`, only routes whose prefix contains the address.",
    sql: `CREATE OR REPLACE MACRO routes_at(at_time, lookback, address := NULL) AS TABLE
WITH scope AS (
  SELECT * FROM elems
  WHERE date BETWEEN (at_time::TIMESTAMPTZ - lookback::INTERVAL - INTERVAL 1 DAY)::DATE AND at_time::TIMESTAMPTZ::DATE
    AND dump_time <= at_time::TIMESTAMPTZ
    AND (address IS NULL OR elem_type = 'S'
         OR contains_address(prefix_family, prefix_network, prefix_length, address::VARCHAR))
),
ribs AS (
  SELECT project, collector, max(dump_time) AS rib_time
  FROM scope
  WHERE type = 'rib' AND dump_time >= at_time::TIMESTAMPTZ - lookback::INTERVAL
  GROUP BY project, collector
),
events AS (
  SELECT s.*
  FROM scope s LEFT JOIN ribs r ON s.project = r.project AND s.collector = r.collector
  WHERE (s.type = 'rib' AND s.dump_time = r.rib_time AND s.elem_type = 'R')
     OR (s.type = 'update' AND s.elem_type IN ('A', 'W', 'S') AND s.record_time <= at_time
         AND s.record_time >= coalesce(r.rib_time, at_time::TIMESTAMPTZ - lookback::INTERVAL))
),
downs AS (
  SELECT project, collector, peer_asn, peer_address, max((record_time, filename, file_row_number)) AS down_key
  FROM events
  WHERE elem_type = 'S' AND old_state = 'ESTABLISHED' AND new_state IS DISTINCT FROM 'ESTABLISHED'
  GROUP BY project, collector, peer_asn, peer_address
),
latest AS (
  SELECT * FROM events
  WHERE elem_type <> 'S'
  QUALIFY row_number() OVER (
    PARTITION BY project, collector, peer_asn, peer_address, prefix, path_id
    ORDER BY record_time DESC, filename DESC, file_row_number DESC) = 1
)
SELECT l.* FROM latest l
LEFT JOIN downs d
  ON l.project = d.project AND l.collector = d.collector AND l.peer_asn = d.peer_asn
 AND l.peer_address IS NOT DISTINCT FROM d.peer_address
WHERE l.elem_type IN ('R', 'A')
  AND (d.down_key IS NULL OR (l.record_time, l.filename, l.file_row_number) > d.down_key)`,
  },
];

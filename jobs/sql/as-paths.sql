-- @job as-paths
-- @summary AS path statistics: length distribution, most frequent transit ASes, prepending.
-- @description
--   Over the announcements (A) and RIB entries (R) with record time in [from, until); each elem
--   counts once (a route in a RIB dump and its re-announcements all count).
--   report=lengths: the distribution of the path length as announced (`len(as_path_asns)`:
--   prepended copies and AS_SET members count).
--   report=transit: ASes that appear in paths other than as the first AS (the peer side) or an
--   origin (`origin_asns`), each counted once per path; the `top` most frequent.
--   report=prepending: per AS, the paths where it appears two or more times in a row inside
--   AS_SEQUENCE segments. In one path, its copies are 1 + the positions that repeat it (`65001
--   65001 65001` is 3); `max_copies` is the most in one path. The `top` ASes by paths.
-- @param report choice(lengths|transit|prepending) = lengths Which statistic.
-- @param from timestamp? Window start, inclusive (default: no start).
-- @param until timestamp? Window end, exclusive (default: no end).
-- @param project text? Only this project.
-- @param collector text? Only this collector.
-- @param top integer(1..1000000) = 20 transit and prepending: how many ASes.
-- @output
--   lengths: path_length, elems, share (of all elems), prefixes (distinct).
--   transit: asn, elems (paths through it), prefixes, origins (distinct origin ASNs), peers.
--   prepending: asn, elems (paths with a run of it), prefixes, max_copies, extra_copies (copies
--   beyond the first, summed over paths), as_origin (paths where it is also the origin).
-- @example --param report=transit --param top=10
-- @example --param report=prepending
WITH paths AS (
  SELECT row_number() OVER () AS path_row, project, collector, peer_asn, peer_address, prefix,
         as_path_asns AS asns, as_path_segment_types AS segs, origin_asns
  FROM elems
  WHERE window_dates(date, $from, $until) AND in_window(record_time, $from, $until)
    AND elem_type IN ('A', 'R') AND as_path_asns IS NOT NULL
    AND ($project IS NULL OR project = $project)
    AND ($collector IS NULL OR collector = $collector)
)
-- @when report=lengths
SELECT len(asns) AS path_length,
       count(*) AS elems,
       round(count(*) / sum(count(*)) OVER (), 6) AS share,
       count(DISTINCT prefix) AS prefixes
FROM paths
GROUP BY path_length
ORDER BY path_length;
-- @when report=transit
, transit AS (
  SELECT p.*, unnest(list_distinct(list_filter(asns[2:], lambda a: a <> asns[1] AND NOT list_contains(origin_asns, a)))) AS asn
  FROM paths p
)
SELECT asn,
       count(*) AS elems,
       count(DISTINCT prefix) AS prefixes,
       count(DISTINCT origin_asns) AS origins,
       count(DISTINCT (project, collector, peer_asn, peer_address)) AS peers
FROM transit
GROUP BY asn
ORDER BY elems DESC, asn
LIMIT $top;
-- @when report=prepending
, repeats AS (
  -- one row per position i whose ASN repeats the one before it, both in AS_SEQUENCE segments
  SELECT p.*, unnest(list_filter(range(2, len(asns) + 1),
                                 lambda i: asns[i] = asns[i - 1] AND segs[i] = 2 AND segs[i - 1] = 2)) AS i
  FROM paths p
),
runs AS (
  -- per path and ASN: how many of its positions repeat the ASN before them
  SELECT path_row, any_value(prefix) AS prefix, asns[i] AS asn, count(*) AS extra,
         list_contains(any_value(origin_asns), asns[i]) AS is_origin
  FROM repeats
  GROUP BY path_row, asns[i]
)
SELECT asn,
       count(*) AS elems,
       count(DISTINCT prefix) AS prefixes,
       max(extra) + 1 AS max_copies,
       sum(extra)::BIGINT AS extra_copies,
       count(*) FILTER (WHERE is_origin) AS as_origin
FROM runs
GROUP BY asn
ORDER BY elems DESC, asn
LIMIT $top;

-- @job moas
-- @summary Prefixes announced with more than one origin AS in a time window (MOAS conflicts).
-- @description
--   Every announcement (A) and RIB entry (R) whose record time is in [from, until) and whose AS path
--   ends in one origin AS counts; paths that end in an AS_SET name an aggregate rather than one
--   origin and are left out. A prefix is listed when its elems name at least `min_origins` distinct
--   origins over the whole window (they need not be announced at the same moment: use `routes_at`
--   for simultaneous conflicts).
-- @param from timestamp? Window start, inclusive (default: no start).
-- @param until timestamp? Window end, exclusive (default: no end).
-- @param project text? Only this project.
-- @param collector text? Only this collector.
-- @param min_origins integer(2..) = 2 Least number of distinct origin ASes.
-- @output
--   prefix; n_origins; origins (sorted); elems (A and R rows counted); peers (distinct
--   project, collector, peer ASN and address); first_seen, last_seen; by_origin: per origin
--   {origin, elems, peers, first_seen, last_seen}. Ordered by n_origins (descending), then address.
-- @example --param from='2026-01-01 00:08:00' --param until='2026-01-01 00:10:00'
WITH announced AS (
  SELECT prefix, prefix_family, prefix_network, prefix_length, origin_asns[1] AS origin, record_time,
         project, collector, peer_asn, peer_address
  FROM elems
  WHERE window_dates(date, $from, $until) AND in_window(record_time, $from, $until)
    AND ($project IS NULL OR project = $project)
    AND ($collector IS NULL OR collector = $collector)
    AND elem_type IN ('A', 'R') AND len(origin_asns) = 1
),
-- the conflicts first (cheap), then the details of those prefixes only
conflicts AS (
  SELECT prefix FROM announced GROUP BY prefix HAVING count(DISTINCT origin) >= $min_origins
),
moas AS (
  SELECT * FROM announced SEMI JOIN conflicts USING (prefix)
),
per_origin AS (
  SELECT prefix, prefix_family, prefix_network, prefix_length, origin,
         count(*) AS elems, count(DISTINCT (project, collector, peer_asn, peer_address)) AS peers,
         min(record_time) AS first_seen, max(record_time) AS last_seen
  FROM moas
  GROUP BY ALL
),
per_prefix AS (
  SELECT prefix, count(DISTINCT (project, collector, peer_asn, peer_address)) AS peers
  FROM moas
  GROUP BY prefix
)
SELECT o.prefix,
       count(*) AS n_origins,
       list(o.origin ORDER BY o.origin) AS origins,
       sum(o.elems)::BIGINT AS elems,
       any_value(p.peers) AS peers,
       min(o.first_seen) AS first_seen,
       max(o.last_seen) AS last_seen,
       list({'origin': o.origin, 'elems': o.elems, 'peers': o.peers, 'first_seen': o.first_seen, 'last_seen': o.last_seen}
            ORDER BY o.origin) AS by_origin
FROM per_origin o JOIN per_prefix p USING (prefix)
GROUP BY o.prefix, o.prefix_family, o.prefix_network, o.prefix_length
ORDER BY n_origins DESC, o.prefix_family, o.prefix_network, o.prefix_length;

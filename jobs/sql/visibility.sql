-- @job visibility
-- @summary Per prefix: how many peers and collectors carry it, at a time or in a time window.
-- @description
--   With `at`: the routing table at that time (`routes_at`: per collector the latest RIB dump at
--   most `lookback_hours` before `at`, then the updates up to `at` replayed; without such a RIB,
--   the updates of the last `lookback_hours` only). A peer carries a prefix when it holds a route
--   to it then.
--   Without `at`: the window [from, until) (both optional); a peer carries a prefix when it
--   announced it (A) or had it in a RIB dump (R) in the window, withdrawn later or not.
--   A peer is a BGP session: (project, collector, peer ASN, peer address). ADD-PATH routes of one
--   peer count once.
-- @param at timestamp? Time of the routing table (table mode).
-- @param lookback_hours integer(1..8784) = 24 Table mode: how far before `at` a RIB dump may be.
-- @param from timestamp? Window mode: start, inclusive.
-- @param until timestamp? Window mode: end, exclusive.
-- @param project text? Only this project.
-- @param collector text? Only this collector.
-- @param prefix prefix? Only this prefix (exact match).
-- @param max_peers integer(0..)? Only prefixes carried by at most this many peers (low visibility).
-- @conflicts at from until
-- @output
--   prefix, peers, peer_asns (distinct peer ASes), collectors (distinct project/collector pairs),
--   origins (distinct origin ASNs of the carrying routes, sorted). Ordered by address.
-- @example --param at='2026-01-01 00:05:50'
-- @example --param from='2026-01-01 00:00:00' --param until='2026-01-01 00:15:00' --param max_peers=2
WITH carried AS (
  SELECT project, collector, peer_asn, peer_address, prefix, prefix_family, prefix_network, prefix_length, origin_asns
  FROM routes_at($at, to_hours($lookback_hours))
  WHERE $at IS NOT NULL
  UNION ALL
  SELECT project, collector, peer_asn, peer_address, prefix, prefix_family, prefix_network, prefix_length, origin_asns
  FROM elems
  -- the CASE makes every date NULL in table mode, so no file of this branch is read then
  WHERE window_dates(CASE WHEN $at IS NULL THEN date END, $from, $until)
    AND $at IS NULL AND in_window(record_time, $from, $until)
    AND elem_type IN ('A', 'R')
)
SELECT prefix,
       count(DISTINCT (project, collector, peer_asn, peer_address)) AS peers,
       count(DISTINCT peer_asn) AS peer_asns,
       count(DISTINCT (project, collector)) AS collectors,
       list_sort(list_distinct(flatten(list(origin_asns)))) AS origins
FROM carried
WHERE ($project IS NULL OR project = $project)
  AND ($collector IS NULL OR collector = $collector)
  AND ($prefix IS NULL OR prefix = $prefix)
GROUP BY prefix, prefix_family, prefix_network, prefix_length
HAVING $max_peers IS NULL OR count(DISTINCT (project, collector, peer_asn, peer_address)) <= $max_peers
ORDER BY prefix_family, prefix_network, prefix_length;

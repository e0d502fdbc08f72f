-- @job origin-changes
-- @summary When the origin AS of a prefix changed, from what to what, as each peer saw it.
-- @description
--   Per route (project, collector, peer ASN and address, prefix, ADD-PATH id), the announcements
--   (A) and RIB entries (R) with record time in [from, until) are put in order (record time, then the
--   order the decoder produced them). A change is an elem whose origin (`origin_asns`: one ASN, or
--   the members of a final AS_SET) differs from the previous elem's of the same route. Withdrawals in
--   between do not reset the route: a prefix withdrawn and announced again from another origin is a
--   change. Per peer, not over all peers merged, so that two peers that disagree (a MOAS) do not
--   look like a flapping origin. The first elem of a route in the window has nothing to compare with.
--   report=events: one row per change; report=prefixes: per prefix and (old, new) pair, how many
--   peers saw it and when.
-- @param report choice(events|prefixes) = events Rows per change, or per prefix and origin pair.
-- @param from timestamp? Window start, inclusive (default: no start).
-- @param until timestamp? Window end, exclusive (default: no end).
-- @param project text? Only this project.
-- @param collector text? Only this collector.
-- @param prefix prefix? Only this prefix (exact match).
-- @param peer_asn asn? Only routes from this peer AS.
-- @output
--   events: prefix, changed_at, old_origins, new_origins, previous_at (time of the previous elem),
--   project, collector, peer_asn, peer_address, path_id.
--   prefixes: prefix, old_origins, new_origins, peers, changes, first_change, last_change.
-- @example --param prefix=198.51.100.0/24
-- @example --param report=prefixes --param from='2026-01-01 00:00:00' --param until='2026-01-01 00:15:00'
WITH announced AS (
  SELECT project, collector, peer_asn, peer_address, path_id, prefix, prefix_family, prefix_network,
         prefix_length, origin_asns, record_time, filename, file_row_number
  FROM elems
  WHERE window_dates(date, $from, $until) AND in_window(record_time, $from, $until)
    AND ($project IS NULL OR project = $project)
    AND ($collector IS NULL OR collector = $collector)
    AND ($prefix IS NULL OR prefix = $prefix)
    AND ($peer_asn IS NULL OR peer_asn = $peer_asn)
    AND elem_type IN ('A', 'R')
),
sequenced AS (
  SELECT *,
         lag(origin_asns) OVER route AS previous_origins,
         lag(record_time) OVER route AS previous_at
  FROM announced
  WINDOW route AS (PARTITION BY project, collector, peer_asn, peer_address, prefix, path_id
                   ORDER BY record_time, filename, file_row_number)
),
changes AS (
  SELECT * FROM sequenced
  WHERE previous_origins IS NOT NULL AND previous_origins <> origin_asns
)
-- @when report=events
SELECT prefix, record_time AS changed_at, previous_origins AS old_origins, origin_asns AS new_origins,
       previous_at, project, collector, peer_asn, peer_address, path_id
FROM changes
ORDER BY prefix_family, prefix_network, prefix_length, changed_at, project, collector, peer_asn, peer_address, path_id;
-- @when report=prefixes
SELECT prefix, previous_origins AS old_origins, origin_asns AS new_origins,
       count(DISTINCT (project, collector, peer_asn, peer_address)) AS peers,
       count(*) AS changes,
       min(record_time) AS first_change,
       max(record_time) AS last_change
FROM changes
GROUP BY prefix, prefix_family, prefix_network, prefix_length, previous_origins, origin_asns
ORDER BY prefix_family, prefix_network, prefix_length, first_change;

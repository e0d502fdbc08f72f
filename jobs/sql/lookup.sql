-- @job lookup
-- @summary Everything about the routes to an IP address at a time: every covering prefix, per peer.
-- @description
--   The routing table at `at` (`routes_at`: per collector the latest RIB dump at most
--   `lookback_hours` before `at`, then the updates up to `at` replayed; without such a RIB, the
--   updates of the last `lookback_hours` only), restricted to the prefixes that contain `address`
--   (the most specific first). One row per route held (peer, prefix, ADD-PATH id), with the
--   attributes of the elem that installed it.
-- @param address ip The IPv4 or IPv6 address to look up.
-- @param at timestamp Time of the routing table.
-- @param lookback_hours integer(1..8784) = 24 How far before `at` a RIB dump may be.
-- @param project text? Only this project.
-- @param collector text? Only this collector.
-- @output
--   prefix, prefix_length, project, collector, peer_asn, peer_address, path_id, learned_at (record
--   time of the installing elem), learned_from (R: RIB dump, A: update), origin_asns, as_path,
--   next_hop, origin, med, local_pref, communities, large_communities, extended_communities,
--   atomic_aggregate, aggregator_asn, aggregator_address, only_to_customer, orig_time.
-- @example --param address=203.0.113.77 --param at='2026-01-01 00:09:00'
SELECT prefix, prefix_length, project, collector, peer_asn, peer_address, path_id,
       record_time AS learned_at, elem_type AS learned_from,
       origin_asns, as_path, next_hop, origin, med, local_pref, communities, large_communities,
       extended_communities, atomic_aggregate, aggregator_asn, aggregator_address, only_to_customer, orig_time
FROM routes_at($at, to_hours($lookback_hours), address := $address)
WHERE ($project IS NULL OR project = $project)
  AND ($collector IS NULL OR collector = $collector)
ORDER BY prefix_length DESC, project, collector, peer_asn, peer_address, path_id;

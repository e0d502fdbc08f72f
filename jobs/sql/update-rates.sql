-- @job update-rates
-- @summary Announcements and withdrawals per peer per minute.
-- @description
--   Counts the A and W elems of update dumps per (minute of record time, UTC; project, collector,
--   peer ASN, peer address) in [from, until). `messages` counts distinct record times, which is the
--   number of BGP UPDATE messages for BGP4MP_ET dumps (microsecond times) and a lower bound for
--   dumps with whole-second times. Minutes without updates have no row.
-- @param from timestamp? Window start, inclusive (default: no start).
-- @param until timestamp? Window end, exclusive (default: no end).
-- @param project text? Only this project.
-- @param collector text? Only this collector.
-- @param peer_asn asn? Only this peer AS.
-- @output
--   minute, project, collector, peer_asn, peer_address, announcements, withdrawals, updates
--   (announcements + withdrawals), messages. Ordered by minute, then peer.
-- @example --param from='2026-01-01 00:00:00' --param until='2026-01-01 00:15:00'
-- @chart {"transform": [{"calculate": "datum.peer_asn + ' ' + datum.peer_address", "as": "peer"}],
--   "mark": {"type": "line", "point": true, "interpolate": "linear"},
--   "encoding": {"x": {"field": "minute", "type": "temporal", "scale": {"type": "utc"}, "title": "minute (UTC)"},
--   "y": {"field": "updates", "type": "quantitative", "title": "announcements + withdrawals"},
--   "color": {"field": "peer", "type": "nominal", "title": "peer"}}}
SELECT date_trunc('minute', record_time) AS minute, project, collector, peer_asn, peer_address,
       count(*) FILTER (WHERE elem_type = 'A') AS announcements,
       count(*) FILTER (WHERE elem_type = 'W') AS withdrawals,
       count(*) AS updates,
       count(DISTINCT record_time) AS messages
FROM elems
WHERE window_dates(date, $from, $until) AND in_window(record_time, $from, $until)
  AND type = 'update' AND elem_type IN ('A', 'W')
  AND ($project IS NULL OR project = $project)
  AND ($collector IS NULL OR collector = $collector)
  AND ($peer_asn IS NULL OR peer_asn = $peer_asn)
GROUP BY ALL
ORDER BY minute, project, collector, peer_asn, peer_address;

-- @job peer-sessions
-- @summary BGP session state changes and resets per peer.
-- @description
--   Uses the state-change elems (S) with record time in [from, until). A change is `down` when it
--   leaves ESTABLISHED, `up` when it reaches ESTABLISHED, `transition` otherwise. A reset is a down
--   followed by an up of the same peer (project, collector, peer ASN, peer address) before its next
--   down; a down with no up in the window has no `up_at`.
--   report=resets: one row per down. report=changes: every state change. report=summary: per peer.
-- @param report choice(resets|changes|summary) = resets One row per down, per change, or per peer.
-- @param from timestamp? Window start, inclusive (default: no start).
-- @param until timestamp? Window end, exclusive (default: no end).
-- @param project text? Only this project.
-- @param collector text? Only this collector.
-- @param peer_asn asn? Only this peer AS.
-- @output
--   resets: project, collector, peer_asn, peer_address, down_at, down_to (state after the down),
--   up_at, down_seconds.
--   changes: time, project, collector, peer_asn, peer_address, old_state, new_state, event.
--   summary: project, collector, peer_asn, peer_address, state_changes, downs, ups, resets,
--   down_seconds (sum over resets), first_change, last_change.
-- @example --param peer_asn=65536
-- @example --param report=summary
-- @chart report=resets {"transform": [{"calculate": "datum.peer_asn + ' ' + datum.peer_address", "as": "peer"}],
--   "mark": "bar",
--   "encoding": {"y": {"field": "peer", "type": "nominal"},
--   "x": {"field": "down_at", "type": "temporal", "scale": {"type": "utc"}, "title": "session down (UTC)"},
--   "x2": {"field": "up_at"}}}
-- @chart report=changes {"transform": [{"calculate": "datum.peer_asn + ' ' + datum.peer_address", "as": "peer"}],
--   "mark": {"type": "point", "filled": true},
--   "encoding": {"y": {"field": "peer", "type": "nominal"},
--   "x": {"field": "time", "type": "temporal", "scale": {"type": "utc"}, "title": "time (UTC)"},
--   "color": {"field": "new_state", "type": "nominal", "title": "new state"},
--   "shape": {"field": "event", "type": "nominal"}}}
WITH changes AS (
  SELECT record_time AS time, project, collector, peer_asn, peer_address, old_state, new_state,
         CASE WHEN old_state = 'ESTABLISHED' AND new_state IS DISTINCT FROM 'ESTABLISHED' THEN 'down'
              WHEN new_state = 'ESTABLISHED' AND old_state IS DISTINCT FROM 'ESTABLISHED' THEN 'up'
              ELSE 'transition' END AS event,
         filename, file_row_number
  FROM elems
  WHERE window_dates(date, $from, $until) AND in_window(record_time, $from, $until)
    AND elem_type = 'S'
    AND ($project IS NULL OR project = $project)
    AND ($collector IS NULL OR collector = $collector)
    AND ($peer_asn IS NULL OR peer_asn = $peer_asn)
),
ordered AS (
  SELECT *,
         min(CASE WHEN event = 'up' THEN time END) OVER later AS next_up,
         min(CASE WHEN event = 'down' THEN time END) OVER later AS next_down
  FROM changes
  WINDOW later AS (PARTITION BY project, collector, peer_asn, peer_address
                   ORDER BY time, filename, file_row_number
                   ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)
),
downs AS (
  SELECT project, collector, peer_asn, peer_address, time AS down_at, new_state AS down_to,
         CASE WHEN next_down IS NULL OR next_up <= next_down THEN next_up END AS up_at
  FROM ordered
  WHERE event = 'down'
)
-- @when report=resets
SELECT project, collector, peer_asn, peer_address, down_at, down_to, up_at,
       round(epoch(up_at) - epoch(down_at), 6) AS down_seconds
FROM downs
ORDER BY down_at, project, collector, peer_asn, peer_address;
-- @when report=changes
SELECT time, project, collector, peer_asn, peer_address, old_state, new_state, event
FROM changes
ORDER BY time, filename, file_row_number;
-- @when report=summary
SELECT c.project, c.collector, c.peer_asn, c.peer_address,
       count(*) AS state_changes,
       count(*) FILTER (WHERE c.event = 'down') AS downs,
       count(*) FILTER (WHERE c.event = 'up') AS ups,
       any_value(d.resets) AS resets,
       any_value(d.down_seconds) AS down_seconds,
       min(c.time) AS first_change,
       max(c.time) AS last_change
FROM changes c
LEFT JOIN (
  SELECT project, collector, peer_asn, peer_address, count(up_at) AS resets,
         round(sum(epoch(up_at) - epoch(down_at)), 6) AS down_seconds
  FROM downs GROUP BY ALL
) d ON c.project = d.project AND c.collector = d.collector AND c.peer_asn = d.peer_asn
   AND c.peer_address IS NOT DISTINCT FROM d.peer_address
GROUP BY c.project, c.collector, c.peer_asn, c.peer_address
ORDER BY c.project, c.collector, c.peer_asn, c.peer_address;

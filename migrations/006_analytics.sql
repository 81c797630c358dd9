-- GET /api/analytics reads a time range of the event log (src/analytics/read-analytics.ts):
-- without this, every report scans the whole log however short its range.
CREATE INDEX session_events_by_created_at ON session_events (created_at);

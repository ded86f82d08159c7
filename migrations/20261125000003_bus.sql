-- Recent bus events per package, shown on the overview (newest first).
CREATE TABLE package_events (
    id          bigserial PRIMARY KEY,
    package     text NOT NULL,
    at          timestamptz NOT NULL,
    topic       text NOT NULL,
    agent       text,
    summary     text NOT NULL,
    message_id  text
);
CREATE INDEX package_events_package ON package_events (package, at DESC);

-- Message ids already applied, so a duplicate delivery changes nothing.
-- Pruned by the worker's sweep.
CREATE TABLE bus_seen (
    message_id  text PRIMARY KEY,
    seen_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bus_seen_at ON bus_seen (seen_at);

-- Where the source package is retired: dist-git holds `dead.package` in the
-- branch and its repository no longer ships it. Shown on the page instead of
-- empty tabs; the last data seen stays.
ALTER TABLE packages ADD COLUMN retired_in text[] NOT NULL DEFAULT '{}';

-- The sweep's progress per source package: when it was last refreshed by
-- the sweep (whatever the outcome), and which worker holds it now. Workers
-- claim rows with SKIP LOCKED and a lease, so two workers sweep different
-- packages and a failing one moves to the back instead of blocking the rest.
CREATE TABLE sweep_state (
    source         text PRIMARY KEY,
    last_swept_at  timestamptz,
    claimed_until  timestamptz NOT NULL DEFAULT '-infinity',
    sweeps         bigint NOT NULL DEFAULT 0,
    last_error     text
);
CREATE INDEX sweep_state_due ON sweep_state (last_swept_at ASC NULLS FIRST);

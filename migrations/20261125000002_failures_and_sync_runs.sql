-- Upstream calls that failed during a refresh: the tabs they fed kept their
-- old rows. Read by logs, the metrics page and `sync`'s summary.
CREATE TABLE refresh_failures (
    id       bigserial PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now(),
    package  text NOT NULL,
    service  text NOT NULL,
    call     text NOT NULL,
    reason   text NOT NULL
);
CREATE INDEX refresh_failures_at ON refresh_failures (at);
CREATE INDEX refresh_failures_package ON refresh_failures (package, at);

-- `sync` runs, so a rerun of an interrupted or failed run resumes: it skips
-- packages whose rows were refreshed since the run started.
CREATE TABLE sync_runs (
    id          bigserial PRIMARY KEY,
    -- What the run covers (package list or --all, and tabs), normalised.
    scope       text NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);
CREATE INDEX sync_runs_open ON sync_runs (scope) WHERE finished_at IS NULL;

-- Packages a run has refreshed without failure; a resumed run skips them.
CREATE TABLE sync_run_done (
    run_id   bigint NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
    package  text NOT NULL,
    PRIMARY KEY (run_id, package)
);

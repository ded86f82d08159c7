-- Packages known to the app: source packages and the binary (sub-)packages built from them.
CREATE TABLE packages (
    name         text PRIMARY KEY,
    -- Equal to name for a source package.
    source_name  text NOT NULL,
    summary      text NOT NULL DEFAULT '',
    description  text NOT NULL DEFAULT '',
    upstream_url text,
    license      text,
    -- The refresh version that last wrote this row.
    version      bigint NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX packages_source_name ON packages (source_name);
CREATE INDEX packages_lower_name ON packages (lower(name));

-- Versions order refreshes: one is taken when a refresh starts, so a slow
-- refresh that began earlier can never overwrite one that began later.
CREATE SEQUENCE refresh_version;

-- One row per (package, tab, branch): the tab's ready-to-render payload.
-- branch is '' for tabs that do not differ per release.
CREATE TABLE tab_rows (
    package        text NOT NULL REFERENCES packages (name) ON DELETE CASCADE,
    tab            text NOT NULL CHECK (tab IN ('overview', 'builds', 'updates', 'bugs',
                                                'contents', 'changelog', 'dependencies', 'sources')),
    branch         text NOT NULL DEFAULT '',
    payload        jsonb NOT NULL,
    fetched_at     timestamptz NOT NULL,
    version        bigint NOT NULL,
    -- What upstream state the payload reflects (newest build id, EVR, ...).
    source_version text NOT NULL DEFAULT '',
    PRIMARY KEY (package, tab, branch)
);
CREATE INDEX tab_rows_fetched_at ON tab_rows (tab, fetched_at);

-- Active releases as Bodhi lists them; branch names line mdapi up with Bodhi.
CREATE TABLE releases (
    branch    text PRIMARY KEY,
    name      text NOT NULL,
    long_name text NOT NULL,
    state     text NOT NULL,
    -- Sort key: rawhide first, then by version.
    rank      integer NOT NULL
);

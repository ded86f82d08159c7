-- Repository metadata (createrepo_c `primary` and `filelists`) of each active
-- branch: what "what provides it" and the dependencies tab read. Written only
-- by `refresh::repodata`, one repository per transaction; rebuildable from
-- the mirrors at any time.
--
-- Sized for Fedora Everything (about 75,000 packages and several million
-- paths per branch): paths are split into a shared directory table and a base
-- name, so the big table holds short strings; exact lookups use btrees;
-- trigram indexes exist only for the `contains` mode. No foreign keys on the
-- big tables: the writer deletes a vanished package's rows itself, and
-- per-row key checks would slow a full ingest of millions of rows.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- One row per repository read: its repomd.xml checksum, so an unchanged
-- repository is skipped.
CREATE TABLE repo_state (
    branch text NOT NULL,
    repo text NOT NULL,
    checksum text NOT NULL,
    packages integer NOT NULL,
    read_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (branch, repo)
);

CREATE TABLE repo_packages (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    branch text NOT NULL,
    -- release, updates, updates-testing, or the same prefixed `source-`.
    repo text NOT NULL,
    pkgid text NOT NULL,
    name text NOT NULL,
    arch text NOT NULL,
    epoch integer NOT NULL,
    version text NOT NULL,
    release text NOT NULL,
    -- The source package it was built from (its own name for a source package).
    source text NOT NULL,
    -- The newest build of this name and arch among the branch's repositories:
    -- the one queries show.
    newest boolean NOT NULL DEFAULT false,
    UNIQUE (branch, repo, pkgid)
);
CREATE INDEX repo_packages_name ON repo_packages (name, branch);
CREATE INDEX repo_packages_source ON repo_packages (source, branch);

CREATE TABLE repo_dirs (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    path text NOT NULL UNIQUE
);
CREATE INDEX repo_dirs_trigram ON repo_dirs USING gin (path gin_trgm_ops);

CREATE TABLE repo_files (
    package_id bigint NOT NULL,
    dir_id integer NOT NULL,
    name text NOT NULL,
    is_dir boolean NOT NULL
);
CREATE INDEX repo_files_name ON repo_files (name);
CREATE INDEX repo_files_dir ON repo_files (dir_id, name);
CREATE INDEX repo_files_package ON repo_files (package_id);
CREATE INDEX repo_files_trigram ON repo_files USING gin (name gin_trgm_ops);

-- Provides (kind 0) and requires (kind 1; BuildRequires for a source package).
CREATE TABLE repo_deps (
    package_id bigint NOT NULL,
    kind smallint NOT NULL,
    name text NOT NULL,
    -- `>= 1:0.50.0`, or NULL when unversioned.
    constraint_text text
);
CREATE INDEX repo_deps_name ON repo_deps (name, kind);
CREATE INDEX repo_deps_package ON repo_deps (package_id);

-- Branches a bus message said changed, waiting for the worker to read them.
CREATE TABLE repo_wanted (
    branch text PRIMARY KEY,
    wanted_at timestamptz NOT NULL DEFAULT now()
);

-- Search lives in the packages rows themselves (generated columns), so the
-- refresh that writes a package writes its search data in the same
-- transaction: one writer, no separate index to fall behind.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- `vim-X11`, `vim_x11` and `Vim X11` all match: lower case, with - _ . and
-- spaces folded to one space.
CREATE FUNCTION fold_name(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT trim(regexp_replace(lower($1), '[-_. ]+', ' ', 'g')) $$;

-- The newest version, shown in search results ("0.8.6-1.fc43").
ALTER TABLE packages ADD COLUMN version_label text NOT NULL DEFAULT '';

ALTER TABLE packages ADD COLUMN folded_name text GENERATED ALWAYS AS (fold_name(name)) STORED;
ALTER TABLE packages ADD COLUMN search_text tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', fold_name(name)), 'A') ||
    setweight(to_tsvector('english', summary), 'B') ||
    setweight(to_tsvector('english', left(description, 2000)), 'C')
) STORED;

CREATE INDEX packages_folded_prefix ON packages (folded_name text_pattern_ops);
CREATE INDEX packages_folded_trgm ON packages USING gin (folded_name gin_trgm_ops);
CREATE INDEX packages_search_text ON packages USING gin (search_text);

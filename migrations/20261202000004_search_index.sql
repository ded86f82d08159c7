-- Search answers from an index held in each web process (src/search/),
-- derived from these rows; PostgreSQL answers the same queries while an
-- index builds, with the same ranking.

-- Typo tolerance in the PostgreSQL ranking (levenshtein_less_equal).
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

-- Summaries and descriptions keep their stop words: the query side drops
-- only a short list (the index's analyzer's), so that a word PostgreSQL's
-- longer list would have removed ("does", "very") can still be found.
CREATE TEXT SEARCH DICTIONARY english_stem_all (TEMPLATE = snowball, LANGUAGE = english);
CREATE TEXT SEARCH CONFIGURATION english_all (COPY = english);
ALTER TEXT SEARCH CONFIGURATION english_all
    ALTER MAPPING REPLACE english_stem WITH english_stem_all;

ALTER TABLE packages DROP COLUMN search_text;
ALTER TABLE packages ADD COLUMN search_text tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', fold_name(name)), 'A') ||
    setweight(to_tsvector('english_all', summary), 'B') ||
    setweight(to_tsvector('english_all', left(description, 2000)), 'C')
) STORED;
CREATE INDEX packages_search_text ON packages USING gin (search_text);

-- Every writer's change reaches every web process's index: one notification
-- per changed package (PostgreSQL folds repeats within a transaction), sent
-- at commit. Rewrites that change nothing searched stay silent.
CREATE FUNCTION notify_package_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('package_search', OLD.name);
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF (OLD.name, OLD.source_name, OLD.summary, OLD.description, OLD.version_label)
           IS NOT DISTINCT FROM (NEW.name, NEW.source_name, NEW.summary, NEW.description, NEW.version_label) THEN
            RETURN NEW;
        END IF;
        IF OLD.name <> NEW.name THEN
            PERFORM pg_notify('package_search', OLD.name);
        END IF;
    END IF;
    PERFORM pg_notify('package_search', NEW.name);
    RETURN NEW;
END $$;

CREATE TRIGGER packages_search_changed AFTER INSERT OR UPDATE OR DELETE ON packages
    FOR EACH ROW EXECUTE FUNCTION notify_package_search();

-- A TRUNCATE changes everything: an empty payload asks for a rebuild.
CREATE FUNCTION notify_packages_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('package_search', '');
    RETURN NULL;
END $$;

CREATE TRIGGER packages_search_truncated AFTER TRUNCATE ON packages
    FOR EACH STATEMENT EXECUTE FUNCTION notify_packages_truncated();

-- When a tab row's data last changed, as opposed to when it was last
-- fetched (a refresh that finds nothing new rewrites fetched_at only): the
-- sitemaps' lastmod. Kept by a trigger, so every writer keeps it.
ALTER TABLE tab_rows ADD COLUMN changed_at timestamptz;
UPDATE tab_rows SET changed_at = fetched_at;
ALTER TABLE tab_rows ALTER COLUMN changed_at SET NOT NULL, ALTER COLUMN changed_at SET DEFAULT now();

CREATE FUNCTION tab_rows_changed_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.payload IS DISTINCT FROM OLD.payload THEN
        NEW.changed_at := now();
    ELSE
        NEW.changed_at := OLD.changed_at;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER tab_rows_changed_at BEFORE INSERT OR UPDATE ON tab_rows
    FOR EACH ROW EXECUTE FUNCTION tab_rows_changed_at();

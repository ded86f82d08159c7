-- Facts about the database itself, e.g. ('demo', 'true') once `load-demo`
-- has filled it: the gallery runs on such a database, and `load-demo`
-- refuses one that holds real data.
CREATE TABLE site_settings (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- Never read: a row's version and fetch time say all the page needs.
ALTER TABLE tab_rows DROP COLUMN source_version;

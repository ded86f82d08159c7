-- `contains` lookups: pg_trgm takes only letters and digits as parts of
-- words, so in file names full of `.`, `-` and `_` a query such as `7.s`
-- or `-png` yields only padded one-letter trigrams that a million names
-- share, and a lookup rechecks hundreds of thousands of rows (250 ms).
-- Indexing the names with that punctuation turned into letters (ones file
-- names do not use) makes `7.s` the rare trigram it is. Lookups apply the
-- same function to the pattern and recheck the real name, so a name that
-- does hold one of those letters is never a wrong match.
CREATE FUNCTION repo_trigram_text(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN translate($1, '.-_+@~:,=', 'ǫǭǯǱǳǵǷǹǻ');

DROP INDEX repo_files_trigram;
DROP INDEX repo_dirs_trigram;
CREATE INDEX repo_files_trigram ON repo_files USING gin (repo_trigram_text(name) gin_trgm_ops);
CREATE INDEX repo_dirs_trigram ON repo_dirs USING gin (repo_trigram_text(path) gin_trgm_ops);

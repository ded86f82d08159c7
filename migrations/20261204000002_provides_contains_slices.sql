-- `contains` lookups on file names: a GIN index answers with a bitmap of
-- every candidate row before the first row is read, so a common pattern
-- (`.svg`: 436,000 candidates) cost 15-20 ms to find the hundred rows a page
-- shows. The index is cut into four partial indexes by package; a lookup
-- asks them one after the other (db::repodata::NAME_SLICES) and stops when
-- it has enough, so a common pattern builds a quarter of that bitmap. Rare
-- patterns read four short lists instead of one long one, at about the same
-- cost. Measured over the benchmark's 1,000 patterns (8.2 million names):
-- mean 3.75 -> 2.92 ms, p99 18.3 -> 10.8 ms.
DROP INDEX repo_files_trigram;
CREATE INDEX repo_files_trigram_0 ON repo_files USING gin (repo_trigram_text(name) gin_trgm_ops) WHERE package_id % 4 = 0;
CREATE INDEX repo_files_trigram_1 ON repo_files USING gin (repo_trigram_text(name) gin_trgm_ops) WHERE package_id % 4 = 1;
CREATE INDEX repo_files_trigram_2 ON repo_files USING gin (repo_trigram_text(name) gin_trgm_ops) WHERE package_id % 4 = 2;
CREATE INDEX repo_files_trigram_3 ON repo_files USING gin (repo_trigram_text(name) gin_trgm_ops) WHERE package_id % 4 = 3;

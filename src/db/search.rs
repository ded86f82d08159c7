//! Package search over the `packages` rows: names (folded so that `-`, `_`,
//! `.` and spaces match each other), sub-package names, summaries and
//! descriptions; trigram similarity when nothing matches.
use sqlx::PgPool;

use super::DbError;
use crate::model::{SearchHit, Suggestion};

/// Queries are cut to this many characters (never refused).
pub const MAX_QUERY_CHARS: usize = 200;

/// The query as the search takes it: trimmed, capped, no control characters.
pub fn clean(query: &str) -> String {
    let cleaned: String = query.chars().filter(|c| !c.is_control()).take(MAX_QUERY_CHARS).collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct HitRow {
    name: String,
    summary: String,
    version: String,
    subs: Vec<String>,
    total: i64,
}

/// One page of results, grouped by source package, best first; and the
/// number of source packages matching in all.
pub async fn search(pool: &PgPool, query: &str, limit: i64, offset: i64) -> Result<(Vec<SearchHit>, i64), DbError> {
    let query = clean(query);
    if query.is_empty() {
        return Ok((Vec::new(), 0));
    }
    // Folding in SQL (fold_name) keeps one definition; LIKE patterns are
    // escaped here. Trigram "contains" needs three characters to use its index.
    let rows: Vec<HitRow> = sqlx::query_as!(
        HitRow,
        r#"
        WITH q AS (
            SELECT fold_name($1) AS f,
                   replace(replace(replace(fold_name($1), '\', '\\'), '%', '\%'), '_', '\_') AS esc,
                   websearch_to_tsquery('english', $1) AS ts,
                   -- Fedora names a library after its ecosystem: `requests` is python-requests.
                   ARRAY(SELECT e || ' ' || fold_name($1) FROM unnest(ARRAY['python', 'python3', 'perl', 'rubygem',
                         'nodejs', 'golang', 'rust', 'ghc', 'ocaml', 'php', 'lua', 'r', 'texlive']) AS e) AS eco
        ),
        hits AS (
            SELECT p.name, p.source_name,
                   CASE
                       WHEN p.folded_name = q.f THEN 0
                       WHEN p.folded_name = ANY(q.eco) THEN 1
                       WHEN p.folded_name LIKE q.esc || '%' AND p.name = p.source_name THEN 2
                       WHEN p.folded_name LIKE q.esc || '%' THEN 3
                       WHEN length(q.f) >= 3 AND p.folded_name LIKE '%' || q.esc || '%' THEN 4
                       ELSE 5
                   END AS tier,
                   ts_rank(p.search_text, q.ts) AS score
            FROM packages p, q
            WHERE q.f <> '' AND (
                   p.folded_name = q.f
                OR p.folded_name = ANY(q.eco)
                OR p.folded_name LIKE q.esc || '%'
                OR (length(q.f) >= 3 AND p.folded_name LIKE '%' || q.esc || '%'))
               OR p.search_text @@ q.ts
        ),
        grouped AS (
            SELECT source_name, min(tier) AS tier, max(score) AS score,
                   array_agg(name ORDER BY tier, name) FILTER (WHERE name <> source_name AND tier < 5) AS subs
            FROM hits GROUP BY source_name
        ),
        page AS (
            SELECT g.*, count(*) OVER () AS total FROM grouped g
            ORDER BY g.tier, g.score DESC, length(g.source_name), g.source_name
            LIMIT $2 OFFSET $3
        )
        -- The source rows are looked up for the shown page only.
        SELECT g.source_name AS "name!", coalesce(s.summary, '') AS "summary!",
               coalesce(s.version_label, '') AS "version!", coalesce(g.subs, '{}') AS "subs!", g.total AS "total!"
        FROM page g LEFT JOIN packages s ON s.name = g.source_name
        ORDER BY g.tier, g.score DESC, length(g.source_name), g.source_name
        "#,
        query,
        limit,
        offset,
    )
    .fetch_all(pool)
    .await?;
    let total = rows.first().map(|r| r.total).unwrap_or(0);
    let hits = rows
        .into_iter()
        .map(|r| SearchHit { name: r.name, summary: r.summary, version: r.version, sub_packages: r.subs })
        .collect();
    Ok((hits, total))
}

/// Names for the search box as someone types: exact and prefix matches
/// (sub-packages included), then names containing the query.
pub async fn suggest(pool: &PgPool, query: &str, limit: i64) -> Result<Vec<Suggestion>, DbError> {
    let query = clean(query);
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query!(
        r#"
        -- Not materialized: inlined, the patterns become constants the planner
        -- can match to the prefix index.
        WITH q AS NOT MATERIALIZED (SELECT fold_name($1) AS f, replace(replace(replace(fold_name($1), '\', '\\'), '%', '\%'), '_', '\_') AS esc)
        -- A short prefix matches thousands of names: rank the first few
        -- hundred in index order rather than sorting them all.
        (SELECT * FROM (SELECT p.name, p.source_name, p.summary, p.folded_name = q.f AS exact FROM packages p, q
                         WHERE q.f <> '' AND p.folded_name LIKE q.esc || '%'
                         ORDER BY p.folded_name USING ~<~ LIMIT 300) first
          ORDER BY exact DESC, length(name), name
          LIMIT $2)
        UNION ALL
        (SELECT p.name, p.source_name, p.summary, false FROM packages p, q
          WHERE length(q.f) >= 3 AND p.folded_name LIKE '%' || q.esc || '%' AND p.folded_name NOT LIKE q.esc || '%'
          ORDER BY length(p.name), p.name
          LIMIT $2)
        LIMIT $2
        "#,
        query,
        limit,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some(Suggestion { name: r.name?, source: r.source_name?, summary: r.summary? }))
        .collect())
}

/// Source packages whose names look like the query, for "did you mean".
pub async fn similar(pool: &PgPool, query: &str, limit: i64) -> Result<Vec<String>, DbError> {
    let query = clean(query);
    if query.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_scalar!(
        "SELECT name FROM packages
         WHERE fold_name($1) <> '' AND folded_name % fold_name($1)
         ORDER BY similarity(folded_name, fold_name($1)) DESC, name
         LIMIT $2",
        query,
        limit,
    )
    .fetch_all(pool)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_trimmed_and_capped() {
        assert_eq!(clean("  vim   X11 \n"), "vim X11");
        assert_eq!(clean(&"a".repeat(1000)).len(), MAX_QUERY_CHARS);
        assert_eq!(clean("\u{0}\u{7}"), "");
    }
}

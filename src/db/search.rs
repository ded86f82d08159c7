//! Package search in PostgreSQL: the engine that answers while a web
//! process's index (`search/`) builds, and the reference the index is
//! checked against. Both rank by the same rules, in this order:
//!
//! 0. the name, folded (`-`, `_`, `.` and spaces alike, any case);
//! 1. the name with an ecosystem prefix (`requests` → `python-requests`);
//! 2. a source package whose name starts with the query; 3. a sub-package's;
//! 4. a name containing the query (three characters and more);
//! 5. a name a typo or two away ([`SearchQuery::typo_distance`]), with the
//!    same first character;
//! 6. the words alone, in summaries and descriptions.
//!
//! Within a tier: the word score (4 for a word in the name, 2 in the
//! summary, 1 in the description, summed over the query's words), then the
//! shorter source name, then byte order. Results are grouped by source
//! package, with the sub-packages whose names matched.
use futures::TryStreamExt;
use sqlx::PgPool;

use super::DbError;
use crate::model::{SearchHit, SearchQuery, Suggestion};

struct HitRow {
    name: String,
    summary: String,
    version: String,
    subs: Vec<String>,
    total: i64,
}

/// The word match's parameters: every form, and which word it is a form of.
fn word_forms(query: &SearchQuery) -> (Vec<String>, Vec<i32>) {
    let mut forms = Vec::new();
    let mut words = Vec::new();
    for (i, word) in query.words.iter().enumerate() {
        for form in word {
            forms.push(form.clone());
            words.push(i as i32);
        }
    }
    (forms, words)
}

/// One page of results, grouped by source package, best first; and the
/// number of source packages matching in all.
pub async fn search(
    pool: &PgPool,
    query: &SearchQuery,
    limit: i64,
    offset: i64,
) -> Result<(Vec<SearchHit>, i64), DbError> {
    if query.folded.is_empty() && query.words.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let (forms, form_words) = word_forms(query);
    // LIKE patterns are escaped here; the typo test is guarded by length
    // first (levenshtein refuses strings over 255 characters).
    let rows: Vec<HitRow> = sqlx::query_as!(
        HitRow,
        r#"
        WITH q AS (
            SELECT $1::text AS f,
                   replace(replace(replace($1::text, '\', '\\'), '%', '\%'), '_', '\_') AS esc,
                   $2::text[] AS eco, $3::text::tsquery AS ts, $4::int AS d,
                   $5::text[] AS forms, $6::int[] AS form_words
        ),
        hits AS (
            SELECT p.name, p.source_name,
                   CASE
                       WHEN p.folded_name = q.f THEN 0
                       WHEN p.folded_name = ANY(q.eco) THEN 1
                       WHEN q.f <> '' AND p.folded_name LIKE q.esc || '%' AND p.name = p.source_name THEN 2
                       WHEN q.f <> '' AND p.folded_name LIKE q.esc || '%' THEN 3
                       WHEN length(q.f) >= 3 AND p.folded_name LIKE '%' || q.esc || '%' THEN 4
                       WHEN q.d > 0 AND CASE WHEN length(p.folded_name) BETWEEN length(q.f) - q.d AND length(q.f) + q.d
                                                  AND left(p.folded_name, 1) = left(q.f, 1)
                                             THEN levenshtein_less_equal(p.folded_name, q.f, q.d) <= q.d
                                             ELSE false END THEN 5
                       ELSE 6
                   END AS tier,
                   CASE WHEN p.search_text @@ q.ts THEN (
                       SELECT coalesce(sum(best), 0) FROM (
                           SELECT max(CASE w WHEN 'A' THEN 4 WHEN 'B' THEN 2 ELSE 1 END) AS best
                           FROM unnest(q.forms, q.form_words) AS f(lexeme, word)
                           JOIN unnest(p.search_text) AS u(lexeme, positions, weights) ON u.lexeme = f.lexeme
                           CROSS JOIN LATERAL unnest(u.weights) AS w
                           GROUP BY f.word) s)
                   ELSE 0 END AS score
            FROM packages p, q
            WHERE (q.f <> '' AND (
                       p.folded_name = q.f
                    OR p.folded_name = ANY(q.eco)
                    OR p.folded_name LIKE q.esc || '%'
                    OR (length(q.f) >= 3 AND p.folded_name LIKE '%' || q.esc || '%')
                    OR (q.d > 0 AND CASE WHEN length(p.folded_name) BETWEEN length(q.f) - q.d AND length(q.f) + q.d
                                              AND left(p.folded_name, 1) = left(q.f, 1)
                                         THEN levenshtein_less_equal(p.folded_name, q.f, q.d) <= q.d
                                         ELSE false END)))
               OR p.search_text @@ q.ts
        ),
        grouped AS (
            SELECT source_name, min(tier) AS tier, max(score) AS score,
                   array_agg(name ORDER BY tier, name COLLATE "C") FILTER (WHERE name <> source_name AND tier < 6) AS subs
            FROM hits GROUP BY source_name
        ),
        page AS (
            SELECT g.*, count(*) OVER () AS total FROM grouped g
            ORDER BY g.tier, g.score DESC, length(g.source_name), g.source_name COLLATE "C"
            LIMIT $7 OFFSET $8
        )
        -- The source rows are looked up for the shown page only.
        SELECT g.source_name AS "name!", coalesce(s.summary, '') AS "summary!",
               coalesce(s.version_label, '') AS "version!", coalesce(g.subs, '{}') AS "subs!", g.total AS "total!"
        FROM page g LEFT JOIN packages s ON s.name = g.source_name
        ORDER BY g.tier, g.score DESC, length(g.source_name), g.source_name COLLATE "C"
        "#,
        query.folded,
        &query.ecosystem_names(),
        query.tsquery(),
        i32::from(query.typo_distance()),
        &forms,
        &form_words,
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

/// Names for the search box as someone types: the name itself, then names
/// starting with the query, shortest first; then names containing it.
pub async fn suggest(pool: &PgPool, query: &SearchQuery, limit: i64) -> Result<Vec<Suggestion>, DbError> {
    if query.folded.is_empty() {
        return Ok(Vec::new());
    }
    let rows = sqlx::query!(
        r#"
        WITH q AS NOT MATERIALIZED (SELECT $1::text AS f, replace(replace(replace($1::text, '\', '\\'), '%', '\%'), '_', '\_') AS esc)
        SELECT name AS "name!", source_name AS "source!", summary AS "summary!" FROM (
            SELECT p.name, p.source_name, p.summary, p.folded_name NOT LIKE q.esc || '%' AS contained, p.folded_name = q.f AS exact
            FROM packages p, q
            WHERE p.folded_name LIKE q.esc || '%' OR (length(q.f) >= 3 AND p.folded_name LIKE '%' || q.esc || '%')
        ) s
        ORDER BY contained, exact DESC, length(name), name COLLATE "C"
        LIMIT $2
        "#,
        query.folded,
        limit,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| Suggestion { name: r.name, source: r.source, summary: r.summary }).collect())
}

/// Names that look like the query (shared trigrams), for "did you mean".
pub async fn similar(pool: &PgPool, query: &SearchQuery, limit: i64) -> Result<Vec<String>, DbError> {
    if query.folded.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_scalar!(
        r#"SELECT name AS "name!" FROM packages
         WHERE folded_name % $1
         ORDER BY similarity(folded_name, $1) DESC, name COLLATE "C"
         LIMIT $2"#,
        query.folded,
        limit,
    )
    .fetch_all(pool)
    .await?)
}

/// A package as the search index takes it: names, what results show, and
/// the words PostgreSQL found in it, by where they are.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexRow {
    pub name: String,
    pub source_name: String,
    pub folded_name: String,
    pub summary: String,
    pub version: String,
    pub name_words: Vec<String>,
    pub summary_words: Vec<String>,
    pub description_words: Vec<String>,
}

/// Every package (`names` None), or these, streamed. A name asked for
/// without a row is a package gone.
pub fn index_rows<'a>(
    pool: &'a PgPool,
    names: Option<&'a [String]>,
) -> impl futures::Stream<Item = Result<IndexRow, DbError>> + Send + 'a {
    sqlx::query_as!(
        IndexRow,
        r#"SELECT name, source_name, folded_name AS "folded_name!", summary, version_label AS version,
                  tsvector_to_array(ts_filter(search_text, '{a}')) AS "name_words!",
                  tsvector_to_array(ts_filter(search_text, '{b}')) AS "summary_words!",
                  tsvector_to_array(ts_filter(search_text, '{c}')) AS "description_words!"
           FROM packages WHERE $1::text[] IS NULL OR name = ANY($1)"#,
        names,
    )
    .fetch(pool)
    .map_err(DbError::from)
}

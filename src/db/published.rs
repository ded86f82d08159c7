//! What the feeds and sitemaps read: a package's events with their row ids
//! (an Atom entry's permanent id), and every package with the time its data
//! last changed (a sitemap's lastmod).
use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::DbError;

/// One recorded bus event, with the id that names it for good.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEvent {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub topic: String,
    pub agent: Option<String>,
    pub summary: String,
}

/// The newest events of `package` (a source package), newest first.
pub async fn events(pool: &PgPool, package: &str, limit: i64) -> Result<Vec<FeedEvent>, DbError> {
    Ok(sqlx::query_as!(
        FeedEvent,
        "SELECT id, at, topic, agent, summary FROM package_events WHERE package = $1 ORDER BY at DESC, id DESC LIMIT $2",
        package,
        limit,
    )
    .fetch_all(pool)
    .await?)
}

/// When the data behind a package's page last changed: its own and its
/// source package's rows, except the overview (whose parts carry their
/// fetch times, so it changes on every refresh).
pub async fn changed_at(pool: &PgPool, name: &str) -> Result<Option<DateTime<Utc>>, DbError> {
    Ok(sqlx::query_scalar!(
        "SELECT max(t.changed_at) FROM packages p JOIN tab_rows t ON t.package IN (p.name, p.source_name)
         WHERE p.name = $1 AND t.tab <> 'overview'",
        name,
    )
    .fetch_one(pool)
    .await?)
}

/// Packages in name order, `limit` from `offset`, with when their data changed.
pub async fn packages_changed(
    pool: &PgPool,
    offset: i64,
    limit: i64,
) -> Result<Vec<(String, Option<DateTime<Utc>>)>, DbError> {
    let rows = sqlx::query!(
        r#"SELECT p.name AS "name!",
              (SELECT max(t.changed_at) FROM tab_rows t
               WHERE t.package IN (p.name, p.source_name) AND t.tab <> 'overview') AS changed_at
           FROM packages p ORDER BY p.name LIMIT $1 OFFSET $2"#,
        limit,
        offset,
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.name, r.changed_at)).collect())
}

/// Per chunk of `chunk` packages in name order: the newest change in it.
pub async fn chunks_changed(pool: &PgPool, chunk: i64) -> Result<Vec<(i64, Option<DateTime<Utc>>)>, DbError> {
    let rows = sqlx::query!(
        r#"WITH changed AS (
               SELECT package, max(changed_at) AS at FROM tab_rows WHERE tab <> 'overview' GROUP BY package),
           numbered AS (
               SELECT (row_number() OVER (ORDER BY p.name) - 1) / $1 AS chunk,
                      greatest(own.at, src.at) AS at
               FROM packages p
               LEFT JOIN changed own ON own.package = p.name
               LEFT JOIN changed src ON src.package = p.source_name)
           SELECT chunk AS "chunk!", max(at) AS at FROM numbered GROUP BY chunk ORDER BY chunk"#,
        chunk.max(1),
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|r| (r.chunk, r.at)).collect())
}

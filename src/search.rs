//! The search index each web process holds in memory: a tantivy index of
//! every package's folded name, name trigrams and the words PostgreSQL
//! found in it, plus a table of what results show. Built from PostgreSQL at
//! start, kept current by the `package_search` notifications every write to
//! `packages` sends, rebuilt from scratch when a notification may have been
//! missed. PostgreSQL (`db::search`) answers until it is ready, with the
//! same ranking (the tiers are listed there).
//!
//! - `analyze`: a query's text → [`SearchQuery`] (folded name, word forms).
//! - `automata`: how the term dictionary is walked (by length, prefix, typo).
//! - `table`: the rows and source packages results show.
//! - `index`: the tantivy index, its building and its updates.
//! - `rank`: results, suggestions and "did you mean" from the index.
//! - `live`: the handle web requests use, the build at start and the listener.
mod analyze;
mod automata;
mod index;
mod live;
mod rank;
mod table;

pub use analyze::{analyze, analyze_name};
pub use index::Index;
pub use live::SearchIndex;
pub use rank::{Page, MAX_COUNTED};

use crate::db::DbError;

/// What can go wrong building or querying the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index: reading a segment: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("search index: the build task stopped: {0}")]
    Task(String),
}

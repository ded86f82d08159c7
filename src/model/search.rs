use serde::{Deserialize, Serialize};

/// One source package in the search results, with the sub-packages that matched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SearchHit {
    pub name: String,
    pub summary: String,
    /// Newest version, e.g. `0.8.6-1.fc43`; empty when unknown.
    pub version: String,
    pub sub_packages: Vec<String>,
}

/// A page of search results.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SearchResults {
    pub query: String,
    pub hits: Vec<SearchHit>,
    /// Source packages matching in all; a lower bound when `total_at_least`.
    pub total: i64,
    /// Counting stopped at `total` (a one-letter query matches most names).
    #[serde(default)]
    pub total_at_least: bool,
    pub page: i64,
    pub per_page: i64,
    /// Names like the query, when nothing matched.
    pub similar: Vec<String>,
}

/// An autocomplete entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Suggestion {
    pub name: String,
    /// The source package (equal to `name` for a source package).
    pub source: String,
    pub summary: String,
}

/// Queries are cut to this many characters (never refused).
pub const MAX_QUERY_CHARS: usize = 200;

/// Typo tolerance stops here: longer queries are not names (and the
/// automaton for a long one takes long to build).
pub const MAX_TYPO_CHARS: usize = 32;

/// Fedora names a library after its ecosystem: `requests` is python-requests.
pub const ECOSYSTEMS: [&str; 13] =
    ["python", "python3", "perl", "rubygem", "nodejs", "golang", "rust", "ghc", "ocaml", "php", "lua", "r", "texlive"];

/// A query as both search engines take it (the index in `search/` and
/// PostgreSQL in `db::search`), analyzed once so that they rank alike.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchQuery {
    /// Trimmed, capped, without control characters: what the page shows.
    pub text: String,
    /// The text folded like package names (see [`fold_name`]).
    pub folded: String,
    /// Words for the summary and description match: each word's forms
    /// (as typed, stemmed), one of which a package must contain.
    pub words: Vec<Vec<String>>,
}

impl SearchQuery {
    /// Names this query's ecosystem-prefixed forms would have (`python requests`).
    pub fn ecosystem_names(&self) -> Vec<String> {
        ECOSYSTEMS.iter().map(|e| format!("{e} {}", self.folded)).collect()
    }

    /// Characters in the folded query (PostgreSQL's `length`).
    pub fn folded_len(&self) -> usize {
        self.folded.chars().count()
    }

    /// Whether names merely containing the query match (three characters
    /// and more; fewer would match nearly everything).
    pub fn matches_contained(&self) -> bool {
        self.folded_len() >= 3
    }

    /// Edits a name may be away from the query and still match: one for
    /// 4–7 characters, two above, none for shorter or sentence-long queries.
    /// The first character must be right.
    pub fn typo_distance(&self) -> u8 {
        match self.folded_len() {
            0..=3 => 0,
            4..=7 => 1,
            n if n <= MAX_TYPO_CHARS => 2,
            _ => 0,
        }
    }

    /// The word match as a PostgreSQL `tsquery` (`('request' | 'requests') & 'http'`),
    /// or `None` without words. The forms are letters and digits only.
    pub fn tsquery(&self) -> Option<String> {
        let groups: Vec<String> = self
            .words
            .iter()
            .map(|forms| {
                let forms: Vec<String> = forms.iter().map(|f| format!("'{}'", f.replace('\'', "''"))).collect();
                format!("({})", forms.join(" | "))
            })
            .collect();
        (!groups.is_empty()).then(|| groups.join(" & "))
    }
}

/// The query as the search takes it: trimmed, capped, no control characters.
pub fn clean_query(query: &str) -> String {
    let cleaned: String = query.chars().filter(|c| !c.is_control()).take(MAX_QUERY_CHARS).collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A name folded for matching: lower case, runs of `-`, `_`, `.` and spaces
/// as one space, trimmed; so `vim-X11`, `vim_x11` and `Vim X11` are equal.
/// PostgreSQL's `fold_name` folds the rows the same way.
pub fn fold_name(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    let mut gap = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.' | ' ') {
            gap = true;
            continue;
        }
        if gap && !folded.is_empty() {
            folded.push(' ');
        }
        gap = false;
        folded.extend(c.to_lowercase());
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_like_postgresql() {
        assert_eq!(fold_name("vim-X11"), "vim x11");
        assert_eq!(fold_name(" -Vim__X11.. "), "vim x11");
        assert_eq!(fold_name("libstdc++"), "libstdc++");
        assert_eq!(fold_name("Python3.12"), "python3 12");
        assert_eq!(fold_name("---"), "");
    }

    #[test]
    fn queries_are_trimmed_and_capped() {
        assert_eq!(clean_query("  vim   X11 \n"), "vim X11");
        assert_eq!(clean_query(&"a".repeat(1000)).len(), MAX_QUERY_CHARS);
        assert_eq!(clean_query("\u{0}\u{7}"), "");
    }

    #[test]
    fn typo_distance_grows_with_length() {
        let q = |f: &str| SearchQuery { folded: f.into(), ..Default::default() };
        assert_eq!(q("vim").typo_distance(), 0);
        assert_eq!(q("gimp").typo_distance(), 1);
        assert_eq!(q("firefox").typo_distance(), 1);
        assert_eq!(q("libreofice").typo_distance(), 2);
        assert_eq!(q(&"x".repeat(33)).typo_distance(), 0);
    }

    #[test]
    fn word_forms_become_a_tsquery() {
        let q = SearchQuery {
            words: vec![vec!["requests".into(), "request".into()], vec!["http".into()]],
            ..Default::default()
        };
        assert_eq!(q.tsquery().as_deref(), Some("('requests' | 'request') & ('http')"));
        assert_eq!(SearchQuery::default().tsquery(), None);
    }
}

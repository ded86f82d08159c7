//! Results, suggestions and "did you mean" from the index, ranked by the
//! rules `db::search` states in SQL, so that both engines give the same
//! answers (the search tests and `bench/run search` compare them).
//!
//! Results walk the tiers in order and stop counting at [`MAX_COUNTED`]
//! source packages: a one-letter query is not ranked over every name. The
//! prefix tiers are read by length bucket (shortest names first), so even
//! that stop comes early.
use std::collections::HashMap;
use std::sync::{OnceLock, RwLockReadGuard};

use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA};
use tantivy::query::{BooleanQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::automata::{lead, ByLength, Levenshtein};
use super::index::{spread_grams, Fields, Index, Snapshot};
use super::table::{Row, Table};
use super::SearchError;
use crate::model::{SearchHit, SearchQuery, Suggestion};

/// Source packages counted at most; "1,000+ results" beyond.
pub const MAX_COUNTED: usize = 1000;

const EXACT: u8 = 0;
const ECOSYSTEM: u8 = 1;
const SOURCE_PREFIX: u8 = 2;
const SUB_PREFIX: u8 = 3;
const CONTAINS: u8 = 4;
const TYPO: u8 = 5;
const WORDS_ONLY: u8 = 6;

/// How alike a name must be to be offered as "did you mean" (pg_trgm's
/// default `%` threshold, which PostgreSQL's answer uses).
const SIMILAR: f32 = 0.3;

/// Names starting with a query read in one term range when at most this
/// many; more, and they are read by length bucket, shortest first.
const FEW_STARTING: u64 = 64;

/// Trigrams of a query looked up for "contains" at most (see `spread_grams`).
const MAX_GRAMS: usize = 8;

/// The largest length a length key holds.
const MAX_LEN: u32 = 9999;

/// The fewest characters a name can have when its folded form starts with
/// `f`. Folding only shortens a name (a run of separators becomes one space)
/// except where a letter's lower case is longer than the letter: only `İ`
/// (`i` and a combining dot). A long query then skips every shorter length
/// bucket instead of opening a term range in each.
fn shortest_starting_with(f: &str) -> u32 {
    u32::try_from(f.chars().filter(|&c| c != '\u{307}').count()).unwrap_or(u32::MAX)
}

/// A page of results.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub hits: Vec<SearchHit>,
    /// Source packages matching; at least this many when `at_least`.
    pub total: usize,
    pub at_least: bool,
}

impl Index {
    /// One page of results, grouped by source package, best first.
    pub fn search(&self, query: &SearchQuery, limit: usize, offset: usize) -> Result<Page, SearchError> {
        let snapshot = self.snapshot();
        let table = self.table();
        let mut ranking = Ranking::new(&snapshot, &table, query, offset + limit)?;
        ranking.rank()?;
        let hits = ranking
            .placed
            .iter()
            .skip(offset)
            .take(limit)
            .map(|&group| {
                let source = table.source_row(group);
                SearchHit {
                    name: table.group(group).name.to_string(),
                    summary: source.map(|r| r.summary.to_string()).unwrap_or_default(),
                    version: source.map(|r| r.version.to_string()).unwrap_or_default(),
                    sub_packages: ranking.matching_subs(group),
                }
            })
            .collect();
        let total = match ranking.capped {
            true => MAX_COUNTED,
            false => ranking.placed.len(),
        };
        Ok(Page { hits, total, at_least: ranking.capped })
    }

    /// Names for the search box: the name itself, then names starting with
    /// the query, shortest first, then names containing it.
    pub fn suggest(&self, query: &SearchQuery, limit: usize) -> Result<Vec<Suggestion>, SearchError> {
        let f = query.folded.as_str();
        if f.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let snapshot = self.snapshot();
        let table = self.table();
        let by_length = |a: &u32, b: &u32| by_length(&table, *a, *b);
        let mut out = match snapshot.starting_with(f.as_bytes(), FEW_STARTING)? {
            Some(mut rows) => {
                // The name itself first, then the shorter names (PostgreSQL's order).
                let inexact = |r: u32| &*table.row(r).folded != f;
                let order = |a: &u32, b: &u32| inexact(*a).cmp(&inexact(*b)).then_with(|| by_length(a, b));
                if rows.len() > limit {
                    rows.select_nth_unstable_by(limit - 1, order);
                    rows.truncate(limit);
                }
                rows.sort_unstable_by(order);
                rows
            }
            None => first_starting_with(&snapshot, &table, f, limit)?,
        };
        if out.len() < limit && query.matches_contained() {
            let mut contained = Vec::new();
            snapshot.with_rarest_grams(&spread_grams(f, MAX_GRAMS), &mut |r| {
                let folded = &table.row(r).folded;
                if folded.contains(f) && !folded.starts_with(f) {
                    contained.push(r);
                }
            })?;
            contained.sort_by(by_length);
            out.extend(contained.into_iter().take(limit - out.len()));
        }
        Ok(out
            .into_iter()
            .map(|r| {
                let row = table.row(r);
                Suggestion {
                    name: row.name.to_string(),
                    source: table.group(row.group).name.to_string(),
                    summary: row.summary.to_string(),
                }
            })
            .collect())
    }

    /// Names sharing most of the query's trigrams, for "did you mean".
    pub fn similar(&self, query: &SearchQuery, limit: usize) -> Result<Vec<String>, SearchError> {
        let snapshot = self.snapshot();
        let table = self.table();
        let grams = snapshot.grams(&query.folded);
        if grams.is_empty() {
            return Ok(Vec::new());
        }
        // A name has no more shared trigrams than trigrams, so its
        // similarity is at most shared / ours: names sharing fewer than
        // SIMILAR·ours can never reach it and are not looked at.
        let least = (SIMILAR * grams.len() as f32).floor() as u16;
        let mut scored: Vec<(f32, &Row)> = Vec::new();
        snapshot.count_terms(snapshot.fields.grams, &grams, least, &mut |r, shared| {
            // Trigram similarity: shared over all distinct trigrams of both.
            let row = table.row(r);
            let (shared, theirs) = (f32::from(shared), row.folded.chars().count().saturating_sub(2) as f32);
            let similarity = shared / (grams.len() as f32 + theirs - shared).max(1.0);
            if similarity >= SIMILAR {
                scored.push((similarity, row));
            }
        })?;
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.name.cmp(&b.1.name)));
        Ok(scored.into_iter().take(limit).map(|(_, row)| row.name.to_string()).collect())
    }
}

/// One results query: the tiers walked so far and the groups placed.
struct Ranking<'a> {
    snapshot: &'a Snapshot,
    table: &'a RwLockReadGuard<'a, Table>,
    /// The folded query, its length, and what follows from them.
    f: &'a str,
    f_len: u32,
    ecosystem_names: Vec<String>,
    contained: bool,
    distance: u8,
    typo: Option<DFA>,
    /// Word score of each source package with a package matching every word.
    scores: HashMap<u32, f32, foldhash::fast::RandomState>,
    placed: Vec<u32>,
    seen: Marks,
    /// Places whose order is shown (the page and those before it): the
    /// rest is only counted, so it is not sorted.
    shown: usize,
    capped: bool,
}

impl<'a> Ranking<'a> {
    fn new(
        snapshot: &'a Snapshot,
        table: &'a RwLockReadGuard<'a, Table>,
        query: &'a SearchQuery,
        shown: usize,
    ) -> Result<Self, SearchError> {
        let distance = query.typo_distance();
        let mut scores = HashMap::default();
        if let Some(words) = words_query(&snapshot.fields, &query.words) {
            snapshot.query_rows(&*words, true, &mut |r, score| {
                let best = scores.entry(table.row(r).group).or_insert(0.0f32);
                *best = best.max(score);
            })?;
        }
        Ok(Ranking {
            snapshot,
            table,
            f: &query.folded,
            f_len: query.folded_len() as u32,
            ecosystem_names: query.ecosystem_names(),
            contained: query.matches_contained(),
            distance,
            typo: (distance > 0).then(|| levenshtein(distance).build_dfa(&query.folded)),
            scores,
            placed: Vec::new(),
            seen: Marks::new(table.groups_len()),
            shown,
            capped: false,
        })
    }

    /// Places source packages tier by tier until all are placed or enough
    /// are counted.
    fn rank(&mut self) -> Result<(), SearchError> {
        let (snapshot, table, f) = (self.snapshot, self.table, self.f);
        let fields = snapshot.fields;
        if !f.is_empty() {
            if self.place(exact_rows(snapshot, f)) {
                return Ok(());
            }
            let mut eco = Vec::new();
            for name in &self.ecosystem_names {
                eco.extend(exact_rows(snapshot, name));
            }
            // A source's key is its own name's length; a sub-package's, its source's.
            let own = shortest_starting_with(f)..=MAX_LEN;
            if self.place(eco) || self.place_by_length(SOURCE_PREFIX, fields.source_by_len, own)? {
                return Ok(());
            }
            if self.place_by_length(SUB_PREFIX, fields.sub_by_len, 0..=MAX_LEN)? {
                return Ok(());
            }
            if self.contained {
                let mut contained = Vec::new();
                snapshot.with_rarest_grams(&spread_grams(f, MAX_GRAMS), &mut |r| {
                    if table.row(r).folded.contains(f) {
                        contained.push(r);
                    }
                })?;
                if self.place(contained) {
                    return Ok(());
                }
            }
            if let Some(dfa) = &self.typo {
                let d = u32::from(self.distance);
                let inner = Levenshtein { dfa, lead: lead(f) };
                let near = ByLength { lo: self.f_len.saturating_sub(d), hi: self.f_len + d, inner };
                let mut rows = Vec::new();
                snapshot.by_length(fields.folded_by_len, &near, &mut |_, r| {
                    rows.push(r);
                    true
                })?;
                if self.place(rows) {
                    return Ok(());
                }
            }
        }
        let words_only: Vec<u32> = self.scores.keys().copied().filter(|g| !self.seen.has(*g)).collect();
        self.place_groups(words_only);
        Ok(())
    }

    /// Places the new source packages of these rows, best first; true when
    /// enough are counted.
    fn place(&mut self, rows: Vec<u32>) -> bool {
        let groups = rows.into_iter().map(|r| self.table.row(r).group).collect();
        self.place_groups(groups);
        self.enough()
    }

    fn place_groups(&mut self, groups: Vec<u32>) {
        let seen = &mut self.seen;
        let mut new: Vec<u32> = groups.into_iter().filter(|g| seen.insert(*g)).collect();
        self.order_shown(&mut new);
        self.placed.extend(new);
    }

    /// Puts the groups that will be shown, of these placed next, in order
    /// (best first); the others stay unordered, as they are only counted.
    fn order_shown(&self, groups: &mut [u32]) {
        let ordered = self.shown.saturating_sub(self.placed.len()).min(groups.len());
        if ordered == 0 {
            return;
        }
        if ordered < groups.len() {
            groups.select_nth_unstable_by(ordered - 1, |a, b| self.order(*a, *b));
        }
        groups[..ordered].sort_unstable_by(|a, b| self.order(*a, *b));
    }

    fn enough(&mut self) -> bool {
        if self.placed.len() >= MAX_COUNTED {
            self.capped = true;
        }
        self.capped
    }

    /// A prefix tier, read by length bucket: the new source packages of
    /// each bucket in name order, until enough are counted. Cut short, the
    /// tier's packages with a word score (which come first) are found by
    /// checking each scored package.
    fn place_by_length(
        &mut self,
        tier: u8,
        field: Field,
        lengths: std::ops::RangeInclusive<u32>,
    ) -> Result<bool, SearchError> {
        let (table, seen) = (self.table, &self.seen);
        let room = MAX_COUNTED.saturating_sub(self.placed.len());
        // Name order within a bucket only shows when the tier is cut short,
        // and then only in the places shown.
        let shown = self.shown.saturating_sub(self.placed.len());
        let mut found: Vec<u32> = Vec::new();
        let mut in_found = Marks::new(table.groups_len());
        let mut bucket: Vec<u32> = Vec::new();
        let mut bucket_len = 0;
        let mut cut_short = false;
        let mut flush = |bucket: &mut Vec<u32>, found: &mut Vec<u32>| {
            if found.len() < shown {
                bucket.sort_unstable_by(|a, b| table.group(*a).name.cmp(&table.group(*b).name));
            }
            found.extend(bucket.drain(..).filter(|g| !seen.has(*g) && in_found.insert(*g)));
        };
        self.snapshot.prefix_by_length(field, self.f.as_bytes(), lengths, &mut |len, r| {
            if len != bucket_len {
                flush(&mut bucket, &mut found);
                bucket_len = len;
                if found.len() >= room {
                    cut_short = true;
                    return false;
                }
            }
            bucket.push(table.row(r).group);
            true
        })?;
        flush(&mut bucket, &mut found);
        if !cut_short {
            self.place_groups(found);
            return Ok(self.enough());
        }
        let mut scored: Vec<u32> =
            self.scores.keys().copied().filter(|g| !self.seen.has(*g) && self.group_in_prefix_tier(*g, tier)).collect();
        self.order_shown(&mut scored);
        for &g in &scored {
            self.seen.insert(g);
        }
        let seen = &mut self.seen;
        let rest: Vec<u32> = found.into_iter().filter(|g| seen.insert(*g)).collect();
        self.placed.extend(scored);
        self.placed.extend(rest);
        self.capped = true;
        Ok(true)
    }

    fn group_in_prefix_tier(&self, group: u32, tier: u8) -> bool {
        self.table
            .group(group)
            .members
            .iter()
            .map(|&r| self.table.row(r))
            .any(|row| row.is_source == (tier == SOURCE_PREFIX) && row.folded.starts_with(self.f))
    }

    /// Word score first, then the shorter source name, then byte order.
    fn order(&self, a: u32, b: u32) -> std::cmp::Ordering {
        let score = |g: u32| self.scores.get(&g).copied().unwrap_or(0.0);
        let (ga, gb) = (self.table.group(a), self.table.group(b));
        score(b).total_cmp(&score(a)).then(ga.len.cmp(&gb.len)).then_with(|| ga.name.cmp(&gb.name))
    }

    /// The group's sub-packages whose names matched, best tier first.
    fn matching_subs(&self, group: u32) -> Vec<String> {
        let mut subs: Vec<(u8, &str)> = self
            .table
            .group(group)
            .members
            .iter()
            .map(|&r| self.table.row(r))
            .filter(|row| !row.is_source)
            .map(|row| (self.row_tier(row), &*row.name))
            .filter(|(tier, _)| *tier < WORDS_ONLY)
            .collect();
        subs.sort();
        subs.into_iter().map(|(_, name)| name.to_string()).collect()
    }

    /// The name tier of one row (`db::search`'s CASE).
    fn row_tier(&self, row: &Row) -> u8 {
        let (f, folded) = (self.f, &*row.folded);
        if f.is_empty() {
            WORDS_ONLY
        } else if folded == f {
            EXACT
        } else if self.ecosystem_names.iter().any(|e| e == folded) {
            ECOSYSTEM
        } else if folded.starts_with(f) {
            if row.is_source {
                SOURCE_PREFIX
            } else {
                SUB_PREFIX
            }
        } else if self.contained && folded.contains(f) {
            CONTAINS
        } else if self.is_typo(folded) {
            TYPO
        } else {
            WORDS_ONLY
        }
    }

    fn is_typo(&self, folded: &str) -> bool {
        let Some(dfa) = &self.typo else { return false };
        let d = u32::from(self.distance);
        lead(folded) == lead(self.f)
            && (folded.chars().count() as u32).abs_diff(self.f_len) <= d
            && matches!(dfa.eval(folded), Distance::Exact(n) if u32::from(n) <= d)
    }
}

/// The first `limit` of the name itself and the names starting with `f`,
/// read a length bucket at a time: for a query thousands of names start
/// with, only the shortest few buckets are read.
fn first_starting_with(snapshot: &Snapshot, table: &Table, f: &str, limit: usize) -> Result<Vec<u32>, SearchError> {
    let mut out = exact_rows(snapshot, f);
    out.sort_by(|a, b| by_length(table, *a, *b));
    out.truncate(limit);
    let mut bucket: Vec<u32> = Vec::new();
    let mut bucket_len = 0;
    let flush = |bucket: &mut Vec<u32>, out: &mut Vec<u32>| {
        bucket.sort_by(|a, b| table.row(*a).name.cmp(&table.row(*b).name));
        let room = limit.saturating_sub(out.len());
        out.extend(bucket.drain(..).take(room));
    };
    if out.len() < limit {
        let lengths = shortest_starting_with(f)..=MAX_LEN;
        snapshot.prefix_by_length(snapshot.fields.name_by_len, f.as_bytes(), lengths, &mut |len, r| {
            if len != bucket_len {
                flush(&mut bucket, &mut out);
                bucket_len = len;
                if out.len() >= limit {
                    return false;
                }
            }
            if &*table.row(r).folded != f {
                bucket.push(r);
            }
            true
        })?;
        flush(&mut bucket, &mut out);
    }
    Ok(out)
}

/// Shorter names first, then byte order of the name.
fn by_length(table: &Table, a: u32, b: u32) -> std::cmp::Ordering {
    let (a, b) = (table.row(a), table.row(b));
    (a.name_len, &a.name).cmp(&(b.name_len, &b.name))
}

/// Rows whose folded name is `folded`.
fn exact_rows(snapshot: &Snapshot, folded: &str) -> Vec<u32> {
    let len = folded.chars().count() as u32;
    let mut rows = Vec::new();
    // The length pins the prefix down to the whole name.
    let _ = snapshot.prefix_by_length(snapshot.fields.folded_by_len, folded.as_bytes(), len..=len, &mut |_, r| {
        rows.push(r);
        true
    });
    rows
}

/// Levenshtein automata builders, one per distance (building one is slow).
fn levenshtein(distance: u8) -> &'static LevenshteinAutomatonBuilder {
    static ONE: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    static TWO: OnceLock<LevenshteinAutomatonBuilder> = OnceLock::new();
    match distance {
        1 => ONE.get_or_init(|| LevenshteinAutomatonBuilder::new(1, false)),
        _ => TWO.get_or_init(|| LevenshteinAutomatonBuilder::new(2, false)),
    }
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::Basic))
}

fn constant(query: Box<dyn Query>, score: f32) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(query, score))
}

/// Every word in some form, scored 4 in the name, 2 in the summary, 1 in
/// the description (the best place counts), summed over the words.
fn words_query(fields: &Fields, words: &[Vec<String>]) -> Option<Box<dyn Query>> {
    if words.is_empty() {
        return None;
    }
    let clauses = words
        .iter()
        .map(|forms| {
            let places: Vec<Box<dyn Query>> = forms
                .iter()
                .flat_map(|form| {
                    fields
                        .words
                        .iter()
                        .zip([4.0, 2.0, 1.0])
                        .map(move |(field, w)| constant(term_query(*field, form), w))
                })
                .collect();
            (Occur::Must, Box::new(DisjunctionMaxQuery::new(places)) as Box<dyn Query>)
        })
        .collect();
    Some(Box::new(BooleanQuery::new(clauses)))
}

/// A set of group numbers, one bit each: tiers test and add thousands of
/// groups per query, and a bit is cheaper than a hash.
struct Marks(Vec<u64>);

impl Marks {
    fn new(groups: usize) -> Self {
        Marks(vec![0; groups.div_ceil(64)])
    }

    fn has(&self, group: u32) -> bool {
        self.0.get(group as usize / 64).is_some_and(|w| w & (1 << (group % 64)) != 0)
    }

    /// Adds `group`; true when it was not there yet.
    fn insert(&mut self, group: u32) -> bool {
        let (i, bit) = (group as usize / 64, 1u64 << (group % 64));
        if i >= self.0.len() {
            self.0.resize(i + 1, 0);
        }
        let new = self.0[i] & bit == 0;
        self.0[i] |= bit;
        new
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fold_name;

    /// The length bound skips no name that could match: for every character,
    /// no prefix of a folded name containing it counts more than the name.
    #[test]
    fn no_folded_prefix_is_longer_than_its_name() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let name = format!("x{c}{c}-y");
            let folded = fold_name(&name);
            let len = name.chars().count() as u32;
            for (end, _) in folded.char_indices().skip(1).chain([(folded.len(), ' ')]) {
                assert!(shortest_starting_with(&folded[..end]) <= len, "{c:?}: {:?}", &folded[..end]);
            }
        }
    }
}

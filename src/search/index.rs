//! The tantivy index: its fields, the build from every package, updates
//! from notified changes, and the lookups ranking is made of.
//!
//! A package is one document. Its folded name goes in keyed by length
//! (`*_by_len`: `0007vim x11`; exact, ecosystem, prefix and typo matches,
//! see `automata`), so that the shortest names starting with a query are
//! found first without visiting the thousands a one-letter query starts;
//! alone (`folded`: when only a few names start with a query, one term
//! range lists them all); and as trigrams (`grams`: names containing the
//! query). The words are
//! PostgreSQL's own (`ts_filter` of the row's `search_text`), one field per
//! weight.
use std::collections::HashSet;
use std::sync::{Arc, Mutex, RwLock};

use futures::TryStreamExt;
use sqlx::PgPool;
use tantivy::columnar::Column;
use tantivy::postings::BlockSegmentPostings;
use tantivy::query::{EnableScoring, Query};
use tantivy::schema::{Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED};
use tantivy::tokenizer::{NgramTokenizer, TokenStream};
use tantivy::{DocId, IndexReader, IndexWriter, InvertedIndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};

use tantivy_fst::Automaton;

use super::automata::LENGTH_DIGITS;
use super::table::Table;
use super::SearchError;
use crate::db::search::IndexRow;

/// The writer's buffer: documents are flushed to a segment when it fills.
const WRITER_MEMORY: usize = 40 << 20;

#[derive(Debug, Clone, Copy)]
pub(super) struct Fields {
    pub row: Field,
    /// Every package: `{length of folded name:04}{folded name}`.
    pub folded_by_len: Field,
    /// Source packages: `{length of name:04}{folded name}`.
    pub source_by_len: Field,
    /// Sub-packages: `{length of their source's name:04}{folded name}`.
    pub sub_by_len: Field,
    /// Every package: `{length of name:04}{folded name}`.
    pub name_by_len: Field,
    /// Every package's folded name alone: one term range lists every name
    /// starting with a query, when there are few.
    pub folded: Field,
    pub grams: Field,
    /// Words in the name, the summary, the description.
    pub words: [Field; 3],
}

/// A length-bucket key: `0007vim x11`.
pub(super) fn by_len(len: u32, folded: &str) -> String {
    format!("{len:04}{folded}")
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let raw = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::Basic)
                .set_fieldnorms(false),
        )
    };
    let fields = Fields {
        row: b.add_u64_field("row", INDEXED | FAST),
        folded_by_len: b.add_text_field("folded_by_len", raw("raw")),
        source_by_len: b.add_text_field("source_by_len", raw("raw")),
        sub_by_len: b.add_text_field("sub_by_len", raw("raw")),
        name_by_len: b.add_text_field("name_by_len", raw("raw")),
        folded: b.add_text_field("folded", raw("raw")),
        grams: b.add_text_field("grams", raw("grams")),
        words: [
            b.add_text_field("name_words", raw("raw")),
            b.add_text_field("summary_words", raw("raw")),
            b.add_text_field("description_words", raw("raw")),
        ],
    };
    (b.build(), fields)
}

/// The index and the table its documents point into.
pub struct Index {
    index: tantivy::Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter<TantivyDocument>>,
    pub(super) table: RwLock<Table>,
    pub(super) fields: Fields,
    /// What queries read, opened once per commit.
    snapshot: RwLock<Arc<Snapshot>>,
}

impl Index {
    /// An empty index.
    pub fn new() -> Result<Self, SearchError> {
        let (schema, fields) = schema();
        let index = tantivy::Index::create_in_ram(schema);
        index.tokenizers().register("grams", NgramTokenizer::new(3, 3, false)?);
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
        let reader: IndexReader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let snapshot = RwLock::new(Arc::new(Snapshot::open(reader.searcher(), fields, &index)?));
        Ok(Index { index, reader, writer: Mutex::new(writer), table: RwLock::new(Table::default()), fields, snapshot })
    }

    /// An index of every package, read from PostgreSQL in one pass. Rows are
    /// indexed on a blocking thread as they stream in.
    pub async fn build(pool: &PgPool) -> Result<Self, SearchError> {
        let index = std::sync::Arc::new(Index::new()?);
        let (tx, mut rx) = tokio::sync::mpsc::channel::<IndexRow>(1024);
        let indexer = {
            let index = index.clone();
            tokio::task::spawn_blocking(move || -> Result<(), SearchError> {
                while let Some(row) = rx.blocking_recv() {
                    index.upsert(&row)?;
                }
                index.commit()?;
                index.merge()
            })
        };
        let mut rows = crate::db::search::index_rows(pool, None);
        while let Some(row) = rows.try_next().await? {
            if tx.send(row).await.is_err() {
                break;
            }
        }
        drop(rows);
        drop(tx);
        indexer.await.map_err(|e| SearchError::Task(e.to_string()))??;
        std::sync::Arc::try_unwrap(index).map_err(|_| SearchError::Task("index still shared".into()))
    }

    /// Applies notified changes: `rows` are the packages of `names` that
    /// still exist; the other names are gone. Searchable when this returns.
    pub fn apply(&self, names: &[String], rows: &[IndexRow]) -> Result<(), SearchError> {
        let present: HashSet<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        for name in names.iter().filter(|n| !present.contains(n.as_str())) {
            let removed = self.table.write().unwrap_or_else(|e| e.into_inner()).remove(name);
            if let Some(old) = removed {
                self.writer().delete_term(Term::from_field_u64(self.fields.row, u64::from(old)));
            }
        }
        for row in rows {
            self.upsert(row)?;
        }
        self.commit()
    }

    /// Packages indexed.
    pub fn len(&self) -> usize {
        self.table().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether replaced rows outnumber current ones (a rebuild frees them).
    pub fn wants_rebuild(&self) -> bool {
        self.table().mostly_dead()
    }

    pub(super) fn table(&self) -> std::sync::RwLockReadGuard<'_, Table> {
        self.table.read().unwrap_or_else(|e| e.into_inner())
    }

    fn writer(&self) -> std::sync::MutexGuard<'_, IndexWriter<TantivyDocument>> {
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds (or replaces) one package's document; searchable after `commit`.
    fn upsert(&self, row: &IndexRow) -> Result<(), SearchError> {
        let doc = {
            let mut table = self.table.write().unwrap_or_else(|e| e.into_inner());
            let (id, replaced) = table.insert(row);
            if let Some(old) = replaced {
                self.writer().delete_term(Term::from_field_u64(self.fields.row, u64::from(old)));
            }
            let r = table.row(id);
            self.document(id, row, r.name_len, table.group(r.group).len)
        };
        self.writer().add_document(doc)?;
        Ok(())
    }

    fn document(&self, id: u32, row: &IndexRow, name_len: u32, source_len: u32) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::new();
        doc.add_u64(f.row, u64::from(id));
        doc.add_text(f.folded_by_len, by_len(row.folded_name.chars().count() as u32, &row.folded_name));
        if row.name == row.source_name {
            doc.add_text(f.source_by_len, by_len(name_len, &row.folded_name));
        } else {
            doc.add_text(f.sub_by_len, by_len(source_len, &row.folded_name));
        }
        doc.add_text(f.name_by_len, by_len(name_len, &row.folded_name));
        doc.add_text(f.folded, &row.folded_name);
        doc.add_text(f.grams, &row.folded_name);
        for (field, words) in f.words.iter().zip([&row.name_words, &row.summary_words, &row.description_words]) {
            for word in words {
                doc.add_text(*field, word);
            }
        }
        doc
    }

    fn commit(&self) -> Result<(), SearchError> {
        self.writer().commit()?;
        self.reload()
    }

    /// One segment instead of the several a build flushes: every lookup
    /// visits each segment.
    fn merge(&self) -> Result<(), SearchError> {
        let segments = self.index.searchable_segment_ids()?;
        if segments.len() > 1 {
            self.writer().merge(&segments).wait()?;
        }
        self.reload()
    }

    fn reload(&self) -> Result<(), SearchError> {
        self.reader.reload()?;
        let snapshot = Arc::new(Snapshot::open(self.reader.searcher(), self.fields, &self.index)?);
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = snapshot;
        Ok(())
    }

    /// The view queries read: the last commit's.
    pub(super) fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// A length-keyed field: its reader per segment, and the key lengths its
/// terms have (a few dozen), ascending.
struct Keyed {
    field: Field,
    readers: Vec<Arc<InvertedIndexReader>>,
    lengths: Vec<u32>,
}

/// The distinct key lengths in the segments' terms: one seek per length
/// present, each to the first term of the next length.
fn key_lengths(readers: &[Arc<InvertedIndexReader>]) -> Result<Vec<u32>, SearchError> {
    let mut lengths = std::collections::BTreeSet::new();
    for inverted in readers {
        let mut from = 0;
        loop {
            let mut terms = inverted.terms().range().ge(by_len(from, "").as_bytes()).into_stream()?;
            if !terms.advance() {
                break;
            }
            let len = length_of(terms.key());
            // Four digits: 9999 is the last length a key can spell.
            if len < from || len >= 9999 {
                lengths.extend((len >= from).then_some(len));
                break;
            }
            lengths.insert(len);
            from = len + 1;
        }
    }
    Ok(lengths.into_iter().collect())
}

/// A consistent view of one commit: the searcher, and per segment the
/// document → row column and the length-keyed fields' readers.
pub(super) struct Snapshot {
    pub searcher: Searcher,
    rows: Vec<Column<u64>>,
    by_len: Vec<Keyed>,
    /// The `folded` field's reader and the `grams` field's, per segment.
    folded_readers: Vec<Arc<InvertedIndexReader>>,
    gram_readers: Vec<Arc<InvertedIndexReader>>,
    pub fields: Fields,
    tokenizers: tantivy::tokenizer::TokenizerManager,
}

impl Snapshot {
    fn open(searcher: Searcher, fields: Fields, index: &tantivy::Index) -> Result<Self, SearchError> {
        let segments = searcher.segment_readers();
        let rows = segments.iter().map(|s| s.fast_fields().u64("row")).collect::<Result<Vec<_>, _>>()?;
        let by_len = [fields.folded_by_len, fields.source_by_len, fields.sub_by_len, fields.name_by_len]
            .into_iter()
            .map(|field| {
                let readers = segments.iter().map(|s| s.inverted_index(field)).collect::<Result<Vec<_>, _>>()?;
                let lengths = key_lengths(&readers)?;
                Ok(Keyed { field, readers, lengths })
            })
            .collect::<Result<Vec<_>, SearchError>>()?;
        let inverted = |field| segments.iter().map(|s| s.inverted_index(field)).collect::<Result<Vec<_>, _>>();
        let (folded_readers, gram_readers) = (inverted(fields.folded)?, inverted(fields.grams)?);
        let tokenizers = index.tokenizers().clone();
        Ok(Snapshot { searcher, rows, by_len, folded_readers, gram_readers, fields, tokenizers })
    }

    fn row(&self, segment: usize, doc: DocId) -> Option<u32> {
        let reader = self.searcher.segment_reader(segment as u32);
        if reader.alive_bitset().is_some_and(|alive| !alive.is_alive(doc)) {
            return None;
        }
        self.rows[segment].first(doc).and_then(|r| u32::try_from(r).ok())
    }

    /// Rows of the length-keyed `field` whose terms `automaton` accepts, in
    /// term order (length, then name) across segments; `f` gets each row with
    /// its key's length and returns false to stop.
    pub fn by_length<A: Automaton>(
        &self,
        field: Field,
        automaton: &A,
        f: &mut impl FnMut(u32, u32) -> bool,
    ) -> Result<(), SearchError>
    where
        A::State: Clone,
    {
        let Some(keyed) = self.by_len.iter().find(|k| k.field == field) else { return Ok(()) };
        let mut streams = Vec::with_capacity(keyed.readers.len());
        for (segment, inverted) in keyed.readers.iter().enumerate() {
            streams.push((segment, inverted.terms().search(automaton).into_stream()?));
        }
        self.merged(&keyed.readers, streams, f).map(drop)
    }

    /// Rows of the length-keyed `field` whose names start with `prefix` and
    /// whose key length is in `lengths`, as [`Snapshot::by_length`] gives
    /// them. One range of terms per length the field has: a prefix walk
    /// over every possible length visits thousands of empty branches.
    pub fn prefix_by_length(
        &self,
        field: Field,
        prefix: &[u8],
        lengths: std::ops::RangeInclusive<u32>,
        f: &mut impl FnMut(u32, u32) -> bool,
    ) -> Result<(), SearchError> {
        let Some(keyed) = self.by_len.iter().find(|k| k.field == field) else { return Ok(()) };
        let mut from = Vec::with_capacity(LENGTH_DIGITS as usize + prefix.len());
        let mut to = Vec::with_capacity(from.capacity() + 1);
        for &len in keyed.lengths.iter().filter(|l| lengths.contains(l)) {
            from.clear();
            from.extend_from_slice(by_len(len, "").as_bytes());
            from.extend_from_slice(prefix);
            to.clear();
            to.extend_from_slice(&from);
            // 0xFF never occurs in UTF-8: every name with the prefix sorts below.
            to.push(0xFF);
            let mut streams = Vec::with_capacity(keyed.readers.len());
            for (segment, inverted) in keyed.readers.iter().enumerate() {
                streams.push((segment, inverted.terms().range().ge(&from).lt(&to).into_stream()?));
            }
            if !self.merged(&keyed.readers, streams, f)? {
                break;
            }
        }
        Ok(())
    }

    /// Rows whose folded name starts with `prefix`, in no order; `None`
    /// when more than `most` names do (reading them all would cost more than
    /// [`Snapshot::prefix_by_length`], which finds the shortest first).
    pub fn starting_with(&self, prefix: &[u8], most: u64) -> Result<Option<Vec<u32>>, SearchError> {
        let mut past = prefix.to_vec();
        // 0xFF never occurs in UTF-8: every name with the prefix sorts below.
        past.push(0xFF);
        let mut rows = Vec::new();
        let mut block = BlockSegmentPostings::empty();
        for (segment, inverted) in self.folded_readers.iter().enumerate() {
            let terms = inverted.terms();
            let mut names = terms.range().ge(prefix).into_stream()?;
            if !names.advance() || !names.key().starts_with(prefix) {
                continue;
            }
            // Counted first, from the term numbers either side of the range:
            // one more seek, where walking it to find it too long reads every term.
            let mut after = terms.range().ge(&past).into_stream()?;
            let end = if after.advance() { after.term_ord() } else { terms.num_terms() as u64 };
            if end.saturating_sub(names.term_ord()) > most {
                return Ok(None);
            }
            loop {
                inverted.reset_block_postings_from_terminfo(names.value(), &mut block)?;
                while !block.docs().is_empty() {
                    rows.extend(block.docs().iter().filter_map(|&doc| self.row(segment, doc)));
                    block.advance();
                }
                if !names.advance() || !names.key().starts_with(prefix) {
                    break;
                }
            }
        }
        Ok(Some(rows))
    }

    /// Rows having the two rarest of `grams` (trigrams) in their segment: a
    /// superset of those having them all, which is enough since every
    /// candidate is checked for the whole query anyway. Cheaper than
    /// intersecting them all, which sets up a scorer per trigram.
    pub fn with_rarest_grams(&self, grams: &[&str], f: &mut impl FnMut(u32)) -> Result<(), SearchError> {
        let mut block = BlockSegmentPostings::empty();
        'segments: for (segment, inverted) in self.gram_readers.iter().enumerate() {
            let mut infos = Vec::with_capacity(grams.len());
            for gram in grams {
                // A trigram no name in the segment has: nothing here contains the query.
                let Some(info) = inverted.get_term_info(&Term::from_field_text(self.fields.grams, gram))? else {
                    continue 'segments;
                };
                infos.push(info);
            }
            infos.sort_unstable_by_key(|info| info.doc_freq);
            let mut docs: Vec<DocId> = Vec::new();
            for (i, info) in infos.iter().take(2).enumerate() {
                inverted.reset_block_postings_from_terminfo(info, &mut block)?;
                let mut next = Vec::with_capacity(info.doc_freq as usize);
                while !block.docs().is_empty() {
                    next.extend_from_slice(block.docs());
                    block.advance();
                }
                docs = match i {
                    0 => next,
                    // Both lists are in document order.
                    _ => intersect_sorted(&docs, &next),
                };
            }
            for doc in docs {
                if let Some(row) = self.row(segment, doc) {
                    f(row);
                }
            }
        }
        Ok(())
    }

    /// Walks term streams (one per segment) in key order, each term's rows
    /// to `f`; false when `f` asked to stop.
    fn merged<A: Automaton>(
        &self,
        readers: &[Arc<InvertedIndexReader>],
        streams: Vec<(usize, tantivy::termdict::TermStreamer<'_, A>)>,
        f: &mut impl FnMut(u32, u32) -> bool,
    ) -> Result<bool, SearchError>
    where
        A::State: Clone,
    {
        let mut streams: Vec<_> = streams.into_iter().filter_map(|(s, mut t)| t.advance().then_some((s, t))).collect();
        // Most terms are one name with one document: one block reader for
        // all of them, instead of a postings reader allocated per term.
        let mut block = BlockSegmentPostings::empty();
        // Segments are merged by key, so the order holds across them.
        while let Some(next) = (0..streams.len()).min_by(|a, b| streams[*a].1.key().cmp(streams[*b].1.key())) {
            let (segment, terms) = &mut streams[next];
            let len = length_of(terms.key());
            readers[*segment].reset_block_postings_from_terminfo(terms.value(), &mut block)?;
            while !block.docs().is_empty() {
                for &doc in block.docs() {
                    if let Some(row) = self.row(*segment, doc) {
                        if !f(len, row) {
                            return Ok(false);
                        }
                    }
                }
                block.advance();
            }
            if !terms.advance() {
                streams.swap_remove(next);
            }
        }
        Ok(true)
    }

    /// For each row having at least `least` of `terms` in `field`, how many
    /// it has. Counted in one array per segment, a posting list at a time:
    /// a union of dozens of common trigrams visits tens of thousands of
    /// documents, and a map per document costs more than the lists.
    pub fn count_terms(
        &self,
        field: Field,
        terms: &[String],
        least: u16,
        f: &mut impl FnMut(u32, u16),
    ) -> Result<(), SearchError> {
        let least = least.max(1);
        let mut block = BlockSegmentPostings::empty();
        for (segment, reader) in self.searcher.segment_readers().iter().enumerate() {
            let inverted = reader.inverted_index(field)?;
            let mut counts = vec![0u16; reader.max_doc() as usize];
            // Documents as they reach `least`: no pass over every document.
            let mut reached: Vec<DocId> = Vec::new();
            for term in terms {
                let Some(info) = inverted.get_term_info(&Term::from_field_text(field, term))? else { continue };
                inverted.reset_block_postings_from_terminfo(&info, &mut block)?;
                while !block.docs().is_empty() {
                    for &doc in block.docs() {
                        if let Some(count) = counts.get_mut(doc as usize) {
                            *count = count.saturating_add(1);
                            if *count == least {
                                reached.push(doc);
                            }
                        }
                    }
                    block.advance();
                }
            }
            for doc in reached {
                if let Some(row) = self.row(segment, doc) {
                    f(row, counts[doc as usize]);
                }
            }
        }
        Ok(())
    }

    /// Rows matching `query`, with their scores when `scored`.
    pub fn query_rows(&self, query: &dyn Query, scored: bool, f: &mut impl FnMut(u32, f32)) -> Result<(), SearchError> {
        let scoring = match scored {
            true => EnableScoring::enabled_from_searcher(&self.searcher),
            false => EnableScoring::disabled_from_searcher(&self.searcher),
        };
        let weight = query.weight(scoring)?;
        for (segment, reader) in self.searcher.segment_readers().iter().enumerate() {
            weight.for_each(reader, &mut |doc, score| {
                if let Some(row) = self.row(segment, doc) {
                    f(row, score);
                }
            })?;
        }
        Ok(())
    }

    /// The distinct trigrams of `text`, as the `grams` field holds them.
    pub fn grams(&self, text: &str) -> Vec<String> {
        let mut grams = Vec::new();
        if let Some(mut tokenizer) = self.tokenizers.get("grams") {
            let mut stream = tokenizer.token_stream(text);
            while let Some(token) = stream.next() {
                grams.push(token.text.clone());
            }
        }
        // Sorted to drop repeats: a long query has dozens of trigrams.
        grams.sort_unstable();
        grams.dedup();
        grams
    }
}

/// At most `most` trigrams of `text`, spread along it, as slices of it (the
/// `grams` tokenizer's tokens: every three characters in a row). A few
/// spread along a query narrow the names containing it as well as all of
/// them, and cost a dictionary lookup each.
pub(super) fn spread_grams(text: &str, most: usize) -> Vec<&str> {
    let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
    let count = starts.len().saturating_sub(3);
    let step = count.div_ceil(most.max(1)).max(1);
    (0..count).step_by(step).map(|i| &text[starts[i]..starts[i + 3]]).collect()
}

/// The documents in both ascending lists.
fn intersect_sorted(a: &[DocId], b: &[DocId]) -> Vec<DocId> {
    let (mut i, mut j, mut both) = (0, 0, Vec::new());
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both.push(*x);
                i += 1;
                j += 1;
            }
        }
    }
    both
}

/// The length a length-keyed term starts with.
fn length_of(key: &[u8]) -> u32 {
    key.iter().take(LENGTH_DIGITS as usize).fold(0, |n, d| n * 10 + u32::from(d.wrapping_sub(b'0')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_grams_are_the_tokenizers_trigrams() {
        let index = Index::new().expect("an index in memory");
        let snapshot = index.snapshot();
        for text in ["vim", "python3 requests", "évian ünïcode", "ab", "", "xxxxxxxx"] {
            let all = snapshot.grams(text);
            let spread = spread_grams(text, usize::MAX);
            let mut distinct: Vec<String> = spread.iter().map(|g| g.to_string()).collect();
            distinct.sort_unstable();
            distinct.dedup();
            assert_eq!(distinct, all, "{text:?}");
            let few = spread_grams(text, 3);
            assert!(few.len() <= 3 && few.iter().all(|g| all.iter().any(|a| a == g)), "{text:?}: {few:?}");
            assert_eq!(few.first(), spread.first(), "{text:?}: the first trigram is always read");
        }
    }

    #[test]
    fn documents_in_both_lists() {
        assert_eq!(intersect_sorted(&[1, 3, 5, 9], &[2, 3, 4, 9, 10]), vec![3, 9]);
        assert_eq!(intersect_sorted(&[], &[1]), Vec::<DocId>::new());
    }

    #[test]
    fn length_keys_sort_shorter_names_first() {
        assert_eq!(by_len(7, "vim x11"), "0007vim x11");
        assert!(by_len(3, "vim") < by_len(7, "vim x11"));
        assert_eq!(length_of(by_len(7, "vim x11").as_bytes()), 7);
    }
}

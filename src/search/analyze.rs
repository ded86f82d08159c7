//! A query's text as both engines take it. The word forms come from
//! tantivy's analyzers (letters and digits, lower case, English stemming), so
//! that they meet the forms PostgreSQL's English configuration stored.
use std::cell::RefCell;

use tantivy::tokenizer::{
    Language, LowerCaser, RawTokenizer, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer, TokenStream,
};

use crate::model::{clean_query, fold_name, SearchQuery};

/// Words beyond these are ignored: each one is a posting list to intersect.
const MAX_WORDS: usize = 12;

struct Analyzers {
    words: TextAnalyzer,
    stem: TextAnalyzer,
}

thread_local! {
    static ANALYZERS: RefCell<Analyzers> = RefCell::new(Analyzers {
        // Only the shortest stop word list is dropped: PostgreSQL keeps every
        // word of summaries and descriptions (migration `search_index`).
        words: TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(StopWordFilter::new(Language::English).unwrap_or_else(|| StopWordFilter::remove(Vec::new())))
            .build(),
        stem: TextAnalyzer::builder(RawTokenizer::default()).filter(Stemmer::new(Language::English)).build(),
    });
}

/// The query `raw` analyzed: cleaned, folded, and its words' forms.
pub fn analyze(raw: &str) -> SearchQuery {
    let text = clean_query(raw);
    let folded = fold_name(&text);
    let words = ANALYZERS.with(|a| word_forms(&mut a.borrow_mut(), &text));
    SearchQuery { text, folded, words }
}

/// The query `raw` as the search box's suggestions read it: cleaned and
/// folded, without the word forms (suggestions match names only, and
/// stemming is most of what analyzing costs).
pub fn analyze_name(raw: &str) -> SearchQuery {
    let text = clean_query(raw);
    let folded = fold_name(&text);
    SearchQuery { text, folded, words: Vec::new() }
}

/// Each distinct word as typed (lower case) and stemmed: `requests` is
/// `requests` or `request`, as a name keeps it whole and a summary stems it.
fn word_forms(analyzers: &mut Analyzers, text: &str) -> Vec<Vec<String>> {
    let mut words: Vec<String> = Vec::new();
    let mut stream = analyzers.words.token_stream(text);
    while let Some(token) = stream.next() {
        if !words.contains(&token.text) && words.len() < MAX_WORDS {
            words.push(token.text.clone());
        }
    }
    words
        .into_iter()
        .map(|word| {
            let mut forms = vec![word.clone()];
            let mut stem = analyzers.stem.token_stream(&word);
            while let Some(token) = stem.next() {
                if !forms.contains(&token.text) {
                    forms.push(token.text.clone());
                }
            }
            forms
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_their_typed_and_stemmed_forms() {
        let q = analyze("  Python3-Requests for replaying HTTP  ");
        assert_eq!(q.text, "Python3-Requests for replaying HTTP");
        assert_eq!(q.folded, "python3 requests for replaying http");
        assert_eq!(
            q.words,
            vec![
                vec!["python3".to_string()],
                vec!["requests".into(), "request".into()],
                vec!["replaying".into(), "replay".into()],
                vec!["http".into()],
            ]
        );
    }

    #[test]
    fn suggestions_read_the_name_as_results_do() {
        for raw in ["  Python3-Requests for replaying HTTP  ", "gtk+", "\u{0}İx", ""] {
            let (name, full) = (analyze_name(raw), analyze(raw));
            assert_eq!((name.text, name.folded), (full.text, full.folded));
            assert!(name.words.is_empty());
        }
    }

    #[test]
    fn odd_input_has_no_words() {
        for raw in ["", "   ", "%_%", "' OR 1=1 --", "\u{0}\u{7}", "🦀"] {
            let q = analyze(raw);
            assert!(q.words.iter().flatten().all(|f| f.chars().all(char::is_alphanumeric)), "{raw:?}: {q:?}");
        }
        assert!(analyze("the of and").words.is_empty());
        assert_eq!(analyze(&"word ".repeat(100)).words.len(), 1);
        assert_eq!(analyze(&(0..40).map(|i| format!("w{i} ")).collect::<String>()).words.len(), MAX_WORDS);
    }
}

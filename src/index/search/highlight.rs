//! Where a statement's text matched a search, as byte ranges, so a terminal (or any
//! other front end) can mark the words. The text is run through the index's analyzer,
//! so "they'll" marks "they’ll"; a word the search matched by its stem marks every
//! word with that stem, so "agree" marks "agreed".
//!
//! Known limits: `query` marks every word of the query wherever it occurs in a hit,
//! not only where a phrase or proximity clause matched; fuzzy and range clauses mark
//! nothing; a boosted word (`agree^2`) marks only its own spelling.

use std::collections::HashSet;
use std::ops::Range;

use anyhow::Result;
use tantivy::query::{BooleanQuery, Query};
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;

use super::who::MatchKind;
use crate::index::query::parse;
use crate::index::query::stems::{EnglishStemmer, StemQuery};
use crate::index::{Error, Index};
use crate::words::{exact_analyzer, tokens};

/// Marks the words of one search in statement texts.
#[derive(Clone)]
pub struct Highlighter {
    analyzer: Option<TextAnalyzer>,
    /// Indexed terms to mark (as the analyzer produces them).
    terms: Vec<String>,
    /// Stems to mark: every word with one of these stems.
    stems: Vec<String>,
    /// Mark only runs of `terms` in order (an exact phrase), not each term alone.
    phrase: bool,
}

impl Highlighter {
    /// Marks nothing.
    pub fn none() -> Highlighter {
        Highlighter { analyzer: None, terms: Vec::new(), stems: Vec::new(), phrase: false }
    }

    /// For `query`: the statement-text words of the parsed query (excluded words never
    /// occur in a hit, so they are harmless).
    pub fn for_query(index: &Index, query: &str) -> Result<Highlighter, Error> {
        let parsed = parse(index, query)?;
        let mut words = HashSet::new();
        let mut stems = HashSet::new();
        collect(&*parsed, index.fields.text, &mut EnglishStemmer::new(), &mut words, &mut stems);
        let sorted = |set: HashSet<String>| {
            let mut v: Vec<String> = set.into_iter().collect();
            v.sort();
            v
        };
        Ok(Highlighter {
            analyzer: Some(exact_analyzer()),
            terms: sorted(words),
            stems: sorted(stems),
            phrase: false,
        })
    }

    /// For `who`: the phrase as a whole when it matched exactly, its words when they
    /// matched near each other, its words' stems when they matched anywhere.
    pub fn for_who(phrase: &str, matched: MatchKind) -> Highlighter {
        let words = tokens(&mut exact_analyzer(), phrase);
        let (terms, stems, phrase) = match matched {
            MatchKind::None => return Highlighter::none(),
            MatchKind::Exact => (words, Vec::new(), true),
            MatchKind::Sloppy => (words, Vec::new(), false),
            MatchKind::Words => {
                let mut stemmer = EnglishStemmer::new();
                (Vec::new(), words.iter().map(|w| stemmer.stem(w)).collect(), false)
            }
        };
        Highlighter { analyzer: Some(exact_analyzer()), terms, stems, phrase }
    }

    /// Byte ranges of `text` to mark, in order, not overlapping.
    pub fn ranges(&self, text: &str) -> Vec<Range<usize>> {
        let Some(analyzer) = &self.analyzer else { return Vec::new() };
        if self.terms.is_empty() && self.stems.is_empty() {
            return Vec::new();
        }
        let mut analyzer = analyzer.clone();
        let mut found: Vec<(String, Range<usize>)> = Vec::new();
        let mut stream = analyzer.token_stream(text);
        stream.process(&mut |t| found.push((t.text.clone(), t.offset_from..t.offset_to)));
        let n = self.terms.len();
        let mut out: Vec<Range<usize>> = Vec::new();
        if self.phrase {
            let mut i = 0;
            while i + n <= found.len() {
                if found[i..i + n].iter().zip(&self.terms).all(|((t, _), w)| t == w) {
                    out.push(found[i].1.start..found[i + n - 1].1.end);
                    i += n;
                } else {
                    i += 1;
                }
            }
        } else {
            let mut stemmer = (!self.stems.is_empty()).then(EnglishStemmer::new);
            for (t, r) in found {
                if self.terms.contains(&t)
                    || stemmer.as_mut().is_some_and(|s| self.stems.contains(&s.stem(&t)))
                {
                    out.push(r);
                }
            }
        }
        out
    }
}

/// The statement-text words of `query`: those matched by their stem into `stems`
/// (as stems), the others into `words`.
fn collect(
    query: &dyn Query,
    text: Field,
    stemmer: &mut EnglishStemmer,
    words: &mut HashSet<String>,
    stems: &mut HashSet<String>,
) {
    if let Some(word) = query.downcast_ref::<StemQuery>() {
        stems.insert(stemmer.stem(word.word()));
    } else if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
        for (_, clause) in boolean.clauses() {
            collect(&**clause, text, stemmer, words, stems);
        }
    } else {
        query.query_terms(&mut |term, _| {
            if let (true, Some(word)) = (term.field() == text, term.value().as_str()) {
                words.insert(word.to_string());
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(terms: &[&str], phrase: bool) -> Highlighter {
        Highlighter {
            analyzer: Some(exact_analyzer()),
            terms: terms.iter().map(|t| t.to_string()).collect(),
            stems: Vec::new(),
            phrase,
        }
    }

    #[test]
    fn a_phrase_marks_only_its_runs() {
        let text = "The deal is off, and the deal they’ll sign is not the deal";
        let h = exact(&["the", "deal"], true);
        let marked: Vec<&str> = h.ranges(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(marked, ["The deal", "the deal", "the deal"]);
        let h = exact(&["they", "ll", "sign"], true);
        let marked: Vec<&str> = h.ranges(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(marked, ["they’ll sign"]);
    }

    #[test]
    fn words_mark_each_occurrence() {
        let text = "Ann Lee said the deal was a good deal";
        let marked: Vec<&str> =
            exact(&["deal"], false).ranges(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(marked, ["deal", "deal"]);
        assert!(Highlighter::none().ranges(text).is_empty());
    }

    #[test]
    fn stemmed_words_mark_every_form() {
        let text = "Ann Lee agreed; Tom Baker is agreeing, but the agreement waits";
        let h = Highlighter::for_who("agree", MatchKind::Words);
        let marked: Vec<&str> = h.ranges(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(marked, ["agreed", "agreeing"]);
    }
}

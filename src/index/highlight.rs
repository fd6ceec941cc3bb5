//! Where a statement's text matched a search, as byte ranges, so a terminal (or any
//! other front end) can mark the words. The text is run through the same analyzer
//! the search used, so "agree" marks "agreed" (stemmed `query`) and "they'll" marks
//! "they’ll" (`who`'s exact phrase).
//!
//! Known limits: `query` marks every word of the query wherever it occurs in a hit,
//! not only where a phrase or proximity clause matched; fuzzy and range clauses mark
//! nothing; tokens longer than the analyzer's limit are never marked.

use std::collections::HashSet;
use std::ops::Range;

use anyhow::{Context, Result};
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;

use super::schema::{exact_analyzer, tokens, Index};
use super::search::parse;
use super::who::MatchKind;

/// Marks the words of one search in statement texts.
#[derive(Clone)]
pub struct Highlighter {
    analyzer: Option<TextAnalyzer>,
    /// Indexed terms to mark (as the analyzer produces them).
    terms: Vec<String>,
    /// Mark only runs of `terms` in order (an exact phrase), not each term alone.
    phrase: bool,
}

impl Highlighter {
    /// Marks nothing.
    pub fn none() -> Highlighter {
        Highlighter { analyzer: None, terms: Vec::new(), phrase: false }
    }

    /// For `query`: the statement-text terms of the parsed query (excluded terms
    /// never occur in a hit, so they are harmless).
    pub fn for_query(index: &Index, query: &str) -> Result<Highlighter> {
        let parsed = parse(index, query)?;
        let field = index.fields.text;
        let mut set = HashSet::new();
        parsed.query_terms(&mut |term, _| {
            if term.field() == field {
                if let Some(text) = term.value().as_str() {
                    set.insert(text.to_string());
                }
            }
        });
        let mut terms: Vec<String> = set.into_iter().collect();
        terms.sort();
        Ok(Highlighter { analyzer: Some(analyzer(index, field)?), terms, phrase: false })
    }

    /// For `who`: the phrase as a whole when it matched exactly, its words when they
    /// matched near each other, its stemmed words when they matched anywhere.
    pub fn for_who(index: &Index, phrase: &str, matched: MatchKind) -> Result<Highlighter> {
        let (field, terms, phrase) = match matched {
            MatchKind::None => return Ok(Highlighter::none()),
            MatchKind::Exact => (index.fields.text_exact, tokens(&mut exact_analyzer(), phrase), true),
            MatchKind::Sloppy => (index.fields.text_exact, tokens(&mut exact_analyzer(), phrase), false),
            MatchKind::Words => {
                let mut stem = analyzer(index, index.fields.text)?;
                (index.fields.text, tokens(&mut stem, phrase), false)
            }
        };
        Ok(Highlighter { analyzer: Some(analyzer(index, field)?), terms, phrase })
    }

    /// Byte ranges of `text` to mark, in order, not overlapping.
    pub fn ranges(&self, text: &str) -> Vec<Range<usize>> {
        let Some(analyzer) = &self.analyzer else { return Vec::new() };
        if self.terms.is_empty() {
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
            for (t, r) in found {
                // Filters may emit several tokens for one word; mark it once.
                if self.terms.contains(&t) && out.last().is_none_or(|last| last.end <= r.start) {
                    out.push(r);
                }
            }
        }
        out
    }
}

fn analyzer(index: &Index, field: Field) -> Result<TextAnalyzer> {
    index.inner.tokenizer_for_field(field).context("no analyzer for a text field")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact(terms: &[&str], phrase: bool) -> Highlighter {
        Highlighter { analyzer: Some(exact_analyzer()), terms: terms.iter().map(|t| t.to_string()).collect(), phrase }
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
        let marked: Vec<&str> = exact(&["deal"], false).ranges(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(marked, ["deal", "deal"]);
        assert!(Highlighter::none().ranges(text).is_empty());
    }
}

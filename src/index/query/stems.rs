//! Matching a word of the statement text by its English stem, at query time:
//! `query agree` finds "agreed", "agrees" and "agreeing" too.
//!
//! The index holds each word once, as written (lower-cased, accents folded); an
//! indexed stemmed copy of every statement was a quarter of the ingest's work and a
//! sixth of the index. A word query instead looks up the indexed words that share its
//! Snowball English stem. Such words begin with the stem, or with the stem whose last
//! letter is swapped as the stemmer swaps it ("happi" for "happy", "lose" for
//! "losing"), so only those stretches of each segment's term dictionary are read and
//! stemmed: a few hundred words at most for the words people search.
//!
//! Known limits: the four irregular forms the stemmer maps to another spelling
//! ("lying", "dying", "tying", "vying") are not found from their stems; a stem of one
//! letter matches only the word itself; a stretch longer than [`MAX_SCANNED`] words is
//! cut short there; phrases are matched as written, word for word (see `search`).

use std::collections::BTreeSet;

use tantivy::query::{BooleanQuery, BoostQuery, EnableScoring, Query, TermQuery, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{Language, RawTokenizer, Stemmer, TextAnalyzer};
use tantivy::{Score, Searcher, Term};

/// The stemmer's last-letter swaps: a word whose stem ends in the first letter may
/// have the second there instead ("happy" → "happi", "losing" → "lose",
/// "possibilities" → "possibl", "skies" → "sky"). Found by stemming every word of the
/// PolNeAR training split; `tests::swaps_cover_the_stemmer` checks examples.
const LAST_LETTER_SWAPS: [(char, char); 4] = [('i', 'y'), ('e', 'i'), ('l', 'i'), ('y', 'i')];
/// Words longer than the stem by more than this are never its variants (the longest
/// suffix the stemmer removed from a PolNeAR training word was 10 bytes).
const MAX_SUFFIX_BYTES: usize = 16;
/// Dictionary words read per stretch and segment, so that a two-letter stem ("be")
/// costs a bounded time on any index.
pub const MAX_SCANNED: usize = 20_000;

/// Tantivy's Snowball English stemmer.
#[derive(Clone)]
pub(crate) struct EnglishStemmer(TextAnalyzer);

impl EnglishStemmer {
    pub(crate) fn new() -> EnglishStemmer {
        EnglishStemmer(
            TextAnalyzer::builder(RawTokenizer::default())
                .filter(Stemmer::new(Language::English))
                .build(),
        )
    }

    /// The stem of one already lower-cased word.
    pub(crate) fn stem(&mut self, word: &str) -> String {
        let mut out = String::new();
        self.0.token_stream(word).process(&mut |t| out.clone_from(&t.text));
        out
    }
}

/// Every word of `field`'s dictionaries with the stem of `word` (which is always one
/// of them), sorted.
pub(crate) fn variants(
    searcher: &Searcher,
    field: Field,
    word: &str,
) -> tantivy::Result<Vec<String>> {
    let mut stemmer = EnglishStemmer::new();
    let stem = stemmer.stem(word);
    let mut found = BTreeSet::from([word.to_string()]);
    if stem.chars().count() < 2 {
        return Ok(found.into_iter().collect());
    }
    let prefixes = stretches(&stem);
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        for prefix in &prefixes {
            let mut stream = inverted.terms().range().ge(prefix.as_bytes()).into_stream()?;
            let mut scanned = 0;
            while stream.advance() && scanned < MAX_SCANNED {
                let key = stream.key();
                if !key.starts_with(prefix.as_bytes()) {
                    break;
                }
                scanned += 1;
                if key.len() > stem.len() + MAX_SUFFIX_BYTES {
                    continue;
                }
                let Ok(term) = std::str::from_utf8(key) else { continue };
                if !found.contains(term) && stemmer.stem(term) == stem {
                    found.insert(term.to_string());
                }
            }
        }
    }
    Ok(found.into_iter().collect())
}

/// The prefixes every word with stem `stem` begins with one of.
fn stretches(stem: &str) -> Vec<String> {
    let mut out = vec![stem.to_string()];
    let mut chars = stem.chars();
    if let Some(last) = chars.next_back() {
        let rest = chars.as_str();
        for (from, to) in LAST_LETTER_SWAPS {
            if last == from {
                out.push(format!("{rest}{to}"));
            }
        }
    }
    out
}

/// How much a stem variant's score counts against the word as typed. The Snowball
/// stemmer joins words a reader keeps apart ("rigged" and oil "rigs", "sanctions"
/// and "government-sanctioned"), so the form typed ranks first and its variants
/// still match, below it: a statement with only a variant needs several times the
/// BM25 score of one with the word itself to outrank it.
pub const VARIANT_WEIGHT: Score = 0.3;

/// One word of the statement text, matching every indexed word with its stem
/// (scored as the sum of those words' scores, the variants' times
/// [`VARIANT_WEIGHT`]).
#[derive(Clone, Debug)]
pub(crate) struct StemQuery {
    term: Term,
    word: String,
}

impl StemQuery {
    /// `word` must be as the index's analyzer makes it (lower-cased, folded).
    pub(crate) fn new(field: Field, word: &str) -> StemQuery {
        StemQuery { term: Term::from_field_text(field, word), word: word.to_string() }
    }

    /// The word as given.
    pub(crate) fn word(&self) -> &str {
        &self.word
    }
}

impl Query for StemQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let field = self.term.field();
        let words = match scoring.searcher() {
            Some(searcher) => variants(searcher, field, self.word())?,
            None => vec![self.word().to_string()],
        };
        let mut queries: Vec<Box<dyn Query>> = words
            .iter()
            .map(|w| {
                let term = Term::from_field_text(field, w);
                let query = Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
                match w == self.word() {
                    true => query as Box<dyn Query>,
                    false => Box::new(BoostQuery::new(query, VARIANT_WEIGHT)),
                }
            })
            .collect();
        if queries.len() == 1 {
            return queries.remove(0).weight(scoring);
        }
        BooleanQuery::union(queries).weight(scoring)
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        visitor(&self.term, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_as_the_snowball_stemmer_does() {
        let mut s = EnglishStemmer::new();
        assert_eq!(s.stem("agreed"), "agre");
        assert_eq!(s.stem("agreeing"), "agre");
        assert_eq!(s.stem("negotiations"), s.stem("negotiate"));
    }

    #[test]
    fn swaps_cover_the_stemmer() {
        // Each word begins with its stem or with one of the swapped stretches.
        let mut s = EnglishStemmer::new();
        for word in [
            "happy",
            "losing",
            "hoping",
            "possibilities",
            "skies",
            "trying",
            "tries",
            "agreement",
            "said",
        ] {
            let stem = s.stem(word);
            assert!(
                stretches(&stem).iter().any(|p| word.starts_with(p.as_str())),
                "{word} → {stem}: {:?}",
                stretches(&stem)
            );
        }
    }
}

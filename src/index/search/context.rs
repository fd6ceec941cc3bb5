//! The sentence around a statement, from its article's stored text (see
//! `index::articles`): the sentences, as extraction splits them, that hold the
//! statement, its speaker's mention and its cue, with offsets so a front end can mark
//! the statement in it. [`Quoted`] is a statement with its context, as `who` answers
//! them; a query's `Hit` carries one too.
//!
//! Known limits: runs of white space (line breaks included) are one space in the
//! context; a context longer than [`MAX_CONTEXT_BYTES`] is cut at word boundaries
//! around the statement, and a statement with its attribution longer than that loses
//! its middle (marked "…"); a statement whose article is not in the store, or whose
//! stored text no longer has the statement at its span, has no context.

use std::collections::HashMap;
use std::ops::Deref;

use anyhow::Result;
use serde::Serialize;

use crate::index::articles::StoredArticle;
use crate::index::Index;
use crate::statement::Statement;

/// The longest context, in bytes, before the "…" marks (about six lines of 80
/// columns): enough for a sentence and its attribution, short enough for a list.
pub const MAX_CONTEXT_BYTES: usize = 480;

const ELLIPSIS: &str = "…";

/// A statement's context. Offsets are bytes into `text`, as statements' `span` are
/// into the article body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Context {
    /// The sentence(s) around the statement, white space runs as one space, "…"
    /// where it was cut.
    pub text: String,
    /// Where the statement is in `text`.
    pub statement: [usize; 2],
    /// Where the speaker's mention is, when the statement has one.
    pub speaker: Option<[usize; 2]>,
    /// Where the cue is, when the statement has one.
    pub cue: Option<[usize; 2]>,
}

/// A statement and its context, serialized as the statement's JSON with a `context`
/// field (null when the article is not stored).
#[derive(Debug, Clone, Serialize)]
pub struct Quoted {
    #[serde(flatten)]
    pub statement: Statement,
    pub context: Option<Context>,
}

impl Deref for Quoted {
    type Target = Statement;
    fn deref(&self) -> &Statement {
        &self.statement
    }
}

/// A stored article and its sentences' byte ranges.
type Split = (StoredArticle, Vec<[usize; 2]>);

/// Statements' contexts, each article read and split once.
pub struct Contexts<'a> {
    index: &'a Index,
    /// Opened after the statements were read: the store commits before them, so
    /// their articles are in it.
    searcher: Option<tantivy::Searcher>,
    articles: HashMap<String, Option<Split>>,
}

impl<'a> Contexts<'a> {
    /// Reads `index`'s article store (none: every context is null).
    pub fn new(index: &'a Index) -> Result<Contexts<'a>> {
        let searcher = match &index.articles {
            Some(store) => Some(store.searcher()?),
            None => None,
        };
        Ok(Contexts { index, searcher, articles: HashMap::new() })
    }

    /// `statement`'s context, if its article is stored and still holds it.
    pub fn of(&mut self, st: &Statement) -> Result<Option<Context>> {
        let (Some(searcher), Some(store)) = (&self.searcher, &self.index.articles) else {
            return Ok(None);
        };
        if !self.articles.contains_key(&st.article) {
            let (found, fresh) = store.get_or_reload(searcher, &st.article)?;
            if fresh.is_some() {
                self.searcher = fresh;
            }
            let stored = found.map(|a| {
                let sentences = crate::extract::sentence_bytes(&a.body);
                (a, sentences)
            });
            self.articles.insert(st.article.clone(), stored);
        }
        let Some(Some((article, sentences))) = self.articles.get(&st.article) else {
            return Ok(None);
        };
        Ok(context(&article.body, sentences, st))
    }

    /// `statement` with its context.
    pub fn quote(&mut self, statement: Statement) -> Result<Quoted> {
        let context = self.of(&statement)?;
        Ok(Quoted { statement, context })
    }
}

/// The context of `st` in `body`, whose sentences are `sentences` (see
/// `extract::sentence_bytes`); `None` when `body` does not hold `st` at its span.
pub fn context(body: &str, sentences: &[[usize; 2]], st: &Statement) -> Option<Context> {
    let [start, end] = st.span;
    if body.get(start..end) != Some(st.text.as_str()) {
        return None;
    }
    let spans: Vec<[usize; 2]> =
        [Some(st.span), st.speaker_span, st.cue_span].into_iter().flatten().collect();
    if spans.iter().any(|&[a, b]| a > b || b > body.len()) {
        return None;
    }
    let lo = spans.iter().map(|s| s[0]).min().unwrap_or(start);
    let hi = spans.iter().map(|s| s[1]).max().unwrap_or(end);
    // The sentences the spans touch: from the one holding `lo` to the one holding `hi`.
    let first = sentences.iter().filter(|s| s[0] <= lo).map(|s| s[0]).max().unwrap_or(lo);
    let last = sentences.iter().filter(|s| s[1] >= hi).map(|s| s[1]).min().unwrap_or(hi);
    let (first, last) = (first.min(lo), last.max(hi));
    let pieces: Vec<[usize; 2]> = if last - first <= MAX_CONTEXT_BYTES {
        vec![[first, last]]
    } else if hi - lo <= MAX_CONTEXT_BYTES {
        // Share what is left between the two sides; a side that needs less gives the
        // rest to the other.
        let spare = MAX_CONTEXT_BYTES - (hi - lo);
        let before = (lo - first).min(spare / 2).max(spare.saturating_sub(last - hi));
        let before = before.min(lo - first);
        let after = (spare - before).min(last - hi);
        // Cut inside a sentence: at a word boundary, not in a word.
        let (a, b) = (lo - before, hi + after);
        let a = if a > first { word_start(body, a, lo) } else { a };
        let b = if b < last { word_end(body, b, hi) } else { b };
        vec![[a, b]]
    } else {
        // The attribution and statement alone are too long: their first two thirds
        // and last third, which hold the speaker and cue in most statements.
        let head = word_end(body, lo + MAX_CONTEXT_BYTES * 2 / 3, lo);
        let tail = word_start(body, hi - MAX_CONTEXT_BYTES / 3, hi);
        if tail > head {
            vec![[lo, head], [tail, hi]]
        } else {
            vec![[lo, hi]]
        }
    };
    let mut keys: Vec<usize> = spans.iter().flat_map(|s| [s[0], s[1]]).collect();
    keys.sort_unstable();
    keys.dedup();
    let mut out = Compact::default();
    let first_piece = pieces.first().map_or(first, |p| p[0]);
    if first_piece > first {
        out.text.push_str(ELLIPSIS);
        out.text.push(' ');
    }
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            out.text.push_str(" … ");
        }
        out.push(body, *piece, &keys);
    }
    if pieces.last().map_or(last, |p| p[1]) < last {
        out.text.push(' ');
        out.text.push_str(ELLIPSIS);
    }
    let at = |k: usize| out.mapped.get(&k).copied().unwrap_or(out.text.len());
    let range = |s: [usize; 2]| [at(s[0]), at(s[1]).max(at(s[0]))];
    Some(Context {
        statement: range(st.span),
        speaker: st.speaker_span.map(range),
        cue: st.cue_span.map(range),
        text: out.text,
    })
}

/// The context's text as it is built, and where each key offset of the body went.
#[derive(Default)]
struct Compact {
    text: String,
    mapped: HashMap<usize, usize>,
}

impl Compact {
    /// Appends `body[piece]` with runs of white space as one space, recording where
    /// each of `keys` in the piece (or before it, not yet placed) lands.
    fn push(&mut self, body: &str, piece: [usize; 2], keys: &[usize]) {
        let mut space = false;
        for (i, c) in body[piece[0]..piece[1]].char_indices() {
            let at = piece[0] + i;
            if c.is_whitespace() {
                // A span that ends here ends before the space.
                for &k in keys.iter().filter(|&&k| k <= at) {
                    self.mapped.entry(k).or_insert(self.text.len());
                }
                space = true;
                continue;
            }
            if space && !self.text.is_empty() && !self.text.ends_with(' ') {
                self.text.push(' ');
            }
            space = false;
            for &k in keys.iter().filter(|&&k| k <= at) {
                self.mapped.entry(k).or_insert(self.text.len());
            }
            self.text.push(c);
        }
        for &k in keys.iter().filter(|&&k| k <= piece[1]) {
            self.mapped.entry(k).or_insert(self.text.len());
        }
    }
}

/// The start of the first word at or after `at` (not after `limit`).
fn word_start(body: &str, at: usize, limit: usize) -> usize {
    let at = floor_char(body, at);
    match body[at..limit].find(char::is_whitespace) {
        Some(i) => (at + i + 1).min(limit),
        None => at,
    }
}

/// The end of the last word before `at` (not before `limit`).
fn word_end(body: &str, at: usize, limit: usize) -> usize {
    let at = floor_char(body, at.min(body.len()));
    if at >= body.len() {
        return at;
    }
    match body[limit..at].rfind(char::is_whitespace) {
        Some(i) => limit + i,
        None => at,
    }
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statement(body: &str, text: &str, speaker: &str, cue: &str) -> Statement {
        let span = |t: &str| {
            let at = body.find(t).unwrap();
            [at, at + t.len()]
        };
        Statement {
            speaker: Some(speaker.into()),
            speaker_mention: Some(speaker.into()),
            cue: Some(cue.into()),
            span: span(text),
            speaker_span: Some(span(speaker)),
            cue_span: Some(span(cue)),
            ..crate::statement::invented(text)
        }
    }

    fn slice(c: &Context, r: [usize; 2]) -> &str {
        &c.text[r[0]..r[1]]
    }

    #[test]
    fn the_sentences_of_the_statement_and_its_attribution() {
        let body = "The council met on Monday.\n\n“Rates will rise,” Ann Lee\nsaid. \
                    She left early. Tom Baker stayed.";
        let st = statement(body, "Rates will rise,", "Ann Lee", "said");
        let c = context(body, &crate::extract::sentence_bytes(body), &st).unwrap();
        assert_eq!(c.text, "“Rates will rise,” Ann Lee said.");
        assert_eq!(slice(&c, c.statement), "Rates will rise,");
        assert_eq!(c.speaker.map(|s| slice(&c, s)), Some("Ann Lee"));
        assert_eq!(c.cue.map(|s| slice(&c, s)), Some("said"));
    }

    #[test]
    fn a_long_sentence_is_cut_around_the_statement() {
        let filler = "word ".repeat(200);
        let body = format!("{filler}Ann Lee said rates will rise {filler}today.");
        let st = statement(&body, "rates will rise", "Ann Lee", "said");
        let c = context(&body, &crate::extract::sentence_bytes(&body), &st).unwrap();
        assert!(c.text.len() <= MAX_CONTEXT_BYTES + 2 * ELLIPSIS.len() + 2, "{}", c.text.len());
        assert!(c.text.starts_with("… word") && c.text.ends_with("word …"), "{}", c.text);
        assert_eq!(slice(&c, c.statement), "rates will rise");
        assert_eq!(c.speaker.map(|s| slice(&c, s)), Some("Ann Lee"));
    }

    #[test]
    fn a_statement_longer_than_the_cap_loses_its_middle() {
        let quote = format!("Rates {}will rise.", "and more ".repeat(100));
        let body = format!("Ann Lee said: “{quote}” Then she left.");
        let st = statement(&body, &quote, "Ann Lee", "said");
        let c = context(&body, &crate::extract::sentence_bytes(&body), &st).unwrap();
        assert!(c.text.contains(" … "), "{}", c.text);
        let marked = slice(&c, c.statement);
        assert!(marked.starts_with("Rates and") && marked.ends_with("will rise."), "{marked}");
        assert_eq!(c.speaker.map(|s| slice(&c, s)), Some("Ann Lee"));
    }

    #[test]
    fn a_body_without_the_statement_gives_none() {
        let body = "Ann Lee said rates will rise.";
        let st = statement(body, "rates will rise", "Ann Lee", "said");
        assert!(context("Tom Baker said nothing at all.", &[], &st).is_none());
    }
}

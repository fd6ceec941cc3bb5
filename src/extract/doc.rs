//! One article body prepared for the passes: tokens, sentences, quotations,
//! per-token lookups shared by every pass, and the conversions between token spans
//! and byte spans (which need the tokens).

use super::quotes::{self, Quote};
use super::sentences::{self, Sentence};
use super::span::{ByteSpan, TokSpan};
use super::tokens::{self, Tok, Token};
use crate::lexicon::{WordList, WordSet};

pub struct Doc<'a> {
    pub text: &'a str,
    pub toks: Vec<Token>,
    pub sents: Vec<Sentence>,
    pub quotes: Vec<Quote>,
    /// Per token: index + 1 of the quotation it is inside (marks included), or 0.
    pub in_quote: Vec<u32>,
    /// Per token: its sentence index (break tokens get the preceding sentence's).
    pub sent_of: Vec<u32>,
    /// Per token: [`CAP`] and [`LOWER`], for words whose first letter is one, and
    /// [`TIME`]; the passes ask this of the same tokens many times over.
    case: Vec<u8>,
}

const CAP: u8 = 1;
const LOWER: u8 = 2;
/// A word a time expression may start with (a digit, a month, a weekday, a time
/// phrase's first word): the dating passes read every sentence for these.
const TIME: u8 = 4;

impl<'a> Doc<'a> {
    pub fn new(text: &'a str) -> Doc<'a> {
        let toks = tokens::tokenize(text);
        let sents = sentences::split(text, &toks);
        let quotes = quotes::find(&toks);
        let mut in_quote = vec![0u32; toks.len()];
        for (k, q) in quotes.iter().enumerate() {
            let end = if q.closed { q.close + 1 } else { q.close };
            for slot in &mut in_quote[q.open..end.min(toks.len())] {
                *slot = k as u32 + 1;
            }
        }
        let mut sent_of = vec![0u32; toks.len()];
        for (k, s) in sents.iter().enumerate() {
            for slot in &mut sent_of[s.start..s.end] {
                *slot = k as u32;
            }
        }
        let time_starts = &crate::lexicon::rules().time_starts;
        let case = toks
            .iter()
            .map(|t| {
                let w = &text[t.start..t.end];
                let case = match w.chars().next() {
                    Some(c) if t.kind == Tok::Word && c.is_uppercase() => CAP,
                    Some(c) if t.kind == Tok::Word && c.is_lowercase() => LOWER,
                    _ => 0,
                };
                let time = t.kind == Tok::Word
                    && (w.bytes().next().is_some_and(|b| b.is_ascii_digit()) || time_starts.has(w));
                case | if time { TIME } else { 0 }
            })
            .collect();
        Doc { text, toks, sents, quotes, in_quote, sent_of, case }
    }

    /// The text of token `i`.
    pub fn word(&self, i: usize) -> &'a str {
        let t = self.toks[i];
        &self.text[t.start..t.end]
    }

    /// Token `i` is a word equal to `w`, ignoring ASCII case.
    pub fn is(&self, i: usize, w: &str) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == Tok::Word)
            && self.word(i).eq_ignore_ascii_case(w)
    }

    /// Token `i` is a word equal to one of `list`, ignoring ASCII case.
    pub fn is_among(&self, i: usize, list: &[&str]) -> bool {
        // The word is sliced once, not once per entry of the list.
        self.is_word(i) && {
            let word = self.word(i);
            list.iter().any(|w| word.eq_ignore_ascii_case(w))
        }
    }

    /// Token `i` is a word of a rule list (`data/rules/`), ignoring ASCII case.
    pub fn is_in(&self, i: usize, list: &WordSet) -> bool {
        self.is_word(i) && list.has(self.word(i))
    }

    /// [`Doc::is_in`] for a list in code.
    pub fn is_in_list(&self, i: usize, list: &WordList) -> bool {
        self.is_word(i) && list.has(self.word(i))
    }

    pub fn is_word(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == Tok::Word)
    }

    pub fn is_punct(&self, i: usize, c: char) -> bool {
        self.toks.get(i).is_some_and(|t| t.kind == Tok::Punct(c))
    }

    /// Token `i` is a hyphen or a dash of any length.
    pub fn is_dash(&self, i: usize) -> bool {
        self.toks.get(i).is_some_and(|t| {
            matches!(t.kind, Tok::Punct('-') | Tok::Punct('—') | Tok::Punct('–') | Tok::Punct('―'))
        })
    }

    /// Token `i` is a word that starts with a capital letter.
    /// Token `i` is a word a time expression may start with.
    pub fn may_start_time(&self, i: usize) -> bool {
        self.case.get(i).is_some_and(|c| c & TIME != 0)
    }

    pub fn is_cap(&self, i: usize) -> bool {
        self.case.get(i).is_some_and(|&c| c & (CAP | LOWER) == CAP)
    }

    pub fn is_lower(&self, i: usize) -> bool {
        self.case.get(i).is_some_and(|&c| c & (CAP | LOWER) == LOWER)
    }

    /// The quotation token `i` is inside, if any.
    pub fn quote_at(&self, i: usize) -> Option<usize> {
        self.in_quote.get(i).and_then(|&k| k.checked_sub(1)).map(|k| k as usize)
    }

    /// The bytes tokens `t` cover, from the first one's start to the last one's end
    /// (`t` must not be empty).
    pub fn bytes(&self, t: TokSpan) -> ByteSpan {
        ByteSpan::new(self.toks[t.start].start, self.toks[t.end - 1].end)
    }

    /// The text of tokens `t` (not empty), with what lies between them.
    pub fn slice(&self, t: TokSpan) -> &'a str {
        self.text_of(self.bytes(t))
    }

    /// The text of bytes `b`.
    pub fn text_of(&self, b: ByteSpan) -> &'a str {
        &self.text[b.range()]
    }

    /// The tokens lying wholly inside bytes `b`: from the first token that starts
    /// at or after `b.start` to the last that ends by `b.end` (empty if none does).
    pub fn toks_within(&self, b: ByteSpan) -> TokSpan {
        let s = self.toks.partition_point(|t| t.start < b.start);
        let e = self.toks.partition_point(|t| t.end <= b.end);
        TokSpan::new(s, e.max(s))
    }
}

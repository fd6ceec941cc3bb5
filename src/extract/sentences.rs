//! Sentences and paragraphs as token ranges.
//!
//! A sentence ends at `.`, `?`, `!` or `…` (with any closing quotation marks and
//! brackets that follow) when the next token starts a sentence, and always at a
//! paragraph break. A period after a known abbreviation ("Mr.", "Sen.", "Jan."),
//! an initial ("J.") or a dotted abbreviation ("U.S.") does not end a sentence,
//! except that a dotted abbreviation does before a word that usually opens one.
//!
//! A run of more than [`MAX_SENTENCE_TOKENS`] tokens with no sentence end is cut
//! there: the passes read a sentence once per cue in it, so one sentence of a
//! million words (a file with no punctuation) would take hours.
//!
//! Known limits: a sentence that really ends with "U.S." before a name is joined to
//! the next one; a sentence cut at the limit loses attributions across the cut.

use super::span::TokSpan;
use super::tokens::{Mark, Tok, Token};
use crate::lexicon::rules;

/// A sentence: tokens `start..end`, in paragraph `para`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub para: usize,
}

impl Sentence {
    /// Its tokens, `start..end`.
    pub fn toks(self) -> TokSpan {
        TokSpan::new(self.start, self.end)
    }
}

/// The longest sentence, in tokens: English sentences in news rarely pass 100
/// words; legal texts and lists may run to a few hundred.
pub const MAX_SENTENCE_TOKENS: usize = 1000;

/// Splits tokens into sentences. Break tokens belong to no sentence.
pub fn split(text: &str, toks: &[Token]) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut para = 0;
    let mut i = 0;
    while i < toks.len() {
        if i - start >= MAX_SENTENCE_TOKENS {
            out.push(Sentence { start, end: i, para });
            start = i;
        }
        match toks[i].kind {
            Tok::Break => {
                if i > start {
                    out.push(Sentence { start, end: i, para });
                }
                para += 1;
                start = i + 1;
            }
            Tok::Punct('.' | '?' | '!' | '…') => {
                let mut end = i + 1;
                // Closing marks that belong to this sentence: ." .” .) ?”
                while end < toks.len() && closes(text, toks, end) {
                    end += 1;
                }
                if ends_sentence(text, toks, i, end) {
                    out.push(Sentence { start, end, para });
                    start = end;
                    i = end;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    if start < toks.len() {
        out.push(Sentence { start, end: toks.len(), para });
    }
    out
}

/// Is token `i` a closing mark glued to what precedes it?
fn closes(_text: &str, toks: &[Token], i: usize) -> bool {
    let t = toks[i];
    let glued = i > 0 && toks[i - 1].end == t.start;
    match t.kind {
        Tok::Quote(Mark::Close) => true,
        Tok::Quote(Mark::Straight) => glued,
        Tok::Punct(')') | Tok::Punct(']') => glued,
        Tok::Punct('\'') | Tok::Punct('’') => glued,
        _ => false,
    }
}

/// Does the mark at `mark` (followed by closers up to `next`) end the sentence?
fn ends_sentence(text: &str, toks: &[Token], mark: usize, next: usize) -> bool {
    let Some(n) = toks.get(next) else { return true };
    let starts = match n.kind {
        Tok::Word => {
            text[n.start..].chars().next().is_some_and(|c| c.is_uppercase() || c.is_numeric())
        }
        Tok::Quote(Mark::Open) | Tok::Quote(Mark::Straight) => true,
        Tok::Punct(c) => matches!(c, '(' | '[' | '‘' | '—' | '-'),
        Tok::Break => true,
        Tok::Quote(Mark::Close) => false,
    };
    if !starts {
        return false;
    }
    if toks[mark].kind != Tok::Punct('.') || mark == 0 {
        return true;
    }
    let prev = toks[mark - 1];
    if prev.kind != Tok::Word || prev.end != toks[mark].start {
        return true;
    }
    let word = &text[prev.start..prev.end];
    let r = rules();
    if r.abbreviations.contains(word) {
        return false;
    }
    let mut chars = word.chars();
    let single_capital =
        matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase());
    if single_capital {
        return false;
    }
    if word.contains('.') {
        // "U.S. President" goes on; "in the U.S. The company" ends.
        let next_word = if n.kind == Tok::Word { &text[n.start..n.end] } else { "" };
        return r.function_words.contains(next_word);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn sentences(text: &str) -> Vec<String> {
        let toks = tokenize(text);
        split(text, &toks)
            .iter()
            .map(|s| text[toks[s.start].start..toks[s.end - 1].end].to_string())
            .collect()
    }

    #[test]
    fn abbreviations_initials_and_decimals_do_not_split() {
        assert_eq!(
            sentences("Mr. Smith met Sen. J. Doe in Jan. 2020. Growth was 2.5 percent. U.S. President Joe Roe spoke."),
            [
                "Mr. Smith met Sen. J. Doe in Jan. 2020.",
                "Growth was 2.5 percent.",
                "U.S. President Joe Roe spoke."
            ]
        );
    }

    #[test]
    fn a_quote_that_closes_after_the_period_stays_with_its_sentence() {
        assert_eq!(
            sentences("“We agree.” Then he left. He said, \"It is over.\" She nodded."),
            ["“We agree.”", "Then he left.", "He said, \"It is over.\"", "She nodded."]
        );
    }

    #[test]
    fn question_inside_a_quote_before_the_attribution_does_not_split() {
        assert_eq!(
            sentences("“Why now?” she asked. Nobody knew."),
            ["“Why now?” she asked.", "Nobody knew."]
        );
    }

    #[test]
    fn dotted_abbreviation_splits_before_a_sentence_opener() {
        assert_eq!(
            sentences("He moved to the U.S. The move was hard."),
            ["He moved to the U.S.", "The move was hard."]
        );
    }

    #[test]
    fn paragraphs_are_counted() {
        let text = "One. Two.\n\nThree.";
        let toks = tokenize(text);
        let paras: Vec<usize> = split(text, &toks).iter().map(|s| s.para).collect();
        assert_eq!(paras, [0, 0, 1]);
    }

    #[test]
    fn a_run_without_sentence_ends_is_cut_at_the_limit() {
        let text = "word ".repeat(2 * MAX_SENTENCE_TOKENS + 10);
        let toks = tokenize(&text);
        let lens: Vec<usize> = split(&text, &toks).iter().map(|s| s.end - s.start).collect();
        assert_eq!(lens, [MAX_SENTENCE_TOKENS, MAX_SENTENCE_TOKENS, 10]);
    }
}

//! Direct quotations: pairs of double quotation marks within a paragraph.
//!
//! Curly marks say which way they face; a straight mark closes an open straight
//! mark and otherwise opens. Only outermost quotations are kept (a quotation inside
//! a quotation is part of it). A quotation still open at the end of its paragraph
//! runs to the paragraph's end, and is marked as continued when the next paragraph
//! opens with a quotation mark: the newspaper convention for a quotation that goes
//! on over several paragraphs.
//!
//! Known limits: single quotation marks (‘…’) are not quotations here, since they
//! cannot be told from apostrophes reliably.

use super::span::ByteSpan;
use super::tokens::{Mark, Tok, Token};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quote {
    /// Token index of the opening mark.
    pub open: usize,
    /// Token index one past the quotation: the closing mark, or the paragraph's end.
    pub close: usize,
    /// Whether a closing mark was found.
    pub closed: bool,
    /// Unclosed, and the next paragraph opens with a quotation mark.
    pub continued: bool,
    /// Byte range of the words inside the marks.
    pub start: usize,
    pub end: usize,
}

impl Quote {
    /// The bytes of the words inside the marks, `start..end`.
    pub fn bytes(&self) -> ByteSpan {
        ByteSpan::new(self.start, self.end)
    }

    /// Word tokens inside the marks.
    pub fn word_count(&self, toks: &[Token]) -> usize {
        toks[self.open + 1..self.close].iter().filter(|t| t.is_word()).count()
    }
}

/// Finds the outermost quotations, in text order.
pub fn find(toks: &[Token]) -> Vec<Quote> {
    let mut out = Vec::new();
    let mut stack: Vec<(usize, Mark)> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        match t.kind {
            Tok::Break => {
                if let Some(&(open, mark)) = stack.first() {
                    // The next paragraph must open with the same kind of mark: a stray
                    // straight mark before a paragraph of curly quotations is damage,
                    // not a quotation going on.
                    let next_opens = match toks.get(i + 1).map(|t| t.kind) {
                        Some(Tok::Quote(next)) => next == mark && next != Mark::Close,
                        _ => false,
                    };
                    out.push(quote(toks, open, i, false, next_opens));
                }
                stack.clear();
            }
            Tok::Quote(mark) => {
                let closing = match (mark, stack.last()) {
                    (Mark::Close, Some(_)) => true,
                    (Mark::Close, None) => false,
                    (Mark::Open, _) => false,
                    (Mark::Straight, Some((_, Mark::Straight))) => true,
                    // A straight mark glued to a word and followed by a space or
                    // punctuation closes a curly one in damaged text.
                    (Mark::Straight, Some(_)) => {
                        i > 0
                            && toks[i - 1].end == t.start
                            && toks.get(i + 1).is_none_or(|n| n.start > t.end || !n.is_word())
                    }
                    (Mark::Straight, None) => false,
                };
                if closing {
                    if let Some((open, _)) = stack.pop() {
                        if stack.is_empty() {
                            out.push(quote(toks, open, i, true, false));
                        }
                    }
                } else if mark != Mark::Close {
                    stack.push((i, mark));
                }
            }
            _ => {}
        }
    }
    if let Some(&(open, _)) = stack.first() {
        out.push(quote(toks, open, toks.len(), false, false));
    }
    out
}

fn quote(toks: &[Token], open: usize, close: usize, closed: bool, continued: bool) -> Quote {
    let start = toks[open].end;
    let end = if closed {
        toks[close].start
    } else {
        // The last token before the break (at least the opening mark itself).
        toks[close - 1].end
    };
    Quote { open, close, closed, continued, start, end: end.max(start) }
}

#[cfg(test)]
mod tests {
    use super::super::tokens::tokenize;
    use super::*;

    fn inner(text: &str) -> Vec<String> {
        find(&tokenize(text)).iter().map(|q| text[q.start..q.end].to_string()).collect()
    }

    #[test]
    fn curly_and_straight_quotations() {
        assert_eq!(inner("“We agree,” Petrov said. \"Fine,\" she said."), ["We agree,", "Fine,"]);
    }

    #[test]
    fn a_quotation_inside_a_quotation_is_part_of_it() {
        assert_eq!(
            inner("He read: \"The question: “Do you?” Yes.\" Then"),
            ["The question: “Do you?” Yes."]
        );
    }

    #[test]
    fn unclosed_quotation_runs_to_paragraph_end_and_continues_when_the_next_opens() {
        let text = "“First part.\n\n“Second part,” he said.";
        let q = find(&tokenize(text));
        assert_eq!(q.len(), 2);
        assert!(!q[0].closed && q[0].continued);
        assert_eq!(&text[q[0].start..q[0].end], "First part.");
        assert!(q[1].closed);
    }

    #[test]
    fn stray_closing_marks_and_many_marks_do_not_break_pairing() {
        assert_eq!(inner("oops” then “real”"), ["real"]);
        let many = "\"".repeat(100_001);
        assert_eq!(find(&tokenize(&many)).len(), 50_001);
    }
}

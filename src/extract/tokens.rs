//! Tokens: words, numbers, punctuation, quotation marks and paragraph breaks, each
//! with its byte span in the article body. Every later pass works on these spans, so
//! offsets stay exact and no text is copied.
//!
//! Known limits: a paragraph break is a blank line, an indented line, or a line
//! that follows a sentence-final mark; hard-wrapped text whose lines happen to end
//! with a period is split there too.

use super::span::ByteSpan;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    /// Letters and digits, with inner apostrophes, hyphens and periods ("they’ll",
    /// "much-needed", "U.S", "2.5").
    Word,
    /// One punctuation character other than a quotation mark.
    Punct(char),
    /// A double quotation mark; which way it faces is worked out in `quotes`.
    Quote(Mark),
    /// The end of a paragraph.
    Break,
}

/// A double quotation mark as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// “ „ «
    Open,
    /// ” »
    Close,
    /// " (either way)
    Straight,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: Tok,
}

impl Token {
    /// Its bytes, `start..end`.
    pub fn bytes(&self) -> ByteSpan {
        ByteSpan::new(self.start, self.end)
    }

    pub fn is_word(&self) -> bool {
        self.kind == Tok::Word
    }
    pub fn is_punct(&self, c: char) -> bool {
        self.kind == Tok::Punct(c)
    }
    pub fn is_quote(&self) -> bool {
        matches!(self.kind, Tok::Quote(_))
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Characters that stay inside a word when letters or digits follow them.
fn is_inner_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '-' | '.' | '‑')
}

fn quote_mark(c: char) -> Option<Mark> {
    match c {
        '“' | '„' | '«' => Some(Mark::Open),
        '”' | '»' => Some(Mark::Close),
        '"' => Some(Mark::Straight),
        _ => None,
    }
}

/// The character starting at byte `i` of `text` (a char boundary), decoded only
/// when it is not ASCII: most article text is.
fn char_at(text: &str, i: usize) -> Option<char> {
    match text.as_bytes().get(i) {
        Some(&b) if b.is_ascii() => Some(char::from(b)),
        Some(_) => text[i..].chars().next(),
        None => None,
    }
}

/// Splits `text` into tokens. Linear in the text length; never fails.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut toks: Vec<Token> = Vec::with_capacity(text.len() / 5);
    let mut i = 0;
    while let Some(c) = char_at(text, i) {
        let next = i + c.len_utf8();
        if is_word_char(c) {
            let mut end = next;
            while let Some(d) = char_at(text, end) {
                let after = end + d.len_utf8();
                // A joiner stays only when a letter or digit follows it.
                if is_word_char(d)
                    || (is_inner_joiner(d) && char_at(text, after).is_some_and(is_word_char))
                {
                    end = after;
                } else {
                    break;
                }
            }
            toks.push(Token { start: i, end, kind: Tok::Word });
            i = end;
            continue;
        } else if c == '\n' {
            if let Some(brk) = line_break(text, i, &toks) {
                if toks.last().is_some_and(|t| t.kind != Tok::Break) {
                    toks.push(Token { start: i, end: brk, kind: Tok::Break });
                }
            }
        } else if c.is_whitespace() {
            // Spaces only separate tokens.
        } else if let Some(m) = quote_mark(c) {
            toks.push(Token { start: i, end: i + c.len_utf8(), kind: Tok::Quote(m) });
        } else if c == '\'' && text[i + 1..].starts_with('\'') {
            // Two apostrophes stand for a double quotation mark in some archives
            // (''We'll walk away,'' he said).
            toks.push(Token { start: i, end: i + 2, kind: Tok::Quote(Mark::Straight) });
            i += 2;
            continue;
        } else {
            toks.push(Token { start: i, end: next, kind: Tok::Punct(c) });
        }
        i = next;
    }
    toks
}

/// Decides whether the newline at byte `i` ends a paragraph; returns the end of the
/// break (the newline itself) when it does.
fn line_break(text: &str, i: usize, toks: &[Token]) -> Option<usize> {
    let rest = &text[i + 1..];
    let next_line_end = rest.find('\n').unwrap_or(rest.len());
    let next_line = &rest[..next_line_end];
    // A blank line, or an indented one (Reuters marks paragraphs by indenting),
    // or one that opens with a quotation mark.
    if next_line.trim().is_empty() || next_line.starts_with([' ', '\t', '“', '"', '«']) {
        return Some(i + 1);
    }
    let last = toks.last()?;
    match last.kind {
        Tok::Break => None,
        Tok::Punct('.' | '?' | '!' | ':' | ';' | '…') => Some(i + 1),
        Tok::Quote(Mark::Close) | Tok::Quote(Mark::Straight) => Some(i + 1),
        _ => {
            // A short line that does not end a sentence (a headline, a byline) is
            // still a paragraph of its own, unless the text is hard-wrapped, where
            // most lines are long.
            let line_start = text[..i].rfind('\n').map_or(0, |p| p + 1);
            // Under 40 characters, counted no further than needed.
            text[line_start..i].chars().nth(39).is_none().then_some(i + 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| &text[t.start..t.end]).collect()
    }

    #[test]
    fn inner_apostrophes_hyphens_and_periods_stay_in_words() {
        assert_eq!(
            words("they’ll get much-needed U.S. aid, 2.5 times."),
            ["they’ll", "get", "much-needed", "U.S", ".", "aid", ",", "2.5", "times", "."]
        );
    }

    #[test]
    fn quotation_marks_are_tokens() {
        let t = tokenize("“Go,” he said. \"Now.\"");
        let marks: Vec<Tok> = t.iter().filter(|t| t.is_quote()).map(|t| t.kind).collect();
        assert_eq!(
            marks,
            [
                Tok::Quote(Mark::Open),
                Tok::Quote(Mark::Close),
                Tok::Quote(Mark::Straight),
                Tok::Quote(Mark::Straight)
            ]
        );
    }

    #[test]
    fn two_apostrophes_are_a_quotation_mark() {
        let t = tokenize("''We go,'' he said.");
        assert_eq!(t[0].kind, Tok::Quote(Mark::Straight));
        assert_eq!((t[4].start, t[4].end), (8, 10));
        assert_eq!(t[4].kind, Tok::Quote(Mark::Straight));
    }

    #[test]
    fn paragraphs_break_at_blank_lines_and_sentence_ends_but_not_inside_wrapped_lines() {
        let count = |s: &str| tokenize(s).iter().filter(|t| t.kind == Tok::Break).count();
        assert_eq!(count("One.\n\nTwo."), 1);
        assert_eq!(count("One said.\nTwo said."), 1);
        assert_eq!(
            count(
                "The company said on Thursday that its profits in the\nfirst quarter rose sharply."
            ),
            0
        );
        assert_eq!(
            count("Long wrapped line of text that goes on and on\n    Indented paragraph."),
            1
        );
    }
}

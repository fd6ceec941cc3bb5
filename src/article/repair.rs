//! Repairs quotation marks, apostrophes and dashes that were mangled before whosaid
//! saw the text: mojibake (`â€œ` for `“`), a straight quote and a `?` left where a
//! curly mark was lost (`"?`), and replacement characters (U+FFFD) standing for a
//! quote. Unrepaired, one such mark pairs with a quote hundreds of characters away
//! and the statement runs on. The byte tables and the examples are in
//! `data/rules/quote-repair.txt`.
//!
//! The repaired text replaces the article's body (and title) before extraction, so
//! statement offsets index the repaired body, which is what is indexed and what
//! `extract --with-body` prints.
//!
//! Known limits: a lost mark is told from its neighbours only, so an apostrophe
//! before a word may come back as a closing quote or the reverse, and a lost opening
//! quote after a space comes back as a dash; a lost byte after the mark other than a
//! space (a digit) stays lost; U+FFFD for an accented letter is left.

use std::sync::OnceLock;

use super::Article;

const RULES: &str = include_str!("../../data/rules/quote-repair.txt");

/// Repairs the article's body and title; true when either changed.
pub(crate) fn repair_article(article: &mut Article) -> bool {
    let mut changed = false;
    if let Some(body) = repair(&article.body) {
        article.body = body;
        changed = true;
    }
    if let Some(title) = article.title.as_deref().and_then(repair) {
        article.title = Some(title);
        changed = true;
    }
    changed
}

/// The repaired text, or `None` when there was nothing to repair.
pub fn repair(text: &str) -> Option<String> {
    // Most articles have none of these: one pass over the bytes decides.
    let suspect = text.contains("\"?") || text.contains('\u{FFFD}') || text.contains('â');
    if !suspect {
        return None;
    }
    let mut s = text.to_string();
    for (seen, meant) in mojibake() {
        if s.contains(seen.as_str()) {
            s = s.replace(seen.as_str(), meant);
        }
    }
    let s = lost_marks(&replacement_runs(&s));
    (s != text).then_some(s)
}

/// `map:` lines, longest first.
fn mojibake() -> &'static [(String, String)] {
    static MAP: OnceLock<Vec<(String, String)>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map: Vec<(String, String)> = RULES
            .lines()
            .filter_map(|l| l.strip_prefix("map:"))
            .filter_map(|l| l.split_once("=>"))
            .map(|(seen, meant)| (unescape(seen.trim()), unescape(meant.trim())))
            .collect();
        map.sort_by_key(|(seen, _)| std::cmp::Reverse(seen.chars().count()));
        map
    })
}

/// `\xNN` and `\u{NNNN}` as the characters they name; anything else as written.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        let (hex, len) = if let Some(t) = tail.strip_prefix('x') {
            (t.get(..2), 3)
        } else if let Some(t) = tail.strip_prefix("u{") {
            let end = t.find('}').unwrap_or(t.len());
            (t.get(..end), end + 3)
        } else {
            (None, 0)
        };
        match hex.and_then(|h| u32::from_str_radix(h, 16).ok()).and_then(char::from_u32) {
            Some(c) => {
                out.push(c);
                rest = &tail[len.min(tail.len())..];
            }
            None => {
                out.push('\\');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Runs of U+FFFD that stood for a quote: dropped after a straight quote, an
/// opening quote between a space (or the start) and a letter when two or more (a
/// curly quote is three bytes in UTF-8; one replacement character stood for one
/// byte of another encoding, such as Latin-1's « or £).
fn replacement_runs(s: &str) -> String {
    if !s.contains('\u{FFFD}') {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '\u{FFFD}' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let end = chars[i..].iter().position(|&c| c != '\u{FFFD}').map_or(chars.len(), |n| i + n);
        let prev = out.chars().next_back();
        let next = chars.get(end).copied();
        if prev == Some('"') {
        } else if end - i >= 2
            && prev.is_none_or(|p| p.is_whitespace() || p == '(' || p == '[')
            && next.is_some_and(char::is_alphabetic)
        {
            out.push('“');
        } else {
            out.extend(&chars[i..end]);
        }
        i = end;
    }
    out
}

/// A lost mark after these was a dash.
fn is_dash_before(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '(' | '[')
}

/// `"?` where a curly mark and the byte after it were lost (see the data file).
fn lost_marks(s: &str) -> String {
    if !s.contains("\"?") {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 16);
    // A straight quote is open in this line: a lost mark after a word closes it.
    let mut open = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            open = false;
        }
        if c == '"' && chars.get(i + 1) == Some(&'?') {
            let prev = out.chars().next_back();
            let next = chars.get(i + 2).copied();
            let after_mark = prev.is_some_and(|p| matches!(p, '.' | ',' | '!' | '?' | ';' | ':'));
            if after_mark || next.is_some_and(|n| !n.is_whitespace()) {
                // A closing quote matches the open one: the quote finder pairs a
                // straight quote with a straight one.
                let dash_before = prev.is_none_or(is_dash_before);
                let mark = if after_mark || (open && !dash_before) {
                    if open {
                        '"'
                    } else {
                        '”'
                    }
                } else if dash_before {
                    '—'
                } else {
                    '’'
                };
                out.push(mark);
                if mark == '"' || mark == '”' {
                    open = false;
                }
                if next.is_some_and(|n| n.is_alphanumeric() || matches!(n, '"' | '(' | '[' | '“'))
                {
                    out.push(' ');
                }
                i += 2;
                continue;
            }
        }
        if c == '"' {
            open = !open;
        }
        out.push(c);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_file_examples_hold() {
        let mut failures = Vec::new();
        let mut n = 0;
        for line in RULES.lines().filter_map(|l| l.strip_prefix("test:")) {
            let (input, want) = line.rsplit_once(" => ").expect("test: INPUT => OUTPUT");
            let input = unescape(input.trim());
            let want = want.trim();
            let want = if want == "=" { None } else { Some(unescape(want)) };
            let got = repair(&input);
            if got != want {
                failures.push(format!("{input:?}: want {want:?}, got {got:?}"));
            }
            n += 1;
        }
        assert!(n >= 10);
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn every_map_line_is_read() {
        let lines = RULES.lines().filter(|l| l.starts_with("map:")).count();
        assert_eq!(mojibake().len(), lines);
        assert!(mojibake().iter().all(|(seen, meant)| !seen.is_empty() && !meant.is_empty()));
    }

    #[test]
    fn articles_count_once() {
        let mut a = Article {
            title: Some("Lee â€œwinsâ€".into()),
            body: "Ann Lee said itâ€™s over.".into(),
            ..Article::default()
        };
        assert!(repair_article(&mut a));
        assert_eq!(a.body, "Ann Lee said it’s over.");
        assert_eq!(a.title.as_deref(), Some("Lee “wins”"));
        assert!(!repair_article(&mut a));
    }
}

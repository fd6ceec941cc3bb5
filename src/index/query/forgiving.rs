//! Queries as people type them: any string becomes one that Tantivy's grammar parses,
//! keeping the syntax a user meant and reading the rest as words.
//!
//! Kept: "exact phrases" (straight or curly quotes, with `~N` slop or a trailing `*`),
//! AND / OR / NOT between operands, `+`/`-` before an operand, balanced parentheses,
//! `field:value` for the fields a user can name ([`FIELDS`]), `field:*`, ranges
//! (`date:[… TO …]`), `word^2` boosts, and `word*` (a prefix). Read as words: an
//! apostrophe (`Baker's` is the phrase "baker s", as the index splits it), an
//! unknown field (`re: trade` is the words "re" and "trade"), a lone or trailing
//! operator, an unbalanced quote or parenthesis, stray `*`, `^`, `~`, `[`, `!`.
//!
//! Known limits: a range or a value on `date` that Tantivy cannot read is still an
//! error (it says how to write dates); lower-case "and"/"or"/"not" are words, as in
//! Tantivy's grammar; a query that still does not parse after the rewrite (none
//! known) falls back to its letters and digits as words, AND'ed.

/// The fields a query may name; any other `name:` is read as words.
pub const FIELDS: [&str; 8] =
    ["text", "speaker_name", "speaker", "speaker_type", "title", "kind", "source", "date"];

/// One piece of the query as typed.
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// Text between a pair of quotes, with what followed the closing quote (`~2`, `*`).
    Phrase(String, String),
    Open,
    Close,
    Word(String),
    /// A `field:[a TO b]` or `field:{…}` range, as typed.
    Range(String),
}

/// A token and whether it touches the one before it (no space between).
type Piece = (Tok, bool);

/// `query` rewritten so that Tantivy's grammar parses it (see the module comment).
pub fn forgive(query: &str) -> String {
    let pieces = tokenize(query);
    emit(&pieces)
}

/// Letters, digits and apostrophes of `query` as plain words: the rewrite of last resort.
pub fn words_only(query: &str) -> String {
    query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| if ["AND", "OR", "NOT", "IN"].contains(&w) { w.to_lowercase() } else { w.into() })
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{201f}')
}

/// The query's pieces; quotes and parentheses that have no partner are spaces.
fn tokenize(query: &str) -> Vec<Piece> {
    let chars: Vec<char> = query.chars().collect();
    // Quotes pair in order; an odd one out (the last) is not a quote.
    let quotes: Vec<usize> = (0..chars.len()).filter(|&i| is_quote(chars[i])).collect();
    let paired = quotes.len() - quotes.len() % 2;
    let quote_at = |i: usize| quotes[..paired].contains(&i);
    // Parentheses outside phrases pair as a stack; the unpaired ones are spaces.
    let mut paren_ok = vec![false; chars.len()];
    let mut stack = Vec::new();
    let mut quoted = false;
    for (i, &c) in chars.iter().enumerate() {
        if quote_at(i) {
            quoted = !quoted;
        } else if !quoted && c == '(' {
            stack.push(i);
        } else if !quoted && c == ')' {
            if let Some(open) = stack.pop() {
                paren_ok[open] = true;
                paren_ok[i] = true;
            }
        }
    }
    let mut out: Vec<Piece> = Vec::new();
    let mut glued = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if quote_at(i) {
            let end = (i + 1..chars.len()).find(|&j| quote_at(j)).unwrap_or(chars.len());
            let text: String = chars[i + 1..end.min(chars.len())].iter().collect();
            // `~N` or `*` right after the closing quote belong to the phrase.
            let mut j = end + 1;
            let mut suffix = String::new();
            if chars.get(j) == Some(&'~') {
                let digits: String =
                    chars[j + 1..].iter().take_while(|d| d.is_ascii_digit()).collect();
                if !digits.is_empty() {
                    suffix = format!("~{digits}");
                    j += 1 + digits.len();
                }
            } else if chars.get(j) == Some(&'*') {
                suffix = "*".into();
                j += 1;
            }
            out.push((Tok::Phrase(text, suffix), glued));
            glued = true;
            i = j;
        } else if (c == '(' || c == ')') && paren_ok[i] {
            out.push((if c == '(' { Tok::Open } else { Tok::Close }, glued));
            glued = true;
            i += 1;
        } else if c.is_whitespace() || c == '(' || c == ')' || is_quote(c) {
            glued = false;
            i += 1;
        } else {
            let start = i;
            // A parenthesis or a quote ends a word, paired or not ("speaker:(" is
            // "speaker:").
            while i < chars.len()
                && !chars[i].is_whitespace()
                && !is_quote(chars[i])
                && chars[i] != '('
                && chars[i] != ')'
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            // A range runs to its closing bracket, spaces and all.
            if let Some(range) = range_start(&word) {
                let close = if range == '[' { ']' } else { '}' };
                let ends = |j: usize| chars[j] == close || chars[j] == ']' || chars[j] == '}';
                if let Some(end) = (start..chars.len()).find(|&j| ends(j)) {
                    out.push((Tok::Range(chars[start..=end].iter().collect()), glued));
                    glued = true;
                    i = end + 1;
                    continue;
                }
            }
            out.push((Tok::Word(word), glued));
            glued = true;
        }
    }
    out
}

/// `[` or `{` when `word` opens a range on a field a user may name (`date:[2020`).
fn range_start(word: &str) -> Option<char> {
    let (name, value) = word.split_once(':')?;
    let first = value.chars().next().filter(|c| *c == '[' || *c == '{')?;
    known_field(name).map(|_| first)
}

fn known_field(name: &str) -> Option<&'static str> {
    let name = name.trim_start_matches(['+', '-']).to_ascii_lowercase();
    FIELDS.iter().copied().find(|f| *f == name)
}

/// `text` as one word of Tantivy's grammar: every character but letters and digits
/// escaped, and a keyword (AND, OR, NOT, IN) lower-cased, so it is read as written
/// (the index's analyzer ignores the punctuation, as it did when indexing).
fn escape_word(text: &str) -> String {
    if ["AND", "OR", "NOT", "IN"].contains(&text) {
        return text.to_lowercase();
    }
    let mut out = String::with_capacity(text.len() + 4);
    for c in text.chars() {
        if !c.is_alphanumeric() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Phrase text with nothing that could end the phrase or escape its end.
fn phrase_text(text: &str) -> String {
    text.chars().map(|c| if c == '\\' || is_quote(c) { ' ' } else { c }).collect()
}

/// A word's meaning as one operand: the grammar text, or None when it has none
/// (a lone `*`, `-`, `^`).
fn word_operand(word: &str) -> Vec<String> {
    // field:value for a field a user may name.
    if let Some((name, value)) = word.split_once(':') {
        if let Some(field) = known_field(name) {
            return match value {
                "" => vec![escape_word(name)].into_iter().filter(|w| has_word(w)).collect(),
                "*" => vec![format!("{field}:*")],
                // A source is one name, often a web address ("reuters.com"): quoted
                // whole, it reaches the query builder to be folded as `--source` is.
                v if field == "source" && !v.ends_with('*') => {
                    let name: String = v.chars().filter(|c| !is_quote(*c)).collect();
                    vec![format!("{field}:\"{name}\"")]
                }
                v => match prefix_or_boost(v) {
                    Some(v) => vec![format!("{field}:{v}")],
                    None => vec![],
                },
            };
        }
        // Not a field: each side is a word ("re: trade", "10:30").
        return word
            .split(':')
            .filter_map(prefix_or_boost)
            .collect::<Vec<_>>()
            .into_iter()
            .collect();
    }
    prefix_or_boost(word).into_iter().collect()
}

/// Whether `text` has a letter or digit (else the analyzer makes nothing of it).
fn has_word(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

/// `word*` as a prefix, `word^2` as a boost, anything else as an escaped word; None
/// when there is no letter or digit in it.
fn prefix_or_boost(word: &str) -> Option<String> {
    if !has_word(word) {
        return None;
    }
    if let Some((base, boost)) = word.rsplit_once('^') {
        if has_word(base) && boost.parse::<f32>().is_ok_and(|b| b.is_finite() && b >= 0.0) {
            return Some(format!("{}^{boost}", escape_word(base)));
        }
    }
    let base = word.trim_end_matches('*');
    if base.len() < word.len() && has_word(base) && base.chars().all(char::is_alphanumeric) {
        return Some(format!("\"{base}\"*"));
    }
    Some(escape_word(word))
}

/// The pieces as grammar text: operators only between operands, NOT and signs only
/// before one, no empty group.
fn emit(pieces: &[Piece]) -> String {
    /// One group being written: its output, whether an operand ended last, and the
    /// operator and prefix (sign, NOT, field) waiting for the next operand.
    #[derive(Default)]
    struct Group {
        out: Vec<String>,
        operand: bool,
        op: Option<&'static str>,
        not: bool,
        prefix: String,
    }
    impl Group {
        fn push(&mut self, operand: String) {
            if self.operand {
                if let Some(op) = self.op {
                    self.out.push(op.to_string());
                }
            }
            let not = if self.not && !self.prefix.starts_with(['-', '+']) { "NOT " } else { "" };
            self.out.push(format!("{not}{}{operand}", self.prefix));
            self.operand = true;
            self.op = None;
            self.not = false;
            self.prefix.clear();
        }
    }
    let mut groups = vec![Group::default()];
    for (k, (tok, _)) in pieces.iter().enumerate() {
        let next_glued = pieces
            .get(k + 1)
            .is_some_and(|(t, g)| *g && matches!(t, Tok::Open | Tok::Phrase(..) | Tok::Range(_)));
        let Some(group) = groups.last_mut() else { break };
        match tok {
            Tok::Word(w) if w == "AND" || w == "OR" => {
                if group.operand && group.op.is_none() {
                    group.op = Some(if w == "AND" { "AND" } else { "OR" });
                }
            }
            Tok::Word(w) if w == "NOT" => group.not = true,
            Tok::Word(w) if next_glued && (w == "-" || w == "+") => group.prefix = w.clone(),
            Tok::Word(w)
                if next_glued && w.ends_with(':') && known_field(&w[..w.len() - 1]).is_some() =>
            {
                let (sign, name) = split_sign(&w[..w.len() - 1]);
                if let Some(field) = known_field(name) {
                    group.prefix = format!("{sign}{field}:");
                }
            }
            Tok::Word(w) => {
                let (sign, rest) = split_sign(w);
                for (n, operand) in word_operand(rest).into_iter().enumerate() {
                    if n == 0 && !sign.is_empty() {
                        group.prefix = sign.to_string();
                    }
                    group.push(operand);
                }
            }
            Tok::Phrase(text, suffix) => {
                let text = phrase_text(text);
                if has_word(&text) {
                    group.push(format!("\"{}\"{suffix}", text.trim()));
                } else {
                    group.prefix.clear();
                }
            }
            Tok::Range(range) => {
                let (sign, rest) = split_sign(range);
                match tantivy::query_grammar::parse_query(rest) {
                    Ok(_) => {
                        if !sign.is_empty() {
                            group.prefix = sign.to_string();
                        }
                        group.push(rest.to_string());
                    }
                    Err(_) => {
                        for operand in rest.split_whitespace().flat_map(word_operand) {
                            group.push(operand);
                        }
                    }
                }
            }
            Tok::Open => {
                // The group's prefix (sign, NOT, field) waits in the parent until the
                // group is known not to be empty.
                groups.push(Group::default());
            }
            Tok::Close => {
                if groups.len() < 2 {
                    continue;
                }
                let Some(inner) = groups.pop() else { break };
                let Some(parent) = groups.last_mut() else { break };
                if inner.out.is_empty() {
                    parent.prefix.clear();
                    parent.not = false;
                } else {
                    parent.push(format!("({})", inner.out.join(" ")));
                }
            }
        }
    }
    // Parentheses are paired, so only the outermost group is left.
    groups.into_iter().flat_map(|g| g.out).collect::<Vec<_>>().join(" ")
}

/// A leading `-` or `+` (repeated signs count once) and the rest.
fn split_sign(text: &str) -> (&str, &str) {
    let rest = text.trim_start_matches(['-', '+']);
    match text.chars().next() {
        Some(c @ ('-' | '+')) if rest.len() < text.len() => {
            (if c == '-' { "-" } else { "+" }, rest)
        }
        _ => ("", text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_syntax_and_reads_the_rest_as_words() {
        for (typed, rewritten) in [
            ("Ann's wall", r"Ann\'s wall"),
            ("re: trade", "re trade"),
            ("speaker_name:lee", "speaker_name:lee"),
            ("nosuchfield:x", "nosuchfield x"),
            ("speaker:(", "speaker"),
            ("tax AND", "tax"),
            ("OR tax", "tax"),
            ("tax AND OR vote", "tax AND vote"),
            ("-", ""),
            ("a - b", "a b"),
            ("-tax vote", "-tax vote"),
            ("\"fake news", "fake news"),
            ("“fake news”", "\"fake news\""),
            ("(tax OR vote", "tax OR vote"),
            ("(tax OR vote))", "(tax OR vote)"),
            ("()", ""),
            ("tax NOT", "tax"),
            ("NOT ()", ""),
            ("a AND NOT b", "a AND NOT b"),
            ("title:(tax vote)", "title:(tax vote)"),
            ("-(tax)", "-(tax)"),
            ("tax*", "\"tax\"*"),
            ("tax^2", "tax^2"),
            ("tax^", r"tax\^"),
            ("\"tax vote\"~2", "\"tax vote\"~2"),
            (
                "date:[2017-01-01T00:00:00Z TO 2018-01-01T00:00:00Z]",
                "date:[2017-01-01T00:00:00Z TO 2018-01-01T00:00:00Z]",
            ),
            ("IN [a b", r"in \[a b"),
            ("kind:*", "kind:*"),
        ] {
            assert_eq!(forgive(typed), rewritten, "{typed}");
        }
    }

    #[test]
    fn every_rewrite_parses() {
        // Random strings of the grammar's pieces; each rewrite must parse (before,
        // most of these were syntax errors).
        let pieces = [
            "tax", "vote", " ", "\"", "“", "(", ")", "[", "]", "{", "}", ":", "*", "~", "^", "-",
            "+", "!", "AND", "OR", "NOT", "IN", "title:", "kind:", "nosuch:", "'", "’", "\\", "2",
            " TO ", "&&", "||", "`", "<", ">=",
        ];
        let mut state: u64 = 0x1234_5678_9abc_def0;
        let mut next = || {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (state >> 33) as usize
        };
        for _ in 0..5000 {
            let n = 1 + next() % 10;
            let typed: String = (0..n).map(|_| pieces[next() % pieces.len()]).collect();
            let rewritten = forgive(&typed);
            if !rewritten.is_empty() {
                let parsed = tantivy::query_grammar::parse_query(&rewritten);
                assert!(parsed.is_ok(), "{typed:?} → {rewritten:?}");
            }
        }
    }
}

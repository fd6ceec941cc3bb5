//! A hit's statement in its context, for the terminal: the sentence around it,
//! wrapped to [`WIDTH`] columns, with the statement in bold and the search's matches
//! in it in [`super::MATCH`] when colour is on, or between `[` and `]` when it is
//! off; and the line naming the article ("title — source, article ID (URL)").
//! [`Styled`] text wrapped with its styles is shared with `show` (`render::article`).
//!
//! Known limits: widths count characters (see `render`'s limits); a word longer than
//! a line gets a line of its own, unbroken; brackets already in the text look like
//! the marks when colour is off.

use std::fmt::Write;

use anstyle::Style;

use super::paint::{one_line, Paint, MATCH};
use crate::index::search::context::Context;
use crate::statement::Statement;

/// Columns of a wrapped line, its indent included.
pub const WIDTH: usize = 80;
const INDENT: &str = "    ";
/// The statement in a context, with colour on.
pub(super) const STATEMENT: Style = Style::new().bold();

/// Text whose every character has a style (`None`: plain).
#[derive(Default)]
pub(super) struct Styled {
    pub chars: Vec<(char, Option<Style>)>,
}

impl Styled {
    pub fn push(&mut self, text: &str, style: Option<Style>) {
        self.chars.extend(text.chars().map(|c| (c, style)));
    }

    /// Wrapped at spaces to `width` columns after `indent`, each line indented and
    /// ended, styles drawn only when `color` is set. A space between two words on
    /// one line keeps its own style (a marked phrase stays one run).
    pub fn wrap(&self, indent: &str, width: usize, color: bool) -> String {
        let room = width.saturating_sub(indent.chars().count()).max(20);
        // Words as ranges of `chars`, each with the style of the space before it.
        let mut words: Vec<(usize, usize)> = Vec::new();
        let mut start = None;
        for (i, (c, _)) in self.chars.iter().enumerate() {
            match (*c == ' ', start) {
                (true, Some(s)) => {
                    words.push((s, i));
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        if let Some(s) = start {
            words.push((s, self.chars.len()));
        }
        let mut out = String::new();
        let mut line: Vec<(usize, usize)> = Vec::new();
        let mut used = 0;
        for word in words {
            let w = word.1 - word.0;
            if !line.is_empty() && used + 1 + w > room {
                self.line(&mut out, indent, &line, color);
                line.clear();
                used = 0;
            }
            used += if line.is_empty() { w } else { w + 1 };
            line.push(word);
        }
        self.line(&mut out, indent, &line, color);
        out
    }

    /// One wrapped line of the words `line` (ranges of `chars`).
    fn line(&self, out: &mut String, indent: &str, line: &[(usize, usize)], color: bool) {
        if line.is_empty() {
            return;
        }
        out.push_str(indent);
        let mut current: Option<Style> = None;
        let mut draw = |out: &mut String, c: char, style: Option<Style>| {
            if style != current {
                close(out, &mut current, color);
                if let (Some(s), true) = (style, color) {
                    let _ = write!(out, "{s}");
                }
                current = style;
            }
            out.push(c);
        };
        for (i, &(a, b)) in line.iter().enumerate() {
            if i > 0 {
                let space = self.chars.get(a.wrapping_sub(1)).and_then(|(_, s)| *s);
                draw(out, ' ', space);
            }
            for &(c, style) in &self.chars[a..b] {
                draw(out, c, style);
            }
        }
        close(out, &mut current, color);
        out.push('\n');
    }
}

fn close(out: &mut String, current: &mut Option<Style>, color: bool) {
    if let (Some(s), true) = (current.take(), color) {
        let _ = write!(out, "{s:#}");
    }
}

/// The lines of a statement in its context: the statement bold (its matches in
/// [`MATCH`]) with colour on, between `[` and `]` without; with no context, the
/// statement alone in quotation marks, as before contexts existed.
pub fn lines(st: &Statement, context: Option<&Context>, paint: &Paint) -> String {
    let mut styled = Styled::default();
    let Some(ctx) = context.filter(|c| valid(c)) else {
        let text = one_line(&st.text);
        styled.push("“", None);
        push_marked(&mut styled, &text, paint);
        styled.push("”", None);
        return styled.wrap(INDENT, WIDTH, paint.color);
    };
    let [a, b] = ctx.statement;
    styled.push(&ctx.text[..a], None);
    if !paint.color {
        styled.push("[", None);
    }
    push_marked(&mut styled, &ctx.text[a..b], paint);
    if !paint.color {
        styled.push("]", None);
    }
    styled.push(&ctx.text[b..], None);
    styled.wrap(INDENT, WIDTH, paint.color)
}

/// `text` in [`STATEMENT`], its matches in [`MATCH`] (colour only).
fn push_marked(styled: &mut Styled, text: &str, paint: &Paint) {
    if !paint.color {
        styled.push(text, None);
        return;
    }
    let mut at = 0;
    for r in (paint.marks)(text) {
        if r.start < at
            || r.end > text.len()
            || !text.is_char_boundary(r.start)
            || !text.is_char_boundary(r.end)
        {
            continue;
        }
        styled.push(&text[at..r.start], Some(STATEMENT));
        styled.push(&text[r.clone()], Some(MATCH));
        at = r.end;
    }
    styled.push(&text[at..], Some(STATEMENT));
}

/// Offsets on character boundaries, in order: a context from this very index, but a
/// bad one must not panic a print.
fn valid(c: &Context) -> bool {
    let [a, b] = c.statement;
    a <= b && b <= c.text.len() && c.text.is_char_boundary(a) && c.text.is_char_boundary(b)
}

/// "title — source, article ID (URL)": what to open to check the statement.
pub fn article_line(st: &Statement) -> String {
    let mut line = st.title.as_deref().map_or_else(|| "(untitled)".to_string(), one_line);
    line.push_str(" — ");
    if let Some(source) = &st.source {
        let _ = write!(line, "{source}, ");
    }
    let _ = write!(line, "article {}", st.article);
    if let Some(url) = &st.url {
        let _ = write!(line, " ({url})");
    }
    line
}

//! `show ID` for people: the article's title, source, date, URL, path and id, its
//! text wrapped to [`WIDTH`] columns with each statement between `[N: ` and `]`
//! (bold too when colour is on), then the statements by number: speaker, cue, date
//! and kind.
//!
//! Known limits: statements that overlap without nesting get crossed brackets; a
//! statement whose span is not in the body (an article changed between the two
//! reads, see `index::search::article`) is listed but not marked.

use std::fmt::Write;

use super::context::{Styled, STATEMENT, WIDTH};
use super::label;
use super::paint::{one_line, Paint, DATE, SOURCE, SPEAKER};
use crate::index::ArticleView;
use crate::statement::Statement;

pub fn article(view: &ArticleView, paint: &Paint) -> String {
    let a = &view.article;
    let mut out = String::new();
    let title = a.title.as_deref().unwrap_or("(untitled)");
    let _ = writeln!(out, "{}", paint.style(SPEAKER, &one_line(title)));
    let about: Vec<String> = [
        a.source.clone(),
        a.date.as_deref().map(|d| paint.style(DATE, d)),
        a.author.as_deref().map(|w| format!("by {w}")),
        a.url.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !about.is_empty() {
        let _ = writeln!(out, "{}", about.join(" · "));
    }
    let _ = writeln!(out, "{}", paint.style(SOURCE, &format!("{} · article {}", a.path, a.id)));
    out.push('\n');
    out.push_str(&marked_body(&a.body, &view.statements, paint.color));
    if view.statements.is_empty() {
        let _ = writeln!(out, "\nNo statements found in this article.");
        return out;
    }
    let _ = writeln!(out, "\n{}:", super::plural(view.statements.len() as u64, "statement"));
    for (n, st) in view.statements.iter().enumerate() {
        let _ = writeln!(out, "  [{}] {}", n + 1, summary(st, paint));
    }
    out
}

/// "Ann Lee (as "she"), person — said — 2025-03-10 (from the dateline) — direct"
fn summary(st: &Statement, paint: &Paint) -> String {
    let mut line = match &st.speaker {
        Some(name) => paint.style(SPEAKER, &label(name, st.speaker_type)),
        None => "(unknown speaker)".to_string(),
    };
    if let Some(mention) =
        st.speaker_mention.as_deref().filter(|m| Some(*m) != st.speaker.as_deref())
    {
        let _ = write!(line, " (as “{}”)", one_line(mention));
    }
    if let Some(role) = &st.role {
        let _ = write!(line, ", {role}");
    }
    let _ = write!(line, " — {}", st.cue.as_deref().unwrap_or("no cue"));
    let date = super::date_label(st);
    let _ = write!(line, " — {}", paint.style(DATE, date));
    if let Some(source) = st.date_source.filter(|_| st.date.is_some() || st.period.is_some()) {
        let _ = write!(line, " (from the {})", source.as_str());
    }
    let _ = write!(line, " — {}", st.kind.as_str());
    line
}

/// The body, paragraph by paragraph, each statement between `[N: ` and `]`.
fn marked_body(body: &str, statements: &[Statement], color: bool) -> String {
    // Marks at byte offsets: closes before opens at one offset, so a statement that
    // ends where the next begins reads "…] [2: …".
    let mut marks: Vec<(usize, bool, usize)> = Vec::new();
    for (n, st) in statements.iter().enumerate() {
        let [a, b] = st.span;
        if body.get(a..b) == Some(st.text.as_str()) {
            marks.push((a, true, n + 1));
            marks.push((b, false, n + 1));
        }
    }
    marks.sort_by_key(|&(at, open, n)| (at, open, if open { n } else { usize::MAX - n }));
    let mut styled = Styled::default();
    let mut open = 0usize;
    let mut next = marks.iter().peekable();
    for (i, c) in body.char_indices() {
        while let Some(&&(at, opens, n)) = next.peek() {
            if at > i {
                break;
            }
            if opens {
                styled.push(&format!("[{n}: "), None);
                open += 1;
            } else {
                styled.push("]", None);
                open = open.saturating_sub(1);
            }
            next.next();
        }
        let style = (open > 0).then_some(STATEMENT);
        // Paragraph breaks stay; any other white space is a space to wrap at.
        let c = if c.is_whitespace() && c != '\n' { ' ' } else { c };
        styled.chars.push((c, style));
    }
    for _ in next {
        styled.push("]", None);
    }
    let mut out = String::new();
    let mut blank = true;
    for paragraph in styled.chars.split(|(c, _)| *c == '\n') {
        let text = Styled { chars: paragraph.to_vec() };
        let wrapped = text.wrap("", WIDTH, color);
        if wrapped.is_empty() {
            if !blank {
                out.push('\n');
                blank = true;
            }
        } else {
            out.push_str(&wrapped);
            blank = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_numbered_in_the_text() {
        let body = "Rates rose.\n\n“We will cut,” Ann Lee said.";
        let at = body.find("We will cut,").unwrap();
        let st = Statement {
            speaker_mention: Some("Ann Lee".into()),
            span: [at, at + "We will cut,".len()],
            ..crate::statement::invented("We will cut,")
        };
        assert_eq!(
            marked_body(body, std::slice::from_ref(&st), false),
            "Rates rose.\n\n“[1: We will cut,]” Ann Lee said.\n"
        );
    }
}

//! Renderings of search results for people. (Machines get the result structs as
//! JSON, serialized by [`json()`] for the commands and the web API alike, so every
//! view shows the same values.)
//!
//! Known limits: highlighting marks whole words of the query, not stemmed variants.

use std::fmt::Write;

mod json;
pub use json::json;

use crate::extract::Statement;
use crate::index::{FacetCount, QueryResult, SpeakerList, Stats, Timeline, WhoResult};

const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Words of a query worth highlighting: no operators, no field names.
fn query_words(query: &str) -> Vec<String> {
    query
        .split(|c: char| !c.is_alphanumeric() && c != ':' && c != '_')
        .filter(|w| !w.is_empty() && !w.contains(':') && !matches!(*w, "AND" | "OR" | "NOT"))
        .map(str::to_lowercase)
        .collect()
}

/// `text` with the query's words in bold when `color` is on.
fn highlight(text: &str, words: &[String], color: bool) -> String {
    if !color || words.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut word_start: Option<usize> = None;
    let flush = |out: &mut String, w: &str| {
        if words.iter().any(|q| q == &w.to_lowercase()) {
            let _ = write!(out, "{BOLD}{w}{RESET}");
        } else {
            out.push_str(w);
        }
    };
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            word_start.get_or_insert(i);
        } else {
            if let Some(s) = word_start.take() {
                flush(&mut out, &text[s..i]);
            }
            out.push(c);
        }
    }
    if let Some(s) = word_start {
        flush(&mut out, &text[s..]);
    }
    out
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn statement_block(out: &mut String, st: &Statement, words: &[String], color: bool) {
    let speaker = st.speaker.as_deref().unwrap_or("(unknown speaker)");
    // A coarse date shows as its period ("2025-W11"), never as a day.
    let date = st.date.as_deref().or(st.period.as_deref()).unwrap_or("undated");
    let _ = write!(out, "{date}  {speaker}");
    if let Some(role) = &st.role {
        let _ = write!(out, ", {role}");
    }
    let _ = writeln!(out, "  [{}]", st.kind.as_str());
    let _ = writeln!(out, "    “{}”", highlight(&one_line(&st.text), words, color));
    let _ = writeln!(out, "    {} ({}..{})", st.path, st.span[0], st.span[1]);
}

fn facet_line(out: &mut String, name: &str, counts: &[FacetCount]) {
    if counts.is_empty() {
        return;
    }
    let shown: Vec<String> = counts.iter().take(8).map(|c| format!("{} ({})", c.value, c.count)).collect();
    let more = if counts.len() > 8 { format!(", … {} more", counts.len() - 8) } else { String::new() };
    let _ = writeln!(out, "  {name:<8} {}{more}", shown.join(", "));
}

pub fn query(r: &QueryResult, color: bool) -> String {
    let mut out = String::new();
    let words = query_words(&r.query);
    let _ = writeln!(out, "{} statements match {:?}; showing {}\n", r.total, r.query, r.hits.len());
    for h in &r.hits {
        statement_block(&mut out, &h.statement, &words, color);
        out.push('\n');
    }
    if r.total > 0 {
        let _ = writeln!(out, "Facets over all {} matches:", r.total);
        facet_line(&mut out, "speaker", &r.facets.speaker);
        facet_line(&mut out, "month", &r.facets.month);
        for (by, counts) in &r.facets.by_date {
            facet_line(&mut out, by, counts);
        }
        facet_line(&mut out, "source", &r.facets.source);
        facet_line(&mut out, "kind", &r.facets.kind);
    }
    out
}

pub fn who(r: &WhoResult, color: bool) -> String {
    let mut out = String::new();
    let words = query_words(&r.query);
    let how = match r.matched {
        crate::index::MatchKind::Exact => "exact phrase",
        crate::index::MatchKind::Sloppy => "no exact match; words near each other",
        crate::index::MatchKind::Words => "no phrase match; all words anywhere",
        crate::index::MatchKind::None => "no match",
    };
    let _ = writeln!(out, "Who said {:?}? ({how})", r.query);
    for (n, s) in r.speakers.iter().enumerate() {
        let name = s.speaker.as_deref().unwrap_or("(unknown speaker)");
        let dates = match (&s.first_date, &s.last_date) {
            (Some(a), Some(b)) if a == b => a.clone(),
            (Some(a), Some(b)) => format!("{a} … {b}"),
            _ => "undated".to_string(),
        };
        let plural = |n: u64, w: &str| if n == 1 { format!("{n} {w}") } else { format!("{n} {w}s") };
        // Only worth saying when some quotation was reported more than once.
        let quotes = if s.quotes < s.statements { format!(" ({})", plural(s.quotes, "quotation")) } else { String::new() };
        let _ = writeln!(
            out,
            "{:>2}. {name} — {}{quotes} in {}, {dates}",
            n + 1,
            plural(s.statements, "statement"),
            plural(s.articles, "article")
        );
        let _ = writeln!(out, "    “{}”", highlight(&one_line(&s.example.text), &words, color));
        let _ = writeln!(out, "    {}", s.example.path);
        if s.example_articles > 1 {
            let first = s.example_first_date.as_deref().map(|d| format!(", first on {d}")).unwrap_or_default();
            let _ = writeln!(out, "    reported by {} articles{first}", s.example_articles);
        }
    }
    if let Some(statements) = &r.statements {
        let _ = writeln!(out, "\nOldest first:");
        for st in statements {
            statement_block(&mut out, st, &words, color);
        }
    }
    out
}

/// Widest bar, in characters.
const BAR_WIDTH: u64 = 50;

/// One line per period: label, count and a bar scaled to the largest count.
pub fn timeline(t: &Timeline, color: bool) -> String {
    let mut out = String::new();
    let who = t.speaker.as_deref().unwrap_or("everyone");
    let what = if t.query.trim().is_empty() || t.query.trim() == "*" { String::new() } else { format!(" matching {:?}", t.query) };
    let _ = writeln!(out, "{who}{what}: {} statements per {}", t.total, t.by.as_str());
    let max = t.periods.iter().map(|p| p.count).max().unwrap_or(0).max(1);
    let width = t.periods.iter().map(|p| p.period.len()).max().unwrap_or(0);
    for p in &t.periods {
        // Round up, so a period with any statement shows at least one block.
        let bar = "█".repeat(((p.count * BAR_WIDTH).div_ceil(max)) as usize);
        let bar = if color && !bar.is_empty() { format!("{BOLD}{bar}{RESET}") } else { bar };
        let _ = writeln!(out, "{:<width$}  {:>5}  {bar}", p.period, p.count);
    }
    if t.undated > 0 {
        let _ = writeln!(out, "{} statements have no day (a coarser date or none) and are not drawn", t.undated);
    }
    out
}

/// One line per speaker: statements, articles, name, and the variants merged into it.
pub fn speakers(list: &SpeakerList) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{:>10}  {:>8}  speaker", "statements", "articles");
    for e in &list.speakers {
        let aliases = if e.aliases.is_empty() { String::new() } else { format!("  (also: {})", e.aliases.join("; ")) };
        let _ = writeln!(out, "{:>10}  {:>8}  {}{aliases}", e.statements, e.articles, e.speaker);
    }
    out
}

pub fn stats(s: &Stats) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "statements  {}", s.statements);
    let _ = writeln!(out, "articles    {}", s.articles);
    let _ = writeln!(out, "speakers    {}", s.speakers);
    let range = match (&s.first_date, &s.last_date) {
        (Some(a), Some(b)) => format!("{a} … {b}"),
        _ => "undated".into(),
    };
    let _ = writeln!(out, "dates       {range}");
    let _ = writeln!(out, "top speakers:");
    for c in &s.top_speakers {
        let _ = writeln!(out, "  {:>6}  {}", c.count, c.value);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeline_bars_scale_to_the_largest_period() {
        let t = Timeline {
            speaker: Some("Ann Lee".into()),
            query: "*".into(),
            by: crate::extract::Precision::Month,
            total: 4,
            undated: 1,
            periods: vec![
                crate::index::PeriodCount { period: "2025-01".into(), start: "2025-01-01".into(), count: 2 },
                crate::index::PeriodCount { period: "2025-02".into(), start: "2025-02-01".into(), count: 0 },
                crate::index::PeriodCount { period: "2025-03".into(), start: "2025-03-01".into(), count: 1 },
            ],
        };
        let text = timeline(&t, false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1].matches('█').count(), 50, "{text}");
        assert_eq!(lines[2].matches('█').count(), 0, "{text}");
        assert_eq!(lines[3].matches('█').count(), 25, "{text}");
        assert!(lines[4].starts_with("1 statements have no day"), "{text}");
    }

    #[test]
    fn highlight_marks_whole_query_words_only_with_color() {
        let words = query_words("\"cease fire\" AND speaker_name:petrov");
        assert_eq!(words, ["cease", "fire"]);
        assert_eq!(highlight("a cease-fire", &words, false), "a cease-fire");
        assert_eq!(highlight("a cease-fire", &words, true), format!("a {BOLD}cease{RESET}-{BOLD}fire{RESET}"));
    }
}

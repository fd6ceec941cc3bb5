//! Renderings of search results for people. (Machines get the result structs as
//! JSON, serialized by [`json()`] for the commands and the web API alike, so every
//! view shows the same values; `export` writes statements for other search engines.)
//!
//! Colour is decided by the caller (`--color`, `NO_COLOR`, whether stdout is a
//! terminal) and handed in as a flag; where a text matched is handed in as byte
//! ranges ([`Paint::marks`]), so nothing here knows how the search analyzes words.
//!
//! Speakers are shown by their label (`index::entity::label`): an unnamed speaker as
//! "unnamed: analysts", never as if it were a person called that.
//!
//! A timeline folds each long run of empty periods into one line, so an index of
//! 1987 and 2016 prints two clusters of bars, not 350 zeros between them; the
//! JSON keeps every period.
//!
//! Known limits: columns are aligned by counting characters, so names in scripts
//! whose characters take two cells (Chinese, Japanese) push the columns after them.

use std::fmt::Write;

use anstyle::Style;

pub mod context;
mod json;
mod paint;
pub use json::json;
pub mod article;

use crate::index::search::context::Context;
use crate::index::speaker_key::label;
use crate::index::{FacetCount, PeriodCount, QueryResult, SpeakerList, Stats, Timeline, WhoResult};
use crate::statement::Statement;

pub mod csv;
pub mod export;

pub use paint::Paint;
use paint::{BAR, DATE, GAP, SOURCE, SPEAKER};

/// Characters, for padding columns (`format!`'s width counts them the same way).
fn width(text: &str) -> usize {
    text.chars().count()
}

/// `text` left-aligned in `w` characters, then styled: padding first, so escape
/// codes do not count towards the width.
fn cell(paint: &Paint, style: Style, text: &str, w: usize) -> String {
    let pad = w.saturating_sub(width(text));
    format!("{}{}", paint.style(style, text), " ".repeat(pad))
}

/// A coarse date shows as its period ("2025-W11"), never as a day.
fn date_label(st: &Statement) -> &str {
    st.date.as_deref().or(st.period.as_deref()).unwrap_or("undated")
}

fn statement_block(
    out: &mut String,
    st: &Statement,
    context: Option<&Context>,
    date_width: usize,
    paint: &Paint,
) {
    let speaker = st
        .speaker
        .as_deref()
        .map_or_else(|| "(unknown speaker)".to_string(), |s| label(s, st.speaker_type));
    let _ = write!(
        out,
        "{}  {}",
        cell(paint, DATE, date_label(st), date_width),
        paint.style(SPEAKER, &speaker)
    );
    if let Some(role) = &st.role {
        let _ = write!(out, ", {role}");
    }
    let _ = writeln!(out, "  [{}]", st.kind.as_str());
    quotation(out, st, context, paint);
}

/// A statement in its context (see [`context::lines`]), then where it comes from.
fn quotation(out: &mut String, st: &Statement, ctx: Option<&Context>, paint: &Paint) {
    out.push_str(&context::lines(st, ctx, paint));
    let _ = writeln!(out, "    {}", paint.style(SOURCE, &context::article_line(st)));
}

fn date_width<'a>(statements: impl Iterator<Item = &'a Statement>) -> usize {
    statements.map(|st| width(date_label(st))).max().unwrap_or(0)
}

fn facet_line(out: &mut String, name: &str, counts: &[FacetCount]) {
    facet_values(
        out,
        name,
        &counts.iter().map(|c| (c.value.as_str(), c.count)).collect::<Vec<_>>(),
    );
}

/// One facet's first eight values with their counts on a line, and how many more.
fn facet_values(out: &mut String, name: &str, counts: &[(&str, u64)]) {
    if counts.is_empty() {
        return;
    }
    let shown: Vec<String> =
        counts.iter().take(8).map(|(value, count)| format!("{value} ({count})")).collect();
    let more =
        if counts.len() > 8 { format!(", … {} more", counts.len() - 8) } else { String::new() };
    let _ = writeln!(out, "  {name:<8} {}{more}", shown.join(", "));
}

/// Which hits a page holds: "showing 10", or "hits 11–20" past the first page.
fn shown(r: &QueryResult) -> String {
    let n = r.hits.len() as u64;
    match (r.offset, n) {
        (0, _) => format!("showing {n}"),
        (_, 0) => format!("none past hit {}", r.offset),
        (o, _) => format!("hits {}–{}", o + 1, o + n),
    }
}

pub fn query(r: &QueryResult, paint: &Paint) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} statements match {:?}; {}\n", r.total, r.query, shown(r));
    let w = date_width(r.hits.iter().map(|h| &h.statement));
    for h in &r.hits {
        statement_block(&mut out, &h.statement, h.context.as_ref(), w, paint);
        out.push('\n');
    }
    if r.total > 0 {
        let _ = writeln!(out, "Facets over all {} matches:", r.total);
        let speakers: Vec<(&str, u64)> =
            r.facets.speaker.iter().map(|c| (c.label.as_str(), c.count)).collect();
        facet_values(&mut out, "speaker", &speakers);
        facet_line(&mut out, "type", &r.facets.speaker_type);
        facet_line(&mut out, "month", &r.facets.month);
        for (by, counts) in &r.facets.by_date {
            facet_line(&mut out, by, counts);
        }
        facet_line(&mut out, "source", &r.facets.source);
        facet_line(&mut out, "kind", &r.facets.kind);
    }
    out
}

fn plural(n: u64, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Speakers ranked, one line each in aligned columns (rank, name, statements,
/// articles, dates), with an example statement under each.
pub fn who(r: &WhoResult, paint: &Paint) -> String {
    let mut out = String::new();
    let how = match r.matched {
        crate::index::MatchKind::Exact => "exact phrase",
        crate::index::MatchKind::Sloppy => "no exact match; words near each other",
        crate::index::MatchKind::Words => "no phrase match; all words anywhere",
        crate::index::MatchKind::None => "no match",
    };
    let _ = writeln!(out, "Who said {:?}? ({how})", r.query);
    let rows: Vec<[String; 4]> = r
        .speakers
        .iter()
        .map(|s| {
            let name = s.label.clone().unwrap_or_else(|| "(unknown speaker)".to_string());
            // Only worth saying when some quotation was reported more than once.
            let quotes = if s.quotes < s.statements {
                format!(" ({})", plural(s.quotes, "quotation"))
            } else {
                String::new()
            };
            let dates = match (&s.first_date, &s.last_date) {
                (Some(a), Some(b)) if a == b => a.clone(),
                (Some(a), Some(b)) => format!("{a} … {b}"),
                _ => "undated".to_string(),
            };
            [
                name,
                format!("{}{quotes}", plural(s.statements, "statement")),
                format!("in {}", plural(s.articles, "article")),
                dates,
            ]
        })
        .collect();
    let rank_w = r.speakers.len().to_string().len().max(2);
    let col = |i: usize| rows.iter().map(|row| width(&row[i])).max().unwrap_or(0);
    let (name_w, count_w, articles_w) = (col(0), col(1), col(2));
    for (n, (s, row)) in r.speakers.iter().zip(&rows).enumerate() {
        let _ = writeln!(
            out,
            "{:>rank_w$}. {}  {:<count_w$} {:<articles_w$}  {}",
            n + 1,
            cell(paint, SPEAKER, &row[0], name_w),
            row[1],
            row[2],
            paint.style(DATE, &row[3]),
        );
        quotation(&mut out, &s.example, s.example.context.as_ref(), paint);
        if s.example_articles > 1 {
            let first = s
                .example_first_date
                .as_deref()
                .map(|d| format!(", first on {d}"))
                .unwrap_or_default();
            let _ = writeln!(out, "    reported by {} articles{first}", s.example_articles);
        }
    }
    if let Some(statements) = &r.statements {
        let _ = writeln!(out, "\nOldest first:");
        let w = date_width(statements.iter().map(|q| &q.statement));
        for st in statements {
            statement_block(&mut out, st, st.context.as_ref(), w, paint);
        }
    }
    out
}

/// Widest bar, in characters.
const BAR_WIDTH: u64 = 50;

/// Runs of more than this many empty periods are folded into one line: a corpus of
/// 1987 and 2016 would otherwise print some 350 empty months between its bars,
/// while a short gap (a quiet month or two) reads better as its zero lines.
const FOLD_EMPTY: usize = 3;

/// A line of the timeline: a period, or a run of empty periods folded into one.
#[derive(Debug, PartialEq)]
enum TimelineLine<'a> {
    Period(&'a PeriodCount),
    /// More than [`FOLD_EMPTY`] consecutive periods with no statement, in order.
    Empty(&'a [PeriodCount]),
}

/// `periods` as lines, each run of more than [`FOLD_EMPTY`] empty periods as one.
fn fold_empty(periods: &[PeriodCount]) -> Vec<TimelineLine<'_>> {
    let mut out = Vec::new();
    let mut rest = periods;
    while let Some(first) = rest.first() {
        let run = rest.iter().take_while(|p| p.count == 0).count();
        if run > FOLD_EMPTY {
            out.push(TimelineLine::Empty(&rest[..run]));
            rest = &rest[run..];
        } else {
            out.push(TimelineLine::Period(first));
            rest = &rest[1..];
        }
    }
    out
}

/// One line per period: label, count and a bar scaled to the largest count; a run
/// of more than [`FOLD_EMPTY`] empty periods is one line saying how many and which
/// ("… 347 empty months (1987-04 – 2016-02)"). The JSON keeps every period.
pub fn timeline(t: &Timeline, color: bool) -> String {
    let paint = Paint::plain(color);
    let mut out = String::new();
    let who = t.label.as_deref().unwrap_or("everyone");
    let what = if t.query.trim().is_empty() || t.query.trim() == "*" {
        String::new()
    } else {
        format!(" matching {:?}", t.query)
    };
    let by = t.by.as_str();
    let _ = writeln!(out, "{who}{what}: {} statements per {by}", t.total);
    let max = t.periods.iter().map(|p| p.count).max().unwrap_or(0).max(1);
    let label_w = t.periods.iter().map(|p| width(&p.period)).max().unwrap_or(0);
    let count_w = max.to_string().len().max(5);
    for line in fold_empty(&t.periods) {
        match line {
            TimelineLine::Period(p) => {
                // Round up, so a period with any statement shows at least one block.
                let bar = "█".repeat(((p.count * BAR_WIDTH).div_ceil(max)) as usize);
                let _ = writeln!(
                    out,
                    "{:<label_w$}  {:>count_w$}  {}",
                    p.period,
                    p.count,
                    paint.style(BAR, &bar)
                );
            }
            TimelineLine::Empty(run) => {
                let (Some(first), Some(last)) = (run.first(), run.last()) else { continue };
                let (first, last) = (&first.period, &last.period);
                let text = format!("… {} empty {by}s ({first} – {last})", run.len());
                let _ = writeln!(out, "{}", paint.style(GAP, &text));
            }
        }
    }
    if t.undated > 0 {
        let _ = writeln!(
            out,
            "{} statements have no day (a coarser date or none) and are not drawn",
            t.undated
        );
    }
    out
}

/// Digits of the largest count, at least the header's width.
fn count_width<'a>(counts: impl Iterator<Item = &'a u64>, header: &str) -> usize {
    counts.max().map_or(1, |m| m.to_string().len()).max(width(header))
}

/// One line per speaker in aligned columns: statements, articles, name, and the
/// variants merged into it.
pub fn speakers(list: &SpeakerList, color: bool) -> String {
    let paint = Paint::plain(color);
    let mut out = String::new();
    let sw = count_width(list.speakers.iter().map(|e| &e.entry.statements), "statements");
    let aw = count_width(list.speakers.iter().map(|e| &e.entry.articles), "articles");
    let _ = writeln!(out, "{:>sw$}  {:>aw$}  speaker", "statements", "articles");
    for listed in &list.speakers {
        let e = &listed.entry;
        let aliases = if e.aliases.is_empty() {
            String::new()
        } else {
            format!("  (also: {})", e.aliases.join("; "))
        };
        let _ = writeln!(
            out,
            "{:>sw$}  {:>aw$}  {}{aliases}",
            e.statements,
            e.articles,
            paint.style(SPEAKER, &listed.label)
        );
    }
    out
}

/// Totals with their numbers right-aligned (unnamed speakers on a line of their own,
/// when there are any), then the top speakers.
pub fn stats(s: &Stats, color: bool) -> String {
    let paint = Paint::plain(color);
    let mut out = String::new();
    let read = s.articles_read.unwrap_or(0);
    let nw =
        count_width([s.statements, s.articles, read, s.speakers, s.unnamed_speakers].iter(), "");
    let _ = writeln!(out, "statements  {:>nw$}", s.statements);
    // Articles with statements, then all those ingest read (as its summary says).
    let _ = writeln!(out, "articles    {:>nw$}", s.articles);
    if let Some(read) = s.articles_read {
        let _ = writeln!(out, "read        {read:>nw$}");
    }
    let _ = writeln!(out, "speakers    {:>nw$}", s.speakers);
    // Only when there are any: most indexes of named sources have none.
    if s.unnamed_speakers > 0 {
        let _ = writeln!(out, "unnamed     {:>nw$}", s.unnamed_speakers);
    }
    let range = match (&s.first_date, &s.last_date) {
        (Some(a), Some(b)) => format!("{a} … {b}"),
        _ => "undated".into(),
    };
    let _ = writeln!(out, "dates       {}", paint.style(DATE, &range));
    let _ = writeln!(out, "top speakers:");
    let cw = count_width(s.top_speakers.iter().map(|c| &c.count), "");
    for c in &s.top_speakers {
        let _ = writeln!(out, "  {:>cw$}  {}", c.count, paint.style(SPEAKER, &c.label));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A month of Ann Lee's timeline.
    fn month(year: u32, month: u32, count: u64) -> PeriodCount {
        PeriodCount {
            period: format!("{year}-{month:02}"),
            start: format!("{year}-{month:02}-01"),
            count,
        }
    }

    /// Ann Lee's statements per month over `periods`.
    fn ann_lee_by_month(periods: Vec<PeriodCount>, undated: u64) -> Timeline {
        let total = periods.iter().map(|p| p.count).sum::<u64>() + undated;
        Timeline {
            speaker: Some("Ann Lee".into()),
            speaker_type: Some(crate::statement::SpeakerType::Person),
            label: Some("Ann Lee".into()),
            query: "*".into(),
            by: crate::statement::Precision::Month,
            total,
            undated,
            periods,
        }
    }

    #[test]
    fn timeline_bars_scale_to_the_largest_period() {
        let t = ann_lee_by_month(vec![month(2025, 1, 2), month(2025, 2, 0), month(2025, 3, 1)], 1);
        let text = timeline(&t, false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1].matches('█').count(), 50, "{text}");
        assert_eq!(lines[2].matches('█').count(), 0, "{text}");
        assert_eq!(lines[3].matches('█').count(), 25, "{text}");
        assert!(lines[4].starts_with("1 statements have no day"), "{text}");
    }

    /// Ann Lee's months from 1987-03 to 2016-07: two statements in March 1987, none
    /// for 347 months, one in March 2016, three quiet months, one in July.
    fn months_with_a_long_gap_and_a_short_one() -> Timeline {
        let count = |m: u32| match m {
            0 => 2,
            348 | 352 => 1,
            _ => 0,
        };
        let periods =
            (0..=352).map(|m| month(1987 + (m + 2) / 12, (m + 2) % 12 + 1, count(m))).collect();
        ann_lee_by_month(periods, 0)
    }

    #[test]
    fn timeline_folds_a_long_empty_run_into_one_line_and_keeps_a_short_one() {
        let t = months_with_a_long_gap_and_a_short_one();
        let text = timeline(&t, false);
        let lines: Vec<&str> = text.lines().skip(1).collect();
        let labels: Vec<&str> =
            lines.iter().map(|l| l.split_whitespace().next().unwrap_or("")).collect();
        assert_eq!(
            labels,
            ["1987-03", "…", "2016-03", "2016-04", "2016-05", "2016-06", "2016-07"],
            "{text}"
        );
        assert_eq!(lines[1], "… 347 empty months (1987-04 – 2016-02)", "{text}");
        assert_eq!(lines[3], "2016-04      0  ", "{text}");
        assert_eq!(lines[6].matches('█').count(), 25, "{text}");
        // The JSON is not folded: every period stays, for drawing.
        assert_eq!(t.periods.len(), 353);
        // Dimmed with colour on, and still one line.
        let coloured = timeline(&t, true);
        assert!(coloured.contains("\x1b[2m… 347 empty months"), "{coloured:?}");
        assert_eq!(coloured.lines().count(), text.lines().count());
    }

    #[test]
    fn fold_empty_folds_only_runs_longer_than_the_threshold() {
        let run = |empty: usize| {
            let mut periods = vec![PeriodCount {
                period: "2025-W01".into(),
                start: "2024-12-30".into(),
                count: 1,
            }];
            periods.extend((0..empty).map(|i| PeriodCount {
                period: format!("2025-W{:02}", i + 2),
                start: String::new(),
                count: 0,
            }));
            periods.push(PeriodCount { period: "last".into(), start: String::new(), count: 1 });
            periods
        };
        let at_threshold = run(FOLD_EMPTY);
        assert_eq!(fold_empty(&at_threshold).len(), FOLD_EMPTY + 2);
        let over = run(FOLD_EMPTY + 1);
        assert_eq!(
            fold_empty(&over),
            [
                TimelineLine::Period(&over[0]),
                TimelineLine::Empty(&over[1..=FOLD_EMPTY + 1]),
                TimelineLine::Period(&over[FOLD_EMPTY + 2]),
            ]
        );
        assert!(fold_empty(&[]).is_empty());
    }

    #[test]
    fn matches_are_marked_only_with_color() {
        let marks = |t: &str| t.match_indices("wall").map(|(i, m)| i..i + m.len()).collect();
        let on = Paint { color: true, marks: &marks };
        let off = Paint { color: false, marks: &marks };
        let mut st = crate::statement::invented("a sea-wall, wall");
        st.article = "x.txt#2".into();
        assert_eq!(context::lines(&st, None, &off), "    “a sea-wall, wall”\n");
        assert_eq!(
            context::lines(&st, None, &on),
            "    “\x1b[1ma sea-\x1b[0m\x1b[1m\x1b[31mwall\x1b[0m\x1b[1m, \x1b[0m\x1b[1m\x1b[31mwall\x1b[0m”\n"
        );
        // A range that is not on a character boundary is skipped, not a panic.
        #[allow(clippy::single_range_in_vec_init)]
        let bad = |_: &str| vec![1..2];
        let accented = crate::statement::invented("é");
        assert_eq!(
            context::lines(&accented, None, &Paint { color: true, marks: &bad }),
            "    “\x1b[1mé\x1b[0m”\n"
        );
    }

    #[test]
    fn a_context_marks_its_statement_and_names_the_article() {
        let st = Statement {
            title: Some("Council votes".into()),
            source: Some("Harbor Gazette".into()),
            url: Some("https://news.example/a".into()),
            ..crate::statement::invented("rates will rise")
        };
        let ctx = Context {
            text: "Ann Lee said rates will rise.".into(),
            statement: [13, 28],
            speaker: Some([0, 7]),
            cue: Some([8, 12]),
        };
        assert_eq!(
            context::lines(&st, Some(&ctx), &Paint::plain(false)),
            "    Ann Lee said [rates will rise].\n"
        );
        assert_eq!(
            context::article_line(&st),
            "Council votes — Harbor Gazette, article a.txt (https://news.example/a)"
        );
        // Long contexts wrap within the width, the indent included.
        let long = Context {
            text: "word ".repeat(60).trim_end().to_string(),
            statement: [0, 4],
            speaker: None,
            cue: None,
        };
        let text = context::lines(&st, Some(&long), &Paint::plain(false));
        assert!(text.lines().count() > 3, "{text}");
        assert!(text.lines().all(|l| l.chars().count() <= context::WIDTH), "{text}");
    }

    #[test]
    fn speaker_columns_widen_for_large_counts() {
        let entry = |speaker: &str, statements| {
            let entry = crate::index::SpeakerEntry {
                speaker: speaker.into(),
                speaker_type: None,
                aliases: vec![],
                statements,
                articles: 1,
            };
            crate::index::ListedSpeaker { label: entry.label(), entry }
        };
        let list =
            SpeakerList { speakers: vec![entry("Ann Lee", 12_345_678_901), entry("Tom Baker", 7)] };
        let text = speakers(&list, false);
        let starts: Vec<usize> = text
            .lines()
            .map(|l| {
                l.find("articles").or_else(|| l.find("Ann")).or_else(|| l.find("Tom")).unwrap()
            })
            .collect();
        assert_eq!(starts[1], starts[2], "{text}");
        assert!(text.lines().all(|l| !l.contains('\x1b')), "{text}");
    }

    #[test]
    fn unnamed_speakers_show_as_unnamed_everywhere() {
        use crate::statement::SpeakerType::{Person, Unnamed};
        let st = |speaker: &str, ty| Statement {
            text: "Prices will rise.".into(),
            kind: crate::statement::Kind::Indirect,
            speaker: Some(speaker.into()),
            speaker_type: Some(ty),
            ..crate::statement::invented("Prices will rise.")
        };
        let mut block = String::new();
        statement_block(&mut block, &st("analysts", Unnamed), None, 7, &Paint::plain(false));
        assert!(block.starts_with("undated  unnamed: analysts  [indirect]"), "{block}");
        let mut block = String::new();
        statement_block(&mut block, &st("Ann Lee", Person), None, 7, &Paint::plain(false));
        assert!(block.starts_with("undated  Ann Lee  [indirect]"), "{block}");
        let count = |value: &str, ty, count| crate::index::SpeakerCount {
            value: value.into(),
            count,
            speaker_type: Some(ty),
            label: label(value, Some(ty)),
        };
        let stats = Stats {
            statements: 3,
            articles: 1,
            articles_read: Some(2),
            speakers: 1,
            unnamed_speakers: 1,
            first_date: None,
            last_date: None,
            top_speakers: vec![count("analysts", Unnamed, 2), count("Ann Lee", Person, 1)],
        };
        let text = super::stats(&stats, false);
        assert!(text.contains("articles    1\nread        2\n"), "{text}");
        assert!(text.contains("speakers    1\nunnamed     1\n"), "{text}");
        assert!(text.contains("  2  unnamed: analysts\n  1  Ann Lee\n"), "{text}");
    }
}

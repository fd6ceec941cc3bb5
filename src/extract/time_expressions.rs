//! When a statement was made, as far as its words tell: the time expressions near
//! its attribution, resolved against a reference day (the dateline's day, else the
//! article's; see `reference_day`), as a [`Period`] whose precision says how much
//! the text really tells.
//!
//! Read outside the statement's content and outside quotations:
//! - explicit days: "March 12", "March 12, 2025", "12 March 2025", "Dec. 3",
//!   "on 3/15" (numeric only after "on", and only when one number cannot be a
//!   month or both are equal: "3/12" is left alone);
//! - months and years: "in March", "in March 2019", "a March 2019 interview",
//!   "in 2019";
//! - weekdays: "on Tuesday" (the latest Tuesday on or before the reference day),
//!   "last Tuesday" (strictly before), "this Tuesday" (the reference day's week,
//!   when not after it); "next Tuesday", "until Tuesday" are ignored;
//! - relative words from `data/rules/time-words.txt`: days ("yesterday"), weeks
//!   ("earlier in the week", "last week", "over the weekend"), months ("last
//!   month"), years ("last year"), vague past ("in the past", a present perfect
//!   such as "has demanded": no date at all), future words (ignored), and days
//!   counted from the day the story is at ("the previous day", "that day"; see
//!   `story_time`), which fall back to the reference day.
//!
//! A period after the reference day is an announced event, not a statement, and
//! gives nothing. A day with no year and no reference day gives nothing: a date is
//! never invented.
//!
//! Known limits: English only; ordinals without a month ("on the 12th") and ranges
//! ("March 3-5") are not read; "this week" may be said of a coming meeting, and is
//! still read as the article's week.

use jiff::civil::{Date, Weekday};
use jiff::ToSpan;

use super::doc::Doc;
use super::span::{ByteSpan, TokSpan};
use crate::lexicon::{lower, rules, Relative};
use crate::statement::Period;

/// What the text says about a statement's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Within this period.
    At(Period),
    /// In the past, with no period at all ("in the past", "has demanded").
    Vague,
    /// Nothing said.
    Unknown,
}

impl When {
    /// How much this reading tells: a more precise period beats a coarser one,
    /// any period beats a vague past, which beats nothing.
    pub(crate) fn rank(self) -> u8 {
        match self {
            When::Unknown => 0,
            When::Vague => 1,
            When::At(p) => 2 + p.precision as u8,
        }
    }
}

fn number(doc: &Doc, i: usize) -> Option<i32> {
    if !doc.is_word(i) {
        return None;
    }
    let w = doc.word(i);
    // "12th", "3rd": the suffix says nothing more.
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn year_at(doc: &Doc, i: usize) -> Option<i16> {
    let w = doc.is_word(i).then(|| doc.word(i))?;
    if w.len() != 4 || !w.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    w.parse().ok().filter(|y| (1000..=9999).contains(y))
}

fn month(doc: &Doc, i: usize) -> Option<i8> {
    // "May" and "March" are also other words: callers need a day or year with it,
    // or "in" before it.
    if !doc.is_cap(i) {
        return None;
    }
    rules().months.get(lower(doc.word(i)).as_ref()).copied()
}

/// `p` unless it starts after the reference day (an announced event, not a
/// statement) or, with no reference day, unless it needed one.
fn not_after(p: Period, reference: Option<Date>) -> When {
    match reference {
        Some(r) if p.first > r => When::Unknown,
        _ => When::At(p),
    }
}

/// A day from a month, a day of the month and maybe a year; without a year, the
/// latest such day not after the reference day.
fn month_day(m: i8, d: i32, year: Option<i16>, reference: Option<Date>) -> When {
    let Ok(d) = i8::try_from(d) else { return When::Unknown };
    match (year, reference) {
        (Some(y), _) => Date::new(y, m, d)
            .ok()
            .map_or(When::Unknown, |date| not_after(Period::day(date), reference)),
        (None, Some(r)) => {
            let this_year = Date::new(r.year(), m, d).ok();
            let soon_after = r.checked_add(14.days()).unwrap_or(r);
            match this_year {
                Some(date) if date <= r => When::At(Period::day(date)),
                // A day just ahead is an announced event ("will meet on March 20").
                Some(date) if date <= soon_after => When::Unknown,
                // Feb 29 of a year that has none falls through to the year before.
                _ => Date::new(r.year() - 1, m, d)
                    .ok()
                    .map_or(When::Unknown, |d| When::At(Period::day(d))),
            }
        }
        (None, None) => When::Unknown,
    }
}

/// A month with maybe a year; without a year, the latest such month not after the
/// reference day's.
fn month_of(m: i8, year: Option<i16>, reference: Option<Date>) -> When {
    let y = match (year, reference) {
        (Some(y), _) => y,
        (None, Some(r)) if m <= r.month() => r.year(),
        (None, Some(r)) => r.year() - 1,
        (None, None) => return When::Unknown,
    };
    Date::new(y, m, 1).ok().map_or(When::Unknown, |d| not_after(Period::month(d), reference))
}

/// The days an expression is read against.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Refs {
    /// The reference day: the dateline's, else the article's.
    pub day: Option<Date>,
    /// The day the story is at where the expression stands, when the narration set
    /// one ("On Monday, …"): "the previous day" counts from it.
    pub story: Option<Date>,
}

impl Refs {
    pub fn day(day: Option<Date>) -> Refs {
        Refs { day, story: None }
    }
}

/// What a relative phrase means on the reference day.
fn relative(rel: Relative, refs: Refs) -> When {
    if let Relative::Then(n) = rel {
        let Some(from) = refs.story.or(refs.day) else { return When::Unknown };
        return from
            .checked_add(i64::from(n).days())
            .ok()
            .map_or(When::Unknown, |d| not_after(Period::day(d), refs.day));
    }
    let reference = refs.day;
    let Some(r) = reference else {
        return if rel == Relative::Vague { When::Vague } else { When::Unknown };
    };
    let at = |d: Option<Date>, of: fn(Date) -> Period| d.map_or(When::Unknown, |d| When::At(of(d)));
    match rel {
        Relative::Offset(n) => at(r.checked_add(i64::from(n).days()).ok(), Period::day),
        Relative::Weeks(n) => at(r.checked_add((i64::from(n) * 7).days()).ok(), Period::week),
        Relative::Weekend => {
            // The last Saturday before the reference day.
            let back = (i64::from(r.weekday().to_monday_zero_offset()) - 5).rem_euclid(7);
            let back = if back == 0 { 7 } else { back };
            at(r.checked_sub(back.days()).ok(), Period::week)
        }
        Relative::Months(n) => {
            at(r.first_of_month().checked_add(i64::from(n).months()).ok(), Period::month)
        }
        Relative::Years(n) => {
            at(r.first_of_year().checked_add(i64::from(n).years()).ok(), Period::year)
        }
        Relative::Vague => When::Vague,
        Relative::Future | Relative::Then(_) => When::Unknown,
    }
}

/// Which of the weekdays of that name a weekday expression means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    /// "on Tuesday": the latest on or before the reference day.
    Latest,
    /// "last Tuesday": the latest strictly before it.
    Last,
    /// "this Tuesday": the one in the reference day's ISO week, if not after it.
    This,
}

/// The day a weekday expression means on the reference day.
fn weekday(wd: i8, which: Which, reference: Option<Date>) -> When {
    let Some(r) = reference else { return When::Unknown };
    let Ok(wd) = Weekday::from_monday_one_offset(wd) else { return When::Unknown };
    let back = i64::from(r.weekday().since(wd));
    let back = match which {
        Which::Last if back == 0 => 7,
        // Further back than the week's Monday: a coming day of this week.
        Which::This if back > i64::from(r.weekday().to_monday_zero_offset()) => {
            return When::Unknown
        }
        _ => back,
    };
    r.checked_sub(back.days()).map_or(When::Unknown, |d| When::At(Period::day(d)))
}

/// "on 3/15", "on 15/3", "on 3/3/2025": month and day when the order cannot be
/// mistaken; `i` is the first number. "3/12" (March 12 or 3 December) gives nothing.
fn numeric(doc: &Doc, i: usize, reference: Option<Date>) -> Option<(When, usize)> {
    if i == 0 || !doc.is(i - 1, "on") || !doc.is_punct(i + 1, '/') {
        return None;
    }
    let (a, b) = (number(doc, i)?, number(doc, i + 2)?);
    let mut next = i + 3;
    let mut year = None;
    if doc.is_punct(next, '/') {
        year = year_at(doc, next + 1);
        if year.is_some() {
            next += 2;
        }
    }
    let (m, d) = match (a, b) {
        _ if a == b && a <= 12 => (a, b),
        _ if a <= 12 && (13..=31).contains(&b) => (a, b),
        _ if b <= 12 && (13..=31).contains(&a) => (b, a),
        _ => return Some((When::Unknown, next)),
    };
    let m = i8::try_from(m).ok().filter(|m| *m >= 1)?;
    Some((month_day(m, d, year, reference), next))
}

/// Reads the time expression starting at token `i`, if there is one. Returns it
/// and the token after it.
fn expression_at(doc: &Doc, i: usize, end: usize, refs: Refs) -> Option<(When, usize)> {
    let r = rules();
    // Most words start no expression: turn them away before any lookup.
    if !doc.may_start_time(i) {
        return None;
    }
    let reference = refs.day;
    // March 12 / March 12, 2025 / Dec. 3 / March 2019
    if let Some(m) = month(doc, i) {
        let mut k = i + 1;
        if doc.is_punct(k, '.') {
            k += 1;
        }
        if let Some(d) =
            number(doc, k).filter(|d| (1..=31).contains(d) && year_at(doc, k).is_none())
        {
            let mut k = k + 1;
            let after_comma = if doc.is_punct(k, ',') { k + 1 } else { k };
            let year = year_at(doc, after_comma);
            if year.is_some() {
                k = after_comma + 1;
            }
            return Some((month_day(m, d, year, reference), k));
        }
        if let Some(y) = year_at(doc, k) {
            return Some((month_of(m, Some(y), reference), k + 1));
        }
        // "in March": a month alone needs "in" (or "earlier in") to be one.
        if i > 0 && doc.is(i - 1, "in") {
            return Some((month_of(m, None, reference), i + 1));
        }
    }
    // 12 March 2025
    if let Some(d) = number(doc, i).filter(|d| (1..=31).contains(d)) {
        if let Some(m) = month(doc, i + 1) {
            let year = year_at(doc, i + 2);
            return Some((month_day(m, d, year, reference), i + 2 + usize::from(year.is_some())));
        }
        if let Some(found) = numeric(doc, i, reference) {
            return Some(found);
        }
    }
    if !doc.is_word(i) {
        return None;
    }
    let lw = lower(doc.word(i));
    let lower: &str = lw.as_ref();
    // "in 2019", "during 2019": a year alone, only after a preposition ("2019" alone
    // is as often a number).
    if matches!(lower, "in" | "during") {
        if let Some(y) = year_at(doc, i + 1) {
            let when = Date::new(y, 1, 1)
                .ok()
                .map_or(When::Unknown, |d| not_after(Period::year(d), reference));
            return Some((when, i + 2));
        }
    }
    // Tuesday, but not "next Tuesday" or "until Tuesday".
    if let Some(&wd) = r.weekdays.get(lower) {
        if doc.is_cap(i) && lower.len() > 3 {
            let before = |w: &str| i > 0 && doc.is(i - 1, w);
            if ["next", "until", "by", "coming"].iter().any(|w| before(w)) {
                return Some((When::Unknown, i + 1));
            }
            let which = match () {
                _ if before("last") => Which::Last,
                _ if before("this") => Which::This,
                _ => Which::Latest,
            };
            return Some((weekday(wd, which, reference), i + 1));
        }
    }
    let phrases = r.time_word_starts.get(lower).map_or(&[][..], Vec::as_slice);
    for (phrase, rel) in phrases.iter().map(|&k| &r.time_words[k]) {
        let fits = phrase.iter().enumerate().all(|(n, w)| {
            i + n < end && doc.is_word(i + n) && doc.word(i + n).eq_ignore_ascii_case(w)
        });
        if fits {
            return Some((relative(*rel, refs), i + phrase.len()));
        }
    }
    // A present perfect ("has demanded", "have said") places it in the past.
    if (lower == "has" || lower == "have") && i + 1 < end {
        let mut k = i + 1;
        while k < end
            && doc.is_word(k)
            && r.skip_words.contains(crate::lexicon::lower(doc.word(k)).as_ref())
        {
            k += 1;
        }
        if k < end && doc.is_lower(k) {
            let w = doc.word(k);
            let participle = w.ends_with("ed")
                || w.ends_with("en")
                || r.speech_verb(w).is_some_and(|_| !w.ends_with('s'))
                || r.irregular_participles.contains(w);
            if participle && w != "been" {
                return Some((When::Vague, k + 1));
            }
        }
    }
    None
}

/// If a time phrase starts at token `i` (before `end`), the token after it: "on
/// Monday", "late Sunday", "Monday morning", "yesterday", "on March 3", "last
/// week", "earlier this week on Wednesday". Only its extent is read, not its day.
pub fn phrase_end(doc: &Doc, i: usize, end: usize) -> Option<usize> {
    let r = rules();
    let mut k = i;
    let mut found = None;
    loop {
        // Words that may lead or join the expressions: "on", "late", "early", "in".
        while k < end && doc.is_word(k) && doc.is_in(k, &r.story.links) {
            k += 1;
        }
        if k >= end || doc.is(k, "has") || doc.is(k, "have") {
            break;
        }
        match expression_at(doc, k, end, Refs::default()) {
            Some((_, next)) if next <= end => {
                k = next;
                // "Monday morning", "yesterday afternoon"
                if k < end && doc.is_in(k, &r.story.day_parts) {
                    k += 1;
                }
                found = Some(k);
            }
            _ => break,
        }
    }
    found
}

/// A word that puts the verb after it in the future ("will", "shall", "she'll").
pub fn is_future_auxiliary(word: &str) -> bool {
    let w = word.to_lowercase();
    w == "will" || w == "shall" || w.ends_with("'ll") || w.ends_with("’ll")
}

/// What the tokens `window`, minus the tokens inside the bytes `skip` and
/// quotations, say about when a statement was made, against the `reference` day.
/// The most precise expression wins; among equally precise ones, the first.
pub fn in_range(doc: &Doc, window: TokSpan, skip: ByteSpan, reference: Option<Date>) -> When {
    best(doc, window, skip, Refs::day(reference), |_| true)
}

/// What a statement's own sentence says about when it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Around {
    /// The best expression that dates the attribution.
    pub when: When,
    /// Nothing dates it, but the sentence names some other time (outside the bytes
    /// skipped, quotations and the tokens aside): "Writing in 1996, she said".
    pub elsewhere: bool,
}

/// Like [`in_range`] over `sentence` (from its start) up to token `near_end`, but an
/// expression before the attribution (which starts at token `anchor`) counts only
/// when it opens the sentence ("On Friday in Istanbul, …, Erdem said") or leads
/// straight into the attribution: in "The strike started on February 27, and union
/// leaders said …" the day is the strike's. Expressions in the tokens `aside` (a
/// clause inside the attribution: "Lee, who was elected in 2014, said") never count.
/// One pass over the sentence also tells whether it names a time elsewhere.
pub fn around(
    doc: &Doc,
    (sentence, near_end): (TokSpan, usize),
    anchor: usize,
    (skip, aside): (ByteSpan, TokSpan),
    refs: Refs,
) -> Around {
    let mut best = When::Unknown;
    let mut other = false;
    each(doc, sentence, skip, refs, |found| {
        let TokSpan { start, end } = found.span;
        if (aside.start <= start && start < aside.end)
            || found.bounds_a_span
            || found.when == When::Unknown
        {
            return;
        }
        // Only words of `data/rules/lead-words.txt` may stand between ("Last month,
        // the minister said").
        let dates = start < near_end
            && (start >= anchor
                || found.opens
                || (end..anchor).all(|k| !doc.is_word(k) || doc.is_in(k, &rules().lead_words)));
        if !dates {
            other = true;
        } else if found.when.rank() > best.rank() {
            best = found.when;
        }
    });
    Around { when: best, elsewhere: best == When::Unknown && other }
}

/// The expression at token `i` follows a span word of `data/rules/span-words.txt`
/// (maybe with "on" between), so it is the edge of some span, not when anything
/// was said: "the year ended November 30, 1986, Nuclear Data reported".
fn bounds_a_span(doc: &Doc, i: usize) -> bool {
    let before =
        if i > 0 && doc.is(i - 1, "on") { i.saturating_sub(2) } else { i.saturating_sub(1) };
    before < i && doc.is_in(before, &rules().span_words)
}

/// A time expression found in a stretch of text.
#[derive(Debug, Clone, Copy)]
pub struct Found {
    pub when: When,
    pub span: TokSpan,
    /// Only link words ("on", "late") and other time expressions stand between the
    /// stretch's start and it: "On Friday, …", "Earlier this week on Wednesday, …".
    pub opens: bool,
    /// It follows a span word ("since March", "the year ended May 3").
    pub bounds_a_span: bool,
}

/// Calls `f` with every time expression in `window`, outside the bytes `skip` and
/// quotations, in order.
pub fn each(doc: &Doc, window: TokSpan, skip: ByteSpan, refs: Refs, mut f: impl FnMut(Found)) {
    let story = &rules().story;
    let mut opens = true;
    let mut i = window.start;
    let b = window.end.min(doc.toks.len());
    // "At a rally in Dorrow on Monday, …": the scene's words up to its first comma
    // (at most eight) keep the sentence open.
    let first = (i..b).find(|&k| doc.is_word(k));
    let scene_end = first.filter(|&k| doc.is_in(k, &story.scene)).map_or(i, |k| {
        (k..b.min(k + 9)).find(|&x| doc.is_punct(x, ',') || doc.quote_at(x).is_some()).unwrap_or(k)
    });
    while i < b {
        let t = doc.toks[i];
        if skip.covers(t.bytes()) || doc.quote_at(i).is_some() {
            opens &= !doc.is_word(i);
            i += 1;
            continue;
        }
        match expression_at(doc, i, b, refs) {
            Some((when, next)) => {
                let span = TokSpan::new(i, next);
                f(Found { when, span, opens, bounds_a_span: bounds_a_span(doc, i) });
                i = next.max(i + 1);
                // "Monday morning": the day's part belongs to it.
                if i < b && doc.is_in(i, &rules().story.day_parts) {
                    i += 1;
                }
            }
            None => {
                if opens {
                    opens = !doc.is_word(i) || doc.is_in(i, &story.links) || i < scene_end;
                }
                i += 1;
            }
        }
    }
}

/// The best expression in `window` that `keep` accepts (and that bounds no span).
fn best(
    doc: &Doc,
    window: TokSpan,
    skip: ByteSpan,
    refs: Refs,
    keep: impl Fn(&Found) -> bool,
) -> When {
    let mut best = When::Unknown;
    each(doc, window, skip, refs, |found| {
        if found.when.rank() > best.rank() && !found.bounds_a_span && keep(&found) {
            best = found.when;
        }
    });
    best
}

/// What all of `text` (outside quotations) says, against `reference`: the reader
/// without an attribution window, for tests and tools.
pub fn read(text: &str, reference: Option<Date>) -> When {
    let doc = Doc::new(text);
    in_range(&doc, TokSpan::new(0, doc.toks.len()), ByteSpan::default(), reference)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn when(text: &str, article: &str) -> When {
        read(text, article.parse().ok())
    }

    fn day(s: &str) -> When {
        When::At(Period::day(s.parse().unwrap()))
    }

    #[test]
    fn explicit_days() {
        assert_eq!(when("Baker said on March 12 that", "2025-03-13"), day("2025-03-12"));
        assert_eq!(when("She said on Dec. 30 that", "2025-01-02"), day("2024-12-30"));
        assert_eq!(when("He said on 12 March 2024 that", "2025-03-13"), day("2024-03-12"));
        assert_eq!(when("He said on February 29 that", "2024-03-01"), day("2024-02-29"));
    }

    #[test]
    fn weekdays_go_back_to_the_latest_such_day() {
        // 2025-03-13 is a Thursday.
        assert_eq!(when("He said on Tuesday", "2025-03-13"), day("2025-03-11"));
        assert_eq!(when("He said on Thursday", "2025-03-13"), day("2025-03-13"));
        assert_eq!(when("He said last Thursday", "2025-03-13"), day("2025-03-06"));
        assert_eq!(when("He said on Friday", "2025-03-13"), day("2025-03-07"));
        assert_eq!(when("He will say next Tuesday", "2025-03-13"), When::Unknown);
    }

    #[test]
    fn relative_and_vague_words() {
        assert_eq!(when("the aide said earlier in the day", "2025-03-13"), day("2025-03-13"));
        assert_eq!(when("He said yesterday", "2025-01-01"), day("2024-12-31"));
        let week = When::At(Period::week("2025-03-10".parse().unwrap()));
        assert_eq!(when("Earlier in the week, Baker suggested", "2025-03-13"), week);
        assert_eq!(when("In the past, Petrov has demanded", "2025-03-13"), When::Vague);
    }

    #[test]
    fn no_reference_day_and_no_year_gives_no_day() {
        assert_eq!(when("He said on March 12 that", ""), When::Unknown);
        assert_eq!(when("He said yesterday", ""), When::Unknown);
        assert_eq!(when("He said on March 12, 2020, that", ""), day("2020-03-12"));
    }

    #[test]
    fn days_after_the_article_are_not_statement_days() {
        assert_eq!(when("He will speak on Dec 20", "2016-12-16"), When::Unknown);
        assert_eq!(when("He said on Dec 20", "2017-01-10"), day("2016-12-20"));
        assert_eq!(when("It opens on March 3, 2030", "2025-01-01"), When::Unknown);
        assert_eq!(when("It opens in 2030", "2025-01-01"), When::Unknown);
    }

    #[test]
    fn an_earlier_clause_dates_its_own_event_not_the_statement() {
        let r = "1987-03-09".parse().ok();
        let text = "The strike started on February 27, and union leaders said it would go on.";
        let doc = Doc::new(text);
        let anchor = doc.toks.iter().position(|t| &text[t.start..t.end] == "union").unwrap();
        let all = TokSpan::new(0, doc.toks.len());
        let none = (ByteSpan::default(), TokSpan::default());
        let read = around(&doc, (all, all.end), anchor, none, Refs::day(r));
        assert_eq!(read, Around { when: When::Unknown, elsewhere: true });
        let text = "On February 27, the union leaders said it would go on.";
        let doc = Doc::new(text);
        let anchor = doc.toks.iter().position(|t| &text[t.start..t.end] == "union").unwrap();
        let all = TokSpan::new(0, doc.toks.len());
        assert_eq!(
            around(&doc, (all, all.end), anchor, none, Refs::day(r)).when,
            day("1987-02-27")
        );
    }

    #[test]
    fn periods_label_and_parse_as_iso_8601() {
        let d: Date = "2024-12-30".parse().unwrap();
        // 2024-12-30 is in ISO week 1 of 2025.
        assert_eq!(Period::week(d).label(), "2025-W01");
        assert_eq!(Period::month(d).label(), "2024-12");
        assert_eq!(Period::year(d).label(), "2024");
        assert_eq!(
            Period::parse("2024-02").map(|p| p.last().to_string()).as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(
            Period::parse("2025").map(|p| p.last().to_string()).as_deref(),
            Some("2025-12-31")
        );
        assert_eq!(Period::parse("2025-03-12"), Some(Period::day("2025-03-12".parse().unwrap())));
        for bad in ["", "25", "2025-3", "2025-13", "2025-02-30", "March", "2025-03-12-1"] {
            assert_eq!(Period::parse(bad), None, "{bad:?}");
        }
    }
}

//! When a statement was made: time words in its attribution, resolved against the
//! article's day.
//!
//! Looked for in the statement's sentence outside its content and outside
//! quotations: "March 12" / "March 12, 2025" / "12 March 2025" / "Dec. 3", a
//! weekday ("on Tuesday": the latest such day on or before the article's day),
//! relative words from `data/time-words.txt` ("yesterday", "earlier in the day"),
//! and vague ones ("earlier in the week", "in the past", a present perfect such as
//! "has demanded"), which give no day at all. A statement with none of these takes
//! the date of the statement before it when the same speaker made both (a quotation
//! that goes on from an attribution), else the article's day.
//!
//! Known limits: numeric dates ("3/12") are not read; a date is never invented, so
//! an article with no date gives undated statements unless the text has a year.

use jiff::civil::Date;
use jiff::ToSpan;

use super::doc::Doc;
use super::rules::{rules, Relative};

/// What the text says about a statement's day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Day(Date),
    /// In the past, no day.
    Vague,
    /// Nothing said.
    Unknown,
}

fn number(doc: &Doc, i: usize) -> Option<i32> {
    if !doc.is_word(i) {
        return None;
    }
    let w = doc.word(i);
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn month(doc: &Doc, i: usize) -> Option<i8> {
    if !doc.is_cap(i) {
        return None;
    }
    let w = doc.word(i);
    // "May" and "March" are also other words; a day number must follow or precede.
    rules().months.get(&w.to_lowercase()).copied()
}

/// A day from a month, a day of the month and maybe a year; without a year, the
/// latest such day not after the article's day.
fn month_day(m: i8, d: i32, year: Option<i32>, article: Option<Date>) -> When {
    let Ok(d) = i8::try_from(d) else { return When::Unknown };
    match (year, article) {
        (Some(y), _) => match i16::try_from(y).ok().and_then(|y| Date::new(y, m, d).ok()) {
            // A day after the article's is an announced event, not a statement.
            Some(date) if article.is_some_and(|a| date > a) => When::Unknown,
            Some(date) => When::Day(date),
            None => When::Unknown,
        },
        (None, Some(a)) => {
            let this_year = Date::new(a.year(), m, d).ok();
            let soon_after = a.checked_add(14.days()).unwrap_or(a);
            match this_year {
                Some(date) if date <= a => When::Day(date),
                Some(date) if date <= soon_after => When::Unknown,
                _ => Date::new(a.year() - 1, m, d).ok().map_or(When::Unknown, When::Day),
            }
        }
        (None, None) => When::Unknown,
    }
}

/// Reads the time expression starting at token `i`, if there is one. Returns it
/// and the token after it.
fn expression_at(doc: &Doc, i: usize, end: usize, article: Option<Date>) -> Option<(When, usize)> {
    let r = rules();
    // March 12 / March 12, 2025 / Dec. 3
    if let Some(m) = month(doc, i) {
        let mut k = i + 1;
        if doc.is_punct(k, '.') {
            k += 1;
        }
        if let Some(d) = number(doc, k).filter(|d| (1..=31).contains(d)) {
            let mut k = k + 1;
            let mut year = None;
            let after_comma = if doc.is_punct(k, ',') { k + 1 } else { k };
            if let Some(y) = number(doc, after_comma).filter(|y| (1000..=9999).contains(y)) {
                year = Some(y);
                k = after_comma + 1;
            }
            return Some((month_day(m, d, year, article), k));
        }
    }
    // 12 March 2025
    if let Some(d) = number(doc, i).filter(|d| (1..=31).contains(d)) {
        if let Some(m) = month(doc, i + 1) {
            let year = number(doc, i + 2).filter(|y| (1000..=9999).contains(y));
            return Some((month_day(m, d, year, article), i + 2 + usize::from(year.is_some())));
        }
    }
    if doc.is_word(i) {
        let lower = doc.word(i).to_lowercase();
        // Tuesday, but not "next Tuesday" or "until Tuesday".
        if let Some(&wd) = r.weekdays.get(&lower) {
            if doc.is_cap(i) && lower.len() > 3 {
                let future = i > 0 && ["next", "until", "by", "coming"].iter().any(|w| doc.is(i - 1, w));
                if future {
                    return Some((When::Unknown, i + 1));
                }
                let Some(a) = article else { return Some((When::Unknown, i + 1)) };
                let back = (i16::from(a.weekday().to_monday_one_offset()) - i16::from(wd)).rem_euclid(7);
                return Some((a.checked_sub(i64::from(back).days()).map_or(When::Unknown, When::Day), i + 1));
            }
        }
        for (phrase, rel) in &r.time_words {
            if phrase.iter().enumerate().all(|(n, w)| i + n < end && doc.is_word(i + n) && doc.word(i + n).eq_ignore_ascii_case(w)) {
                let when = match (rel, article) {
                    (Relative::Vague, _) => When::Vague,
                    (Relative::Offset(n), Some(a)) => a.checked_add(i64::from(*n).days()).map_or(When::Unknown, When::Day),
                    (Relative::Offset(_), None) => When::Unknown,
                };
                return Some((when, i + phrase.len()));
            }
        }
        // A present perfect ("has demanded", "have said") places it in the past.
        if (lower == "has" || lower == "have") && i + 1 < end {
            let mut k = i + 1;
            while k < end && doc.is_word(k) && r.skip_words.contains(&doc.word(k).to_lowercase()) {
                k += 1;
            }
            if k < end && doc.is_lower(k) {
                let w = doc.word(k);
                let participle = w.ends_with("ed") || w.ends_with("en") || r.speech_verb(w).is_some_and(|_| !w.ends_with('s'))
                    || ["made", "said", "told", "put", "set", "kept", "held", "led", "sought", "fought", "brought", "thought", "spent", "built", "sent"].contains(&w);
                if participle && w != "been" {
                    return Some((When::Vague, k + 1));
                }
            }
        }
    }
    None
}

/// What the tokens `a..b`, minus the byte range `skip` and quotations, say about
/// when a statement was made. The most precise expression wins.
pub fn in_range(doc: &Doc, a: usize, b: usize, skip: (usize, usize), article: Option<Date>) -> When {
    let mut best = When::Unknown;
    let mut i = a;
    let b = b.min(doc.toks.len());
    while i < b {
        let t = doc.toks[i];
        if (t.start >= skip.0 && t.end <= skip.1) || doc.quote_at(i).is_some() {
            i += 1;
            continue;
        }
        match expression_at(doc, i, b, article) {
            Some((when, next)) => {
                match (best, when) {
                    (When::Day(_), _) => {}
                    (_, When::Day(_)) => best = when,
                    (When::Unknown, When::Vague) => best = When::Vague,
                    _ => {}
                }
                i = next.max(i + 1);
            }
            None => i += 1,
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn when(text: &str, article: &str) -> When {
        let doc = Doc::new(text);
        in_range(&doc, 0, doc.toks.len(), (0, 0), article.parse().ok())
    }

    fn day(s: &str) -> When {
        When::Day(s.parse().unwrap())
    }

    #[test]
    fn explicit_days() {
        assert_eq!(when("Trump said on March 12 that", "2025-03-13"), day("2025-03-12"));
        assert_eq!(when("She said on Dec. 30 that", "2025-01-02"), day("2024-12-30"));
        assert_eq!(when("He said on 12 March 2024 that", "2025-03-13"), day("2024-03-12"));
        assert_eq!(when("He said on February 29 that", "2024-03-01"), day("2024-02-29"));
    }

    #[test]
    fn weekdays_go_back_to_the_latest_such_day() {
        // 2025-03-13 is a Thursday.
        assert_eq!(when("He said on Tuesday", "2025-03-13"), day("2025-03-11"));
        assert_eq!(when("He said on Thursday", "2025-03-13"), day("2025-03-13"));
        assert_eq!(when("He said on Friday", "2025-03-13"), day("2025-03-07"));
        assert_eq!(when("He will say next Tuesday", "2025-03-13"), When::Unknown);
    }

    #[test]
    fn relative_and_vague_words() {
        assert_eq!(when("the aide said earlier in the day", "2025-03-13"), day("2025-03-13"));
        assert_eq!(when("He said yesterday", "2025-01-01"), day("2024-12-31"));
        assert_eq!(when("Earlier in the week, Trump suggested", "2025-03-13"), When::Vague);
        assert_eq!(when("In the past, Putin has demanded", "2025-03-13"), When::Vague);
    }

    #[test]
    fn no_article_date_and_no_year_gives_no_day() {
        assert_eq!(when("He said on March 12 that", ""), When::Unknown);
        assert_eq!(when("He said on March 12, 2020, that", ""), day("2020-03-12"));
    }

    #[test]
    fn days_after_the_article_are_not_statement_days() {
        assert_eq!(when("He will speak on Dec 20", "2016-12-16"), When::Unknown);
        assert_eq!(when("He said on Dec 20", "2017-01-10"), day("2016-12-20"));
        assert_eq!(when("It opens on March 3, 2030", "2025-01-01"), When::Unknown);
    }
}

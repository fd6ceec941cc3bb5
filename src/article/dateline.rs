//! Datelines: the place (and sometimes the day) a report was filed from, before a
//! dash at the start of a story: `WASHINGTON, Feb 26 -` (Reuters), `MOSCOW
//! (Reuters) -`, `KYIV, Ukraine —`, `PARIS, March 3, 2025 –`.
//!
//! Known limits: only the first non-blank line is looked at; the place must start
//! with a word in capitals (so "Washington - …" is not a dateline); a day without a
//! year needs the article's date to say which year it is.

use jiff::civil::Date;
use jiff::ToSpan;

use crate::lexicon::rules;

/// A dateline found at the start of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dateline {
    /// Byte offset just after the dateline's dash, in the text it was found in.
    pub end: usize,
    pub month: Option<i8>,
    pub day: Option<i8>,
    pub year: Option<i16>,
}

/// The longest a dateline's head (before the dash) may be; longer is a sentence.
const MAX_HEAD: usize = 80;
/// How far a dateline's day may be from the article's date: further means one of
/// them is wrong, and the article's date is the safer choice.
const MAX_DRIFT_DAYS: i64 = 30;

/// Reads the dateline at the start of a body, if it opens with one. The place must
/// be in capitals: "Washington - the capital - said" is a sentence.
pub fn find(text: &str) -> Option<Dateline> {
    parse(text, true)
}

/// Reads a record's own dateline field, which is a dateline by its name: the
/// place may be in any case ("New York, June 1 -").
pub fn find_in_field(text: &str) -> Option<Dateline> {
    parse(text, false)
}

fn parse(text: &str, capitals: bool) -> Option<Dateline> {
    let lead = text.len() - text.trim_start().len();
    let line_end = text[lead..].find('\n').map_or(text.len(), |n| lead + n);
    let line = &text[lead..line_end];
    let (dash, dash_len) = dash(line)?;
    let head = line[..dash].trim();
    if head.is_empty() || head.len() > MAX_HEAD {
        return None;
    }
    // "MOSCOW (Reuters)": the agency in parentheses says nothing about place or day.
    let head = match head.find('(') {
        Some(p) if head.ends_with(')') => head[..p].trim_end(),
        _ => head,
    };
    let mut parts = head.split(',').map(str::trim);
    let place = parts.next()?;
    let letters: Vec<char> = place.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() < 2 || (capitals && letters.iter().any(|c| !c.is_uppercase())) {
        return None;
    }
    if !place.chars().all(|c| c.is_alphabetic() || " .'-".contains(c)) {
        return None;
    }
    let mut found = Dateline { end: lead + dash + dash_len, month: None, day: None, year: None };
    for part in parts {
        let words: Vec<&str> = part.split_whitespace().collect();
        match words.as_slice() {
            [y] if found.month.is_some() && year(y).is_some() => found.year = year(y),
            [m, d, rest @ ..] if month(m).is_some() && day(d).is_some() && rest.len() <= 1 => {
                found.month = month(m);
                found.day = day(d);
                if let [y] = rest {
                    found.year = Some(year(y)?);
                }
            }
            // "Ukraine", "Calif.", "South Korea": more of the place.
            words
                if !words.is_empty()
                    && words.iter().all(|w| w.starts_with(|c: char| c.is_uppercase())) => {}
            _ => return None,
        }
    }
    Some(found)
}

/// The first dash that ends a dateline: an em or en dash, or a hyphen (or two)
/// with a space before it. Returns its byte offset and length.
fn dash(line: &str) -> Option<(usize, usize)> {
    let limit = line.len().min(MAX_HEAD + 4);
    for (i, c) in line.char_indices() {
        if i > limit {
            break;
        }
        match c {
            '—' | '–' => return Some((i, c.len_utf8())),
            '-' if line[..i].ends_with(' ') => {
                let len = if line[i + 1..].starts_with('-') { 2 } else { 1 };
                let after = line[i + len..].chars().next();
                if after.is_none_or(char::is_whitespace) {
                    return Some((i, len));
                }
            }
            _ => {}
        }
    }
    None
}

fn month(w: &str) -> Option<i8> {
    rules().months.get(&w.trim_end_matches('.').to_lowercase()).copied()
}

fn day(w: &str) -> Option<i8> {
    w.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year(w: &str) -> Option<i16> {
    w.parse().ok().filter(|y| (1000..=9999).contains(y))
}

impl Dateline {
    /// The dateline's day when it gives a year: a date from the text alone.
    pub fn full_date(&self) -> Option<Date> {
        Date::new(self.year?, self.month?, self.day?).ok()
    }

    /// The dateline's day: its own year if it has one, else the year that puts the
    /// day nearest the article's date (a "Dec 31" dateline on a story dated Jan 2
    /// is the year before). None when it has no day, or is far from the article's.
    pub fn day_near(&self, article: Option<Date>) -> Option<Date> {
        if let Some(d) = self.full_date() {
            return Some(d);
        }
        let (m, d, a) = (self.month?, self.day?, article?);
        [a.year() - 1, a.year(), a.year() + 1]
            .into_iter()
            .filter_map(|y| Date::new(y, m, d).ok())
            .min_by_key(|c| days_apart(*c, a))
            .filter(|c| days_apart(*c, a) <= MAX_DRIFT_DAYS)
            // A day after the article's is a clock in another zone at most.
            .filter(|c| *c <= a.checked_add(1.day()).unwrap_or(a))
    }
}

/// Whole days between two dates, either way round.
fn days_apart(x: Date, y: Date) -> i64 {
    x.since(y).map_or(i64::MAX, |s| i64::from(s.get_days()).abs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn reuters_agency_and_place_forms() {
        let d = find("WASHINGTON, Feb 26 - The Treasury said").unwrap();
        assert_eq!((d.month, d.day, d.year), (Some(2), Some(26), None));
        assert_eq!(d.end, "WASHINGTON, Feb 26 -".len());
        let d = find("MOSCOW (Reuters) - Petrov said").unwrap();
        assert_eq!((d.month, d.day), (None, None));
        let d = find("KYIV, Ukraine — The mayor said").unwrap();
        assert_eq!(d.month, None);
        let d = find("LOS ANGELES, March 3, 2025 -- Officials said").unwrap();
        assert_eq!(d.full_date(), Some(date(2025, 3, 3)));
        assert!(find("SALVADOR, Feb 26 -").is_some());
        assert_eq!(find("New York, June 1 -"), None);
        assert_eq!(find_in_field("New York, June 1 -").and_then(|d| d.day), Some(1));
    }

    #[test]
    fn sentences_are_not_datelines() {
        assert_eq!(find("The minister - who spoke - said"), None);
        assert_eq!(find("Washington - the capital - said"), None);
        assert_eq!(find("NATO is a well-known alliance"), None);
        assert_eq!(find("US, as ever, said - nothing"), None);
        assert_eq!(find(""), None);
    }

    #[test]
    fn the_year_nearest_the_article() {
        let d = find("PARIS, Dec 31 - x").unwrap();
        assert_eq!(d.day_near(Some(date(2025, 1, 2))), Some(date(2024, 12, 31)));
        assert_eq!(d.day_near(Some(date(2024, 12, 31))), Some(date(2024, 12, 31)));
        assert_eq!(d.day_near(None), None);
        // Months away from the article's date: one of the two is wrong.
        assert_eq!(d.day_near(Some(date(2025, 6, 1))), None);
        let leap = find("ROME, Feb 29 - x").unwrap();
        assert_eq!(leap.day_near(Some(date(2024, 3, 1))), Some(date(2024, 2, 29)));
    }
}

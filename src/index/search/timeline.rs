//! Time over matches: statement counts per day, ISO week, month or year, for
//! `query --by` (a date facet at any granularity) and `timeline` (counts per
//! period with the empty periods in between, for drawing).
//!
//! Known limits: only statements dated to the day are in the index's date field,
//! so week-, month- and year-precision statements are counted as undated here;
//! reads one fast-field row per match.

use anyhow::{Context, Result};
use serde::Serialize;

use super::facets::FacetCount;
use crate::index::collect::rows::{MatchRows, Row, SpeakersAs};
use crate::index::days::day_of;
use crate::index::query::{parse, with_filters, Filters};
use crate::index::{Error, Index};
use crate::statement::{Period, Precision, SpeakerType};

/// Statement counts per period for one speaker (or any), oldest first.
#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    /// The speaker's canonical name when the speaker asked for is in the speaker
    /// table (see `index::speaker_table`), else as asked; null: everyone.
    pub speaker: Option<String>,
    /// The speaker's type as the speaker table has it (`unnamed` for a description
    /// nobody is named by); null for everyone or a speaker not in the table.
    pub speaker_type: Option<SpeakerType>,
    /// "unnamed: analysts", or the name; null for everyone.
    pub label: Option<String>,
    pub query: String,
    /// "day", "week", "month" or "year".
    pub by: Precision,
    /// Every matching statement, dated or not.
    pub total: u64,
    /// Matching statements with no day (coarser or no date).
    pub undated: u64,
    /// From the first period with a statement to the last, empty ones included,
    /// however long a run of them (a drawing keeps a regular time axis; the terminal
    /// rendering, `render::timeline`, folds runs of more than three into one line).
    pub periods: Vec<PeriodCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodCount {
    /// ISO 8601 at the timeline's precision: `2025-03-12`, `2025-W11`, `2025-03`, `2025`.
    pub period: String,
    /// The period's first day (a Monday for weeks).
    pub start: String,
    pub count: u64,
}

/// Counts of `rows` per period of `by`, chronological, only periods with statements.
pub(crate) fn facet(rows: &[Row], by: Precision) -> Vec<FacetCount> {
    counts(rows, by).into_iter().map(|(p, count)| FacetCount { value: p.label(), count }).collect()
}

fn counts(rows: &[Row], by: Precision) -> std::collections::BTreeMap<Period, u64> {
    let mut out = std::collections::BTreeMap::new();
    for day in rows.iter().filter_map(|r| r.date.and_then(day_of)) {
        *out.entry(Period::of(day, by)).or_insert(0) += 1;
    }
    out
}

/// Every period from the first of `counts` to the last, with its count (0 for
/// those missing).
pub(crate) fn periods(counts: &std::collections::BTreeMap<Period, u64>) -> Vec<PeriodCount> {
    let mut periods = Vec::new();
    if let (Some((&first, _)), Some((&last, _))) =
        (counts.first_key_value(), counts.last_key_value())
    {
        let mut p = Some(first);
        while let Some(cur) = p.filter(|cur| *cur <= last) {
            periods.push(PeriodCount {
                period: cur.label(),
                start: cur.first.to_string(),
                count: counts.get(&cur).copied().unwrap_or(0),
            });
            p = next(cur);
        }
    }
    periods
}

/// The period after `p`, of the same precision.
fn next(p: Period) -> Option<Period> {
    p.last().tomorrow().ok().map(|d| Period::of(d, p.precision))
}

/// Statements matching `query` and `filters`, counted per period of `by`.
pub fn timeline(
    index: &Index,
    speaker: Option<&str>,
    query: &str,
    filters: &Filters,
    by: Precision,
) -> Result<Timeline, Error> {
    let searcher = index.searcher()?;
    let mut filters = filters.clone();
    let mut who = None;
    if let Some(s) = speaker {
        filters.speakers.push(s.to_string());
        let table = crate::index::speaker_table::load(index)?;
        who = Some(match table.find(s)? {
            Some(entry) => (entry.speaker.clone(), entry.speaker_type),
            None => (s.to_string(), None),
        });
    }
    let q = with_filters(index, &searcher, parse(index, query)?, &filters)?;
    let rows = searcher
        .search(&*q, &MatchRows { scoring: false, speakers: SpeakersAs::Neither })
        .context("searching")?;
    let counts = counts(&rows, by);
    let periods = periods(&counts);
    let dated: u64 = counts.values().sum();
    Ok(Timeline {
        label: who.as_ref().map(|(name, ty)| crate::index::speaker_key::label(name, *ty)),
        speaker_type: who.as_ref().and_then(|(_, ty)| *ty),
        speaker: who.map(|(name, _)| name),
        query: query.to_string(),
        by,
        total: rows.len() as u64,
        undated: rows.len() as u64 - dated,
        periods,
    })
}

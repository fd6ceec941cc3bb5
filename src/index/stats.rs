//! `stats`: how many statements, articles and speakers the index holds, its date
//! range, and the ten most quoted speakers.
//!
//! Known limits: reads one fast-field row per statement, linear in the index size.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result};
use serde::Serialize;
use tantivy::query::AllQuery;

use super::facets::{by_count, FacetCount};
use super::rows::{Rows, SpeakersAs};
use super::schema::Index;
use super::writer::datetime_to_day;

const TOP_SPEAKERS: usize = 10;

#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub statements: u64,
    pub articles: u64,
    pub speakers: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    pub top_speakers: Vec<FacetCount>,
}

pub fn stats(index: &Index) -> Result<Stats> {
    let searcher = index.searcher()?;
    let rows = searcher
        .search(&AllQuery, &Rows { scoring: false, speakers: SpeakersAs::Names })
        .context("reading index")?;
    let mut articles = BTreeSet::new();
    let mut speakers: BTreeMap<&str, u64> = BTreeMap::new();
    let (mut first, mut last) = (None, None);
    for row in &rows {
        if let Some(article) = row.article {
            articles.insert(article);
        }
        if let Some(speaker) = &row.speaker {
            *speakers.entry(speaker).or_default() += 1;
        }
        if let Some(date) = row.date {
            first = Some(first.map_or(date, |d: tantivy::DateTime| d.min(date)));
            last = Some(last.map_or(date, |d: tantivy::DateTime| d.max(date)));
        }
    }
    let speaker_count = speakers.len() as u64;
    let mut top = by_count(
        speakers
            .into_iter()
            .map(|(value, count)| FacetCount { value: value.to_string(), count })
            .collect(),
    );
    top.truncate(TOP_SPEAKERS);
    Ok(Stats {
        statements: rows.len() as u64,
        articles: articles.len() as u64,
        speakers: speaker_count,
        first_date: first.and_then(datetime_to_day),
        last_date: last.and_then(datetime_to_day),
        top_speakers: top,
    })
}

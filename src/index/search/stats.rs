//! `stats`: how many statements, articles and speakers the index holds, its date
//! range, and the ten most quoted speakers.
//!
//! Speakers are counted as the facets count them (see [`super::facets`]): a person's
//! name variants are one speaker, and unnamed speakers ("analysts") are counted
//! apart, in `unnamed_speakers`, never as people.
//!
//! Known limits: reads one fast-field row per statement, linear in the index size.

use std::collections::BTreeSet;

use anyhow::{Context, Result};
use serde::Serialize;
use tantivy::query::AllQuery;

use super::facets::{self, SpeakerCount};
use crate::index::collect::rows::{MatchRows, SpeakersAs};
use crate::index::days::datetime_to_day;
use crate::index::Index;

const TOP_SPEAKERS: usize = 10;

#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub statements: u64,
    /// Articles with at least one statement (an article without any leaves nothing
    /// in the index).
    pub articles: u64,
    /// Articles read by the ingests that built the index, as their summaries count
    /// them; `None` when the index's file list is missing (filled by `api::stats`).
    pub articles_read: Option<u64>,
    /// Named speakers (people and organizations), name variants merged.
    pub speakers: u64,
    /// Unnamed speakers: distinct descriptions ("analysts", "a senior diplomat").
    pub unnamed_speakers: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// Named and unnamed, most statements first.
    pub top_speakers: Vec<SpeakerCount>,
}

pub fn stats(index: &Index) -> Result<Stats> {
    let searcher = index.searcher()?;
    let (rows, counts) = searcher
        .search(
            &AllQuery,
            &(MatchRows { scoring: false, speakers: SpeakersAs::Neither }, facets::collector()),
        )
        .context("reading index")?;
    let mut articles = BTreeSet::new();
    let (mut first, mut last) = (None, None);
    for row in &rows {
        if let Some(article) = row.article {
            articles.insert(article);
        }
        if let Some(date) = row.date {
            first = Some(first.map_or(date, |d: tantivy::DateTime| d.min(date)));
            last = Some(last.map_or(date, |d: tantivy::DateTime| d.max(date)));
        }
    }
    let mut top = facets::from_counts(index, &counts)?.speaker;
    let unnamed =
        top.iter().filter(|s| crate::index::speaker_key::is_unnamed(s.speaker_type)).count() as u64;
    let speakers = top.len() as u64 - unnamed;
    top.truncate(TOP_SPEAKERS);
    Ok(Stats {
        statements: rows.len() as u64,
        articles: articles.len() as u64,
        articles_read: None,
        speakers,
        unnamed_speakers: unnamed,
        first_date: first.and_then(datetime_to_day),
        last_date: last.and_then(datetime_to_day),
        top_speakers: top,
    })
}

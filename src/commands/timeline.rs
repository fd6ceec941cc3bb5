//! `timeline`: a speaker's statement counts per period, as bars or JSON.
//!
//! [`TimelineRequest`] holds the checked arguments; the web API builds the same
//! request from its URL parameters (where the speaker is optional: everyone).

use std::path::Path;

use anyhow::Result;

use super::search::{filters, json, print};
use super::{parse_precision, stdout_color, Outcome};
use crate::cli::FilterArgs;
use crate::statement::Precision;
use crate::index::{self, Filters, Index, Timeline};
use crate::render;

/// The checked arguments of `timeline`.
#[derive(Debug, Clone)]
pub struct TimelineRequest {
    /// None: every speaker.
    pub speaker: Option<String>,
    pub query: String,
    pub filters: Filters,
    pub by: Precision,
}

impl TimelineRequest {
    pub fn parse(speaker: Option<&str>, query: &str, f: &FilterArgs, by: &str) -> Result<TimelineRequest> {
        Ok(TimelineRequest {
            speaker: speaker.map(str::to_string),
            query: query.to_string(),
            filters: filters(f)?,
            by: parse_precision(by)?,
        })
    }

    /// What `timeline --json` prints.
    pub fn run(&self, index: &Index) -> Result<Timeline> {
        index::timeline(index, self.speaker.as_deref(), &self.query, &self.filters, self.by)
    }
}

/// `whosaid timeline SPEAKER [QUERY]`
pub fn timeline(index_dir: &Path, speaker: &str, q: &str, f: &FilterArgs, by: &str, as_json: bool) -> Result<Outcome> {
    let request = TimelineRequest::parse(Some(speaker), q, f, by)?;
    let t = request.run(&Index::open(index_dir)?)?;
    if as_json {
        json(&t)?;
    } else {
        print(&render::timeline(&t, stdout_color()))?;
    }
    Ok(if t.total > 0 { Outcome::Results } else { Outcome::NoResults })
}

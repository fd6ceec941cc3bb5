//! `timeline`: a speaker's statement counts per period, as bars or JSON.

use std::path::Path;

use anyhow::Result;

use super::search::{filters, json, print};
use super::{parse_precision, stdout_color, Outcome};
use crate::cli::FilterArgs;
use crate::index::{self, Index};
use crate::render;

/// `whosaid timeline SPEAKER [QUERY]`
pub fn timeline(index_dir: &Path, speaker: &str, q: &str, f: &FilterArgs, by: &str, as_json: bool) -> Result<Outcome> {
    let by = parse_precision(by)?;
    let filters = filters(f)?;
    let index = Index::open(index_dir)?;
    let t = index::timeline(&index, Some(speaker), q, &filters, by)?;
    if as_json {
        json(&t)?;
    } else {
        print(&render::timeline(&t, stdout_color()))?;
    }
    Ok(if t.total > 0 { Outcome::Results } else { Outcome::NoResults })
}

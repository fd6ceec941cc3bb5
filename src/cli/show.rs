//! `show ID`: one article with its statements marked (see `whosaid::render::article`),
//! or as JSON.
//!
//! Known limits: an unknown id is exit 1 (no result) with the ids that start with it
//! on stderr; a long article is printed whole (page it with `less -R`).

use std::path::Path;

use anyhow::Result;

use super::{json, print_human, stdout_color, Outcome};
use whosaid::api;
use whosaid::index::Index;
use whosaid::render::{self, Paint};

/// `whosaid show ID`
pub fn show(index_dir: &Path, id: &str, as_json: bool) -> Result<Outcome> {
    let index = Index::open(index_dir)?;
    let Some(view) = api::article(&index, id)? else {
        eprintln!("whosaid: {}", api::unknown_article(&index, id)?);
        return Ok(Outcome::NoResults);
    };
    if as_json {
        json(&view)?;
    } else {
        let color = stdout_color();
        print_human(&render::article::article(&view, &Paint::plain(color)), color)?;
    }
    Ok(Outcome::Results)
}

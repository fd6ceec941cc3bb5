//! `query`: the best statements for a query and filters by score, the total, and
//! facet counts over all matches.
//!
//! Known limits: terms are AND'ed by default (a search box narrows as you type); a
//! top list deeper than the index is cut to its size.

use anyhow::Context;
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};

use super::facets::{self, Facets};
use super::timeline;
use crate::index::collect::rows::{MatchRows, SpeakersAs};
use crate::index::query::{parse, with_filters, Filters};
use crate::index::stored::load_statement;
use crate::index::{Error, Index};
use crate::statement::{Precision, Statement};

#[derive(Debug, Clone, Serialize)]
pub struct QueryResult {
    pub query: String,
    pub total: u64,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    #[serde(flatten)]
    pub statement: Statement,
    pub score: f32,
}

/// Statements matching `query` (Tantivy query syntax; "" or "*" for all) and `filters`:
/// the best `limit` by score, the total, and facet counts over all matches.
pub fn query(index: &Index, query: &str, filters: &Filters, limit: usize) -> Result<QueryResult, Error> {
    query_by(index, query, filters, limit, None)
}

/// [`query`], with the date facet also counted per `by` (day, week or year; the
/// month facet is always there) under a key of that name.
pub fn query_by(
    index: &Index,
    query: &str,
    filters: &Filters,
    limit: usize,
    by: Option<Precision>,
) -> Result<QueryResult, Error> {
    let searcher = index.searcher()?;
    let main = parse(index, query)?;
    let full = with_filters(index, &searcher, main, filters)?;
    // TopDocs refuses a limit of 0 (ask for one and drop it) and preallocates for the
    // limit (so never ask for more than there are).
    let cap = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let (top, total, counts) = if limit == 0 {
        // Counts only: without a top list nothing needs a score, so Tantivy hands
        // the matches over in blocks (see FacetColumnsSegment::collect_block).
        let (total, counts) = searcher
            .search(&*full, &(Count, facets::collector()))
            .context("searching")?;
        (Vec::new(), total, counts)
    } else {
        let top = TopDocs::with_limit(limit.min(cap).max(1)).order_by_score();
        searcher
            .search(&*full, &(top, Count, facets::collector()))
            .context("searching")?
    };
    let hits = top
        .into_iter()
        .take(limit)
        .map(|(score, addr)| {
            Ok(Hit {
                statement: load_statement(index, &searcher, addr)?,
                score,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut facets = facets::from_counts(index, &counts)?;
    if let Some(by) = by.filter(|b| *b != Precision::Month) {
        let rows = searcher.search(&*full, &MatchRows { scoring: false, speakers: SpeakersAs::Neither }).context("searching")?;
        facets.by_date.insert(by.as_str().to_string(), timeline::facet(&rows, by));
    }
    Ok(QueryResult {
        query: query.to_string(),
        total: total as u64,
        hits,
        facets,
    })
}


//! `query`: a page of the statements matching a query and filters (best first, or
//! by date; see `rank`), the total, and facet counts over all matches.
//!
//! Known limits: terms are AND'ed by default (a search box narrows as you type); a
//! page past the last match is empty (the total still counts them all).

use anyhow::Context as _;
use serde::Serialize;
use tantivy::collector::Count;

use super::context::{Context, Contexts};
use super::facets::{self, Facets};
use super::rank::{self, HitOrder, Page};
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
    /// Matches skipped before the first hit (`--offset`).
    pub offset: u64,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    #[serde(flatten)]
    pub statement: Statement,
    pub score: f32,
    /// The sentence around the statement (see `search::context`); null when its
    /// article is not stored.
    pub context: Option<Context>,
}

/// Statements matching `query` (Tantivy query syntax; "" or "*" for all) and `filters`:
/// the best `limit` by score, the total, and facet counts over all matches.
pub fn query(
    index: &Index,
    query: &str,
    filters: &Filters,
    limit: usize,
) -> Result<QueryResult, Error> {
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
    let page = Page { limit, offset: 0, order: HitOrder::Relevance };
    query_page(index, query, filters, &page, by)
}

/// [`query_by`] for one page of hits in an order.
pub fn query_page(
    index: &Index,
    query: &str,
    filters: &Filters,
    page: &Page,
    by: Option<Precision>,
) -> Result<QueryResult, Error> {
    let searcher = index.searcher()?;
    let main = parse(index, query)?;
    let full = with_filters(index, &searcher, main, filters)?;
    // TopDocs refuses a limit of 0 (ask for one and drop it) and preallocates for the
    // limit (so never ask for more than there are).
    let cap = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
    let limit = page.limit.min(cap.saturating_sub(page.offset));
    let (top, total, counts) = if limit == 0 {
        // Counts only: without a top list nothing needs a score, so Tantivy hands
        // the matches over in blocks (see FacetColumnsSegment::collect_block).
        let (total, counts) =
            searcher.search(&*full, &(Count, facets::collector())).context("searching")?;
        (Vec::new(), total, counts)
    } else {
        let top = rank::collector(index, &Page { limit, ..*page });
        let (top, total, counts) =
            searcher.search(&*full, &(top, Count, facets::collector())).context("searching")?;
        (top.into_iter().map(|((_, score), addr)| (score, addr)).collect(), total, counts)
    };
    let mut contexts = Contexts::new(index)?;
    let hits = top
        .into_iter()
        .take(limit)
        .map(|(score, addr)| {
            let statement = load_statement(index, &searcher, addr)?;
            let context = contexts.of(&statement)?;
            Ok(Hit { statement, score, context })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let mut facets = facets::from_counts(index, &counts)?;
    if let Some(by) = by.filter(|b| *b != Precision::Month) {
        let rows = searcher
            .search(&*full, &MatchRows { scoring: false, speakers: SpeakersAs::Neither })
            .context("searching")?;
        facets.by_date.insert(by.as_str().to_string(), timeline::facet(&rows, by));
    }
    Ok(QueryResult {
        query: query.to_string(),
        total: total as u64,
        offset: page.offset as u64,
        hits,
        facets,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;
    use crate::index::{open_or_create, IndexWriter};

    /// An index of three invented articles, one statement each, dated a day apart.
    fn small_index(dir: &std::path::Path) -> Index {
        let index = open_or_create(dir).unwrap();
        let mut w = IndexWriter::open_with_threads(&index, 50_000_000, 1).unwrap();
        let bodies = [
            ("a.txt", "2025-03-10", "Ann Lee said that taxes would rise."),
            ("b.txt", "2025-03-11", "Tom Baker said that taxes would fall."),
            ("c.txt", "2025-04-02", "Ann Lee said that the river would flood."),
        ];
        for (id, day, body) in bodies {
            let a = Article {
                id: id.into(),
                path: id.into(),
                date: day.parse().ok(),
                body: body.into(),
                ..Article::default()
            };
            w.replace_article(id, &crate::extract::extract(&a)).unwrap();
        }
        w.commit().unwrap();
        index
    }

    #[test]
    fn totals_hits_and_facets_count_every_match() {
        let dir = tempfile::tempdir().unwrap();
        let index = small_index(dir.path());
        let r = query(&index, "taxes", &Filters::default(), 10).unwrap();
        assert_eq!((r.total, r.hits.len()), (2, 2));
        let speakers: Vec<_> =
            r.facets.speaker.iter().map(|s| (s.value.as_str(), s.count)).collect();
        assert_eq!(speakers, [("Ann Lee", 1), ("Tom Baker", 1)]);
        // A limit below the total cuts the hits, never the total or the facets.
        let one = query(&index, "taxes", &Filters::default(), 1).unwrap();
        assert_eq!((one.total, one.hits.len(), one.facets.speaker.len()), (2, 1, 2));
        // Counts only.
        let none = query(&index, "*", &Filters::default(), 0).unwrap();
        assert_eq!((none.total, none.hits.len()), (3, 0));
    }

    #[test]
    fn a_date_facet_is_counted_per_period_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let index = small_index(dir.path());
        let r = query_by(&index, "*", &Filters::default(), 0, Some(Precision::Day)).unwrap();
        let days: Vec<_> =
            r.facets.by_date["day"].iter().map(|f| (f.value.as_str(), f.count)).collect();
        assert_eq!(days, [("2025-03-10", 1), ("2025-03-11", 1), ("2025-04-02", 1)]);
        let filtered = Filters { since: "2025-04-01".parse().ok(), ..Filters::default() };
        assert_eq!(query(&index, "*", &filtered, 10).unwrap().total, 1);
    }

    #[test]
    fn a_query_that_does_not_parse_is_the_users_fault() {
        let dir = tempfile::tempdir().unwrap();
        let index = small_index(dir.path());
        // Most odd input is read as words (see `index::query::forgiving`); a date
        // that is not one is still refused, with how to write it.
        let err = query(&index, "date:2020", &Filters::default(), 10).unwrap_err();
        assert!(matches!(err, Error::BadQuery(_)) && err.is_users_fault(), "{err}");
    }
}

//! Headlines are indexed once per article, on its first statement; a `title:` clause
//! matches every statement of the articles whose first statement it matches.
//!
//! Every statement carried its article's headline, a fifth of the words an ingest
//! indexed, for a field that is only ever searched by article. All the statements of
//! an article are added as one group (see `writer`), so they are consecutive
//! documents of one segment, and the first holds the headline.
//!
//! Known limits: a `title:` clause matches without a score (every statement it
//! admits scores the same), so it ranks nothing by itself; an index whose articles
//! were not written as groups would match only their first statements (every index
//! this version writes is).

use tantivy::columnar::StrColumn;
use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// The statements of the articles one of whose statements `inner` matches.
#[derive(Debug)]
pub(crate) struct ArticlesQuery {
    inner: Box<dyn Query>,
}

impl Clone for ArticlesQuery {
    fn clone(&self) -> ArticlesQuery {
        ArticlesQuery { inner: self.inner.box_clone() }
    }
}

impl ArticlesQuery {
    pub(crate) fn new(inner: Box<dyn Query>) -> ArticlesQuery {
        ArticlesQuery { inner }
    }
}

impl Query for ArticlesQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ArticlesWeight { inner: self.inner.weight(scoring)? }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct ArticlesWeight {
    inner: Box<dyn Weight>,
}

impl Weight for ArticlesWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let Some(article) = reader.fast_fields().str("article")? else {
            return Ok(Box::new(EmptyScorer));
        };
        let mut inner = self.inner.scorer(reader, boost)?;
        let docs = whole_articles(&mut *inner, &article, reader.max_doc());
        Ok(Box::new(Docs { docs, at: 0, score: boost }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) == doc {
            Ok(Explanation::new("a statement of an article whose headline matches", scorer.score()))
        } else {
            Err(tantivy::TantivyError::InvalidArgument(format!("document {doc} does not match")))
        }
    }
}

/// Documents from a sorted list, all with one score.
struct Docs {
    docs: Vec<DocId>,
    at: usize,
    score: Score,
}

impl DocSet for Docs {
    fn advance(&mut self) -> DocId {
        self.at += 1;
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.docs.get(self.at).copied().unwrap_or(TERMINATED)
    }

    fn size_hint(&self) -> u32 {
        u32::try_from(self.docs.len()).unwrap_or(u32::MAX)
    }
}

impl Scorer for Docs {
    fn score(&mut self) -> Score {
        self.score
    }
}

/// Every document of the runs of equal `article` that start at a match of `matches`,
/// in order.
fn whole_articles(matches: &mut dyn Scorer, article: &StrColumn, max_doc: DocId) -> Vec<DocId> {
    let ord = |doc: DocId| article.term_ords(doc).next();
    let mut out = Vec::new();
    let mut doc = matches.doc();
    while doc != TERMINATED {
        let Some(a) = ord(doc) else {
            doc = matches.advance();
            continue;
        };
        let mut end = doc + 1;
        while end < max_doc && ord(end) == Some(a) {
            end += 1;
        }
        out.extend(doc..end);
        // The rest of this article is in already; seek past it.
        doc = if end >= max_doc {
            TERMINATED
        } else if end == doc + 1 {
            matches.advance()
        } else {
            matches.seek(end)
        };
    }
    out
}

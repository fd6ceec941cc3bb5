//! `show`: one stored article (see `index::articles`) with its statements, in the
//! order they appear in it; and the `Index` methods that read the article store.
//!
//! Known limits: the article and its statements are read from two commits (the
//! article store's, then the statements'); an ingest finishing in between may show
//! an article with the statements of its previous text, whose spans the renderers
//! check against the body.

use anyhow::{Context as _, Result};
use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocSet, Term};

use crate::index::articles::{self, Articles, StoredArticle};
use crate::index::stored::load_statement;
use crate::index::Index;
use crate::statement::Statement;

/// An article and its statements: `show --json` and `/api/article`.
#[derive(Debug, Clone, Serialize)]
pub struct ArticleView {
    pub article: StoredArticle,
    /// In the order of their spans.
    pub statements: Vec<Statement>,
}

/// The article with id `id` (exactly as hits print it) and its statements; `None`
/// when the index has no such article.
pub fn article(index: &Index, id: &str) -> Result<Option<ArticleView>> {
    let Some(article) = index.article(id)? else { return Ok(None) };
    let searcher = index.searcher()?;
    let query =
        TermQuery::new(Term::from_field_text(index.fields.article, id), IndexRecordOption::Basic);
    let addrs = searcher.search(&query, &DocSetCollector).context("reading the statements")?;
    let mut statements = addrs
        .into_iter()
        .map(|addr| load_statement(index, &searcher, addr))
        .collect::<Result<Vec<_>>>()?;
    statements.sort_by_key(|s| (s.span[0], s.span[1]));
    Ok(Some(ArticleView { article, statements }))
}

impl Index {
    /// The article store, or an error saying how to get one.
    pub fn articles(&self) -> Result<&Articles> {
        self.articles.as_ref().with_context(|| {
            format!(
                "the index at {} has no article store ({}/): delete the index folder \
                 and re-ingest",
                self.dir.display(),
                articles::FOLDER
            )
        })
    }

    /// The stored article with id `id`, exactly as hits print it.
    pub fn article(&self, id: &str) -> Result<Option<StoredArticle>> {
        let articles = self.articles()?;
        Ok(articles.get_or_reload(&articles.searcher()?, id)?.0)
    }

    /// Up to `limit` article ids that start with `prefix`, in order; with an empty
    /// prefix, the first ids.
    pub fn article_ids_starting_with(&self, prefix: &str, limit: usize) -> Result<Vec<String>> {
        let articles = self.articles()?;
        let searcher = articles.searcher()?;
        let mut ids = Vec::new();
        for segment in searcher.segment_readers() {
            let inverted = segment
                .inverted_index(articles.fields.id)
                .context("reading the article store's ids")?;
            let mut stream = inverted
                .terms()
                .range()
                .ge(prefix.as_bytes())
                .into_stream()
                .context("reading the article store's ids")?;
            let mut taken = 0;
            while taken < limit && stream.advance() {
                let Ok(id) = std::str::from_utf8(stream.key()) else { continue };
                if !id.starts_with(prefix) {
                    break;
                }
                // A deleted article's id stays in the dictionary until a merge.
                let term = Term::from_field_text(articles.fields.id, id);
                if segment.alive_bitset().is_some()
                    && inverted
                        .read_postings(&term, IndexRecordOption::Basic)
                        .ok()
                        .flatten()
                        .is_none_or(|mut p| {
                            let alive = segment.alive_bitset();
                            let mut any = false;
                            while p.doc() != tantivy::TERMINATED {
                                if alive.is_none_or(|a| a.is_alive(p.doc())) {
                                    any = true;
                                    break;
                                }
                                p.advance();
                            }
                            !any
                        })
                {
                    continue;
                }
                ids.push(id.to_string());
                taken += 1;
            }
        }
        ids.sort();
        ids.dedup();
        ids.truncate(limit);
        Ok(ids)
    }
}

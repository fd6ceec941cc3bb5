//! Every statement matching a query and filters, streamed one at a time in index
//! order (segment by segment, document by document), for `export`: a million-article
//! index holds millions of statements, and none of them is kept after it is handed on.
//!
//! Known limits: index order is not a meaningful order (it changes with merges);
//! scores are not computed.

use anyhow::{Context, Result};
use tantivy::query::EnableScoring;
use tantivy::{DocSet, TantivyDocument, TERMINATED};

use crate::index::query::{parse, with_filters, Filters};
use crate::index::stored::statement_of;
use crate::index::{Error, Index};
use crate::statement::Statement;

/// Store blocks kept decompressed per segment: documents are read in id order, so
/// one would do; a few spare ones cost little.
const STORE_CACHE_BLOCKS: usize = 4;

/// Calls `each` with every statement matching `query` ("" or "*" for all) and
/// `filters`; returns how many there were. An error from `each` stops the scan.
pub fn for_each_statement(
    index: &Index,
    query: &str,
    filters: &Filters,
    mut each: impl FnMut(Statement) -> Result<()>,
) -> Result<u64, Error> {
    let searcher = index.searcher()?;
    let main = parse(index, query)?;
    let full = with_filters(index, &searcher, main, filters)?;
    let weight = full
        .weight(EnableScoring::disabled_from_searcher(&searcher))
        .context("preparing the query")?;
    let mut count = 0u64;
    for segment in searcher.segment_readers() {
        let store =
            segment.get_store_reader(STORE_CACHE_BLOCKS).context("opening the document store")?;
        let alive = segment.alive_bitset();
        let mut docs = weight.scorer(segment, 1.0).context("searching")?;
        let mut doc = docs.doc();
        while doc != TERMINATED {
            // Scorers also visit deleted documents (a re-ingested article's old
            // statements until the next merge); collectors skip them, so must we.
            if alive.is_none_or(|a| a.is_alive(doc)) {
                let stored: TantivyDocument =
                    store.get(doc).context("reading a stored statement")?;
                each(statement_of(index, &stored)?)?;
                count += 1;
            }
            doc = docs.advance();
        }
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;
    use crate::index::open_or_create;

    fn article(id: &str, body: &str) -> (String, Vec<Statement>) {
        let a = Article { id: id.into(), path: id.into(), body: body.into(), ..Article::default() };
        (a.id.clone(), crate::extract::extract(&a))
    }

    #[test]
    fn replaced_statements_still_in_a_segment_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let index = open_or_create(dir.path()).unwrap();
        // One indexing thread, so both articles share a segment that outlives the delete.
        let mut w = crate::index::IndexWriter::open_with_threads(&index, 50_000_000, 1).unwrap();
        let (a, first) = article(
            "a.txt",
            "Ann Lee said that taxes would rise. Tom Baker said that they would not.",
        );
        let (b, other) = article("b.txt", "Ivan Petrov said that the river would flood.");
        assert_eq!((first.len(), other.len()), (2, 1));
        w.replace_article(&a, &first).unwrap();
        w.replace_article(&b, &other).unwrap();
        w.commit().unwrap();
        // Re-ingested with one statement fewer, committed without a merge: the first
        // segment keeps a.txt's two old statements as deleted documents.
        let (_, second) = article("a.txt", "Ann Lee said that taxes would rise.");
        w.replace_article(&a, &second).unwrap();
        w.commit().unwrap();
        let searcher = index.searcher().unwrap();
        assert!(
            searcher.segment_readers().iter().any(|s| s.num_deleted_docs() > 0),
            "the test needs deleted documents"
        );
        let mut seen = Vec::new();
        let n = for_each_statement(&index, "*", &Filters::default(), |st| {
            seen.push(st.speaker.unwrap_or_default());
            Ok(())
        })
        .unwrap();
        seen.sort();
        assert_eq!((n, seen), (2, vec!["Ann Lee".to_string(), "Ivan Petrov".to_string()]));
        let only = for_each_statement(&index, "taxes", &Filters::default(), |_| Ok(())).unwrap();
        assert_eq!(only, 1);
    }
}

//! Creating an index and writing statements into it, one article at a time.
//!
//! Known limits: one writer per index directory (Tantivy's lock file); a statement
//! whose date is missing or not `YYYY-MM-DD` is indexed without a date, so date
//! filters and date facets skip it.

use anyhow::{Context, Result};
use tantivy::directory::error::LockError;
use tantivy::directory::INDEX_WRITER_LOCK;
use tantivy::indexer::UserOperation;
use tantivy::{TantivyDocument, TantivyError, Term};

pub mod document;

pub use document::documents;

use crate::index::Index;
use crate::statement::Statement;

/// Enough for large ingests without spilling many small segments; callers may lower it.
/// The process's peak is 3.3 to 4.5 times this (Tantivy counts only its postings
/// buffers): 634-646 MB for a 1M-article ingest at 192 MB with schema 7 and
/// mimalloc 2 (640-700 MB with mimalloc 3, 846-864 MB with schema 6).
pub const DEFAULT_HEAP_BYTES: usize = 192 * 1024 * 1024;
/// Statements per merged segment. A merge maps its inputs, and the pages it reads
/// count as the process's memory: about 0.25 GB of index per million statements, so
/// two merges at once stayed near 300 MB at the end of a 1M-article ingest. That
/// index (4.7M statements) now ends with six segments of about 730,000 statements
/// (each batch's two, merged in the background) and the last batch's two.
const MERGE_MAX_DOCS: u64 = 1_000_000;
/// Segments below this many statements are merged again by every ingest that adds
/// statements, so incremental runs do not leave a trail of small segments behind.
const SMALL_SEGMENT_DOCS: u64 = MERGE_MAX_DOCS / 10;
/// Fewer segments to merge than this are left as they are, unless one is mostly
/// deleted statements: a query pays well under a millisecond per extra segment,
/// while merging rewrote a whole 26,000-article index at the end of its ingest (an
/// eighth of the ingest's time).
const MERGE_FROM_SEGMENTS: usize = 5;
/// Tantivy refuses less than 15 MB of indexing memory per thread.
const MIN_HEAP_PER_THREAD: usize = 16 * 1024 * 1024;
/// Tantivy refuses a writer with more indexing threads than this.
pub const MAX_INDEXING_THREADS: usize = 8;
/// The article store's indexing memory, on one thread: it indexes two terms per
/// article (id and file), and its stored texts go to the document store as they come.
const ARTICLE_HEAP_BYTES: usize = 2 * MIN_HEAP_PER_THREAD;

/// What made `writer` fail with `err`. When an indexing thread fails (a full disk,
/// mostly), Tantivy's next add says only "An index writer was killed"; the thread's
/// own error comes back when the threads are joined, which preparing a commit does
/// (the commit is never made: the writer is not used after this).
fn cause(writer: &mut tantivy::IndexWriter<TantivyDocument>, err: TantivyError) -> TantivyError {
    if !matches!(err, TantivyError::ErrorInThread(_)) {
        return err;
    }
    match writer.prepare_commit() {
        Err(joined) => joined,
        Ok(_) => err,
    }
}

impl IndexWriter {
    /// A writer on `index` with `heap_bytes` of indexing memory (Tantivy needs at
    /// least ~15 MB).
    pub fn open(index: &Index, heap_bytes: usize) -> Result<IndexWriter> {
        IndexWriter::open_with_threads(index, heap_bytes, 0)
    }

    /// A writer with up to `threads` indexing threads (0: Tantivy's choice) sharing
    /// `heap_bytes`, which is a bound: each thread needs Tantivy's minimum
    /// ([`MIN_HEAP_PER_THREAD`]), so a budget too small for `threads` indexes on fewer
    /// (never fewer than one, never more than Tantivy's [`MAX_INDEXING_THREADS`]).
    /// Raising the budget to fit the threads instead made `--threads 999` take
    /// 16 MB a thread whatever `--memory` said.
    pub fn open_with_threads(
        index: &Index,
        heap_bytes: usize,
        threads: usize,
    ) -> Result<IndexWriter> {
        let opened = match threads {
            0 => index.inner.writer(heap_bytes.max(MIN_HEAP_PER_THREAD)),
            _ => {
                let fit = (heap_bytes / MIN_HEAP_PER_THREAD).clamp(1, MAX_INDEXING_THREADS);
                let threads = threads.min(fit);
                index.inner.writer_with_num_threads(threads, heap_bytes.max(MIN_HEAP_PER_THREAD))
            }
        };
        let inner: tantivy::IndexWriter<TantivyDocument> = opened.map_err(|err| match err {
            TantivyError::LockFailure(LockError::LockBusy, _) => anyhow::anyhow!(
                "index at {} is locked ({} exists and is held): another ingest is running",
                index.dir.display(),
                INDEX_WRITER_LOCK.filepath.display()
            ),
            other => anyhow::Error::new(other).context("opening index writer"),
        })?;
        // A bulk ingest merged its segments again and again in the background (a third
        // of the CPU time at 1M articles) and could race the final merge; segments are
        // merged once, in finish().
        inner.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        // A writer killed during a commit leaves files the commit never named (the
        // deletes of a segment, `<segment>.<opstamp>.del`); the next writer reaches the
        // same opstamp and would fail to create them again. Tantivy collects such files
        // only after a commit, so they are collected here, before anything is written.
        inner
            .garbage_collect_files()
            .wait()
            .context("removing the files of an unfinished commit")?;
        let before =
            index.inner.searchable_segment_ids().context("listing segments")?.into_iter().collect();
        let merges_at_once = if threads == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            threads
        };
        let (articles, articles_reader) = match &index.articles {
            Some(store) => {
                let reader = store
                    .inner
                    .reader_builder()
                    .reload_policy(tantivy::ReloadPolicy::Manual)
                    .try_into()
                    .context("opening the article store's reader")?;
                (Some(open_article_writer(store)?), Some(reader))
            }
            None => (None, None),
        };
        Ok(IndexWriter {
            index: index.clone(),
            inner,
            articles,
            articles_reader,
            stale: Vec::new(),
            readded: std::collections::HashSet::new(),
            before,
            merges_at_once,
            merging: Vec::new(),
        })
    }
}

/// The article store's writer. Opened after the statements' writer, whose lock keeps
/// a second ingest out of both. Tantivy's own merge policy merges its segments in the
/// background: they are few (one per commit) and merging them reads no postings worth
/// speaking of.
fn open_article_writer(
    store: &crate::index::articles::Articles,
) -> Result<tantivy::IndexWriter<TantivyDocument>> {
    let writer: tantivy::IndexWriter<TantivyDocument> = store
        .inner
        .writer_with_num_threads(1, ARTICLE_HEAP_BYTES)
        .context("opening the article store's writer")?;
    // As for the statements (see `open_with_threads`): an unfinished commit's files.
    writer
        .garbage_collect_files()
        .wait()
        .context("removing the files of an unfinished commit of the article store")?;
    Ok(writer)
}

pub struct IndexWriter {
    index: Index,
    inner: tantivy::IndexWriter<TantivyDocument>,
    /// The article store's writer (see `index::articles`), committed right before
    /// `inner` by every commit; `None` for an index without a store.
    articles: Option<tantivy::IndexWriter<TantivyDocument>>,
    /// The article store as of the last commit: which articles a deleted file had.
    articles_reader: Option<tantivy::IndexReader>,
    /// Articles of deleted files, to delete once the deletion of their statements
    /// is committed (see [`delete_file`](Self::delete_file)).
    stale: Vec<String>,
    /// Articles added since the last commit: not deleted as stale.
    readded: std::collections::HashSet<String>,
    /// Segments that existed when the writer opened: [`finish`](IndexWriter::finish)
    /// leaves the large ones alone.
    before: std::collections::HashSet<tantivy::index::SegmentId>,
    /// Merges [`finish`](IndexWriter::finish) runs side by side: one per indexing
    /// thread, since each merge is single-threaded and the merges are independent.
    merges_at_once: usize,
    /// Merges of committed segments started by
    /// [`commit_and_merge`](IndexWriter::commit_and_merge) and not waited for yet.
    merging: Vec<tantivy::FutureResult<Option<tantivy::index::SegmentMeta>>>,
}

impl IndexWriter {
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Replaces every statement of `article_id` with `statements`, so re-ingesting an
    /// article yields the same index. Takes effect at the next [`commit`](Self::commit).
    pub fn replace_article(&mut self, article_id: &str, statements: &[Statement]) -> Result<()> {
        // `documents` refuses statements of another article.
        let docs = documents(&self.index.fields, article_id, statements)?;
        self.replace_article_documents(article_id, docs)
    }

    /// [`replace_article`](Self::replace_article) with documents already built by
    /// [`documents`], so that building (JSON, facets) can run on worker threads.
    pub fn replace_article_documents(
        &mut self,
        article_id: &str,
        docs: Vec<TantivyDocument>,
    ) -> Result<()> {
        let f = self.index.fields;
        // Deletes only hit documents added before them, so the new ones survive.
        // One group of operations puts all of an article's statements in one segment
        // (Tantivy flushes a group's adds together), so a segment and the article's
        // term ordinal name the article: `who` and `stats` count distinct articles
        // without reading their names (see `collect::rows::article_key`).
        let mut ops = Vec::with_capacity(docs.len() + 1);
        ops.push(UserOperation::Delete(Term::from_field_text(f.article, article_id)));
        ops.extend(docs.into_iter().map(UserOperation::Add));
        if let Err(e) = self.inner.run(ops) {
            return Err(anyhow::Error::new(cause(&mut self.inner, e)))
                .with_context(|| format!("adding the statements of article {article_id}"));
        }
        Ok(())
    }

    /// Replaces every statement of `article_id` with `docs`, marking each as read from
    /// the ingested file `file` (see [`crate::ingest::files`]).
    pub fn replace_article_of_file(
        &mut self,
        article_id: &str,
        file: &str,
        mut docs: Vec<TantivyDocument>,
    ) -> Result<()> {
        let field = self.index.fields.file;
        for doc in &mut docs {
            doc.add_text(field, file);
        }
        self.replace_article_documents(article_id, docs)
    }

    /// Replaces the stored article `article_id` (see `index::articles`) with `doc`
    /// (from `index::articles::document`), read from the ingested file `file`.
    /// Nothing happens for an index without an article store.
    pub fn replace_article_text(
        &mut self,
        article_id: &str,
        file: &str,
        mut doc: TantivyDocument,
    ) -> Result<()> {
        let (Some(writer), Some(store)) = (&mut self.articles, &self.index.articles) else {
            return Ok(());
        };
        let f = store.fields;
        doc.add_text(f.file, file);
        self.readded.insert(article_id.to_string());
        let ops = [
            UserOperation::Delete(Term::from_field_text(f.id, article_id)),
            UserOperation::Add(doc),
        ];
        if let Err(e) = writer.run(ops) {
            return Err(anyhow::Error::new(cause(writer, e)))
                .with_context(|| format!("storing the text of article {article_id}"));
        }
        Ok(())
    }

    /// Deletes every statement read from the ingested file `file`, whatever its
    /// article, as of the next commit; statements added after this call survive.
    /// The file's stored articles (as of the last commit) go once that commit has
    /// removed their statements, unless added again meanwhile: deleted with the
    /// statements, in the article store's commit just before, a crash between the
    /// two would leave the old statements of a record since removed without their
    /// article.
    pub fn delete_file(&mut self, file: &str) -> Result<()> {
        self.inner.delete_term(Term::from_field_text(self.index.fields.file, file));
        if let (Some(store), Some(reader)) = (&self.index.articles, &self.articles_reader) {
            let ids = store.ids_of_file(&reader.searcher(), file)?;
            self.stale.extend(ids);
        }
        Ok(())
    }

    /// Commits everything added and deleted so far; returns the statement commit's
    /// opstamp. The article store commits first, so every committed statement's
    /// article is there; a crash between the two leaves articles whose statements
    /// are not committed, whose file the file list still marks dirty, so the next
    /// ingest replaces them. Then the articles of deleted files whose statements
    /// this commit removed are deleted, in a commit of their own.
    pub fn commit(&mut self) -> Result<u64> {
        if let Some(writer) = &mut self.articles {
            writer.commit().context("committing the article store")?;
        }
        let opstamp = self.inner.commit().context("committing index")?;
        if let (Some(writer), Some(store)) = (&mut self.articles, &self.index.articles) {
            let stale: Vec<String> = std::mem::take(&mut self.stale)
                .into_iter()
                .filter(|id| !self.readded.contains(id))
                .collect();
            self.readded.clear();
            if !stale.is_empty() {
                for id in &stale {
                    writer.delete_term(Term::from_field_text(store.fields.id, id));
                }
                writer.commit().context("committing the article store")?;
            }
        }
        if let Some(reader) = &self.articles_reader {
            reader.reload().context("reloading the article store")?;
        }
        Ok(opstamp)
    }

    /// [`commit`](Self::commit), for a batch of a bulk ingest with more to come: the
    /// segments the commit made (one or more per indexing thread) then start merging
    /// into one in the background while the ingest goes on. Merged after the last
    /// commit instead, they kept the cores busy for 12 s at the end of a 1M-article
    /// ingest, in waves that left one idle. With the default batch (about 730,000
    /// statements) each statement is merged once; smaller batches make segments that
    /// [`finish`](Self::finish) merges again.
    ///
    /// A merge that fails is not an error here: it only saves work later, and its
    /// segments stay as they were, for `finish` to merge.
    pub fn commit_and_merge(&mut self) -> Result<u64> {
        // The last batch's merges have finished by now as a rule (a batch takes
        // longer). Waiting for them means no merge ends during this commit, so the
        // segments it made are exactly those not listed before it.
        for merge in self.merging.drain(..) {
            let _ = merge.wait();
        }
        let before: std::collections::HashSet<_> = self
            .index
            .inner
            .searchable_segment_ids()
            .context("listing segments")?
            .into_iter()
            .collect();
        let opstamp = self.commit()?;
        let metas = self.index.inner.searchable_segment_metas().context("listing segments")?;
        let new = metas.into_iter().filter(|m| !before.contains(&m.id())).collect();
        for group in merge_groups(new) {
            let merge = self.inner.merge(&group);
            self.merging.push(merge);
        }
        Ok(opstamp)
    }

    /// Commits, waits for the merges [`commit_and_merge`](Self::commit_and_merge)
    /// started, then merges segments into as few as [`MERGE_MAX_DOCS`] allows: after a
    /// bulk ingest a query then visits a few term dictionaries and posting lists per
    /// term instead of dozens. Tantivy never merges on its own (see
    /// [`IndexWriter::open_with_threads`]), so no merge of its holds a segment these
    /// merges need.
    ///
    /// Only segments this writer made that are below half of [`MERGE_MAX_DOCS`]
    /// (larger ones are left as they are), small ones and ones with mostly deleted
    /// statements are merged: re-ingesting a few changed files must not rewrite a
    /// large index; and fewer than [`MERGE_FROM_SEGMENTS`] of them are left alone. A
    /// crash during a merge leaves the commit before it, and the files of the
    /// unfinished merge are deleted by the next commit.
    pub fn finish(mut self) -> Result<()> {
        self.commit()?;
        self.merge_segments()
    }

    /// The merges of [`finish`](Self::finish), without its commit: what was not
    /// committed before is dropped.
    pub fn merge_segments(self) -> Result<()> {
        let IndexWriter { index, mut inner, articles, before, merges_at_once, merging, .. } = self;
        if let Some(writer) = articles {
            writer.wait_merging_threads().context("waiting for the article store's merges")?;
        }
        // As in commit_and_merge: a failed background merge leaves its segments for
        // the merges below.
        for merge in merging {
            let _ = merge.wait();
        }
        let mostly_deleted = |m: &tantivy::index::SegmentMeta| m.num_deleted_docs() > m.num_docs();
        let metas = index
            .inner
            .searchable_segment_metas()
            .context("listing segments")?
            .into_iter()
            .filter(|m| {
                (!before.contains(&m.id()) && u64::from(m.num_docs()) < MERGE_MAX_DOCS / 2)
                    || u64::from(m.num_docs()) < SMALL_SEGMENT_DOCS
                    || mostly_deleted(m)
            })
            .collect::<Vec<_>>();
        if metas.len() < MERGE_FROM_SEGMENTS && !metas.iter().any(mostly_deleted) {
            return inner.wait_merging_threads().context("waiting for merges");
        }
        // A merge is single-threaded, so one per indexing thread runs at once (at 1M
        // articles, one at a time was a quarter of the ingest's wall time). No more:
        // each maps all its input segments into memory, and MERGE_MAX_DOCS bounds that.
        let groups = merge_groups(metas);
        for wave in groups.chunks(merges_at_once.max(1)) {
            let running: Vec<_> = wave.iter().map(|group| inner.merge(group)).collect();
            for merge in running {
                merge.wait().context("merging segments")?;
            }
        }
        inner.wait_merging_threads().context("waiting for merges")?;
        Ok(())
    }
}

/// `metas` in groups of consecutive segments of at most [`MERGE_MAX_DOCS`] statements
/// in all (a larger segment alone), leaving out the groups of one.
fn merge_groups(metas: Vec<tantivy::index::SegmentMeta>) -> Vec<Vec<tantivy::index::SegmentId>> {
    let mut groups: Vec<Vec<tantivy::index::SegmentId>> = Vec::new();
    let mut group = Vec::new();
    let mut docs = 0u64;
    for meta in metas {
        let n = u64::from(meta.num_docs());
        if !group.is_empty() && docs + n > MERGE_MAX_DOCS {
            groups.push(std::mem::take(&mut group));
            docs = 0;
        }
        group.push(meta.id());
        docs += n;
    }
    groups.push(group);
    groups.into_iter().filter(|g| g.len() > 1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::open_or_create;

    #[test]
    fn second_writer_names_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let index = open_or_create(&dir.path().join("idx")).unwrap();
        let _first = IndexWriter::open(&index, DEFAULT_HEAP_BYTES / 8).unwrap();
        let err = IndexWriter::open(&index, DEFAULT_HEAP_BYTES / 8).err().unwrap().to_string();
        assert!(err.contains("another ingest is running"), "{err}");
        assert!(err.contains(".tantivy-writer.lock"), "{err}");
    }
}

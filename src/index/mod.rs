//! The Tantivy index of statements: how statements are stored, searched and counted.
//!
//! The folders follow the data: a statement is written ([`write`](mod@write)) as a document of
//! the [`schema`]; a user's query string becomes a query ([`query`](mod@query)); collectors read
//! the matches' columns (`collect/`); and [`search`] answers each question (`query`,
//! `who`, repeated quotations, facets, `timeline`, `stats`, `export`, highlights).
//! Beside them:
//! - [`speaker_table`]: the index-wide table of speakers (`speakers.json`): each
//!   person with the names merged into it and its type; `--speaker` selects exactly
//!   one of its entries.
//! - [`speaker_key`]: which speaker a statement is by, as the index tells speakers
//!   apart (a name, and whether it is unnamed: "unnamed: analysts").
//! - [`quote_key`]: the words of a quotation, hashed, so one quotation reported by
//!   several articles is told as one.
//! - [`articles`]: the article store (`articles/`), a second Tantivy index of the
//!   articles' texts, written by the same ingest: what hits' contexts and `show` read.
//! - [`days`]: statement days as Tantivy dates; `stored`: statements read back.
//! - [`atomic_file`]: the files beside Tantivy's, written atomically.
//! - `directory`: the folder as Tantivy reads it (read-only folders, the umask,
//!   document stores read with `pread`).
//! - [`check`]: `whosaid check`'s reading of every file, and what each damage needs.
//! - [`damage`]: a damaged index found out while reading: wrong document counts, and
//!   panics inside Tantivy turned into errors.
//! - [`error`]: the errors a caller tells apart (a bad query, an ambiguous speaker).
//!
//! [`Index`] is the handle every part takes: a Tantivy index with its field handles,
//! an optional long-lived reader and the cached speaker table.
//!
//! Result structs serialize to stable JSON shapes; renderers should not reshape them.
//! Known limits: one ingest at a time per index directory (`crate::ingest::lock`); an
//! index made with another schema version is refused and must be re-ingested.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

pub mod articles;
pub mod atomic_file;
pub mod check;
pub(crate) mod collect;
pub mod damage;
pub mod days;
pub(crate) mod directory;
pub mod error;
pub mod query;
pub mod quote_key;
pub mod schema;
pub mod search;
pub mod speaker_key;
pub mod speaker_table;
pub(crate) mod stored;
pub mod write;

pub use articles::StoredArticle;
pub use error::Error;
pub use query::Filters;
pub use schema::{Fields, SCHEMA_VERSION};
pub use search::article::{article, ArticleView};
pub use search::context::{Context, Quoted};
pub use search::export::for_each_statement;
pub use search::facets::{FacetCount, Facets, SpeakerCount};
pub use search::highlight::Highlighter;
pub use search::query::{query, query_by, query_page, Hit, QueryResult};
pub use search::rank::{HitOrder, Page};
pub use search::stats::{stats, Stats};
pub use search::timeline::{timeline, PeriodCount, Timeline};
pub use search::who::{who, who_sorted, MatchKind, Sort, WhoResult, WhoSpeaker};
pub use speaker_table::{AmbiguousSpeaker, ListedSpeaker, SpeakerEntry, SpeakerList, Speakers};
pub use write::{IndexWriter, DEFAULT_HEAP_BYTES};

use crate::words::exact_analyzer;
use directory::{Access, IndexDirectory};
use schema::{build_schema, check_version, write_version, EXACT_TOKENIZER};

/// At most this many threads search one index's segments at once.
const SEARCH_THREADS: usize = 4;
/// Indexes with fewer statements than this are searched on one thread. The pool is
/// decided when the index is opened: a `whosaid serve` started on a small index
/// that an ingest then grows keeps searching on one thread until restarted.
const PARALLEL_SEARCH_DOCS: u64 = 200_000;
/// Document store block size (Tantivy's default is 16 KB). 64 KB blocks were 4%
/// smaller, but a `who` reads up to a few hundred stored statements, each
/// decompressing its whole block.
const DOCSTORE_BLOCK_BYTES: usize = 32 * 1024;
/// zstd level of the document store (zstd's default is 3). Level 1 took 5.6% fewer
/// ingest instructions (callgrind, 2.8 MB subset) for a store 1.6% larger; Tantivy
/// sets up a fresh compression context per block, which level 1 makes cheaper too.
const DOCSTORE_ZSTD_LEVEL: i32 = 1;
/// The document store's compression and block size, for the statements and the
/// article store alike.
fn settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_compression: tantivy::store::Compressor::Zstd(tantivy::store::ZstdCompressor {
            compression_level: Some(DOCSTORE_ZSTD_LEVEL),
        }),
        // Larger blocks compress JSON better; a hit still reads one block.
        docstore_blocksize: DOCSTORE_BLOCK_BYTES,
        ..tantivy::IndexSettings::default()
    }
}

/// An open statement index.
#[derive(Clone)]
pub struct Index {
    pub(crate) inner: tantivy::Index,
    pub(crate) fields: Fields,
    pub(crate) dir: PathBuf,
    /// Set by [`Index::keep_reader`] for long-lived handles (the web server).
    pub(crate) reader: Option<tantivy::IndexReader>,
    /// The speaker table read from `speakers.json`, with the commit it is for (see
    /// [`speaker_table::load`]); shared by clones of the handle.
    pub(crate) speakers: speaker_table::Cache,
    /// The article store (`articles/`, see [`articles`]); `None` in a folder without one.
    pub(crate) articles: Option<articles::Articles>,
}

impl Index {
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    pub fn tantivy(&self) -> &tantivy::Index {
        &self.inner
    }

    /// Keeps one reader for the life of this handle, for a process that answers many
    /// searches (`whosaid serve`): Tantivy's file watcher reloads it shortly after
    /// each new commit, so an `ingest` running beside the server shows up without a
    /// restart, and no search pays for opening the segments again.
    pub fn keep_reader(mut self) -> Result<Index> {
        self.reader = Some(self.new_reader(tantivy::ReloadPolicy::OnCommitWithDelay)?);
        if let Some(articles) = &mut self.articles {
            articles.keep_reader()?;
        }
        Ok(self)
    }

    fn new_reader(&self, policy: tantivy::ReloadPolicy) -> Result<tantivy::IndexReader> {
        self.inner.reader_builder().reload_policy(policy).try_into().context("opening index reader")
    }

    /// A searcher on the last commit: the kept reader's (see [`Index::keep_reader`]),
    /// else a fresh one. Manual reload for the fresh one: a CLI run lives shorter than
    /// any reload delay, and the default policy would spawn a file watcher.
    ///
    /// An ingest running meanwhile cannot delete the segment files of the commit this
    /// opens: Tantivy opens them holding `.tantivy-meta.lock`, which its garbage
    /// collection takes too, across processes.
    ///
    /// Each segment's document count is checked against its files (see
    /// [`damage::checked`]).
    pub(crate) fn searcher(&self) -> Result<tantivy::Searcher> {
        damage::checked(
            || match &self.reader {
                Some(reader) => Ok(reader.searcher()),
                None => Ok(self.new_reader(tantivy::ReloadPolicy::Manual)?.searcher()),
            },
            self.fields.text,
        )
    }

    /// Wraps an opened Tantivy index after checking that it is ours and current; the
    /// article store is created with it for [`Access::Write`].
    pub(crate) fn wrap(mut inner: tantivy::Index, dir: &Path, access: Access) -> Result<Index> {
        inner.tokenizers().register(EXACT_TOKENIZER, exact_analyzer());
        // A large index is searched segment by segment on every core: a `who` of
        // common words reads every segment's postings, and a bulk ingest leaves five
        // or more segments. A small one is searched in well under a millisecond, less
        // than starting the threads costs a short-lived process. Without a pool (too
        // small, or threads cannot be started), segments are searched one by one.
        let threads =
            std::thread::available_parallelism().map_or(1, |n| n.get()).min(SEARCH_THREADS);
        let metas = inner.searchable_segment_metas().unwrap_or_default();
        let docs: u64 = metas.iter().map(|m| u64::from(m.num_docs())).sum();
        if threads > 1 && metas.len() > 1 && docs >= PARALLEL_SEARCH_DOCS {
            let _ = inner.set_multithread_executor(threads);
        }
        let fields = Fields::from_schema(&inner.schema())
            .with_context(|| format!("index at {} is not a whosaid index", dir.display()))?;
        Ok(Index {
            inner,
            fields,
            dir: dir.to_path_buf(),
            reader: None,
            speakers: Default::default(),
            articles: articles::Articles::open(dir, access, settings())?,
        })
    }

    /// Opens an existing index for reading.
    pub fn open(dir: &Path) -> Result<Index> {
        let missing =
            || anyhow::anyhow!("no index at {}: run 'whosaid ingest PATH' first", dir.display());
        if !dir.is_dir() {
            return Err(missing());
        }
        let directory = IndexDirectory::open(dir, Access::Read)
            .with_context(|| format!("opening {}", dir.display()))?;
        if !tantivy::Index::exists(&directory).unwrap_or(false) {
            return Err(missing());
        }
        check_version(dir)?;
        let inner = tantivy::Index::open(directory)
            .with_context(|| format!("opening index at {}", dir.display()))
            .map_err(|e| damage::classify(Error::Other(e)))?;
        Index::wrap(inner, dir, Access::Read)
    }

    /// Opens the index in `dir`, creating the directory and an empty index if needed.
    pub fn open_or_create(dir: &Path) -> Result<Index> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let directory = IndexDirectory::open(dir, Access::Write)
            .with_context(|| format!("opening {}", dir.display()))?;
        let exists = tantivy::Index::exists(&directory)
            .with_context(|| format!("reading {}", dir.display()))?;
        let inner = if exists {
            check_version(dir)?;
            tantivy::Index::open(directory)
                .with_context(|| format!("opening index at {}", dir.display()))?
        } else {
            // The stamp first: a query that finds Tantivy's meta.json also finds it.
            write_version(dir)?;
            tantivy::Index::create(directory, build_schema(), settings())
                .with_context(|| format!("creating index at {}", dir.display()))?
        };
        Index::wrap(inner, dir, Access::Write)
    }
}

/// Opens the index in `dir`, creating the directory and an empty index if needed.
pub fn open_or_create(dir: &Path) -> Result<Index> {
    Index::open_or_create(dir)
}

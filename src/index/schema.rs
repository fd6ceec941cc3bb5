//! The index schema, its version stamp, and the [`Index`] handle that pairs a Tantivy
//! index with its field handles and tokenizers.
//!
//! Known limits: any change to the schema needs [`SCHEMA_VERSION`] bumped; old indexes
//! are then refused rather than migrated (re-ingesting is cheap and always correct).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use tantivy::schema::{
    DateOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions,
    FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::TextAnalyzer;

/// Bump whenever fields, options or tokenizers change.
/// 3: the `file` field (statements are deleted by the file they came from).
/// 4: the `quote` column (`who` groups repeated quotations without reading them);
/// titles tokenized like the exact text field, not stemmed; no `facets` field (facets are
/// counted from the columns, and indexing its five terms per statement was a tenth
/// of the indexing work); no unindexed `id`, `path`, `url` fields (the stored JSON
/// has them).
/// 5: one statement-text field, `text`, as written (the old `text_exact`); words are
/// stemmed at query time (see `index::stems`) instead of indexing a stemmed copy.
/// 6: the headline indexed on each article's first statement only (see
/// `index::titles`); the fields are those of 5.
/// 7: the `speaker_key` column (`who` groups speakers by a hash of the name instead
/// of reading every matching speaker's name from the column dictionaries).
/// 8: the `speaker_type` field (person, organization, unnamed); `speaker_key` is
/// indexed (`--speaker` matches it) and tells an unnamed speaker from a named one of
/// the same name (see `index::entity`).
pub const SCHEMA_VERSION: u32 = 8;
/// At most this many threads search one index's segments at once.
const SEARCH_THREADS: usize = 4;
/// Indexes with fewer statements than this are searched on one thread. The pool is
/// decided when the index is opened: a `whosaid serve` started on a small index
/// that an ingest then grows keeps searching on one thread until restarted.
const PARALLEL_SEARCH_DOCS: u64 = 200_000;
/// Written next to Tantivy's files; Tantivy's own meta.json does not know our versions.
pub const VERSION_FILE: &str = "whosaid-version.json";
/// Case-, punctuation- and quote-style-insensitive tokenizer for phrase matching.
pub const EXACT_TOKENIZER: &str = "whosaid_exact";

/// Handles of every field, looked up once by name.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub article: Field,
    pub file: Field,
    /// The statement's words as written: lower-cased, accents folded, with positions.
    pub text: Field,
    pub speaker: Field,
    pub speaker_name: Field,
    pub date: Field,
    pub kind: Field,
    pub source: Field,
    pub title: Field,
    pub json: Field,
    pub quote: Field,
    pub speaker_key: Field,
    /// `person`, `organization` or `unnamed`; absent when the statement has no speaker.
    pub speaker_type: Field,
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
    /// [`super::speakers::load`]); shared by clones of the handle.
    pub(crate) speakers: super::speakers::Cache,
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
    pub(crate) fn searcher(&self) -> Result<tantivy::Searcher> {
        match &self.reader {
            Some(reader) => Ok(reader.searcher()),
            None => Ok(self.new_reader(tantivy::ReloadPolicy::Manual)?.searcher()),
        }
    }

    /// Wraps an opened Tantivy index after checking that it is ours and current.
    pub(crate) fn wrap(mut inner: tantivy::Index, dir: &Path) -> Result<Index> {
        inner
            .tokenizers()
            .register(EXACT_TOKENIZER, exact_analyzer());
        // A large index is searched segment by segment on every core: a `who` of
        // common words reads every segment's postings, and a bulk ingest leaves five
        // or more segments. A small one is searched in well under a millisecond, less
        // than starting the threads costs a short-lived process. Without a pool (too
        // small, or threads cannot be started), segments are searched one by one.
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(SEARCH_THREADS);
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
        })
    }
}

/// The analyzer of statement text, titles and speaker names (see `index::words`):
/// "They’ll" and "they'll" both become ["they", "ll"], and "Lopez" finds "López".
pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(super::words::WordTokenizer::default())
}

/// Tokens of `text` as the analyzer produces them.
pub(crate) fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    stream.process(&mut |token| out.push(token.text.clone()));
    out
}

pub fn build_schema() -> Schema {
    let mut b = Schema::builder();
    let positions = |tokenizer: &str| {
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions)
    };
    // Only `json` is stored: a hit is loaded as its statement JSON, and storing the
    // other fields too made the document store a third larger for nothing.
    // FAST so counting distinct articles does not need to read stored documents.
    b.add_text_field("article", STRING | FAST);
    // The ingested file's key (see `index::files`), indexed so that a changed file's
    // statements go with one delete even when records were removed from it.
    b.add_text_field("file", STRING);
    // Words as written, for phrases; a word query matches its stem's variants at
    // query time (see `index::stems`): a stemmed copy cost a quarter of the ingest.
    b.add_text_field(
        "text",
        TextOptions::default().set_indexing_options(positions(EXACT_TOKENIZER)),
    );
    b.add_text_field("speaker", STRING | FAST);
    b.add_text_field(
        "speaker_name",
        TextOptions::default().set_indexing_options(positions(EXACT_TOKENIZER)),
    );
    b.add_date_field("date", DateOptions::from(INDEXED).set_fast());
    b.add_text_field("kind", STRING | FAST);
    b.add_text_field("source", STRING | FAST);
    // Only on an article's first statement (see `index::titles`), and not stemmed: a
    // field searched only by name (title:…).
    b.add_text_field(
        "title",
        TextOptions::default().set_indexing_options(positions(EXACT_TOKENIZER)),
    );
    b.add_text_field("json", STORED);
    // A hash of the statement's quoted words (see `index::repeats::quote_hash`): `who`
    // tells repeated quotations apart from this column instead of reading every
    // matching statement.
    b.add_u64_field("quote", FAST);
    // A hash of the speaker's name and whether it is unnamed (see `index::entity::key`):
    // `who` groups the matches by it, and names only the speakers it shows. Naming
    // every match from the `speaker` column's dictionary decompressed most of it for a
    // common phrase. Indexed too: `--speaker` is a set of these keys.
    b.add_u64_field("speaker_key", INDEXED | FAST);
    // The speaker's type, for facets, `--speaker-type` and the type a speaker is shown with.
    b.add_text_field("speaker_type", STRING | FAST);
    b.build()
}

impl Fields {
    pub fn from_schema(schema: &Schema) -> Result<Fields> {
        let f = |name: &str| {
            schema
                .get_field(name)
                .with_context(|| format!("missing field '{name}'"))
        };
        Ok(Fields {
            article: f("article")?,
            file: f("file")?,
            text: f("text")?,
            speaker: f("speaker")?,
            speaker_name: f("speaker_name")?,
            date: f("date")?,
            kind: f("kind")?,
            source: f("source")?,
            title: f("title")?,
            json: f("json")?,
            quote: f("quote")?,
            speaker_key: f("speaker_key")?,
            speaker_type: f("speaker_type")?,
        })
    }
}

#[derive(Serialize, Deserialize)]
struct VersionStamp {
    schema: u32,
}

pub(crate) fn write_version(dir: &Path) -> Result<()> {
    let body = serde_json::to_string(&VersionStamp {
        schema: SCHEMA_VERSION,
    })?;
    super::sidecar::write_atomic(&dir.join(VERSION_FILE), body.as_bytes())
}

pub(crate) fn check_version(dir: &Path) -> Result<()> {
    let path = dir.join(VERSION_FILE);
    let found = std::fs::read_to_string(&path)
        .ok()
        .and_then(|s| serde_json::from_str::<VersionStamp>(&s).ok())
        .map(|v| v.schema);
    match found {
        Some(SCHEMA_VERSION) => Ok(()),
        Some(other) => bail!(
            "index at {} has schema version {other}, this whosaid needs version {SCHEMA_VERSION}: \
             delete the index directory and re-ingest",
            dir.display()
        ),
        None => bail!(
            "index at {} has no readable {VERSION_FILE} (made by an older whosaid?): \
             delete the index directory and re-ingest",
            dir.display()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curly_and_straight_apostrophes_tokenize_alike() {
        let mut a = exact_analyzer();
        assert_eq!(tokens(&mut a, "They’ll"), tokens(&mut a, "they'll"));
        assert_eq!(tokens(&mut a, "“Go,” he said"), vec!["go", "he", "said"]);
        assert_eq!(tokens(&mut a, "López"), vec!["lopez"]);
    }

    #[test]
    fn schema_has_every_field() {
        assert!(Fields::from_schema(&build_schema()).is_ok());
    }

    #[test]
    fn version_mismatch_says_reingest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(VERSION_FILE), r#"{"schema": 0}"#).unwrap();
        let err = check_version(dir.path()).unwrap_err().to_string();
        assert!(err.contains("re-ingest"), "{err}");
        write_version(dir.path()).unwrap();
        assert!(check_version(dir.path()).is_ok());
    }
}

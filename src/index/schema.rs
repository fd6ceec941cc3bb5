//! The index schema (its fields and their options), the field handles, and the
//! schema version stamp written beside Tantivy's files.
//!
//! Known limits: any change to the schema needs [`SCHEMA_VERSION`] bumped; old indexes
//! are then refused rather than migrated (re-ingesting is cheap and always correct).

use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use tantivy::schema::{
    DateOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED,
    STORED, STRING,
};

/// Bump whenever fields, options or tokenizers change.
/// 3: the `file` field (statements are deleted by the file they came from).
/// 4: the `quote` column (`who` groups repeated quotations without reading them);
/// titles tokenized like the exact text field, not stemmed; no `facets` field (facets are
/// counted from the columns, and indexing its five terms per statement was a tenth
/// of the indexing work); no unindexed `id`, `path`, `url` fields (the stored JSON
/// has them).
/// 5: one statement-text field, `text`, as written (the old `text_exact`); words are
/// stemmed at query time (see `index::query::stems`) instead of indexing a stemmed copy.
/// 6: the headline indexed on each article's first statement only (see
/// `index::query::titles`); the fields are those of 5.
/// 7: the `speaker_key` column (`who` groups speakers by a hash of the name instead
/// of reading every matching speaker's name from the column dictionaries).
/// 8: the `speaker_type` field (person, organization, unnamed); `speaker_key` is
/// indexed (`--speaker` matches it) and tells an unnamed speaker from a named one of
/// the same name (see `index::speaker_key`).
/// 9: the article store (`articles/`, see `index::articles`): every article's text and
/// metadata, for hits' contexts and `show`; an index of 8 has none.
pub const SCHEMA_VERSION: u32 = 9;
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
    // query time (see `index::query::stems`): a stemmed copy cost a quarter of the ingest.
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
    // Only on an article's first statement (see `index::query::titles`), and not stemmed: a
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
        let f =
            |name: &str| schema.get_field(name).with_context(|| format!("missing field '{name}'"));
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
    let body = serde_json::to_string(&VersionStamp { schema: SCHEMA_VERSION })?;
    super::atomic_file::write_atomic(&dir.join(VERSION_FILE), body.as_bytes())
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
    fn the_walk_knows_an_index_by_its_version_file() {
        assert_eq!(VERSION_FILE, crate::article::skip::INDEX_MARKER);
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

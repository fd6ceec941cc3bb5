//! The article store: a second Tantivy index, in the `articles/` folder of the
//! statement index, holding every ingested article's text and metadata, so that a
//! hit can show the sentence around its statement and `show` (and the web page's
//! article view) the whole article with its statements marked.
//!
//! Why a second index and not article documents among the statements: every count,
//! `*` query, facet and collector of the statement index would have to skip them.
//! The ingest writes both with the same writer (`index::write`), committing the
//! articles right before each statement commit, so every committed statement's
//! article is in the store; a crash between the two commits leaves articles whose
//! statements are not committed, which the next run replaces (their file is still
//! marked dirty). A changed or pruned file's old articles are deleted only once the
//! deletion of its statements is committed (see `IndexWriter::delete_file`), so no
//! committed statement ever loses its article.
//!
//! Known limits: a crash right after a statement commit can leave the old articles
//! of a changed or pruned file behind, without statements (`show` lists them with
//! none) until that file changes again; an index made before the store existed has
//! no `articles/` folder
//! (its schema version is refused anyway); ids are looked up exactly, and a prefix
//! list (`Index::article_ids_starting_with`) reads the store's term dictionary.

use std::path::Path;

use anyhow::{Context, Result};
use tantivy::query::TermQuery;
use tantivy::schema::{Field, IndexRecordOption, Schema, Value, STORED, STRING};
use tantivy::{TantivyDocument, Term};

pub mod document;

use super::directory::{Access, IndexDirectory};

pub use document::{document, StoredArticle};

/// The store's folder, under the statement index's.
pub const FOLDER: &str = "articles";

/// Handles of the store's fields.
#[derive(Debug, Clone, Copy)]
pub struct ArticleFields {
    /// The article id, as in statements' `article`.
    pub id: Field,
    /// The ingested file's key (see `ingest::files`).
    pub file: Field,
    /// The [`StoredArticle`] as JSON.
    pub json: Field,
}

fn schema() -> Schema {
    let mut b = Schema::builder();
    // Stored too: a changed file's old articles are listed by id (see
    // `IndexWriter::delete_file`) without reading their texts' JSON.
    b.add_text_field("id", STRING | STORED);
    b.add_text_field("file", STRING);
    b.add_text_field("json", STORED);
    b.build()
}

impl ArticleFields {
    fn from_schema(schema: &Schema) -> Result<ArticleFields> {
        let f = |name: &str| {
            schema.get_field(name).with_context(|| format!("article store: missing field '{name}'"))
        };
        Ok(ArticleFields { id: f("id")?, file: f("file")?, json: f("json")? })
    }
}

/// The article store of an open index (the `Index` methods that read it are in
/// `index::search::article`).
#[derive(Clone)]
pub struct Articles {
    pub(crate) inner: tantivy::Index,
    pub(crate) fields: ArticleFields,
    pub(crate) reader: Option<tantivy::IndexReader>,
}

impl Articles {
    /// Opens the store under `dir` (the statement index's folder), creating it
    /// for [`Access::Write`]; `None` when it is not there and not to be created.
    pub(crate) fn open(
        dir: &Path,
        access: Access,
        settings: tantivy::IndexSettings,
    ) -> Result<Option<Articles>> {
        let create = access == Access::Write;
        let folder = dir.join(FOLDER);
        if !folder.is_dir() && !create {
            return Ok(None);
        }
        std::fs::create_dir_all(&folder)
            .with_context(|| format!("creating {}", folder.display()))?;
        let directory = IndexDirectory::open(&folder, access)
            .with_context(|| format!("opening {}", folder.display()))?;
        let exists = tantivy::Index::exists(&directory)
            .with_context(|| format!("reading {}", folder.display()))?;
        let inner = if exists {
            tantivy::Index::open(directory)
        } else if create {
            tantivy::Index::create(directory, schema(), settings)
        } else {
            return Ok(None);
        }
        .with_context(|| format!("opening the article store at {}", folder.display()))
        .map_err(|e| super::damage::classify(super::Error::Other(e)))?;
        let fields = ArticleFields::from_schema(&inner.schema())?;
        Ok(Some(Articles { inner, fields, reader: None }))
    }

    pub fn fields(&self) -> &ArticleFields {
        &self.fields
    }

    pub(crate) fn keep_reader(&mut self) -> Result<()> {
        self.reader = Some(
            self.inner
                .reader_builder()
                .reload_policy(tantivy::ReloadPolicy::OnCommitWithDelay)
                .try_into()
                .context("opening the article store's reader")?,
        );
        Ok(())
    }

    /// A searcher on the store's last commit (see `Index::searcher`).
    pub(crate) fn searcher(&self) -> Result<tantivy::Searcher> {
        super::damage::checked(
            || match &self.reader {
                Some(reader) => Ok(reader.searcher()),
                None => Ok(self
                    .inner
                    .reader_builder()
                    .reload_policy(tantivy::ReloadPolicy::Manual)
                    .try_into()
                    .context("opening the article store's reader")?
                    .searcher()),
            },
            self.fields.id,
        )
    }

    /// The article with id `id`: in `searcher`'s commit, else (with a kept reader)
    /// in the store's newest one, whose searcher is returned too for the lookups
    /// after. The statement index's reader (in `serve`) can reload before this one,
    /// so a statement of a new commit can find its article missing from an older
    /// searcher; a one-shot command's searcher is already on the newest commit.
    pub(crate) fn get_or_reload(
        &self,
        searcher: &tantivy::Searcher,
        id: &str,
    ) -> Result<(Option<StoredArticle>, Option<tantivy::Searcher>)> {
        if let Some(found) = self.get(searcher, id)? {
            return Ok((Some(found), None));
        }
        let Some(reader) = &self.reader else { return Ok((None, None)) };
        reader.reload().context("reloading the article store's reader")?;
        let fresh = reader.searcher();
        Ok((self.get(&fresh, id)?, Some(fresh)))
    }

    /// The ids of the articles read from the ingested file `file`, in `searcher`'s
    /// commit.
    pub(crate) fn ids_of_file(
        &self,
        searcher: &tantivy::Searcher,
        file: &str,
    ) -> Result<Vec<String>> {
        let query =
            TermQuery::new(Term::from_field_text(self.fields.file, file), IndexRecordOption::Basic);
        let addrs = searcher
            .search(&query, &tantivy::collector::DocSetCollector)
            .context("listing a file's stored articles")?;
        let mut ids = Vec::with_capacity(addrs.len());
        for addr in addrs {
            let doc: TantivyDocument = searcher.doc(addr).context("reading a stored article")?;
            if let Some(id) = doc.get_first(self.fields.id).and_then(|v| v.as_str()) {
                ids.push(id.to_string());
            }
        }
        Ok(ids)
    }

    /// The article with id `id` in `searcher`'s commit, if any.
    pub(crate) fn get(
        &self,
        searcher: &tantivy::Searcher,
        id: &str,
    ) -> Result<Option<StoredArticle>> {
        let query =
            TermQuery::new(Term::from_field_text(self.fields.id, id), IndexRecordOption::Basic);
        let top = searcher
            .search(&query, &tantivy::collector::TopDocs::with_limit(1).order_by_score())
            .context("looking up an article")?;
        let Some((_, addr)) = top.into_iter().next() else { return Ok(None) };
        let doc: TantivyDocument = searcher.doc(addr).context("reading a stored article")?;
        let json = doc
            .get_first(self.fields.json)
            .and_then(|v| v.as_str())
            .context("stored article has no json")?;
        // whosaid wrote this JSON: if it does not parse, the store's bytes changed
        // (zstd keeps no checksum, so flipped bytes can decompress into other
        // characters), which is damage, not a bug.
        let article = serde_json::from_str(json)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
            .with_context(|| format!("stored article {id} is not valid JSON"))?;
        Ok(Some(article))
    }
}

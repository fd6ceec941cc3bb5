//! An article as a document of the article store (see [`super`]): its id and file
//! key, indexed to find and delete it, and its text and metadata as one stored JSON.
//! Part of the build fingerprint (see `build/fingerprint.rs`): what it writes is
//! what the store holds.
//!
//! Known limits: the whole body is stored, so the store grows with the corpus (it is
//! compressed with the statements' zstd settings).

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use tantivy::TantivyDocument;

use super::ArticleFields;
use crate::article::Article;

/// An article as the store keeps it and `show --json` prints it. Its JSON shape is
/// an interface: fields are added, never renamed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredArticle {
    /// As in statements' `article`.
    pub id: String,
    pub path: String,
    pub title: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    /// The publication day, `YYYY-MM-DD`, as in statements' `article_date`.
    pub date: Option<String>,
    /// The text statement spans point into.
    pub body: String,
}

impl StoredArticle {
    pub fn of(article: &Article) -> StoredArticle {
        StoredArticle {
            id: article.id.clone(),
            path: article.path.clone(),
            title: article.title.clone(),
            source: article.source.clone(),
            url: article.url.clone(),
            author: article.author.clone(),
            date: article.date.map(|d| d.to_string()),
            body: article.body.clone(),
        }
    }
}

/// The store's document of `article`. The writer adds the ingested file's key (see
/// `IndexWriter::replace_article_of_file`): this runs on the extraction threads,
/// which do not know it.
pub fn document(fields: &ArticleFields, article: &Article) -> Result<TantivyDocument> {
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.id, &article.id);
    let json = serde_json::to_string(&StoredArticle::of(article))
        .with_context(|| format!("writing article {} as JSON", article.id))?;
    doc.add_text(fields.json, json);
    Ok(doc)
}

//! Reading statements back from the document store: each index document keeps its
//! statement as JSON in one stored field.
//!
//! Known limits: a damaged store block is an error for the statements in it.

use anyhow::{Context, Result};
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument};

use super::Index;
use crate::statement::Statement;

pub(crate) fn load_statement(
    index: &Index,
    searcher: &Searcher,
    addr: DocAddress,
) -> Result<Statement> {
    let doc: TantivyDocument = searcher.doc(addr).context("reading stored statement")?;
    statement_of(index, &doc)
}

/// The statement a stored document holds (as JSON in its one stored field).
pub(crate) fn statement_of(index: &Index, doc: &TantivyDocument) -> Result<Statement> {
    let json = doc
        .get_first(index.fields.json)
        .and_then(|v| v.as_str())
        .context("stored statement has no json")?;
    // whosaid wrote it: JSON that does not parse means the store's bytes changed.
    serde_json::from_str(json)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
        .context("stored statement json is invalid")
}

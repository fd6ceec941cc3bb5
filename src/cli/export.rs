//! `export`: every matching statement as NDJSON or bulk-API lines on stdout, for
//! Quickwit, OpenSearch or Elasticsearch to ingest (see `render::export` for the
//! document and `scripts/cluster/` for the engines' mappings).
//!
//! Known limits: one pass in index order on one thread; the output is not split
//! into requests (pipe it through `split`, see docs/cluster.md).

use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::Result;

use super::args::{BulkAction, ExportFormat, FilterArgs};
use super::Outcome;
use whosaid::api::FilterParams;
use whosaid::index::{self, speaker_table, Index};
use whosaid::render::export::{bulk_action, Document};

/// `whosaid export [QUERY]`
pub fn export(
    index_dir: &Path,
    q: &str,
    f: &FilterArgs,
    format: ExportFormat,
    index_name: &str,
    action: BulkAction,
) -> Result<Outcome> {
    let filters = FilterParams::from(f).check()?;
    let index = Index::open(index_dir)?;
    let table = speaker_table::load(&index)?;
    let action = match action {
        BulkAction::Create => "create",
        BulkAction::Index => "index",
    };
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    let n = index::for_each_statement(&index, q, &filters, |st| {
        if format == ExportFormat::EsBulk {
            out.write_all(bulk_action(action, index_name, &st.id)?.as_bytes())?;
            out.write_all(b"\n")?;
        }
        // Back to the io::Error, so a closed pipe is recognized as one.
        serde_json::to_writer(
            &mut out,
            &Document::new(&st, |name, unnamed| table.canonical(name, unnamed)),
        )
        .map_err(io::Error::from)?;
        out.write_all(b"\n")?;
        Ok(())
    })?;
    out.flush()?;
    eprintln!("whosaid: exported {n} statements");
    Ok(if n > 0 { Outcome::Results } else { Outcome::NoResults })
}

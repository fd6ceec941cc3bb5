//! `export`: every matching statement as NDJSON or bulk-API lines on stdout, for
//! Quickwit, OpenSearch or Elasticsearch to ingest (see `render::export` for the
//! document and `scripts/cluster/` for the engines' mappings), or as CSV for a
//! spreadsheet (`render::csv`).
//!
//! Known limits: one pass in index order on one thread; the output is not split
//! into requests (pipe it through `split`, see docs/cluster.md).

use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::Result;

use super::args::{BulkAction, ExportFormat, FilterArgs};
use super::Outcome;
use whosaid::api::FilterParams;
use whosaid::index::{self, speaker_key, speaker_table, Index};
use whosaid::render::csv::CsvWriter;
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
    if format == ExportFormat::Csv {
        let mut csv = CsvWriter::new(out)?;
        let n = index::for_each_statement(&index, q, &filters, |st| {
            let unnamed = speaker_key::is_unnamed(st.speaker_type);
            let canonical = st.speaker.as_deref().map(|name| table.canonical(name, unnamed));
            Ok(csv.write(&st, canonical)?)
        })?;
        csv.flush()?;
        return Ok(done(n));
    }
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
    Ok(done(n))
}

fn done(n: u64) -> Outcome {
    eprintln!("whosaid: exported {n} statements");
    if n > 0 {
        Outcome::Results
    } else {
        Outcome::NoResults
    }
}

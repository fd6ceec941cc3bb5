//! `ingest` and `extract`: read articles, find statements, then index or print them.
//!
//! Known limits: one thread; the index is committed once at the end of a run.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::Outcome;
use crate::article::{read_paths, ReadOptions, ReadSummary, Warning};
use crate::extract::extract as extract_statements;
use crate::index::Index;

fn warn(w: &Warning) {
    eprintln!("whosaid: warning: {w}");
}

fn summary(s: &ReadSummary, statements: u64) {
    let mut line = format!("whosaid: {} files, {} articles, {} statements", s.files, s.articles, statements);
    if s.bad_files + s.bad_records + s.unknown_extension > 0 {
        line.push_str(&format!(
            "; skipped {} unreadable files, {} bad records, {} files of unknown type",
            s.bad_files, s.bad_records, s.unknown_extension
        ));
    }
    eprintln!("{line}");
}

/// `whosaid ingest PATH...`
pub fn ingest(index_dir: &Path, paths: &[PathBuf], opts: &ReadOptions, memory_mb: usize) -> Result<Outcome> {
    let index = Index::open_or_create(index_dir)?;
    let mut writer = index.writer(memory_mb.max(16) * 1024 * 1024)?;
    let mut statements = 0u64;
    let result = read_paths(
        paths,
        opts,
        &mut |article| {
            let found = extract_statements(&article);
            statements += found.len() as u64;
            writer.replace_article(&article.id, &found)
        },
        &mut warn,
    );
    // What was read before a failure is still committed: nothing indexed is lost.
    writer.commit().context("committing the index")?;
    super::speakers::rebuild(&index)?;
    let s = result?;
    summary(&s, statements);
    Ok(if s.articles > 0 { Outcome::Results } else { Outcome::NoResults })
}

/// `whosaid extract PATH... --json`
pub fn extract(paths: &[PathBuf], opts: &ReadOptions) -> Result<Outcome> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut statements = 0u64;
    let s = read_paths(
        paths,
        opts,
        &mut |article| {
            for st in extract_statements(&article) {
                serde_json::to_writer(&mut out, &st)?;
                out.write_all(b"\n")?;
                statements += 1;
            }
            Ok(())
        },
        &mut warn,
    )?;
    out.flush()?;
    summary(&s, statements);
    Ok(if statements > 0 { Outcome::Results } else { Outcome::NoResults })
}

//! `ingest` and `extract`: read articles, find statements, then index or print them.
//!
//! Articles are extracted on `--threads` worker threads (see [`crate::pipeline`]);
//! results are written in input order, so output and index do not depend on it.
//!
//! Known limits: the index is committed every GiB of article text and at the end.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::Outcome;
use crate::article::{ReadOptions, ReadSummary, Warning};
use crate::extract::extract as extract_statements;
use crate::index::writer::documents;
use crate::index::Index;
use crate::pipeline::for_each_article;
use crate::progress::Progress;

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

/// Article text between two commits of a long ingest: large, so commits (each one
/// flushes segments and syncs files) stay rare, yet a crash loses at most this much.
const COMMIT_EVERY_BYTES: u64 = 1 << 30;

/// `whosaid ingest PATH...`; `quiet`: no progress or summary on stderr.
pub fn ingest(
    index_dir: &Path,
    paths: &[PathBuf],
    opts: &ReadOptions,
    memory_mb: usize,
    threads: usize,
    quiet: bool,
) -> Result<Outcome> {
    let index = Index::open_or_create(index_dir)?;
    let mut writer = index.writer_with_threads(memory_mb.max(16) * 1024 * 1024, threads)?;
    let fields = *index.fields();
    let mut statements = 0u64;
    let mut since_commit = 0u64;
    let mut progress = Progress::start(paths, quiet);
    let warner = progress.warner();
    let result = for_each_article(
        paths,
        opts,
        threads,
        &|w| warner.warn(w),
        // Extraction and document building run on the worker threads...
        |article| {
            let found = extract_statements(article);
            let count = found.len() as u64;
            Ok((count, documents(&fields, &article.id, &found)?))
        },
        // ...and only the hand-over to Tantivy, in input order, on this one.
        |article, (count, docs)| {
            statements += count;
            progress.article(&article, count);
            since_commit += article.body.len() as u64;
            writer.replace_article_documents(&article.id, docs)?;
            if since_commit >= COMMIT_EVERY_BYTES {
                since_commit = 0;
                writer.commit()?;
            }
            Ok(())
        },
    );
    // What was read before a failure is still committed: nothing indexed is lost.
    progress.stage("committing the index");
    writer.finish().context("committing the index")?;
    progress.stage("merging speaker names");
    let speakers = super::speakers::rebuild(&index)?;
    progress.finish();
    let s = result?;
    if !quiet {
        eprintln!("{speakers}");
        summary(&s, statements);
    }
    Ok(if s.articles > 0 { Outcome::Results } else { Outcome::NoResults })
}

/// `whosaid extract PATH... --json [--with-body]`
pub fn extract(paths: &[PathBuf], opts: &ReadOptions, threads: usize, with_body: bool, quiet: bool) -> Result<Outcome> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut statements = 0u64;
    let s = for_each_article(
        paths,
        opts,
        threads,
        &warn,
        // Serializing is a good part of the work: done on the workers, printed in order.
        |article| {
            let found = extract_statements(article);
            let mut lines = Vec::with_capacity(found.len() * 512);
            if with_body {
                serde_json::to_writer(&mut lines, &article.body_record())?;
                lines.push(b'\n');
            }
            for st in &found {
                serde_json::to_writer(&mut lines, st)?;
                lines.push(b'\n');
            }
            Ok((found.len() as u64, lines))
        },
        |_, (count, lines)| {
            out.write_all(&lines)?;
            statements += count;
            Ok(())
        },
    )?;
    out.flush()?;
    if !quiet {
        summary(&s, statements);
    }
    Ok(if statements > 0 { Outcome::Results } else { Outcome::NoResults })
}

//! `ingest` and `extract`: read articles, find statements, then index or print them.
//!
//! Articles are extracted on `--threads` worker threads (see [`crate::ingest::pipeline`]);
//! results are written in input order, so output and index do not depend on it.
//!
//! The incremental, crash-safe work of `ingest` is in [`whosaid::ingest`]; this file
//! prints what it did.
//!
//! Known limits: the summary counts files read in this run and, on lines of their own,
//! files left unread because unchanged and files gone since the last ingest.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::Outcome;
use whosaid::article::{ReadOptions, ReadSummary, Warning};
use whosaid::extract::extract as extract_statements;
use whosaid::index::speaker_table::{self, Speakers};
use whosaid::index::Index;
use whosaid::ingest::pipeline::for_each_article;
use whosaid::progress::Progress;

fn warn(w: &Warning) {
    eprintln!("whosaid: warning: {w}");
}

fn summary(s: &ReadSummary, statements: u64) {
    let mut line =
        format!("whosaid: {} files, {} articles, {} statements", s.files, s.articles, statements);
    if s.bad_files + s.bad_records + s.unknown_extension > 0 {
        line.push_str(&format!(
            "; skipped {} files (unreadable, binary or too large), {} bad records, {} files of unknown type",
            s.bad_files, s.bad_records, s.unknown_extension
        ));
    }
    eprintln!("{line}");
}

/// `whosaid ingest PATH...`; `quiet`: no progress or summary on stderr (warnings
/// still).
pub fn ingest(
    index_dir: &Path,
    paths: &[PathBuf],
    opts: &whosaid::ingest::Options,
    quiet: bool,
) -> Result<Outcome> {
    // A model that is damaged or was trained on other features is left out and its
    // rules run instead: worth a word, never a failure.
    for problem in whosaid::extract::models::Models::embedded().problems() {
        eprintln!("whosaid: warning: {problem}");
    }
    let mut progress = Progress::start(paths, quiet);
    let done = whosaid::ingest::ingest(index_dir, paths, opts, &mut progress)?;
    let r = &done.report;
    progress.stage("merging speaker names");
    let speakers = speaker_table(&done.index, done.speakers)?;
    drop(done.lock);
    progress.finish();
    if quiet {
        return Ok(outcome(r));
    }
    eprintln!("{speakers}");
    if r.unchanged.files > 0 {
        let u = &r.unchanged;
        let bad = if u.bad_records > 0 {
            format!("; {} bad records were skipped when they were read", u.bad_records)
        } else {
            String::new()
        };
        eprintln!(
            "whosaid: {} files unchanged since the last ingest, not read again ({} articles, {} statements{bad})",
            u.files, u.articles, u.statements
        );
    }
    if r.gone.files > 0 {
        let g = &r.gone;
        if r.pruned {
            eprintln!("whosaid: {} files gone since the last ingest: their {} articles and {} statements removed", g.files, g.articles, g.statements);
        } else {
            eprintln!(
                "whosaid: {} files ingested before are gone; their {} statements stay in the index (--prune removes them)",
                g.files, g.statements
            );
        }
    }
    summary(&r.read, r.statements);
    Ok(outcome(r))
}

/// Results when the paths hold articles, read now or already indexed and unchanged.
fn outcome(r: &whosaid::ingest::Report) -> Outcome {
    if r.read.articles + r.unchanged.articles > 0 || r.pruned {
        Outcome::Results
    } else {
        Outcome::NoResults
    }
}

/// `whosaid extract PATH... --json [--with-body]`
pub fn extract(
    paths: &[PathBuf],
    opts: &ReadOptions,
    threads: usize,
    with_body: bool,
    quiet: bool,
) -> Result<Outcome> {
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
                st.write_json(&mut lines);
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

/// Brings the speaker table up to the ingest's last commit (rebuilt only when it is
/// stale), unless the ingest `built` it; returns the summary line saying what merged.
fn speaker_table(index: &Index, built: Option<Speakers>) -> Result<String> {
    let t = match built {
        Some(t) => t,
        None => speaker_table::ensure(index)?,
    };
    let names: usize = t.entries().iter().map(|e| 1 + e.aliases.len()).sum();
    Ok(format!(
        "whosaid: {names} speaker names, {} speakers once variants are merged",
        t.entries().len()
    ))
}

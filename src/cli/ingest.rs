//! `ingest` and `extract`: read articles, find statements, then index or print them.
//!
//! Articles are extracted on `--threads` worker threads (see [`crate::ingest::pipeline`]);
//! results are written in input order, so output and index do not depend on it.
//!
//! The incremental, crash-safe work of `ingest` is in [`whosaid::ingest`]; this file
//! prints what it did.
//!
//! Warnings are grouped by reason and printed at the end (`--verbose`: each as it
//! comes); a path that cannot be read at all is an error before anything is read.
//!
//! Known limits: the summary counts files read in this run and, on lines of their own,
//! files left unread because unchanged and files gone since the last ingest; the
//! speaker line counts the whole index.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::Outcome;
use whosaid::article::{check_paths, ReadOptions, ReadSummary};
use whosaid::extract::extract as extract_statements;
use whosaid::index::speaker_key::is_unnamed;
use whosaid::index::speaker_table::{self, Speakers};
use whosaid::index::Index;
use whosaid::ingest::pipeline::for_each_article;
use whosaid::progress::{Progress, Warnings};

/// The lines at the end of a run: what was read, what was left out and repaired.
/// Articles are counted as `stats` counts them (with statements) beside those read.
pub(super) fn summary(s: &ReadSummary, statements: u64, with_statements: u64) {
    let mut line = format!(
        "whosaid: {} files, {} articles read, {with_statements} with statements, {statements} statements",
        s.files, s.articles
    );
    if s.bad_files + s.bad_records + s.unknown_extension > 0 {
        line.push_str(&format!(
            "; skipped {} files (unreadable, binary or too large), {} bad records, {} files of unknown type",
            s.bad_files, s.bad_records, s.unknown_extension
        ));
    }
    eprintln!("{line}");
    if !s.project_files.is_empty() {
        let mut names: Vec<String> = s
            .project_files
            .iter()
            .take(3)
            .map(|p| p.file_name().map_or(p.display().to_string(), |n| n.to_string_lossy().into()))
            .collect();
        if s.project_files.len() > 3 {
            names.push("…".into());
        }
        eprintln!(
            "whosaid: skipped {} project files ({}): not articles; name them explicitly to read them",
            s.project_files.len(),
            names.join(", ")
        );
    }
    if s.excluded > 0 {
        eprintln!(
            "whosaid: left out {} files and folders matching --exclude or a .whosaidignore",
            s.excluded
        );
    }
    if s.repaired > 0 {
        eprintln!(
            "whosaid: repaired quotation marks in {} articles (mojibake, lost curly quotes)",
            s.repaired
        );
    }
}

/// `whosaid ingest PATH...`; `quiet`: no progress or summary on stderr (warnings
/// still).
pub fn ingest(
    index_dir: &Path,
    paths: &[PathBuf],
    opts: &whosaid::ingest::Options,
    quiet: bool,
    verbose: bool,
) -> Result<Outcome> {
    check_paths(paths)?;
    // A model that is damaged or was trained on other features is left out and its
    // rules run instead: worth a word, never a failure.
    for problem in whosaid::extract::models::Models::embedded().problems() {
        eprintln!("whosaid: warning: {}", whosaid::controls::one_line(&problem.to_string()));
    }
    let mut progress = Progress::start(paths, &opts.read, quiet, verbose);
    let done = match whosaid::ingest::ingest(index_dir, paths, opts, &mut progress) {
        Ok(done) => done,
        Err(e) => {
            progress.finish();
            progress.print_warnings();
            return Err(e);
        }
    };
    let r = &done.report;
    progress.stage("merging speaker names");
    let speakers = speaker_table(&done.index, done.speakers)?;
    drop(done.lock);
    progress.finish();
    progress.print_warnings();
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
    if r.unreachable.files > 0 {
        let u = &r.unreachable;
        eprintln!(
            "whosaid: {} files ingested before could not be reached or opened (see the warnings); their {} statements stay in the index (--prune removes only files that are gone)",
            u.files, u.statements
        );
    }
    if r.left_out.files > 0 {
        let l = &r.left_out;
        eprintln!(
            "whosaid: {} files ingested before were left out this time (--exclude, .whosaidignore); their {} statements stay in the index",
            l.files, l.statements
        );
    }
    summary(&r.read, r.statements, r.articles_with_statements);
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
    verbose: bool,
) -> Result<Outcome> {
    check_paths(paths)?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let (mut statements, mut with_statements) = (0u64, 0u64);
    let warnings = Warnings::new(verbose);
    let s = for_each_article(
        paths,
        opts,
        threads,
        &|w| warnings.warn(w),
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
            with_statements += u64::from(count > 0);
            Ok(())
        },
    );
    warnings.print();
    let s = s?;
    out.flush()?;
    if !quiet {
        summary(&s, statements, with_statements);
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
    // Split as `stats` splits them: named speakers, and unnamed ones apart.
    let names: usize = t.entries().iter().map(|e| 1 + e.aliases.len()).sum();
    let unnamed = t.entries().iter().filter(|e| is_unnamed(e.speaker_type)).count();
    let named = t.entries().len() - unnamed;
    let s = |n: usize| if n == 1 { "" } else { "s" };
    Ok(format!(
        "whosaid: the index holds {named} speaker{} and {unnamed} unnamed speaker{} ({names} names before variants are merged)",
        s(named),
        s(unnamed)
    ))
}

//! `check [--repair]`: read every file of the index, say what is damaged and what
//! repairs it (`whosaid::index::check`, the file list by `whosaid::ingest::repair`);
//! with `--repair`, repair it and check again.
//!
//! Known limits: the report goes to stdout (it is the answer), the progress of the
//! files read again to stderr; `--json` prints one object, after the repair when
//! there is one.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{bail, Result};
use serde::Serialize;

use super::{json, print_human, stdout_color, Outcome};
use whosaid::index::check::{self, Fix, Problem, Report};
use whosaid::ingest::repair::{self, Repaired};

/// What `check --json` prints.
#[derive(Serialize)]
struct Answer<'a> {
    index: String,
    #[serde(flatten)]
    report: &'a Report,
    #[serde(skip_serializing_if = "Option::is_none")]
    repaired: Option<RepairedJson>,
}

#[derive(Serialize)]
struct RepairedJson {
    /// Folders files were read again from, with how many.
    reread: Vec<(String, usize)>,
    statements: u64,
    unplaced: Vec<String>,
    gone: Vec<String>,
    list_lost: bool,
}

/// Everything wrong with the index in `dir`.
fn examine(dir: &Path) -> Result<Report> {
    let mut report = check::check(dir)?;
    if report.problems.is_empty() {
        report.problems.extend(repair::check_file_list(dir));
    }
    Ok(report)
}

/// `whosaid check [--repair] [--json]`: exit 0 when the index is whole (after the
/// repair, with `--repair`), 1 when it is damaged.
pub fn check(
    dir: &Path,
    repair_it: bool,
    as_json: bool,
    threads: usize,
    quiet: bool,
    verbose: bool,
) -> Result<Outcome> {
    let mut report = examine(dir)?;
    let mut repaired = None;
    if repair_it && !report.problems.is_empty() {
        if let Some(p) = report.problems.iter().find(|p| p.fix == Fix::Reingest) {
            bail!(
                "{}: {}: it cannot be repaired; delete the index directory and ingest again",
                p.file,
                p.what
            );
        }
        if !quiet && !as_json {
            print_human(&render(dir, &report, None), stdout_color())?;
        }
        let done = repair::repair(dir, &report.problems, threads, quiet || as_json, verbose)?;
        report = examine(dir)?;
        repaired = Some(done);
    }
    if as_json {
        json(&Answer {
            index: dir.display().to_string(),
            report: &report,
            repaired: repaired.as_ref().map(|r| RepairedJson {
                reread: r.reread.iter().map(|(p, n)| (p.display().to_string(), *n)).collect(),
                statements: r.statements,
                unplaced: r.unplaced.clone(),
                gone: r.gone.clone(),
                list_lost: r.list_lost,
            }),
        })?;
    } else {
        print_human(&render(dir, &report, repaired.as_ref()), stdout_color())?;
    }
    Ok(if report.problems.is_empty() { Outcome::Results } else { Outcome::NoResults })
}

fn render(dir: &Path, report: &Report, repaired: Option<&Repaired>) -> String {
    let mut out = String::new();
    if let Some(r) = repaired {
        for (folder, files) in &r.reread {
            let _ = writeln!(out, "repaired: read {files} files again from {}", folder.display());
        }
        if !r.reread.is_empty() {
            let _ = writeln!(out, "repaired: {} statements indexed again", r.statements);
        }
        if r.list_lost {
            let _ = writeln!(
                out,
                "the file list ({}) is lost, so the files whose statements were dropped are not known: \
                 run 'whosaid ingest' on the folders you ingested, which reads every file again",
                whosaid::ingest::files::FILE
            );
        }
        list(
            &mut out,
            "not read again: its folder is not known; run 'whosaid ingest' on it",
            &r.unplaced,
        );
        list(
            &mut out,
            "not read again: gone from disk ('whosaid ingest --prune' forgets it)",
            &r.gone,
        );
    }
    let (s, a) = (&report.statements, &report.articles);
    let _ = writeln!(
        out,
        "index {}: {} statements in {} segments, {} articles in {} segments; {} files, {:.1} MB read",
        dir.display(),
        s.documents,
        s.segments,
        a.documents,
        a.segments,
        s.files + a.files,
        (s.bytes + a.bytes) as f64 / 1e6
    );
    for p in &report.problems {
        problem(&mut out, p);
    }
    match report.problems.len() {
        0 => out.push_str("no damage found\n"),
        n => {
            let fixable = report.problems.iter().all(|p| p.fix != Fix::Reingest);
            let s = if n == 1 { "" } else { "s" };
            if repaired.is_some() {
                let _ = writeln!(out, "{n} problem{s} left");
            } else if fixable {
                let _ = writeln!(out, "{n} problem{s}: 'whosaid check --repair' repairs them");
            } else {
                let _ = writeln!(out, "{n} problem{s}");
            }
        }
    }
    out
}

fn list(out: &mut String, what: &str, files: &[String]) {
    for f in files.iter().take(10) {
        let _ = writeln!(out, "{f}: {what}");
    }
    if files.len() > 10 {
        let _ = writeln!(out, "… and {} more", files.len() - 10);
    }
}

fn problem(out: &mut String, p: &Problem) {
    let part = p.part.map_or(String::new(), |part| format!(" ({})", part.label()));
    let _ = writeln!(out, "damaged: {}{part}: {}", p.file, p.what);
    let fix = match &p.fix {
        Fix::Count { segment, max_doc } => {
            format!("write {max_doc}, the count its files hold, for segment {segment} in meta.json")
        }
        Fix::DropSegment { segment } => format!(
            "drop segment {segment} from meta.json and read again the files whose statements it held"
        ),
        Fix::Rebuild => "set meta.json aside and read every file again".into(),
        Fix::ManagedList => "write .managed.json again from the segment files present".into(),
        Fix::SpeakerTable => "rebuild the speaker table".into(),
        Fix::ReadAgain => "read those files again".into(),
        Fix::NextIngest => {
            "the next 'whosaid ingest' of your folders reads the files again (--repair cannot tell which)"
                .into()
        }
        Fix::Reingest => "cannot be repaired: delete the index directory and ingest again".into(),
    };
    let _ = writeln!(out, "  fix: {fix}");
}

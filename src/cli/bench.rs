//! Hidden commands for `scripts/bench`: `bench-corpus` builds a scaled corpus from a
//! real one, `bench-query` times queries inside one process.
//!
//! Known limits: `bench-corpus` holds the source corpus (not the copies) in memory,
//! so the source should be a folder of thousands of articles, not millions.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use serde_json::json;

use super::Outcome;
use whosaid::api::parse_day;
use whosaid::article::{read_paths, Article, ReadOptions};
use whosaid::index::{self, Filters, Index};

/// `whosaid bench-corpus PATH... --out DIR --copies N --shift-days D`
///
/// Writes `copies` JSON Lines files; copy k holds every source article with id
/// `k:<id>` and its date moved `k × shift_days` days later, so the copies are distinct
/// articles spread over time. Prints the source's size as JSON on stdout.
pub fn corpus(paths: &[PathBuf], out: &Path, copies: usize, shift_days: i64) -> Result<Outcome> {
    let mut articles: Vec<Article> = Vec::new();
    let summary = read_paths(
        paths,
        &ReadOptions::default(),
        &mut |a| {
            articles.push(a);
            Ok(())
        },
        // The real ingest reports these; here they would only bury the numbers.
        &mut |_| {},
    )?;
    let text_bytes: usize = articles.iter().map(|a| a.body.len()).sum();
    if copies > 0 {
        std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    }
    for k in 0..copies {
        let path = out.join(format!("copy-{k:04}.jsonl"));
        let mut w = BufWriter::new(
            File::create(&path).with_context(|| format!("creating {}", path.display()))?,
        );
        let shift = jiff::Span::new().days(shift_days.saturating_mul(k as i64));
        for a in &articles {
            let date = match a.date {
                Some(d) => {
                    Some(d.checked_add(shift).context("shifted date out of range")?.to_string())
                }
                None => None,
            };
            let record = json!({
                "id": format!("{k}:{}", a.id),
                "date": date,
                "title": a.title,
                "source": a.source,
                "url": a.url,
                "author": a.author,
                "text": a.body,
            });
            serde_json::to_writer(&mut w, &record)?;
            w.write_all(b"\n")?;
        }
        w.flush()?;
    }
    let report = json!({
        "articles": articles.len(),
        "text_bytes": text_bytes,
        "bad_records": summary.bad_records,
        "copies": copies,
        "copy_articles": articles.len() * copies,
        "copy_text_bytes": text_bytes * copies,
    });
    println!("{report}");
    Ok(Outcome::Results)
}

/// One line of a query file: tab-separated, the kind first.
///
/// `phrase TEXT` (query for the quoted phrase, with facets), `word TEXT`, `who TEXT`,
/// `speaker NAME SINCE UNTIL` (every statement of a speaker in a date range, with
/// facets), `facets QUERY` (facet counts only).
fn run_one(index: &Index, line: &str) -> Result<u64> {
    let parts: Vec<&str> = line.split('\t').collect();
    let arg = |i: usize| parts.get(i).copied().unwrap_or("");
    let none = Filters::default();
    Ok(match arg(0) {
        "phrase" => {
            index::query(index, &format!("\"{}\"", arg(1).replace('"', " ")), &none, 10)?.total
        }
        "word" => index::query(index, arg(1), &none, 10)?.total,
        "facets" => index::query(index, arg(1), &none, 0)?.total,
        // As `whosaid who` runs it: the first ten speakers.
        "who" => index::who_sorted(index, arg(1), &none, index::Sort::Count, 10)?
            .speakers
            .iter()
            .map(|s| s.statements)
            .sum(),
        "speaker" => {
            let filters = Filters {
                speakers: vec![arg(1).to_string()],
                since: parse_day("since", Some(arg(2)).filter(|s| !s.is_empty()))?,
                until: parse_day("until", Some(arg(3)).filter(|s| !s.is_empty()))?,
                ..Filters::default()
            };
            index::query(index, "*", &filters, 10)?.total
        }
        other => {
            bail!("unknown query kind {other:?} (expected phrase, word, facets, who or speaker)")
        }
    })
}

/// `whosaid bench-query FILE [--warmup]`: runs every query of FILE once to warm the
/// caches, then again timed; prints one JSON line per query with its milliseconds.
pub fn query(index_dir: &Path, file: &Path) -> Result<Outcome> {
    let start = Instant::now();
    // One reader for the whole run, as `whosaid serve` keeps one: the figures are
    // those of a process that answers many queries.
    let index = Index::open(index_dir)?.keep_reader()?;
    let open_ms = start.elapsed().as_secs_f64() * 1e3;
    let reader =
        BufReader::new(File::open(file).with_context(|| format!("opening {}", file.display()))?);
    let lines: Vec<String> = reader
        .lines()
        .collect::<io::Result<Vec<_>>>()?
        .into_iter()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .collect();
    for line in &lines {
        run_one(&index, line).with_context(|| format!("query {line:?}"))?;
    }
    let mut out = io::stdout().lock();
    writeln!(out, "{}", json!({"kind": "open", "ms": open_ms}))?;
    for line in &lines {
        let t = Instant::now();
        let total = run_one(&index, line)?;
        let ms = t.elapsed().as_secs_f64() * 1e3;
        let kind = line.split('\t').next().unwrap_or("");
        writeln!(out, "{}", json!({"kind": kind, "query": line, "ms": ms, "total": total}))?;
    }
    out.flush()?;
    Ok(Outcome::Results)
}

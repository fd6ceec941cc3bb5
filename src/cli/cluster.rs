//! `ingest --to http://HOST:PORT/INDEX`: articles read and statements found as for a
//! local ingest, then sent to a cluster index (see [`whosaid::cluster`]) as the
//! documents `export` writes.
//!
//! Known limits: every file is read on every run (there is no file list on the
//! cluster side; statement ids make a second run replace, not duplicate, and an
//! article's statements that a new reading no longer finds are deleted); the
//! statements of files that are gone stay (there is no `--prune` here);
//! `speaker_canonical` is the speaker's name as found in its article, since name
//! variants are merged across a whole index, which only a local one has.

use std::path::PathBuf;

use anyhow::{Context, Result};

use super::Outcome;
use whosaid::article::{check_paths, ReadOptions};
use whosaid::cluster::bulk::Bulk;
use whosaid::cluster::{Client, Target};
use whosaid::extract::extract as extract_statements;
use whosaid::ingest::pipeline::for_each_article;
use whosaid::progress::Progress;
use whosaid::render::export::Document;

/// `whosaid ingest PATH... --to URL`.
pub fn ingest_to(
    url: &str,
    paths: &[PathBuf],
    read: &ReadOptions,
    threads: usize,
    quiet: bool,
    verbose: bool,
) -> Result<Outcome> {
    check_paths(paths)?;
    let client = Client::new(Target::parse(url)?)?;
    let created = client.ensure_index()?;
    if created && !quiet {
        eprintln!("whosaid: created the index {} with whosaid's mapping", client.target.url());
    }
    let mut progress = Progress::start(paths, read, quiet, verbose);
    let warner = progress.warner();
    let mut bulk = Bulk::new(&client);
    let (mut statements, mut with_statements) = (0u64, 0u64);
    let summary = for_each_article(
        paths,
        read,
        threads,
        &|w| warner.warn(w),
        // Extraction and the documents' JSON on the workers...
        |article| {
            let found = extract_statements(article);
            let mut docs = Vec::with_capacity(found.len());
            for st in &found {
                let doc = Document::new(st, |name, _| name);
                docs.push((st.id.clone(), serde_json::to_vec(&doc)?));
            }
            Ok(docs)
        },
        // ...and the requests, in input order, on this thread.
        |article, docs| {
            progress.article(&article, docs.len() as u64);
            statements += docs.len() as u64;
            with_statements += u64::from(!docs.is_empty());
            for (id, doc) in &docs {
                bulk.add(id, doc)?;
            }
            bulk.article_done(&article.id, docs.into_iter().map(|(id, _)| id).collect());
            Ok(())
        },
    );
    let sent = summary.and_then(|s| {
        progress.stage("sending the last statements");
        bulk.flush()?;
        client.refresh()?;
        Ok(s)
    });
    progress.finish();
    progress.print_warnings();
    let s = sent.with_context(|| {
        format!(
            "sending to {} ({} statements were taken before this)",
            client.target.url(),
            bulk.indexed
        )
    })?;
    for r in &bulk.reasons {
        eprintln!(
            "whosaid: warning: statement {} refused by the cluster: {}",
            r.id,
            whosaid::controls::one_line(&r.reason)
        );
    }
    if !quiet {
        super::ingest::summary(&s, statements, with_statements);
        let refused = match bulk.rejected {
            0 => String::new(),
            n => format!(
                "; {n} refused (reasons above{})",
                if n as usize > bulk.reasons.len() { ", the first ones" } else { "" }
            ),
        };
        let removed = match bulk.removed {
            0 => String::new(),
            n => format!("; {n} statements of earlier readings of these articles removed"),
        };
        eprintln!(
            "whosaid: {} statements stored in {}{refused}{removed}{}",
            bulk.indexed,
            client.target.url(),
            if bulk.retries > 0 {
                format!("; {} requests sent again while the cluster was busy", bulk.retries)
            } else {
                String::new()
            }
        );
    }
    Ok(if bulk.indexed > 0 { Outcome::Results } else { Outcome::NoResults })
}

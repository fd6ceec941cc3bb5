//! Parallel, streaming, order-preserving processing of articles: one thread reads
//! articles in batches, a pool of worker threads maps each batch (extraction, and for
//! `ingest` building index documents), and the caller's sink receives the results in
//! input order on the calling thread.
//!
//! Known limits: order is kept per batch, so a batch waits for its slowest article;
//! at most [`BATCHES_IN_FLIGHT`] batches are held at once, which bounds memory to a few
//! batches of articles whatever the corpus size.

use std::sync::mpsc::sync_channel;

use anyhow::{anyhow, Context, Result};
use rayon::prelude::*;

use crate::article::{read_paths, Article, ReadOptions, ReadSummary, Warning};
use std::path::PathBuf;

/// Articles per batch: large enough that handing a batch to the pool costs nothing
/// next to extracting it, small enough that a batch of long articles stays a few MB.
pub const BATCH_ARTICLES: usize = 256;
/// Article text per batch, so a corpus of very long articles still makes small batches.
pub const BATCH_BYTES: usize = 4 * 1024 * 1024;
/// Batches read ahead of the one being processed: reading overlaps extraction, and
/// memory stays bounded.
pub const BATCHES_IN_FLIGHT: usize = 2;

/// The number of threads to use when the user gives none: every available core.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Reads every article under `paths`, maps each with `map` on `threads` worker
/// threads, and passes `(article, result)` to `sink` in input order.
///
/// Warnings go to `on_warning` from the reading thread. An error from `map` or `sink`
/// stops the run: the reader is told to stop, and the error is returned.
pub fn for_each_article<T, M, S>(
    paths: &[PathBuf],
    opts: &ReadOptions,
    threads: usize,
    on_warning: &(dyn Fn(&Warning) + Sync),
    map: M,
    mut sink: S,
) -> Result<ReadSummary>
where
    T: Send,
    M: Fn(&Article) -> Result<T> + Sync,
    S: FnMut(Article, T) -> Result<()>,
{
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .thread_name(|i| format!("whosaid-extract-{i}"))
        .build()
        .context("starting worker threads")?;
    let (tx, rx) = sync_channel::<Vec<Article>>(BATCHES_IN_FLIGHT);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            let mut batch = Vec::with_capacity(BATCH_ARTICLES);
            let mut bytes = 0usize;
            let summary = read_paths(
                paths,
                opts,
                &mut |article| {
                    bytes += article.body.len();
                    batch.push(article);
                    if batch.len() >= BATCH_ARTICLES || bytes >= BATCH_BYTES {
                        bytes = 0;
                        let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_ARTICLES));
                        // A closed channel means the consumer failed; its error is reported.
                        tx.send(full).map_err(|_| anyhow!("processing stopped"))?;
                    }
                    Ok(())
                },
                &mut |w| on_warning(w),
            );
            if !batch.is_empty() && summary.is_ok() {
                tx.send(batch).map_err(|_| anyhow!("processing stopped"))?;
            }
            summary
        });
        let mut consumed: Result<()> = Ok(());
        for batch in rx.iter() {
            let mapped: Vec<Result<T>> = pool.install(|| batch.par_iter().map(&map).collect());
            let step = batch
                .into_iter()
                .zip(mapped)
                .try_for_each(|(article, result)| sink(article, result?));
            if let Err(e) = step {
                consumed = Err(e);
                break;
            }
        }
        // Dropping the receiver unblocks a reader waiting to send after a failure.
        drop(rx);
        let read = reader
            .join()
            .map_err(|_| anyhow!("the article reader thread panicked"))?;
        consumed?;
        read
    })
}

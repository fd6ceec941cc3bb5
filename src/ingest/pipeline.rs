//! Parallel, streaming, order-preserving processing of articles: one thread reads
//! articles in batches, a pool of worker threads maps each batch (extraction, and for
//! `ingest` building index documents), and the caller's sink receives the results in
//! input order on the calling thread.
//!
//! With a file gate, the caller also decides which files are read and learns where each
//! file's articles begin and end (`ingest` needs both for its file list).
//!
//! Known limits: results are handed on per batch, so a batch's results wait for its
//! slowest article (the workers meanwhile map the next batch); at most
//! [`BATCHES_IN_FLIGHT`] batches are read ahead and [`BATCHES_MAPPING`] mapped at
//! once, which bounds memory to a few batches of articles whatever the corpus size.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::mpsc::{channel, sync_channel, Receiver};

use anyhow::{anyhow, Context, Result};
use rayon::prelude::*;

use crate::article::{
    read_paths_gated, Article, FileCounts, FileGate, FileRef, ReadOptions, ReadSummary, Warning,
};

/// Articles per batch: large enough that handing a batch to the pool costs nothing
/// next to extracting it, small enough that a batch of long articles stays a few MB.
pub const BATCH_ARTICLES: usize = 256;
/// Article text per batch, so a corpus of very long articles still makes small batches.
pub const BATCH_BYTES: usize = 4 * 1024 * 1024;
/// Batches read ahead of the one being processed: reading overlaps extraction, and
/// memory stays bounded. As many as [`BATCHES_MAPPING`], so that a worker done with
/// its batches finds the next one read.
pub const BATCHES_IN_FLIGHT: usize = 4;
/// Batches the pool maps at once. With two (and two read ahead), a batch held up by
/// one long article left a worker without work once the next batch was done: four
/// of each cut the cores' idle time in a real-corpora ingest from 0.28 to 0.22
/// core-seconds and its wall time from 1.94 to 1.84 s (medians of 6, interleaved),
/// for 3-6 MB more at the peak.
pub const BATCHES_MAPPING: usize = 4;

/// The number of threads to use when the user gives none: every available core.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Threads per core a `--threads` value may ask for. More threads than cores only
/// wait for one another, and each holds an extraction's working memory: 999 threads
/// peaked at 6.8 GB on the corpora, and 16,000 aborted the process.
pub const MAX_THREADS_PER_CORE: usize = 4;

/// `requested` threads bounded to [`MAX_THREADS_PER_CORE`] × `cores` (at least
/// that many for one core), with the warning to print when it was cut.
pub fn bounded_threads(requested: usize, cores: usize) -> (usize, Option<String>) {
    let most = MAX_THREADS_PER_CORE * cores.max(1);
    if requested <= most {
        return (requested.max(1), None);
    }
    let warning = format!(
        "--threads {requested} is more than {MAX_THREADS_PER_CORE} per core on this machine's \
         {cores} core{}: using {most}",
        if cores == 1 { "" } else { "s" }
    );
    (most, Some(warning))
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
    for_each_event::<(), T, M, _>(
        paths,
        opts,
        threads,
        on_warning,
        None,
        map,
        |event| match event {
            Event::Article(article, result) => sink(article, result),
            Event::File(()) | Event::FileDone(_) => Ok(()),
        },
    )
}

/// What the sink of [`for_each_event`] receives, in input order.
#[derive(Debug)]
pub enum Event<G, T> {
    /// A file is about to be read: what `open` returned for it.
    File(G),
    /// One of its articles and what `map` made of it.
    Article(Article, T),
    /// That file has no more articles.
    FileDone(FileCounts),
}

/// The decision [`for_each_event`] asks for before reading each file: `None` leaves
/// it unread, `Some(g)` reads it and hands `g` to the sink first. Runs on the reading
/// thread, so it may take time (a checksum) without holding up extraction.
pub type Open<'a, G> = &'a mut (dyn FnMut(&mut FileRef) -> Result<Option<G>> + Send);

enum Item<G> {
    File(G),
    Article(Article),
    FileDone(FileCounts),
}

/// [`for_each_article`], with file boundaries: when `open` is given, it decides which
/// files are read, and the sink also receives [`Event::File`] before a file's articles
/// and [`Event::FileDone`] after them (also for a file that gave none).
pub fn for_each_event<G, T, M, S>(
    paths: &[PathBuf],
    opts: &ReadOptions,
    threads: usize,
    on_warning: &(dyn Fn(&Warning) + Sync),
    open: Option<Open<'_, G>>,
    map: M,
    mut sink: S,
) -> Result<ReadSummary>
where
    G: Send + Sync,
    T: Send,
    M: Fn(&Article) -> Result<T> + Sync,
    S: FnMut(Event<G, T>) -> Result<()>,
{
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .thread_name(|i| format!("whosaid-extract-{i}"))
        .build()
        .context("starting worker threads")?;
    let (tx, rx) = sync_channel::<Vec<Item<G>>>(BATCHES_IN_FLIGHT);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            // Shared by the article callback and the file gate, both on this thread.
            let batch = RefCell::new(Vec::with_capacity(BATCH_ARTICLES));
            let mut bytes = 0usize;
            let mut gate = open.map(|open| Gate { batch: &batch, open });
            let summary = read_paths_gated(
                paths,
                opts,
                gate.as_mut().map(|g| g as &mut dyn FileGate),
                &mut |article| {
                    bytes += article.body.len();
                    let mut items = batch.borrow_mut();
                    items.push(Item::Article(article));
                    if items.len() >= BATCH_ARTICLES || bytes >= BATCH_BYTES {
                        bytes = 0;
                        let full =
                            std::mem::replace(&mut *items, Vec::with_capacity(BATCH_ARTICLES));
                        // A closed channel means the consumer failed; its error is reported.
                        tx.send(full).map_err(|_| anyhow!("processing stopped"))?;
                    }
                    Ok(())
                },
                &mut |w| on_warning(w),
            );
            let rest = batch.into_inner();
            if !rest.is_empty() && summary.is_ok() {
                tx.send(rest).map_err(|_| anyhow!("processing stopped"))?;
            }
            summary
        });
        let consumed = pool.in_place_scope(|scope| consume(scope, &rx, &map, &mut sink));
        // Dropping the receiver unblocks a reader waiting to send after a failure.
        drop(rx);
        let read = reader.join().map_err(|_| anyhow!("the article reader thread panicked"))?;
        consumed?;
        read
    })
}

/// A batch and what `map` made of each of its items (`None` for file boundaries),
/// or the panic of a worker that mapped it.
type Mapped<G, T> = (usize, std::thread::Result<(Vec<Item<G>>, Vec<Option<Result<T>>>)>);

/// Hands batches to the pool as they arrive and their results to `sink` in input
/// order. Up to [`BATCHES_MAPPING`] batches are mapped at once, so workers that
/// finish their part of one batch start on the next instead of waiting for its
/// slowest article, and the sink writes one batch while the pool maps the next.
fn consume<'s, G, T, M, S>(
    scope: &rayon::Scope<'s>,
    rx: &Receiver<Vec<Item<G>>>,
    map: &'s M,
    sink: &mut S,
) -> Result<()>
where
    G: Send + Sync + 's,
    T: Send + 's,
    M: Fn(&Article) -> Result<T> + Sync,
    S: FnMut(Event<G, T>) -> Result<()>,
{
    let (done_tx, done_rx) = channel::<Mapped<G, T>>();
    // Batches that came back before an earlier one, by sequence number.
    let mut ready = BTreeMap::new();
    let (mut spawned, mut emitted) = (0usize, 0usize);
    let mut input = rx.iter();
    let mut input_done = false;
    loop {
        while !input_done && spawned - emitted < BATCHES_MAPPING {
            let Some(batch) = input.next() else {
                input_done = true;
                break;
            };
            let done = done_tx.clone();
            let seq = spawned;
            scope.spawn(move |_| {
                // Caught so that the consumer, which waits for this batch, hears of it.
                let mapped = std::panic::catch_unwind(AssertUnwindSafe(|| {
                    let mapped: Vec<Option<Result<T>>> = batch
                        .par_iter()
                        .map(|item| match item {
                            Item::Article(article) => Some(map(article)),
                            Item::File(_) | Item::FileDone(_) => None,
                        })
                        .collect();
                    (batch, mapped)
                }));
                // The consumer stops listening only after a failure it reports.
                let _ = done.send((seq, mapped));
            });
            spawned += 1;
        }
        if emitted == spawned {
            return Ok(());
        }
        let (batch, mapped) = loop {
            if let Some(next) = ready.remove(&emitted) {
                break next;
            }
            let (seq, result) = done_rx.recv().map_err(|_| anyhow!("an article batch was lost"))?;
            match result {
                Ok(r) => {
                    ready.insert(seq, r);
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
        };
        emitted += 1;
        batch.into_iter().zip(mapped).try_for_each(|(item, result)| {
            sink(match (item, result) {
                (Item::Article(article), Some(result)) => Event::Article(article, result?),
                (Item::File(g), _) => Event::File(g),
                (Item::FileDone(counts), _) => Event::FileDone(counts),
                (Item::Article(_), None) => return Err(anyhow!("an article was not processed")),
            })
        })?;
    }
}

/// Puts the file boundaries into the batch, between the articles.
struct Gate<'a, 'o, G> {
    batch: &'a RefCell<Vec<Item<G>>>,
    open: Open<'o, G>,
}

impl<G> FileGate for Gate<'_, '_, G> {
    fn open(&mut self, file: &mut FileRef) -> Result<bool> {
        Ok(match (self.open)(file)? {
            Some(g) => {
                self.batch.borrow_mut().push(Item::File(g));
                true
            }
            None => false,
        })
    }

    fn done(&mut self, _file: &FileRef, counts: FileCounts) -> Result<()> {
        self.batch.borrow_mut().push(Item::FileDone(counts));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_are_bounded_by_the_cores() {
        assert_eq!(bounded_threads(3, 2), (3, None));
        assert_eq!(bounded_threads(8, 2), (8, None));
        let (n, warning) = bounded_threads(999, 2);
        assert_eq!(n, 8);
        let warning = warning.unwrap_or_default();
        assert!(warning.contains("--threads 999") && warning.contains("using 8"), "{warning}");
        assert_eq!(bounded_threads(16000, 1).0, 4);
        assert_eq!(bounded_threads(0, 4), (1, None));
    }
}

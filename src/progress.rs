//! Progress of a long run on stderr: a bar when stderr is a terminal (files,
//! articles, MB, MB/s, statements, time left), a plain line every few seconds when
//! it is not (a log, a pipe), nothing when quiet. The loop calls
//! [`Progress::article`] once per article, in input order.
//!
//! Known limits: totals come from a walk of the paths on a background thread, in
//! the reader's order, that lists the files with a known extension and their sizes;
//! until it is done (a moment, next to reading) the line shows no totals and no time
//! left. Inside one large file (JSON Lines, CSV) the bytes done are estimated by the
//! article text read so far. The list costs 16 bytes a file.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::article::warnings::Groups;
use crate::article::{list_article_files, Article, ReadOptions, Warning};
use crate::controls::one_line;

/// How often the plain line is printed when stderr is not a terminal; the
/// `WHOSAID_PROGRESS_SECONDS` environment variable overrides it.
const LINE_EVERY: Duration = Duration::from_secs(5);
/// How often the bar's text is recomputed; the bar itself redraws at most this often.
const BAR_EVERY: Duration = Duration::from_millis(100);

enum Output {
    Quiet,
    Lines,
    Bar(ProgressBar),
}

/// The files the run will read, in order: a hash of each path and its size.
type Listing = Vec<(u64, u64)>;

/// Where the run stands in the listing: the file being read, the bytes of the
/// files before it (read, or skipped without an article), and the totals.
struct Position {
    index: usize,
    bytes_before: u64,
    total_files: u64,
    total_bytes: u64,
}

/// Counts what has gone through the loop and shows it now and then.
pub struct Progress {
    output: Output,
    every: Duration,
    started: Instant,
    last_shown: Instant,
    /// Filled by the background walk when it is done.
    listing: Arc<OnceLock<Listing>>,
    /// Set once the listing is there and the current file was found in it; `None`
    /// after a file is not found (the counts below serve then).
    position: Option<Position>,
    lost: bool,
    /// Files with articles, and the sizes of those finished: what is known before
    /// the listing.
    files: u64,
    bytes_done: u64,
    articles: u64,
    statements: u64,
    /// The file being read: its path and size, and the article text seen so far.
    current: Option<(String, u64)>,
    current_text: u64,
    warnings: Warnings,
}

impl Progress {
    /// Starts reporting on the run over `paths` read with `read`: a bar on a
    /// terminal, lines elsewhere, nothing when `quiet`. Warnings are grouped by
    /// reason for [`Progress::print_warnings`], or printed as they come when
    /// `verbose`.
    pub fn start(paths: &[PathBuf], read: &ReadOptions, quiet: bool, verbose: bool) -> Progress {
        let stderr_is_terminal = std::io::stderr().is_terminal();
        let output = if quiet {
            Output::Quiet
        } else if stderr_is_terminal {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed_precise} [{bar:30}] {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            Output::Bar(bar)
        } else {
            Output::Lines
        };
        let listing = Arc::new(OnceLock::new());
        if !quiet {
            let (listing, paths, read) = (Arc::clone(&listing), paths.to_vec(), read.clone());
            // Detached: a walk still going when the run ends is simply dropped.
            std::thread::spawn(move || {
                let _ = listing.set(list_files(&paths, &read));
            });
        }
        let every = match output {
            Output::Bar(_) => BAR_EVERY,
            _ => std::env::var("WHOSAID_PROGRESS_SECONDS")
                .ok()
                .and_then(|s| s.trim().parse::<f64>().ok())
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map_or(LINE_EVERY, Duration::from_secs_f64),
        };
        let now = Instant::now();
        Progress {
            output,
            every,
            started: now,
            last_shown: now,
            listing,
            position: None,
            lost: false,
            files: 0,
            bytes_done: 0,
            articles: 0,
            statements: 0,
            current: None,
            current_text: 0,
            warnings: Warnings::new(verbose),
        }
    }

    /// Counts one article and the statements found in it; shows progress when it
    /// is time to.
    pub fn article(&mut self, article: &Article, statements: u64) {
        if matches!(self.output, Output::Quiet) {
            return;
        }
        self.articles += 1;
        self.statements += statements;
        if self.current.as_ref().is_none_or(|(path, _)| *path != article.path) {
            if let Some((_, size)) = self.current.take() {
                self.bytes_done += size;
            }
            let size = std::fs::metadata(&article.path).map_or(0, |m| m.len());
            self.current = Some((article.path.clone(), size));
            self.current_text = 0;
            self.files += 1;
            self.find_in_listing(&article.path);
        }
        self.current_text += article.body.len() as u64;
        let now = Instant::now();
        if now.duration_since(self.last_shown) >= self.every {
            self.last_shown = now;
            self.show(now);
        }
    }

    /// Says what the run is doing after the last article (committing, merging);
    /// the bar first takes the last counts, which the rate limit may have held back.
    pub fn stage(&mut self, what: &str) {
        if matches!(self.output, Output::Bar(_)) {
            self.show(Instant::now());
        }
        if let Output::Bar(bar) = &self.output {
            bar.set_message(what.to_string());
        }
    }

    /// A handle that prints warnings without breaking the bar; `Sync`, for the
    /// reading thread.
    pub fn warner(&self) -> Warner {
        let bar = match &self.output {
            Output::Bar(bar) => Some(bar.clone()),
            _ => None,
        };
        Warner { bar, warnings: self.warnings.clone() }
    }

    /// Prints the warnings held back, one line per reason (none when verbose: they
    /// were printed as they came). Call after [`Progress::finish`].
    pub fn print_warnings(&self) {
        self.warnings.print();
    }

    /// True when the summary should be printed.
    pub fn is_quiet(&self) -> bool {
        matches!(self.output, Output::Quiet)
    }

    /// Removes the bar, so the summary is printed where it stood.
    pub fn finish(&self) {
        if let Output::Bar(bar) = &self.output {
            bar.finish_and_clear();
        }
    }

    /// Moves the position to the file `path`, counting the files passed over (read
    /// without an article, or skipped) as done. The reader visits files in the
    /// listing's order, so after the first search it only goes forward.
    fn find_in_listing(&mut self, path: &str) {
        if self.lost {
            return;
        }
        let Some(listing) = self.listing.get() else { return };
        let hash = path_hash(path);
        let (from, start) = match &self.position {
            Some(p) => (p.index, p.index + 1),
            None => (0, 0),
        };
        let found = listing.get(start..).and_then(|rest| rest.iter().position(|(h, _)| *h == hash));
        let Some(found) = found.map(|offset| start + offset) else {
            // Not in the order the walk saw: count as before the listing.
            self.position = None;
            self.lost = true;
            return;
        };
        let passed: u64 = listing[from..found].iter().map(|(_, size)| size).sum();
        match &mut self.position {
            Some(p) => {
                p.bytes_before += passed;
                p.index = found;
            }
            None => {
                self.position = Some(Position {
                    index: found,
                    bytes_before: passed,
                    total_files: listing.len() as u64,
                    total_bytes: listing.iter().map(|(_, size)| size).sum(),
                })
            }
        }
    }

    /// Files done or being read, and bytes read, by the listing when there is one.
    fn done(&self) -> (u64, u64) {
        let current = self.current.as_ref().map_or(0, |(_, size)| self.current_text.min(*size));
        match &self.position {
            Some(p) => (p.index as u64 + 1, p.bytes_before + current),
            None => (self.files, self.bytes_done + current),
        }
    }

    /// Files and bytes in all, once the listing is there.
    fn totals(&self) -> Option<(u64, u64)> {
        self.position.as_ref().map(|p| (p.total_files, p.total_bytes))
    }

    fn show(&mut self, now: Instant) {
        // The listing may have come while one large file is being read.
        if self.position.is_none() {
            if let Some(path) = self.current.as_ref().map(|(path, _)| path.clone()) {
                self.find_in_listing(&path);
            }
        }
        let line = self.line(now.duration_since(self.started));
        match &self.output {
            Output::Bar(bar) => {
                if let Some((_, bytes)) = self.totals() {
                    bar.set_length(bytes.max(1));
                }
                bar.set_position(self.done().1);
                bar.set_message(line);
            }
            Output::Lines => eprintln!("whosaid: {line}"),
            Output::Quiet => {}
        }
    }

    /// "812/4,088 files, 5,210 articles, 14.2/74.1 MB, 6.3 MB/s, 21,400 statements, 0:09 left"
    fn line(&self, elapsed: Duration) -> String {
        let mb = |b: u64| b as f64 / 1e6;
        let (files, read) = self.done();
        let rate = mb(read) / elapsed.as_secs_f64().max(1e-3);
        let articles = thousands(self.articles);
        let mut line = match self.totals() {
            Some((total_files, total_bytes)) => format!(
                "{}/{} files, {articles} articles, {:.1}/{:.1} MB",
                thousands(files),
                thousands(total_files),
                mb(read),
                mb(total_bytes)
            ),
            None => format!("{} files, {articles} articles, {:.1} MB", thousands(files), mb(read)),
        };
        line.push_str(&format!(", {rate:.1} MB/s, {} statements", thousands(self.statements)));
        if let Some((_, total_bytes)) = self.totals().filter(|_| rate > 0.0) {
            let left = mb(total_bytes.saturating_sub(read)) / rate;
            line.push_str(&format!(", {} left", clock(left)));
        }
        line
    }
}

/// Prints warnings on stderr, above the bar when there is one, or holds them back
/// to be printed grouped by reason at the end.
#[derive(Clone)]
pub struct Warner {
    bar: Option<ProgressBar>,
    warnings: Warnings,
}

impl Warner {
    pub fn warn(&self, w: &Warning) {
        if !self.warnings.verbose {
            self.warnings.hold(w);
            return;
        }
        match &self.bar {
            Some(bar) => {
                bar.suspend(|| eprintln!("whosaid: warning: {}", one_line(&w.to_string())))
            }
            None => eprintln!("whosaid: warning: {}", one_line(&w.to_string())),
        }
    }
}

/// Warnings of a run: printed at once (`--verbose`), or grouped by reason and
/// printed at the end. Shared by the threads that read.
#[derive(Clone)]
pub struct Warnings {
    verbose: bool,
    groups: Arc<Mutex<Groups>>,
}

impl Warnings {
    pub fn new(verbose: bool) -> Warnings {
        Warnings { verbose, groups: Arc::default() }
    }

    /// Prints `w` now when verbose, else keeps it for [`Warnings::print`].
    pub fn warn(&self, w: &Warning) {
        if self.verbose {
            eprintln!("whosaid: warning: {}", one_line(&w.to_string()));
        } else {
            self.hold(w);
        }
    }

    fn hold(&self, w: &Warning) {
        // A thread that panicked while holding the lock left whole groups: still usable.
        self.groups.lock().unwrap_or_else(|e| e.into_inner()).add(w);
    }

    /// One line per reason for the warnings held back.
    pub fn print(&self) {
        let groups = self.groups.lock().unwrap_or_else(|e| e.into_inner());
        for line in groups.lines() {
            eprintln!("whosaid: warning: {}", one_line(&line));
        }
    }
}

/// The files the run will read, in the reader's order (`article::read_paths`).
fn list_files(paths: &[PathBuf], read: &ReadOptions) -> Listing {
    list_article_files(paths, read)
        .into_iter()
        .map(|(path, size)| (path_hash(&path.display().to_string()), size))
        .collect()
}

/// Articles carry their file's path as a string; the listing keeps a hash of it.
fn path_hash(path: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    path.hash(&mut h);
    h.finish()
}

/// 12,345
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Seconds as m:ss or h:mm:ss.
fn clock(seconds: f64) -> String {
    let s = seconds.round().min(1e9) as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_for_people() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(clock(9.4), "0:09");
        assert_eq!(clock(125.0), "2:05");
        assert_eq!(clock(3725.0), "1:02:05");
    }
}

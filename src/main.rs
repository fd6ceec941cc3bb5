//! The `whosaid` binary: parses arguments, dispatches to a command, and maps the
//! outcome to an exit code (0 results, 1 no results, 2 error).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use whosaid::article::ReadOptions;
mod cli;

use cli::args::{Cli, Command, ReadArgs};
use cli::Outcome;
use whosaid::api::{parse_day, parse_source};

// See Cargo.toml: malloc and free were a sixth of extraction's instructions.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn index_dir(cli: &Cli) -> PathBuf {
    cli.index
        .clone()
        .or_else(|| std::env::var_os("WHOSAID_INDEX").filter(|v| !v.is_empty()).map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from("whosaid-index"))
}

fn read_options(r: &ReadArgs) -> anyhow::Result<ReadOptions> {
    Ok(ReadOptions {
        default_date: parse_day("date", r.date.as_deref())?,
        default_source: r.source.as_deref().map(parse_source).transpose()?,
        exclude: r.exclude.clone(),
    })
}

fn run(cli: &Cli) -> anyhow::Result<Outcome> {
    let dir = index_dir(cli);
    match &cli.command {
        Command::Ingest { paths, read, to: Some(url), threads, .. } => {
            let read = read_options(read)?;
            cli::ingest_to(url, paths, &read, threads.get(), cli.quiet, cli.verbose)
        }
        Command::Ingest { paths, read, memory, prune, commit_mb, threads, to: None } => {
            let opts = whosaid::ingest::Options {
                read: read_options(read)?,
                // clap bounds it to 16..=1048576 MB, which fits any usize.
                memory_mb: usize::try_from(*memory).unwrap_or(usize::MAX),
                threads: threads.get(),
                prune: *prune,
                commit_bytes: (*commit_mb * 1024.0 * 1024.0) as u64,
            };
            cli::ingest(&dir, paths, &opts, cli.quiet, cli.verbose)
        }
        Command::Extract { paths, read, json: _, with_body, threads } => {
            let read = read_options(read)?;
            cli::extract(paths, &read, threads.get(), *with_body, cli.quiet, cli.verbose)
        }
        Command::Query { query, filters, limit, offset, sort, by, engine, json } => {
            let at = cli::At::new(&dir, engine.as_deref());
            cli::query(at, query, filters, (*limit, *offset), sort, by.as_deref(), *json)
        }
        Command::Who { phrase, filters, limit, sort, engine, json } => {
            cli::who(cli::At::new(&dir, engine.as_deref()), phrase, filters, *limit, sort, *json)
        }
        Command::Timeline { speaker, query, filters, by, engine, json } => {
            let at = cli::At::new(&dir, engine.as_deref());
            cli::timeline(at, speaker, query, filters, by, *json)
        }
        Command::Speakers { prefix, limit, engine, json } => {
            cli::speakers(cli::At::new(&dir, engine.as_deref()), prefix, *limit, *json)
        }
        Command::Serve { addr, engine } => cli::serve(cli::At::new(&dir, engine.as_deref()), addr),
        Command::BenchCorpus { paths, out, copies, shift_days } => {
            cli::bench::corpus(paths, out, *copies, *shift_days)
        }
        Command::BenchQuery { file } => cli::bench::query(&dir, file),
        Command::Train { corpora, out: Some(out), clusters: true, .. } => {
            let o = whosaid::train::clusters::ClusterOptions::default();
            eprint!("{}", whosaid::train::clusters::run(corpora, &out.join("clusters.tsv"), &o)?);
            Ok(Outcome::Results)
        }
        Command::Train {
            corpora,
            out,
            folds,
            fold_predictions,
            dev,
            dev_predictions,
            without,
            ..
        } => {
            let opts = whosaid::train::Options {
                corpora: corpora.clone(),
                out: out.clone(),
                folds: *folds,
                fold_predictions: fold_predictions.clone(),
                dev: dev.clone().zip(dev_predictions.clone()),
                without: without.clone(),
            };
            eprint!("{}", whosaid::train::run(&opts)?);
            Ok(Outcome::Results)
        }
        Command::Stats { engine, json } => cli::stats(cli::At::new(&dir, engine.as_deref()), *json),
        Command::Show { id, json } => cli::show(&dir, id, *json),
        Command::Export { query, filters, format, index_name, action } => {
            cli::export(&dir, query, filters, *format, index_name, *action)
        }
        Command::Check { repair, json, threads } => {
            cli::check(&dir, *repair, *json, threads.get(), cli.quiet, cli.verbose)
        }
        Command::Completions { shell } => cli::completions(*shell),
        Command::Man { command, dir } => cli::man(command.as_deref(), dir.as_deref()),
    }
}

/// Commands that open an index in this thread (see `main`).
fn reads_index(command: &Command) -> bool {
    match command {
        Command::Ingest { .. }
        | Command::Query { .. }
        | Command::Who { .. }
        | Command::Timeline { .. }
        | Command::Speakers { .. }
        | Command::BenchQuery { .. }
        | Command::Stats { .. }
        | Command::Show { .. }
        | Command::Export { .. }
        | Command::Check { .. } => true,
        Command::Serve { .. }
        | Command::Extract { .. }
        | Command::BenchCorpus { .. }
        | Command::Train { .. }
        | Command::Completions { .. }
        | Command::Man { .. } => false,
    }
}

/// A closed pipe (`whosaid extract … | head`) is not an error.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    has_io_error(e, std::io::ErrorKind::BrokenPipe)
}

/// Whether an I/O error of `kind` is in `e`'s chain. The library's typed errors
/// carry what failed in an `anyhow` chain of their own, read too.
fn has_io_error(e: &anyhow::Error, kind: std::io::ErrorKind) -> bool {
    let pipe = |err: &(dyn std::error::Error + 'static)| {
        err.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == kind)
    };
    e.chain().any(|c| {
        let index_error = c.downcast_ref::<whosaid::index::Error>().or_else(|| {
            match c.downcast_ref::<whosaid::api::Error>() {
                Some(whosaid::api::Error::Index(e)) => Some(e),
                _ => None,
            }
        });
        pipe(c)
            || matches!(index_error, Some(whosaid::index::Error::Other(inner)) if inner.chain().any(pipe))
    })
}

/// Whether the disk filled up. Tantivy's indexing threads pass an I/O error on as
/// text (`Internal error: 'No space left on device (os error 28)'`), so the message
/// is read too, not only the chain's I/O errors.
fn is_disk_full(e: &anyhow::Error, message: &str) -> bool {
    has_io_error(e, std::io::ErrorKind::StorageFull) || message.contains("(os error 28)")
}

/// Names a SIGBUS before dying of it: the index's segment files are memory-mapped,
/// and one truncated or replaced under a running process (a `serve`, a long
/// `export`) faults the next read of its lost pages. Nothing can be recovered at
/// that point; the handler writes one line (with `write`, which is safe in a
/// signal handler) and lets the signal kill the process as before.
fn name_bus_errors() {
    extern "C" fn on_bus_error(_: libc::c_int) {
        const MESSAGE: &[u8] = b"whosaid: error: an index file was truncated or replaced while in use (SIGBUS): run whosaid check\n";
        // SAFETY: write(2), signal(2) and raise(3) are async-signal-safe; MESSAGE is
        // a static buffer of the length given.
        unsafe {
            libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len());
            libc::signal(libc::SIGBUS, libc::SIG_DFL);
            libc::raise(libc::SIGBUS);
        }
    }
    // SAFETY: installs a handler that only calls async-signal-safe functions.
    unsafe {
        libc::signal(
            libc::SIGBUS,
            on_bus_error as extern "C" fn(libc::c_int) as libc::sighandler_t,
        );
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    cli::set_color(cli.color);
    whosaid::index::damage::install_panic_hook();
    name_bus_errors();
    // A panic inside Tantivy on a damaged index is an error saying so (exit 2), not a
    // backtrace. Not around `serve`, whose requests are guarded one by one (a guard
    // for its whole life would keep every panic off stderr), nor around commands
    // that read no index, where a panic in a dependency is not the index's.
    let result = if reads_index(&cli.command) {
        whosaid::index::damage::guard(|| run(&cli))
    } else {
        run(&cli)
    };
    match result {
        Ok(Outcome::Results) => ExitCode::from(0),
        Ok(Outcome::NoResults) => ExitCode::from(1),
        Err(e) if is_broken_pipe(&e) => ExitCode::from(0),
        Err(e) => {
            let mut message = format!("{e:#}");
            // A query that read a damaged file (`export` reading a store block, say)
            // says what to do, as the guarded searches do. Not ingest's errors, whose
            // InvalidData may be an article's.
            let searching = !matches!(cli.command, Command::Ingest { .. } | Command::Check { .. });
            if searching
                && reads_index(&cli.command)
                && !message.contains("index damaged")
                && whosaid::index::damage::is_damage(&e)
            {
                message = format!("index damaged: run whosaid check ({message})");
            }
            // Messages name files and quote input: a newline or an escape in them
            // must not reach the terminal raw.
            eprintln!("whosaid: error: {}", whosaid::controls::one_line(&message));
            if is_disk_full(&e, &message) {
                eprintln!(
                    "whosaid: the disk is full (No space left on device): free some space, or \
                     give --index a folder on another disk, and run the same command again; \
                     what an ingest committed before stays, and it reads the rest again"
                );
            }
            ExitCode::from(2)
        }
    }
}

//! `serve`: open the index (or the cluster index of `--engine`), bind the address,
//! hand both to the web server.
//!
//! Known limits: runs until the process is stopped (Ctrl-C); the index must exist
//! when it starts (later ingests into it show up without a restart). Its files are
//! checked once, at the start (a warning if damaged); damage done later is found by
//! the requests that trip on it, or by `whosaid check`. Over a cluster, articles
//! cannot be opened (the cluster holds statements only).

use std::net::TcpListener;

use anyhow::{Context, Result};

use super::{At, Outcome};
use whosaid::api::Backend;
use whosaid::cluster::Engine;
use whosaid::index::Index;

/// `whosaid serve [--addr HOST:PORT] [--engine URL]`
pub fn serve(at: At, addr: &str) -> Result<Outcome> {
    let index_dir = match at {
        At::Local(dir) => dir,
        At::Engine(url) => {
            let engine = Engine::open(url)?;
            let listener = listen(addr)?;
            let bound = listener.local_addr().context("reading the bound address")?;
            // The server's address first, as for a local index: scripts read it.
            // The cluster's as whosaid shows it: never with a password.
            let cluster = engine.client.target.url();
            eprintln!(
                "whosaid: serving on http://{bound}/ the cluster index {cluster} (Ctrl-C stops)"
            );
            whosaid::web::run(listener, Backend::Cluster(engine))?;
            return Ok(Outcome::Results);
        }
    };
    let index = Index::open(index_dir)?.keep_reader()?;
    // Every byte read once, as `whosaid check` reads them (about 60 ms for the
    // real corpora): damage that makes no query fail would otherwise give wrong
    // counts for the server's whole life without a word.
    let damage = whosaid::index::check::check(index_dir)?.problems;
    let listener = listen(addr)?;
    let bound = listener.local_addr().context("reading the bound address")?;
    // The URL goes to stderr (with the port, for --addr …:0), where scripts read it.
    eprintln!("whosaid: serving {} on http://{bound}/ (Ctrl-C stops)", index_dir.display());
    if let Some(first) = damage.first() {
        eprintln!(
            "whosaid: warning: index damaged ({} problem{}, the first {}: {}): run whosaid check",
            damage.len(),
            if damage.len() == 1 { "" } else { "s" },
            first.file,
            whosaid::controls::one_line(&first.what)
        );
    }
    whosaid::web::run(listener, Backend::Local(Box::new(index)))?;
    Ok(Outcome::Results)
}

/// Binds `addr`, with a warning when other machines can reach it.
fn listen(addr: &str) -> Result<TcpListener> {
    let listener = TcpListener::bind(addr).with_context(|| format!("listening on {addr}"))?;
    let bound = listener.local_addr().context("reading the bound address")?;
    if !bound.ip().is_loopback() {
        eprintln!("whosaid: warning: {bound} is not a loopback address: anyone who can reach it can read the index");
    }
    Ok(listener)
}

//! `whosaid serve`: a local web app over the index. A search page (a search box,
//! speaker, speaker type, source and kind facets, a date histogram, the matching
//! statements, each linked to its article), an article page (`/article/ID`: the
//! whole text with its statements marked and attributed) and the JSON API they read ([`api`]: the commands' `--json` shapes). Speakers are
//! shown by their labels, an unnamed one as "unnamed: analysts".
//!
//! - [`http`]: bounded reading of one request head, writing one response.
//! - [`params`]: URL query strings as the commands' arguments.
//! - [`api`]: the routes under `/api/`.
//! - `assets/`: the page's HTML, CSS and JavaScript, embedded with `include_str!`
//!   (plain files, no framework and no build step).
//!
//! A fixed pool of worker threads answers requests; the index reader is opened once
//! and reloaded by Tantivy after each new commit.
//!
//! Known limits: one request per connection; GET and HEAD only; a client that sends
//! nothing holds a worker until the read timeout (10 s), so a few such connections
//! slow everyone else: this is a server for one person's machine, not the internet.

pub mod api;
pub mod http;
pub mod params;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};

use crate::index::Index;
use http::{Request, Response};

/// Requests answered at once; more wait in a queue of [`QUEUE`] connections, and then
/// in the kernel's backlog.
const WORKERS: usize = 8;
const QUEUE: usize = 64;

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const STYLE_CSS: &str = include_str!("assets/style.css");
const ARTICLE_HTML: &str = include_str!("assets/article.html");
const ARTICLE_JS: &str = include_str!("assets/article.js");

/// The page loads only its own script and style and talks only to its own API: an
/// article text that got into the page as markup could run nothing.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Answers connections on `listener` until the process ends.
pub fn run(listener: TcpListener, index: Index) -> Result<()> {
    let local = listener.local_addr().context("reading the bound address")?;
    let index = Arc::new(index);
    let (send, receive) = sync_channel(QUEUE);
    let receive = Arc::new(Mutex::new(receive));
    for n in 0..WORKERS {
        let (index, receive) = (Arc::clone(&index), Arc::clone(&receive));
        std::thread::Builder::new()
            .name(format!("whosaid-web-{n}"))
            .spawn(move || work(&index, &receive, local))
            .context("starting a worker thread")?;
    }
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => send.send(stream).context("every worker thread has stopped")?,
            // Out of file descriptors, or a connection reset while queued: go on, but
            // do not spin on a persistent error.
            Err(e) => {
                eprintln!("whosaid: warning: accepting a connection: {e}");
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
    Ok(())
}

fn work(index: &Index, queue: &Mutex<Receiver<std::net::TcpStream>>, local: SocketAddr) {
    loop {
        // A worker that panicked while holding the lock poisons it; the queue inside is
        // still sound.
        let next = queue.lock().unwrap_or_else(|p| p.into_inner()).recv();
        let Ok(stream) = next else { return };
        http::serve_connection(stream, |req| {
            // A bug in one request must not take a worker away from the others.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| respond(index, req, local)))
                .unwrap_or_else(|_| {
                    Response::error(500, "internal error (a bug: see the server's stderr)")
                })
        });
    }
}

/// Routes one request.
pub fn respond(index: &Index, req: &Request, local: SocketAddr) -> Response {
    if req.method != "GET" && req.method != "HEAD" {
        return Response::error(405, &format!("method {} not allowed; use GET", req.method))
            .with_header("Allow", "GET, HEAD");
    }
    if !host_allowed(req.host.as_deref(), local) {
        return Response::error(
            403,
            "Host header names another site; open the address whosaid serve printed",
        );
    }
    let path = req.path();
    let asset = |content_type, body: &'static str| {
        Response::new(200, content_type, body).with_header("Cache-Control", "no-cache")
    };
    match path {
        "/" | "/index.html" => asset("text/html; charset=utf-8", INDEX_HTML)
            .with_header("Content-Security-Policy", CSP)
            .with_header("X-Frame-Options", "DENY"),
        "/app.js" => asset("text/javascript; charset=utf-8", APP_JS),
        "/style.css" => asset("text/css; charset=utf-8", STYLE_CSS),
        "/article.js" => asset("text/javascript; charset=utf-8", ARTICLE_JS),
        // The id is read from the address by the page's script.
        _ if path.starts_with("/article/") => asset("text/html; charset=utf-8", ARTICLE_HTML)
            .with_header("Content-Security-Policy", CSP)
            .with_header("X-Frame-Options", "DENY"),
        _ if path.starts_with("/api/") => {
            api::respond(index, path, req.query()).with_header("Cache-Control", "no-store")
        }
        _ => Response::error(404, &format!("not found: {path}")),
    }
}

/// On a loopback address, only requests that name a loopback host: a web page on
/// another site that points its own host name at 127.0.0.1 (DNS rebinding) must not
/// read the index through the visitor's browser. Requests without a Host header
/// (HTTP/1.0 tools) pass; on any other address every host passes.
fn host_allowed(host: Option<&str>, local: SocketAddr) -> bool {
    let Some(host) = host else { return true };
    if !local.ip().is_loopback() {
        return true;
    }
    // Strip the port: "[::1]:8080" → "::1", "localhost:8080" → "localhost".
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(""),
        None => host.rsplit_once(':').map_or(host, |(h, _)| h),
    };
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_servers_answer_loopback_hosts_only() {
        let local: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        for ok in ["127.0.0.1:8080", "localhost:8080", "LOCALHOST", "[::1]:8080", "127.0.0.2"] {
            assert!(host_allowed(Some(ok), local), "{ok}");
        }
        for bad in ["evil.example:8080", "localhost.evil.example", "10.0.0.1:8080", "[::2]:8080"] {
            assert!(!host_allowed(Some(bad), local), "{bad}");
        }
        assert!(host_allowed(None, local));
        let anywhere: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        assert!(host_allowed(Some("evil.example"), anywhere));
    }
}

//! `whosaid serve`: a local web app over the index. A search page (a search box,
//! speaker, speaker type, source and kind facets, a date histogram, the matching
//! statements, each linked to its article), an article page (`/article/ID`: the
//! whole text with its statements marked and attributed) and the JSON API they read ([`api`]: the commands' `--json` shapes). Speakers are
//! shown by their labels, an unnamed one as "unnamed: analysts".
//!
//! - [`http`]: the checks on a request head and the response type.
//! - [`guard`]: each connection's socket as hyper sees it: heads checked before
//!   hyper parses them, deadlines for the idle time, the head, the body and writes.
//! - [`conns`]: the open connections, capped per client address and in all.
//! - [`params`]: URL query strings as the commands' arguments.
//! - [`api`]: the routes under `/api/`.
//! - `assets/`: the page's HTML, CSS and JavaScript, embedded with `include_str!`
//!   (plain files, no framework and no build step).
//!
//! HTTP/1.1 is hyper's, on a tokio runtime: each connection is a task, kept alive
//! between requests, so a slow or idle client holds a socket and a little memory,
//! never a thread. The API's requests (Tantivy searches, which block) run on
//! [`query_workers`] blocking threads (4 on 2 cores), in the order they come; the page's assets
//! are answered at once. The index reader is opened once and reloaded by Tantivy
//! after each new commit.
//!
//! Known limits: HTTP/1.1 only (no HTTP/2, no TLS); GET and HEAD only; requests
//! waiting for a query worker wait without a bound (a client that goes away frees
//! its place); a deadline that passes closes the connection without a response; a
//! client that closes its sending side before reading its answer is taken for gone
//! and gets none (hyper's default: `printf … | nc -N` does that, browsers and curl
//! do not).

pub mod api;
pub mod conns;
pub mod guard;
pub mod http;
pub mod params;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Semaphore;

use crate::api::Backend;
use conns::Conns;
use guard::{Activity, Guarded, WRITE_TIMEOUT};
use http::{Request, Response, COMMON_HEADERS};

/// API requests answered at once (each a blocking Tantivy search): twice the cores,
/// between 2 and [`MAX_QUERY_WORKERS`]; more wait their turn. Searches are CPU work:
/// on 2 cores, 4 at once answered searches-only load 30% faster than 8, at a lower
/// p99 (0.22 s against 0.30 s) and with a sixth less CPU (docs/web.md, "Under load").
pub fn query_workers() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    (2 * cores).clamp(2, MAX_QUERY_WORKERS)
}

/// The most searches at once, as the 8 threads of the server before.
pub const MAX_QUERY_WORKERS: usize = 8;
/// Threads that drive the connections (reading, parsing, writing); they never block.
const IO_THREADS: usize = 2;
/// After a refused head: at most this much of what the client still sends is read
/// and thrown away before closing, so that closing with unread input does not reset
/// the connection before the client reads the refusal (a refused 1 MB body would
/// otherwise lose its 413).
const DRAIN_LIMIT: u64 = 1024 * 1024;
const DRAIN_TIMEOUT: Duration = Duration::from_secs(1);

const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const STYLE_CSS: &str = include_str!("assets/style.css");
const ARTICLE_HTML: &str = include_str!("assets/article.html");
const ARTICLE_JS: &str = include_str!("assets/article.js");

/// The page loads only its own script and style and talks only to its own API: an
/// article text that got into the page as markup could run nothing.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// What every connection's task shares.
struct Server {
    index: Backend,
    local: SocketAddr,
    queries: Semaphore,
    conns: Conns,
}

/// Answers connections on `listener` until the process ends.
pub fn run(listener: TcpListener, index: Backend) -> Result<()> {
    let local = listener.local_addr().context("reading the bound address")?;
    let workers = query_workers();
    listener.set_nonblocking(true).context("making the listening socket non-blocking")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(IO_THREADS)
        .max_blocking_threads(workers)
        .thread_name("whosaid-web")
        .enable_io()
        .enable_time()
        .build()
        .context("starting the web server's threads")?;
    let server = Arc::new(Server {
        index,
        local,
        queries: Semaphore::new(workers),
        conns: Conns::default(),
    });
    runtime.block_on(async move {
        let listener =
            tokio::net::TcpListener::from_std(listener).context("listening for connections")?;
        loop {
            let (stream, peer) = match listener.accept().await {
                Ok(accepted) => accepted,
                // Out of file descriptors, or a connection reset while queued: go on,
                // but do not spin on a persistent error.
                Err(e) => {
                    eprintln!("whosaid: warning: accepting a connection: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            // Over a cap with every connection busy: closed at once.
            let Some((id, activity)) =
                server.conns.admit(peer.ip(), (conns::PER_ADDRESS, conns::TOTAL))
            else {
                continue;
            };
            tokio::spawn(connection(Arc::clone(&server), stream, id, activity));
        }
    })
}

/// Serves one connection until the client closes it, a deadline passes, or the
/// connection table closes it for a newer one.
async fn connection(server: Arc<Server>, stream: TcpStream, id: u64, activity: Arc<Activity>) {
    let _ = stream.set_nodelay(true);
    let stream = Arc::new(stream);
    let io = TokioIo::new(Guarded::new(Arc::clone(&stream), Arc::clone(&activity)));
    let service = {
        let (server, activity) = (Arc::clone(&server), Arc::clone(&activity));
        hyper::service::service_fn(move |req| {
            let (server, activity) = (Arc::clone(&server), Arc::clone(&activity));
            async move { answer(&server, &activity, req).await }
        })
    };
    let mut http = hyper::server::conn::http1::Builder::new();
    // The deadlines are `Guarded`'s; hyper's own would need its timer.
    http.keep_alive(true).header_read_timeout(None);
    let served = http.serve_connection(io, service);
    tokio::select! {
        // Errors are the client's: a deadline passed, a reset; nothing to report.
        _ = served => {}
        _ = activity.evicted() => {}
    }
    server.conns.remove(id);
    // hyper has dropped its side of the stream.
    if let Ok(mut stream) = Arc::try_unwrap(stream) {
        if let Some(refusal) = activity.take_refusal() {
            let bytes = refusal.to_closing_bytes();
            let _ = tokio::time::timeout(WRITE_TIMEOUT, stream.write_all(&bytes)).await;
            let _ = stream.shutdown().await;
            let drain = async {
                let mut sink = tokio::io::sink();
                tokio::io::copy(&mut (&mut stream).take(DRAIN_LIMIT), &mut sink).await
            };
            let _ = tokio::time::timeout(DRAIN_TIMEOUT, drain).await;
        } else {
            let _ = stream.shutdown().await;
        }
    }
}

/// One request to its response: the body read (it was bounded by `Guarded`), the
/// route's answer computed, on a query worker when it searches the index. An error
/// (the body never came) closes the connection without an answer.
async fn answer(
    server: &Arc<Server>,
    activity: &Arc<Activity>,
    req: hyper::Request<Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, hyper::Error> {
    let (parts, body) = req.into_parts();
    let request = Request {
        method: parts.method.as_str().to_string(),
        target: parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_string(),
        host: parts
            .headers
            .get(hyper::header::HOST)
            .map(|h| String::from_utf8_lossy(h.as_bytes()).trim().to_string()),
    };
    // No route reads a body, but it must be read for the next request to be found.
    body.collect().await?;
    // Busy from here to the answer: no deadline meanwhile, and the connection caps
    // do not close it. (Not while the body comes: a client trickling bodies on many
    // connections must not make them all untouchable.)
    let _busy = activity.begin();
    let head_only = request.method == "HEAD";
    let response = if request.path().starts_with("/api/") && allowed(&request, server.local) {
        // Closed only if the server is dropped, which it is not while tasks run.
        let Ok(_permit) = server.queries.acquire().await else {
            return Ok(to_hyper(Response::error(500, "the server is stopping"), head_only));
        };
        let worker = Arc::clone(server);
        tokio::task::spawn_blocking(move || respond(&worker.index, &request, worker.local))
            .await
            // A bug in one request must not take a worker away from the others.
            .unwrap_or_else(|_| {
                Response::error(500, "internal error (a bug: see the server's stderr)")
            })
    } else {
        respond(&server.index, &request, server.local)
    };
    Ok(to_hyper(response, head_only))
}

/// Whether `respond` would get as far as a route: a method and Host it takes.
fn allowed(req: &Request, local: SocketAddr) -> bool {
    (req.method == "GET" || req.method == "HEAD") && host_allowed(req.host.as_deref(), local)
}

fn to_hyper(response: Response, head_only: bool) -> hyper::Response<Full<Bytes>> {
    let length = response.body.len();
    // A HEAD answer says the length of the body it leaves out.
    let body = if head_only { Bytes::new() } else { response.body };
    let mut out = hyper::Response::new(Full::new(body));
    *out.status_mut() = hyper::StatusCode::from_u16(response.status)
        .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    let headers = out.headers_mut();
    let fixed = [
        ("Content-Type", response.content_type.to_string()),
        ("Content-Length", length.to_string()),
    ];
    let common = COMMON_HEADERS.iter().map(|(n, v)| (*n, v.to_string()));
    for (name, value) in fixed.into_iter().chain(common).chain(response.headers) {
        if let Ok(value) = hyper::header::HeaderValue::from_str(&value) {
            headers.append(name, value);
        }
    }
    out
}

/// Routes one request.
pub fn respond(index: &Backend, req: &Request, local: SocketAddr) -> Response {
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

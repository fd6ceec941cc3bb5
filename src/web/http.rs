//! Just enough HTTP/1.1 for a local server: read one request head, bounded in size
//! and time, parse it with `httparse`, write one response, close the connection.
//!
//! Known limits: one request per connection (`Connection: close`; no keep-alive, no
//! pipelining); request bodies are never read, only bounded by their Content-Length
//! and drained before closing; chunked bodies are refused (411).

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::Duration;

/// The request line and headers together: past this the request is refused (431)
/// rather than buffered.
pub const MAX_HEAD: usize = 16 * 1024;
/// The request target (path and query string): a search box's query is a few words;
/// anything longer is refused with 414.
pub const MAX_TARGET: usize = 4 * 1024;
/// A declared request body larger than this is refused with 413. No route reads a
/// body; small ones are tolerated (and ignored) because some clients send them.
pub const MAX_BODY: u64 = 64 * 1024;
const MAX_HEADERS: usize = 64;
/// How long a client may take to send its request head.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// At most this much is read and thrown away after the response, so that closing
/// with unread input does not reset the connection before the client reads the
/// response (a refused 1 MB body would otherwise lose its 413).
const DRAIN_LIMIT: u64 = 1024 * 1024;
const DRAIN_TIMEOUT: Duration = Duration::from_secs(1);

/// A parsed request head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// As sent: path and query string, still percent-encoded.
    pub target: String,
    /// The Host header, when there is one.
    pub host: Option<String>,
}

impl Request {
    /// The path, without the query string.
    pub fn path(&self) -> &str {
        self.target.split_once('?').map_or(self.target.as_str(), |(p, _)| p)
    }

    /// The query string, without the `?`; empty when there is none.
    pub fn query(&self) -> &str {
        self.target.split_once('?').map_or("", |(_, q)| q)
    }
}

/// What reading a request head gave.
#[derive(Debug)]
pub enum Head {
    Request(Request),
    /// The request is refused before routing (too long, malformed, a body too large).
    Refused(Response),
    /// The client closed the connection or went quiet before sending a whole head.
    Gone,
}

/// Reads one request head from `input`, at most [`MAX_HEAD`] bytes.
pub fn read_head(input: &mut impl Read) -> Head {
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    const CHUNK: usize = 4096;
    let mut chunk = [0u8; CHUNK];
    loop {
        let room = MAX_HEAD - buf.len();
        let n = match input.read(&mut chunk[..room.min(CHUNK)]) {
            Ok(0) | Err(_) => return Head::Gone,
            Ok(n) => n,
        };
        buf.extend_from_slice(&chunk[..n]);
        // The request line alone over the bound: say 414, not 431, before the rest.
        let line_end = buf.iter().position(|&b| b == b'\n');
        if line_end.map_or(buf.len(), |e| e) > MAX_TARGET + "OPTIONS  HTTP/1.1\r".len() {
            return Head::Refused(too_long());
        }
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut req = httparse::Request::new(&mut headers);
        match req.parse(&buf) {
            Ok(httparse::Status::Complete(_)) => return checked(&req),
            Ok(httparse::Status::Partial) if buf.len() < MAX_HEAD => continue,
            Ok(httparse::Status::Partial) | Err(httparse::Error::TooManyHeaders) => {
                return Head::Refused(Response::error(431, "request headers too large"));
            }
            Err(e) => {
                return Head::Refused(Response::error(400, &format!("malformed request: {e}")))
            }
        }
    }
}

fn too_long() -> Response {
    Response::error(414, &format!("request target longer than {MAX_TARGET} bytes"))
}

/// The head's own checks: target length and the declared body.
fn checked(req: &httparse::Request) -> Head {
    let (Some(method), Some(target)) = (req.method, req.path) else {
        return Head::Refused(Response::error(400, "malformed request"));
    };
    if target.len() > MAX_TARGET {
        return Head::Refused(too_long());
    }
    let header = |name: &str| {
        req.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_string())
    };
    // Two Hosts or two lengths make a request that a proxy in front and this server
    // could read differently (request smuggling); RFC 9112 (3.2, 6.3) says 400.
    for name in ["host", "content-length"] {
        if req.headers.iter().filter(|h| h.name.eq_ignore_ascii_case(name)).count() > 1 {
            return Head::Refused(Response::error(400, &format!("more than one {name} header")));
        }
    }
    if header("transfer-encoding").is_some() {
        return Head::Refused(Response::error(411, "request bodies need a Content-Length"));
    }
    if let Some(length) = header("content-length") {
        match length.parse::<u64>() {
            Ok(n) if n > MAX_BODY => {
                return Head::Refused(Response::error(
                    413,
                    &format!("request body larger than {MAX_BODY} bytes"),
                ));
            }
            Ok(_) => {}
            Err(_) => return Head::Refused(Response::error(400, "malformed Content-Length")),
        }
    }
    Head::Request(Request {
        method: method.to_string(),
        target: target.to_string(),
        host: header("host"),
    })
}

/// One response; every response closes its connection.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Response {
        Response { status, content_type, headers: Vec::new(), body: body.into() }
    }

    pub fn json(status: u16, body: String) -> Response {
        Response::new(status, "application/json", body)
    }

    /// `{"error": message}`.
    pub fn error(status: u16, message: &str) -> Response {
        Response::json(status, serde_json::json!({ "error": message }).to_string())
    }

    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }

    /// Writes the status line, headers and (unless `head_only`) the body.
    pub fn write_to(&self, out: &mut impl Write, head_only: bool) -> io::Result<()> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\
             X-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n",
            self.status,
            reason(self.status),
            self.content_type,
            self.body.len()
        );
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        out.write_all(head.as_bytes())?;
        if !head_only {
            out.write_all(&self.body)?;
        }
        out.flush()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        411 => "Length Required",
        413 => "Content Too Large",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        _ => "",
    }
}

/// Serves one connection: reads its request, answers it with `respond`, closes.
pub fn serve_connection(mut stream: TcpStream, respond: impl FnOnce(&Request) -> Response) {
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let _ = stream.set_write_timeout(Some(READ_TIMEOUT));
    let (response, head_only) = match read_head(&mut stream) {
        Head::Gone => return,
        Head::Refused(r) => (r, false),
        Head::Request(req) => (respond(&req), req.method == "HEAD"),
    };
    if response.write_to(&mut stream, head_only).is_ok() {
        let _ = stream.shutdown(Shutdown::Write);
        let _ = stream.set_read_timeout(Some(DRAIN_TIMEOUT));
        let _ = io::copy(&mut (&mut stream).take(DRAIN_LIMIT), &mut io::sink());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(raw: &[u8]) -> Head {
        read_head(&mut &raw[..])
    }

    fn status(h: Head) -> u16 {
        match h {
            Head::Refused(r) => r.status,
            Head::Request(_) => 200,
            Head::Gone => 0,
        }
    }

    #[test]
    fn a_get_parses_with_its_host_path_and_query() {
        let Head::Request(r) =
            head(b"GET /api/who?q=peace+talks HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n")
        else {
            panic!("not parsed");
        };
        assert_eq!((r.method.as_str(), r.path(), r.query()), ("GET", "/api/who", "q=peace+talks"));
        assert_eq!(r.host.as_deref(), Some("127.0.0.1:8080"));
    }

    #[test]
    fn long_targets_heads_and_bodies_are_refused_without_reading_them_all() {
        let long = format!("GET /?q={} HTTP/1.1\r\n\r\n", "a".repeat(MAX_TARGET));
        assert_eq!(status(head(long.as_bytes())), 414);
        // A request line that never ends is cut at the bound, not buffered.
        let endless = format!("GET /?q={}", "a".repeat(10 * MAX_HEAD));
        assert_eq!(status(head(endless.as_bytes())), 414);
        let many = format!("GET / HTTP/1.1\r\n{}\r\n", "X-A: b\r\n".repeat(100));
        assert_eq!(status(head(many.as_bytes())), 431);
        let big = format!("GET / HTTP/1.1\r\nX-A: {}\r\n\r\n", "b".repeat(MAX_HEAD));
        assert_eq!(status(head(big.as_bytes())), 431);
        assert_eq!(status(head(b"POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n")), 413);
        assert_eq!(status(head(b"POST / HTTP/1.1\r\nContent-Length: 12\r\n\r\n")), 200);
        assert_eq!(status(head(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n")), 411);
        assert_eq!(status(head(b"GET / HTTP/1.1\r\nContent-Length: lots\r\n\r\n")), 400);
        let two_hosts = b"GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n";
        assert_eq!(status(head(two_hosts)), 400);
        let two_lengths = b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n";
        assert_eq!(status(head(two_lengths)), 400);
    }

    #[test]
    fn garbage_and_early_close_are_told_apart() {
        assert_eq!(status(head(b"\x16\x03\x01 hello\r\n\r\n")), 400);
        assert_eq!(status(head(b"GET / HTTP/1.1\r\nHost: a\r\n")), 0);
        assert_eq!(status(head(b"")), 0);
    }

    #[test]
    fn responses_carry_length_and_close() {
        let mut out = Vec::new();
        Response::error(404, "not found: /x").write_to(&mut out, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 404 Not Found\r\n"), "{text}");
        assert!(
            text.contains("Content-Length: 25\r\n") && text.contains("Connection: close\r\n"),
            "{text}"
        );
        assert!(text.ends_with("\r\n\r\n{\"error\":\"not found: /x\"}"), "{text}");
    }
}

//! The request head as whosaid checks it before hyper sees it, and the response type
//! the routes return. [`scan`] reads the bytes gathered so far of one request head
//! (parsed with `httparse`, as hyper parses them) and says: not whole yet, whole and
//! acceptable (with its length and the length of its body), or refused with the JSON
//! error the client gets. `guard.rs` calls it on every request of a connection.
//!
//! Known limits: request bodies are bounded by their Content-Length and read whole
//! before routing, never used; chunked bodies are refused (411), as is any
//! Transfer-Encoding, so every body's end is known from its head.

use bytes::Bytes;

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

/// What the bytes gathered of one request head say.
#[derive(Debug)]
pub enum Scan {
    /// Not a whole head yet, and nothing wrong so far.
    Partial,
    /// A whole head of `len` bytes, followed by a body of `body` bytes.
    Complete { len: usize, body: u64 },
    /// The request is refused before routing (too long, malformed, a body too large).
    Refused(Response),
}

/// Checks the start of `buf`, the bytes received of one request head (and perhaps
/// what follows it). `buf` never needs to hold more than [`MAX_HEAD`] bytes: at that
/// length a head that is still not whole is refused.
pub fn scan(buf: &[u8]) -> Scan {
    // The request line alone over the bound: say 414, not 431, before the rest.
    let line_end = buf.iter().position(|&b| b == b'\n');
    if line_end.unwrap_or(buf.len()) > MAX_TARGET + "OPTIONS  HTTP/1.1\r".len() {
        return Scan::Refused(too_long());
    }
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    match req.parse(buf) {
        Ok(httparse::Status::Complete(len)) if len <= MAX_HEAD => checked(&req, len),
        Ok(httparse::Status::Partial) if buf.len() < MAX_HEAD => Scan::Partial,
        Ok(_) | Err(httparse::Error::TooManyHeaders) => {
            Scan::Refused(Response::error(431, "request headers too large"))
        }
        Err(e) => Scan::Refused(Response::error(400, &format!("malformed request: {e}"))),
    }
}

fn too_long() -> Response {
    Response::error(414, &format!("request target longer than {MAX_TARGET} bytes"))
}

/// The head's own checks: target length and the declared body.
fn checked(req: &httparse::Request, len: usize) -> Scan {
    let (Some(_), Some(target)) = (req.method, req.path) else {
        return Scan::Refused(Response::error(400, "malformed request"));
    };
    if target.len() > MAX_TARGET {
        return Scan::Refused(too_long());
    }
    // Two Hosts or two lengths make a request that a proxy in front and this server
    // could read differently (request smuggling); RFC 9112 (3.2, 6.3) says 400.
    for name in ["host", "content-length"] {
        if req.headers.iter().filter(|h| h.name.eq_ignore_ascii_case(name)).count() > 1 {
            return Scan::Refused(Response::error(400, &format!("more than one {name} header")));
        }
    }
    let header = |name: &str| {
        req.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).trim().to_string())
    };
    if header("transfer-encoding").is_some() {
        return Scan::Refused(Response::error(411, "request bodies need a Content-Length"));
    }
    let body = match header("content-length").map(|l| l.parse::<u64>()) {
        None => 0,
        Some(Ok(n)) if n > MAX_BODY => {
            return Scan::Refused(Response::error(
                413,
                &format!("request body larger than {MAX_BODY} bytes"),
            ));
        }
        Some(Ok(n)) => n,
        Some(Err(_)) => return Scan::Refused(Response::error(400, "malformed Content-Length")),
    };
    Scan::Complete { len, body }
}

/// One response: what a route answers, turned into hyper's response by `mod.rs`, or
/// written by [`Response::write_to`] when a head is refused before hyper sees it.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    /// `Bytes`, so the page's assets are served from the binary without a copy.
    pub body: Bytes,
}

/// Headers on every response: no content sniffing, no Referer to other sites.
pub const COMMON_HEADERS: [(&str, &str); 2] =
    [("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer")];

impl Response {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Bytes>) -> Response {
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

    /// The whole response, status line to body, saying the connection closes: for a
    /// refused head, after which the connection is not read further.
    pub fn to_closing_bytes(&self) -> Vec<u8> {
        let mut head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
            self.status,
            reason(self.status),
            self.content_type,
            self.body.len()
        );
        let extra = self.headers.iter().map(|(n, v)| (*n, v.as_str()));
        for (name, value) in COMMON_HEADERS.into_iter().chain(extra) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let mut out = head.into_bytes();
        out.extend_from_slice(&self.body);
        out
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        411 => "Length Required",
        413 => "Content Too Large",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(raw: &[u8]) -> u16 {
        match scan(raw) {
            Scan::Refused(r) => r.status,
            Scan::Complete { .. } => 200,
            Scan::Partial => 0,
        }
    }

    #[test]
    fn a_whole_head_gives_its_length_and_its_bodys() {
        let raw = b"GET /api/who?q=peace+talks HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\nrest";
        assert!(matches!(scan(raw), Scan::Complete { len, body: 0 } if len == raw.len() - 4));
        let post = b"POST / HTTP/1.1\r\nContent-Length: 12\r\n\r\n";
        assert!(matches!(scan(post), Scan::Complete { body: 12, .. }));
    }

    #[test]
    fn long_targets_heads_and_bodies_are_refused_without_reading_them_all() {
        let long = format!("GET /?q={} HTTP/1.1\r\n\r\n", "a".repeat(MAX_TARGET));
        assert_eq!(status(long.as_bytes()), 414);
        // A request line that never ends is cut at the bound, not buffered.
        let endless = format!("GET /?q={}", "a".repeat(MAX_HEAD));
        assert_eq!(status(endless.as_bytes()), 414);
        let many = format!("GET / HTTP/1.1\r\n{}\r\n", "X-A: b\r\n".repeat(100));
        assert_eq!(status(many.as_bytes()), 431);
        let big = format!("GET / HTTP/1.1\r\nX-A: {}\r\n\r\n", "b".repeat(MAX_HEAD));
        assert_eq!(status(&big.as_bytes()[..MAX_HEAD]), 431);
        assert_eq!(status(big.as_bytes()), 431);
        assert_eq!(status(b"POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n"), 413);
        assert_eq!(status(b"POST / HTTP/1.1\r\nContent-Length: 12\r\n\r\n"), 200);
        assert_eq!(status(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"), 411);
        assert_eq!(status(b"GET / HTTP/1.1\r\nContent-Length: lots\r\n\r\n"), 400);
        let two_hosts = b"GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n";
        assert_eq!(status(two_hosts), 400);
        let two_lengths = b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n";
        assert_eq!(status(two_lengths), 400);
        // The same length twice is still two headers.
        let same_twice = b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n";
        assert_eq!(status(same_twice), 400);
    }

    #[test]
    fn garbage_and_an_unfinished_head_are_told_apart() {
        assert_eq!(status(b"\x16\x03\x01 hello\r\n\r\n"), 400);
        assert_eq!(status(b"\x16\x03\x01\x02\x00"), 400);
        assert_eq!(status(b"GET / HTTP/1.1\r\nHost: a\r\n"), 0);
        assert_eq!(status(b""), 0);
    }

    #[test]
    fn refusals_carry_length_close_and_the_common_headers() {
        let text = String::from_utf8(Response::error(414, "too long").to_closing_bytes()).unwrap();
        assert!(text.starts_with("HTTP/1.1 414 URI Too Long\r\n"), "{text}");
        for line in ["Content-Length: 20\r\n", "Connection: close\r\n", "nosniff\r\n"] {
            assert!(text.contains(line), "{line} in {text}");
        }
        assert!(text.ends_with("\r\n\r\n{\"error\":\"too long\"}"), "{text}");
    }
}

//! For the web tests: a small HTTP/1.1 client (one request per connection), a
//! `whosaid serve` process on a free loopback port, and a few invented articles.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Child;
use std::sync::mpsc;
use std::time::Duration;

/// A response: status, headers (names lower-cased) and body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// Sends `raw` as is and reads one response: its Content-Length's worth of body
/// (none after a HEAD), or chunks, or everything until the server closes.
/// (chromedriver says `Connection: close` and keeps the connection open, and whosaid
/// keeps connections open for a next request, so EOF alone would hang.)
pub fn send(addr: &str, raw: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connect {addr}: {e}"));
    stream.set_read_timeout(Some(Duration::from_secs(120))).expect("timeout");
    // The server may answer (and close) before reading everything, as it does for
    // an over-long request; a failed write is then expected.
    let _ = stream.write_all(raw);
    read_replies(&mut stream, &[raw.starts_with(b"HEAD ")]).remove(0)
}

/// Reads one response from `stream` per entry of `head_only` (true: the answer to a
/// HEAD, which has no body), in order, as a client that sent them on one connection
/// does. A response cut short by the server's close is returned as it came.
pub fn read_replies(stream: &mut TcpStream, head_only: &[bool]) -> Vec<Reply> {
    let mut out = Vec::new();
    let mut replies = Vec::new();
    let mut buf = [0u8; 16384];
    while replies.len() < head_only.len() {
        if let Some((reply, used)) = complete(&out, head_only[replies.len()]) {
            replies.push(reply);
            out.drain(..used);
            continue;
        }
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => {
                replies.push(parse(&out));
                out.clear();
            }
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
    replies
}

/// The response at the start of `raw` and its length, when all of it has arrived.
fn complete(raw: &[u8], head_only: bool) -> Option<(Reply, usize)> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let reply = parse(&raw[..split + 4]);
    if head_only {
        return Some((reply, split + 4));
    }
    if let Some(length) = reply.header("content-length").and_then(|l| l.parse::<usize>().ok()) {
        let end = split + 4 + length;
        return (raw.len() >= end).then(|| (parse(&raw[..end]), end));
    }
    let chunked = reply.header("transfer-encoding").is_some_and(|t| t.contains("chunked"));
    (chunked && raw.ends_with(b"0\r\n\r\n")).then(|| (parse(raw), raw.len()))
}

fn parse(raw: &[u8]) -> Reply {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head: {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers.iter().any(|(n, v)| n == "transfer-encoding" && v.contains("chunked")) {
        body = unchunk(&body);
    }
    Reply { status, headers, body }
}

fn unchunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = raw.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&raw[..end]).split(';').next().unwrap_or("").trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 || raw.len() < end + 2 + size + 2 {
            break;
        }
        out.extend_from_slice(&raw[end + 2..end + 2 + size]);
        raw = &raw[end + 2 + size + 2..];
    }
    out
}

/// A request with `method`, `target` and an optional JSON body.
pub fn request(addr: &str, method: &str, target: &str, body: Option<&serde_json::Value>) -> Reply {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let raw = format!(
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    send(addr, raw.as_bytes())
}

pub fn get(addr: &str, target: &str) -> Reply {
    request(addr, "GET", target, None)
}

/// Percent-encodes a query parameter value.
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `whosaid serve` on a free loopback port; killed when dropped.
pub struct Server {
    pub child: Child,
    /// "127.0.0.1:PORT"
    pub addr: String,
    /// The server's stderr lines after the first.
    pub log: mpsc::Receiver<String>,
}

impl Server {
    pub fn start(index: &Path) -> Server {
        Server::start_with(index, &[])
    }

    /// With more flags (`--engine URL`).
    pub fn start_with(index: &Path, flags: &[&str]) -> Server {
        let mut child = super::Cmd::new()
            .index(index)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(flags)
            .spawn();
        let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
        let mut first = String::new();
        stderr.read_line(&mut first).expect("read stderr");
        let addr = first
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| {
                let _ = child.kill();
                panic!("serve did not print its address: {first:?}")
            })
            .to_string();
        // Keep reading stderr, so the server never blocks on a full pipe.
        let (send, log) = mpsc::channel();
        std::thread::spawn(move || {
            for line in stderr.lines().map_while(Result::ok) {
                let _ = send.send(line);
            }
        });
        Server { child, addr, log }
    }

    pub fn get(&self, target: &str) -> Reply {
        get(&self.addr, target)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Four short articles on a city's water prices, by invented people: Ann Lee says
/// "water prices" most, Tom Baker and Ivan Petrov less; two sources, three months.
pub fn write_newsroom(env: &super::Dir) -> std::path::PathBuf {
    env.write(
        "news/rates.md",
        "---\ntitle: Council weighs water rates\ndate: 2025-01-10\nsource: Harbor Gazette\nurl: https://news.example/rates\n---\n\
         “Water prices will rise again this spring,” Mayor Ann Lee said on Thursday.\n\n\
         Tom Baker, who leads the council's finance committee, said that water prices were already too high for most families.\n",
    );
    env.write(
        "news/pipes.md",
        "---\ntitle: Old pipes, new bills\ndate: 2025-02-14\nsource: Valley Times\n---\n\
         “Water prices are the first thing people ask me about,” Ann Lee said on Wednesday.\n\n\
         Ivan Petrov, an engineer at the city utility, said that water prices reflect the cost of replacing old pipes.\n",
    );
    env.write(
        "news/budget.md",
        "---\ntitle: Budget passes\ndate: 2025-03-20\nsource: Harbor Gazette\n---\n\
         “Nobody wants higher water prices, but the pipes are failing,” Ann Lee said on Tuesday.\n\n\
         “The budget is balanced,” said Tom Baker.\n",
    );
    env.write(
        "news/parks.md",
        "---\ntitle: Parks reopen\ndate: 2025-03-22\nsource: Valley Times\n---\n\
         “The parks will reopen in April,” Ivan Petrov said on Friday.\n",
    );
    env.path("news")
}

/// A folder with [`write_newsroom`]'s articles ingested into its index.
pub fn newsroom() -> super::Dir {
    let env = super::Dir::new();
    let news = write_newsroom(&env);
    env.ingest(&news);
    env
}

/// Four statements by Ann Lee on a harbor, two in 1987 and two in 2016, ingested:
/// the 348 months from 1987-05 to 2016-04 have none, and nor has June 2016.
pub fn two_eras() -> super::Dir {
    let env = super::Dir::new();
    let lines = [
        r#"{"id": "1", "date": "1987-03-10", "text": "Ann Lee said that the harbor would be dredged."}"#,
        r#"{"id": "2", "date": "1987-04-02", "text": "Ann Lee said that the harbor was too shallow."}"#,
        r#"{"id": "3", "date": "2016-05-05", "text": "Ann Lee said that the harbor needed new cranes."}"#,
        r#"{"id": "4", "date": "2016-07-01", "text": "Ann Lee said that the harbor was busy again."}"#,
    ];
    env.write("eras/harbor.jsonl", lines.join("\n") + "\n");
    env.ingest(&env.path("eras"));
    env
}

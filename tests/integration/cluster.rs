//! `ingest --to URL` against a stand-in for an OpenSearch node: a loopback server in
//! this test that answers as OpenSearch does (index missing, then created; bulk
//! answers with per-item statuses), so the client's side is checked without Java:
//! the index created with whosaid's mapping, one bulk request per batch, items the
//! cluster is too busy for (429) sent again, items refused for what they are
//! counted and named, and a busy cluster (503) waited for. Against real OpenSearch
//! nodes (tests/opensearch/) it was run by hand so far: see docs/cluster.md.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use crate::common::{stderr, Dir};

/// One request as the stand-in saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    body: String,
    authorization: Option<String>,
}

/// Serves `answer(request, n)` (status, body) to each request, n counting from 0,
/// one connection at a time, until the test ends; returns the port and the log.
fn stand_in(
    answer: impl Fn(&Seen, usize) -> (u16, String) + Send + 'static,
) -> (u16, Arc<Mutex<Vec<Seen>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&log);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut writer = stream;
            // Keep-alive: requests one after another on the connection.
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                let mut parts = line.split_whitespace();
                let (method, path) = (
                    parts.next().unwrap_or("").to_string(),
                    parts.next().unwrap_or("").to_string(),
                );
                let mut length = 0;
                let mut authorization = None;
                loop {
                    let mut h = String::new();
                    reader.read_line(&mut h).unwrap();
                    if h.trim().is_empty() {
                        break;
                    }
                    if let Some((k, v)) = h.split_once(':') {
                        if k.eq_ignore_ascii_case("content-length") {
                            length = v.trim().parse().unwrap();
                        }
                        if k.eq_ignore_ascii_case("authorization") {
                            authorization = Some(v.trim().to_string());
                        }
                    }
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body).unwrap();
                let body = String::from_utf8_lossy(&body).into();
                let request = Seen { method, path, body, authorization };
                let n = seen.lock().unwrap().len();
                let (status, reply) = answer(&request, n);
                seen.lock().unwrap().push(request.clone());
                let body = if request.method == "HEAD" { String::new() } else { reply.clone() };
                let head = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                    if request.method == "HEAD" { 0 } else { reply.len() }
                );
                if writer
                    .write_all(head.as_bytes())
                    .and_then(|()| writer.write_all(body.as_bytes()))
                    .is_err()
                {
                    break;
                }
            }
        }
    });
    (port, log)
}

/// The bulk answer for the request `body`: `status(n)` for its nth item.
fn bulk_answer(body: &str, status: impl Fn(usize) -> u16) -> String {
    let items: Vec<String> = body
        .lines()
        .step_by(2)
        .enumerate()
        .map(|(n, action)| {
            let id = &serde_json::from_str::<serde_json::Value>(action).unwrap()["index"]["_id"];
            match status(n) {
                201 => format!(r#"{{"index":{{"_id":{id},"status":201}}}}"#),
                s => format!(
                    r#"{{"index":{{"_id":{id},"status":{s},"error":{{"type":"{}","reason":"refused as item {n}"}}}}}}"#,
                    if s == 429 { "es_rejected_execution_exception" } else { "mapper_parsing_exception" }
                ),
            }
        })
        .collect();
    format!(r#"{{"took":1,"errors":true,"items":[{}]}}"#, items.join(","))
}

/// `whosaid ingest DIR --to URL`.
fn ingest_to(env: &Dir, dir: &std::path::Path, url: &str) -> std::process::Output {
    env.cmd().arg("ingest").arg(dir).arg("--to").arg(url).output()
}

fn corpus(env: &Dir) -> std::path::PathBuf {
    env.write(
        "in/a.txt",
        "“The bridge will open,” said Ann Lee. “Rates will rise,” Tom Baker said. “Not soon,” said Ada Brunn.\n",
    );
    env.path("in")
}

#[test]
fn ingest_to_creates_the_index_sends_statements_and_names_what_was_refused() {
    let env = Dir::new();
    let dir = corpus(&env);
    // Index missing; created; the first bulk: item 0 refused for what it is, item 1
    // too busy (sent again alone, then taken), item 2 taken.
    let (port, log) = stand_in(|req, _| match (req.method.as_str(), req.path.as_str()) {
        ("HEAD", "/news") => (404, "{}".into()),
        ("PUT", "/news") => (200, r#"{"acknowledged":true}"#.into()),
        ("POST", "/news/_bulk") if req.body.lines().count() == 6 => {
            (200, bulk_answer(&req.body, |n| [400, 429, 201][n]))
        }
        ("POST", "/news/_bulk") => (200, bulk_answer(&req.body, |_| 201)),
        ("POST", "/news/_refresh") => (200, "{}".into()),
        ("POST", p) if p.starts_with("/news/_delete_by_query") => {
            (200, r#"{"deleted":2,"failures":[]}"#.into())
        }
        _ => (500, r#"{"error":"unexpected"}"#.into()),
    });
    let out = ingest_to(&env, &dir, &format!("http://127.0.0.1:{port}/news"));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("created the index"), "{err}");
    assert!(
        err.contains("refused by the cluster: mapper_parsing_exception: refused as item 0"),
        "{err}"
    );
    assert!(err.contains("2 statements stored in http://127.0.0.1:"), "{err}");
    assert!(err.contains("1 refused"), "{err}");
    let log = log.lock().unwrap().clone();
    let put = log.iter().find(|r| r.method == "PUT").expect("the index was created");
    let mapping: serde_json::Value = serde_json::from_str(&put.body).unwrap();
    assert!(mapping["settings"]["analysis"]["analyzer"]["whosaid_exact"].is_object(), "{mapping}");
    let bulks: Vec<&Seen> = log.iter().filter(|r| r.path == "/news/_bulk").collect();
    assert_eq!(bulks.len(), 2, "{log:?}");
    assert_eq!(bulks[1].body.lines().count(), 2, "only the busy item again: {}", bulks[1].body);
    // Each document is the export's, under its statement id.
    let action: serde_json::Value =
        serde_json::from_str(bulks[0].body.lines().next().unwrap()).unwrap();
    let doc: serde_json::Value =
        serde_json::from_str(bulks[0].body.lines().nth(1).unwrap()).unwrap();
    assert_eq!(action["index"]["_id"], doc["id"]);
    assert_eq!(doc["speaker_canonical"], doc["speaker"]);
    // After the statements, those of earlier readings of the article go: every one
    // of it but the three just sent.
    let delete =
        log.iter().find(|r| r.path.starts_with("/news/_delete_by_query")).expect("a delete");
    let query: serde_json::Value = serde_json::from_str(&delete.body).unwrap();
    assert_eq!(
        query["query"]["bool"]["filter"][0]["terms"]["article"],
        serde_json::json!(["a.txt"])
    );
    assert_eq!(query["query"]["bool"]["must_not"][0]["terms"]["id"].as_array().unwrap().len(), 3);
    assert!(err.contains("2 statements of earlier readings of these articles removed"), "{err}");
}

#[test]
fn a_busy_cluster_is_waited_for_and_a_bad_address_is_an_error() {
    let env = Dir::new();
    let dir = corpus(&env);
    // The index exists; the first bulk request finds the cluster busy (503).
    let (port, log) = stand_in(|req, n| match (req.method.as_str(), req.path.as_str()) {
        ("HEAD", _) => (200, String::new()),
        ("POST", "/news/_bulk") if n == 1 => (503, r#"{"error":"busy"}"#.into()),
        ("POST", "/news/_bulk") => (200, bulk_answer(&req.body, |_| 201)),
        _ => (200, "{}".into()),
    });
    let out = ingest_to(&env, &dir, &format!("http://127.0.0.1:{port}/news"));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("3 statements stored") && err.contains("1 requests sent again"), "{err}");
    assert_eq!(log.lock().unwrap().iter().filter(|r| r.path == "/news/_bulk").count(), 2);

    for (url, says) in [
        ("localhost:9200/news", "not an http:// or https:// address"),
        ("http://127.0.0.1:9200/News", "not an index name"),
    ] {
        let out = ingest_to(&env, &dir, url);
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains(says), "{}", stderr(&out));
    }
    // Nobody listening: an error naming the address, exit 2.
    let free = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let out = ingest_to(&env, &dir, &format!("http://127.0.0.1:{free}/news"));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(&format!("127.0.0.1:{free}")), "{}", stderr(&out));
}

#[test]
fn a_user_in_the_address_is_sent_with_the_password_from_the_environment() {
    let env = Dir::new();
    let dir = corpus(&env);
    let (port, log) = stand_in(|req, _| match (req.method.as_str(), req.path.as_str()) {
        // A cluster with security on: nothing without the right user.
        _ if req.authorization.as_deref() != Some("Basic YW5uOnNlY3JldA==") => {
            (401, r#"{"error":"unauthorized"}"#.into())
        }
        ("HEAD", _) => (200, String::new()),
        ("POST", "/news/_bulk") => (200, bulk_answer(&req.body, |_| 201)),
        _ => (200, "{}".into()),
    });
    let url = format!("http://ann@127.0.0.1:{port}/news");
    let out = env
        .cmd()
        .env("WHOSAID_CLUSTER_PASSWORD", "secret")
        .args(["ingest"])
        .arg(&dir)
        .args(["--to", &url])
        .output();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains(&format!("3 statements stored in {url}")), "{err}");
    assert!(log.lock().unwrap().iter().all(|r| r.authorization.is_some()));
    // A wrong password: said so, exit 2, the password in no message.
    let out = env
        .cmd()
        .env("WHOSAID_CLUSTER_PASSWORD", "guess")
        .args(["who", "bridge", "--engine", &url])
        .output();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("asks who you are (401)") && err.contains("WHOSAID_CLUSTER_PASSWORD"),
        "{err}"
    );
    assert!(!err.contains("guess"), "{err}");
}

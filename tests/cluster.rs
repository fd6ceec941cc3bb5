//! whosaid on a real OpenSearch cluster: three nodes on loopback (the launcher in
//! tests/opensearch), an index of 3 shards with 1 replica, the real corpora sent with
//! `ingest --to`. For 30 phrases (common, rare, with apostrophes, of stop words)
//! `who` (match, total, each of the top ten speakers' counts and dates) and the
//! phrase as a `query` (total, month, speaker, type, kind and source facets) equal
//! the local index's; `stats` and `timeline` print the same text, `serve
//! --engine` answers its API alike, and so does the cluster behind https and a user
//! (tests/opensearch/tls-proxy). Then one node is
//! killed (SIGKILL) and the same answers come from the replicas; it comes back and
//! the cluster is green; a second `ingest --to` leaves the count as it was; a
//! statement the cluster refuses is named and counted.
//!
//! Needs java, mvn (or the launcher already built), python3, openssl and the corpora
//! (WHOSAID_CORPORA); without them the test says so and passes, unless
//! WHOSAID_CLUSTER_TEST=required (as in `.ci/run`), when missing java or maven fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::web::{encode, Server};
use common::{stderr, Cmd};
use serde_json::{json, Value};
use whosaid::api::{FilterParams, QueryRequest, WhoRequest};
use whosaid::cluster::{Client, Engine, Target};
use whosaid::index::{HitOrder, Index, Page};

/// Phrases of several kinds; chosen before any answer was seen.
const PHRASES: [&str; 30] = [
    // common
    "the dollar",
    "interest rates",
    "said",
    "oil prices",
    "the company",
    "health care",
    "the United States",
    "we are",
    "the economy",
    "trade deficit",
    // rare
    "witch hunt",
    "fake news",
    "very, very",
    "a disaster",
    "rigged",
    "cease-fire",
    "loophole",
    "tremendous",
    // with apostrophes
    "Saudi Arabia's",
    "don't",
    "we're",
    "it's",
    "Trump's",
    "can't",
    "the company's",
    "America's",
    // of stop words
    "will not",
    "to be",
    "it is",
    "of the",
];

fn launcher() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/opensearch")
}

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
}

/// The launcher's cluster script, with the jar built if it is not; None when the
/// test is skipped.
fn cluster_script() -> Option<PathBuf> {
    let jar = launcher().join("target/opensearch-launcher.jar");
    let required = std::env::var("WHOSAID_CLUSTER_TEST").is_ok_and(|v| v == "required");
    if !on_path("java") || !on_path("openssl") || (!jar.is_file() && !on_path("mvn")) {
        let message = "cluster test skipped: needs java, openssl, and mvn to build tests/opensearch (apt-get install openjdk-17-jdk-headless maven openssl)";
        assert!(!required, "{message}, and WHOSAID_CLUSTER_TEST=required");
        eprintln!("{message}");
        return None;
    }
    if !jar.is_file() {
        let built = Command::new("mvn")
            .args(["-B", "-q", "package"])
            .current_dir(launcher())
            .status()
            .expect("run mvn");
        assert!(built.success(), "mvn -B -q package in tests/opensearch failed");
    }
    Some(launcher().join("cluster"))
}

/// A running test cluster; stopped when dropped.
struct Cluster {
    script: PathBuf,
    dir: tempfile::TempDir,
    ports: Vec<u16>,
}

impl Cluster {
    fn start(script: &Path, nodes: usize) -> Cluster {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = Command::new(script)
            .arg("start")
            .arg(dir.path())
            .arg(nodes.to_string())
            .output()
            .expect("run the cluster script");
        let mut cluster = Cluster { script: script.to_path_buf(), dir, ports: Vec::new() };
        assert!(out.status.success(), "cluster start failed: {}", stderr(&out));
        let text = String::from_utf8_lossy(&out.stdout);
        cluster.ports = text
            .lines()
            .last()
            .unwrap_or_default()
            .split(',')
            .map(|p| p.trim().parse().expect("a port"))
            .collect();
        cluster
    }

    fn run(&self, what: &str, node: usize) {
        let out = Command::new(&self.script)
            .arg(what)
            .arg(self.dir.path())
            .arg(node.to_string())
            .output()
            .expect("run the cluster script");
        assert!(out.status.success(), "cluster {what} {node} failed: {}", stderr(&out));
    }

    fn url(&self, node: usize, index: &str) -> String {
        format!("http://127.0.0.1:{}/{index}", self.ports[node - 1])
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new(&self.script).arg("stop").arg(self.dir.path()).status();
    }
}

/// tests/opensearch/tls-proxy: https and a user in front of a node; killed when
/// dropped.
struct Proxy {
    child: std::process::Child,
    port: u16,
}

impl Proxy {
    fn start(dir: &Path, node: u16, user: &str, password: &str) -> Proxy {
        let mut child = Command::new(launcher().join("tls-proxy"))
            .arg(dir)
            .arg(node.to_string())
            .args([user, password])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start tls-proxy (needs python3 and openssl)");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("stdout");
        std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line)
            .expect("read the proxy's port");
        let port = line.trim().parse().unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("tls-proxy printed no port: {line:?}")
        });
        Proxy { child, port }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits for the cluster health `query` (e.g. `wait_for_status=green`) at `url`'s node.
fn health(url: &str, query: &str) -> Value {
    let client = Client::new(Target::parse(url).expect("url")).expect("client");
    let reply = client
        .send("GET", &format!("/_cluster/health?{query}&timeout=120s"), None)
        .expect("cluster health");
    let v: Value = serde_json::from_str(&reply.body).expect("health JSON");
    assert!(reply.status == 200 && v["timed_out"] == false, "cluster health {query}: {v}");
    v
}

/// What must agree of a `who` answer: everything but the example (the best-scoring
/// statement, whose score is each engine's own).
fn who_part(v: &Value) -> Value {
    let speakers: Vec<Value> = v["speakers"]
        .as_array()
        .expect("speakers")
        .iter()
        .map(|s| {
            json!([
                s["label"],
                s["speaker_type"],
                s["statements"],
                s["articles"],
                s["first_date"],
                s["last_date"],
                s["quotes"]
            ])
        })
        .collect();
    json!({"match": v["match"], "total": v["total"], "speakers": speakers})
}

/// What must agree of a `query` answer: the total and the facets.
fn query_part(v: &Value) -> Value {
    json!({"total": v["total"], "facets": v["facets"]})
}

/// Every question, asked of `engine` and the local index, compared.
fn same_answers(engine: &Engine, index: &Index, when: &str) {
    let none = FilterParams::default();
    let trump = FilterParams { speaker: vec!["Trump".into()], ..Default::default() };
    let direct = FilterParams {
        kind: Some("direct".into()),
        since: Some("1987-03".into()),
        ..Default::default()
    };
    for phrase in PHRASES {
        let who = WhoRequest::parse(phrase, &none, 10, "count").expect("who");
        let local = serde_json::to_value(who.run(index).expect("local who")).expect("json");
        let remote = serde_json::to_value(who.ask(engine).expect("cluster who")).expect("json");
        assert_eq!(who_part(&remote), who_part(&local), "{when}: who {phrase:?}");
        let quoted = format!("\"{phrase}\"");
        let q = QueryRequest::parse(&quoted, &none, (3, 0), None, Some("week")).expect("query");
        let local = serde_json::to_value(q.run(index).expect("local query")).expect("json");
        let remote = serde_json::to_value(q.ask(engine).expect("cluster query")).expect("json");
        assert_eq!(query_part(&remote), query_part(&local), "{when}: query {quoted}");
    }
    for (q, filters) in [("tariffs OR wall", &trump), ("dollar -yen", &direct), ("*", &direct)] {
        let q = QueryRequest::parse(q, filters, (3, 0), Some("-date"), None).expect("query");
        let local = serde_json::to_value(q.run(index).expect("local query")).expect("json");
        let remote = serde_json::to_value(q.ask(engine).expect("cluster query")).expect("json");
        assert_eq!(query_part(&remote), query_part(&local), "{when}: {q:?}");
        let ids = |v: &Value| -> Vec<Value> {
            v["hits"].as_array().expect("hits").iter().map(|h| h["date"].clone()).collect()
        };
        assert_eq!(ids(&remote), ids(&local), "{when}: hit dates of {q:?}, newest first");
    }
}

#[test]
fn a_real_cluster_answers_as_the_local_index_does_and_survives_a_lost_node() {
    let Some(script) = cluster_script() else { return };
    let Some(corpora) = common::corpora() else { return };
    let work = tempfile::tempdir().expect("temp dir");
    let local_dir = work.path().join("index");
    Cmd::new().index(&local_dir).args(["-q", "ingest"]).arg(&corpora).assert_success();

    let cluster = Cluster::start(&script, 3);
    let url = cluster.url(1, "news");
    // 3 shards, 1 replica, whosaid's mapping: made here, then ingest --to finds it.
    let mut body: Value = serde_json::from_str(whosaid::cluster::MAPPING).expect("mapping");
    body["settings"]["index"] = json!({"number_of_shards": 3, "number_of_replicas": 1});
    let client = Client::new(Target::parse(&url).expect("url")).expect("client");
    let made = client
        .send("PUT", "/news", Some(("application/json", body.to_string().as_bytes())))
        .expect("create the index");
    assert_eq!(made.status, 200, "{}", made.body);
    health(&url, "wait_for_status=green");

    let sent = Cmd::new().args(["ingest"]).arg(&corpora).args(["--to", &url]).assert_success();
    let local = Index::open(&local_dir).expect("local index");
    let local_stats = whosaid::api::stats(&local).expect("local stats");
    let said = stderr(&sent);
    assert!(
        said.contains(&format!("{} statements stored in {url}", local_stats.statements)),
        "{said}"
    );

    // Text output of the command line, the same from both.
    let text = |args: &[&str], engine: Option<&str>| {
        let mut cmd = Cmd::new().index(&local_dir).args(args);
        if let Some(url) = engine {
            cmd = cmd.args(["--engine", url]);
        }
        cmd.args(["--color", "never"]).stdout()
    };
    let no_read_line = |s: String| -> String {
        s.lines().filter(|l| !l.starts_with("read ")).collect::<Vec<_>>().join("\n")
    };
    assert_eq!(no_read_line(text(&["stats"], Some(&url))), no_read_line(text(&["stats"], None)));
    for args in [&["timeline", "trump", "--by", "year"][..], &["timeline", "unnamed: analysts"]] {
        assert_eq!(text(args, Some(&url)), text(args, None), "{args:?}");
    }

    let engine = Engine::open(&url).expect("engine");
    same_answers(&engine, &local, "all three nodes");

    // The web app over the cluster: the same API answers, and no article view.
    let over_cluster = Server::start_with(&local_dir, &["--engine", &url]);
    let over_local = Server::start(&local_dir);
    for phrase in ["interest rates", "don't", "witch hunt"] {
        let target = format!("/api/who?q={}&limit=10", encode(phrase));
        let (c, l) = (over_cluster.get(&target), over_local.get(&target));
        assert_eq!((c.status, l.status), (200, 200), "{target}: {}", c.text());
        assert_eq!(who_part(&c.json()), who_part(&l.json()), "{target}");
        let target = format!("/api/search?q={}&limit=5", encode(&format!("\"{phrase}\"")));
        assert_eq!(
            query_part(&over_cluster.get(&target).json()),
            query_part(&over_local.get(&target).json()),
            "{target}"
        );
    }
    let mut stats = over_cluster.get("/api/stats").json();
    stats["articles_read"] = over_local.get("/api/stats").json()["articles_read"].clone();
    assert_eq!(stats, over_local.get("/api/stats").json());
    let article = over_cluster.get("/api/article?id=x");
    assert!(
        article.status == 404 && article.text().contains("holds statements"),
        "{}",
        article.text()
    );

    // Behind https and a user, as Elasticsearch 8 and a secured OpenSearch serve
    // (tests/opensearch/tls-proxy in front of node 1): the same answer.
    let tls = work.path().join("tls");
    let proxy = Proxy::start(&tls, cluster.ports[0], "ann", "s3cret");
    let secure = format!("https://ann@127.0.0.1:{}/news", proxy.port);
    let who = |engine: &str, ca: Option<&Path>, password: &str| {
        let mut cmd = Cmd::new().env("WHOSAID_CLUSTER_PASSWORD", password);
        if let Some(ca) = ca {
            cmd = cmd.env("WHOSAID_CLUSTER_CA", ca);
        }
        cmd.args(["who", "interest rates", "--color", "never", "--engine", engine]).output()
    };
    let plain = who(&url, None, "");
    let ca = tls.join("ca.pem");
    let over_tls = who(&secure, Some(&ca), "s3cret");
    assert_eq!(over_tls.status.code(), Some(0), "{}", stderr(&over_tls));
    assert_eq!(over_tls.stdout, plain.stdout);
    let untrusted = who(&secure, None, "s3cret");
    assert_eq!(untrusted.status.code(), Some(2));
    assert!(
        stderr(&untrusted).contains("certificate is not trusted")
            && stderr(&untrusted).contains("WHOSAID_CLUSTER_CA"),
        "{}",
        stderr(&untrusted)
    );
    let wrong = who(&secure, Some(&ca), "guess");
    assert!(stderr(&wrong).contains("asks who you are (401)"), "{}", stderr(&wrong));
    drop(proxy);

    // A node lost without a word: its shards' replicas answer.
    cluster.run("kill", 2);
    health(&url, "wait_for_nodes=2&wait_for_status=yellow");
    same_answers(&Engine::open(&url).expect("engine"), &local, "node 2 killed");
    cluster.run("node", 2);
    let green = health(&url, "wait_for_nodes=3&wait_for_status=green");
    assert_eq!(green["number_of_nodes"], 3);

    // Sent again: replaced by id, not added.
    Cmd::new().args(["-q", "ingest"]).arg(&corpora).args(["--to", &url]).assert_success();
    let again = Engine::open(&url).expect("engine").stats().expect("stats");
    assert_eq!(again.statements, local_stats.statements);

    // A statement the cluster refuses (an id longer than a keyword can be) is named
    // and counted; its neighbours are stored.
    let bad = work.path().join("bad.jsonl");
    let long_id = "x".repeat(40_000);
    std::fs::write(
        &bad,
        format!(
            "{{\"id\": \"{long_id}\", \"text\": \"\\\"We will not stop,\\\" said Ann Lee.\"}}\n\
             {{\"id\": \"fine\", \"text\": \"\\\"We will build it,\\\" said Tom Baker.\"}}\n"
        ),
    )
    .expect("write");
    let refused =
        Cmd::new().args(["ingest"]).arg(&bad).args(["--to", &cluster.url(3, "news")]).output();
    let said = stderr(&refused);
    assert!(said.contains("refused by the cluster") && said.contains("1 refused"), "{said}");
    assert!(said.contains("1 statements stored"), "{said}");

    // The article read again with other words: its earlier statement goes.
    std::fs::write(&bad, "{\"id\": \"fine\", \"text\": \"Tom Baker said: \\\"We will not build it this year.\\\"\"}\n")
        .expect("write");
    let again = Cmd::new().args(["ingest"]).arg(&bad).args(["--to", &url]).output();
    let said = stderr(&again);
    assert!(said.contains("1 statements of earlier readings of these articles removed"), "{said}");
    let page = Page { limit: 50, offset: 0, order: HitOrder::Relevance };
    let engine = Engine::open(&url).expect("engine");
    let of_fine = |q: &str| -> Vec<String> {
        let found = engine.query(q, &Default::default(), &page, None).expect("query");
        found
            .hits
            .into_iter()
            .filter(|h| h.statement.article.ends_with("#fine"))
            .map(|h| h.statement.text)
            .collect()
    };
    assert_eq!(of_fine("\"not build it this year\""), ["We will not build it this year."]);
    assert!(of_fine("\"we will build it\"").is_empty());
}

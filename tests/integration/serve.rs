//! `whosaid serve` end to end over real sockets: the API answers with exactly the
//! JSON of the commands' `--json`, refuses what it should with JSON errors, serves
//! the page's assets, sees new ingests without a restart, answers concurrent
//! requests, keeps connections alive, and is not stopped by slow or idle clients.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::web::{encode, get, newsroom, read_replies, send, Server};
use crate::common::{stderr, Dir};

#[test]
fn every_route_answers_with_the_json_of_the_command_line() {
    let env = newsroom();
    let server = Server::start(&env.index());
    let cases: [(&str, &[&str]); 9] = [
        ("/api/search?q=water+prices", &["query", "water prices", "--json"]),
        (
            "/api/search?q=water&speaker=lee&speaker=Tom%20Baker&since=2025-01&until=2025-02-28&limit=3&by=week",
            &["query", "water", "--speaker", "lee", "--speaker", "Tom Baker", "--since", "2025-01", "--until", "2025-02-28", "--limit", "3", "--by", "week", "--json"],
        ),
        ("/api/search?source=valley+times&kind=direct", &["query", "--source", "valley times", "--kind", "direct", "--json"]),
        ("/api/who?q=water+prices", &["who", "water prices", "--json"]),
        ("/api/who?q=prices&sort=date&limit=2", &["who", "prices", "--sort", "date", "--limit", "2", "--json"]),
        ("/api/timeline?speaker=ann+lee&by=month", &["timeline", "ann lee", "--by", "month", "--json"]),
        ("/api/timeline?speaker=petrov&q=pipes&by=day", &["timeline", "petrov", "pipes", "--by", "day", "--json"]),
        ("/api/speakers?prefix=b&limit=5", &["speakers", "b", "--limit", "5", "--json"]),
        ("/api/stats", &["stats", "--json"]),
    ];
    for (target, args) in cases {
        let reply = server.get(target);
        assert_eq!(reply.status, 200, "{target}: {}", reply.text());
        assert_eq!(reply.header("content-type"), Some("application/json"), "{target}");
        assert_eq!(reply.json(), env.json(args), "{target} differs from whosaid {args:?}");
    }
    // The timeline of everyone (no speaker), which the command line has no way to ask.
    let all = server.get("/api/timeline?by=month").json();
    assert_eq!(all["speaker"], serde_json::Value::Null);
    assert_eq!(all["total"], 7);
    let months: Vec<u64> =
        all["periods"].as_array().unwrap().iter().map(|p| p["count"].as_u64().unwrap()).collect();
    assert_eq!(months, [2, 2, 3]);
}

#[test]
fn bad_requests_get_json_errors_with_the_command_lines_message() {
    let env = newsroom();
    let server = Server::start(&env.index());
    // The same message as `whosaid: error: …`, less the prefix.
    for (target, args) in [
        ("/api/search?q=date%3A2020", &["query", "date:2020"][..]),
        ("/api/search?q=water&since=2025-13", &["query", "water", "--since", "2025-13"]),
        ("/api/who?q=water&until=soon", &["who", "water", "--until", "soon"]),
        // An empty speaker is refused on both, not "nobody" on one and "everyone" on
        // the other.
        ("/api/search?q=water&speaker=", &["query", "water", "--speaker", ""]),
    ] {
        let reply = server.get(target);
        assert_eq!(reply.status, 400, "{target}: {}", reply.text());
        let message = reply.json()["error"].as_str().unwrap().to_string();
        let out = env.run(args);
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(stderr(&out).trim_end(), format!("whosaid: error: {message}"), "{target}");
    }
    for (target, status, says) in [
        ("/api/search?q=a&colour=red", 400, "unknown parameter \"colour\""),
        ("/api/search?q=a&q=b", 400, "given twice"),
        ("/api/search?limit=1001", 400, "limit 1001: at most 1000"),
        ("/api/search?limit=ten", 400, "not a number"),
        ("/api/search?kind=rumour", 400, "--kind \"rumour\": use direct, indirect or mixed"),
        ("/api/who?q=a&sort=loudest", 400, "--sort \"loudest\": use count or date"),
        ("/api/timeline?by=fortnight", 400, "--by \"fortnight\": use year, month, week or day"),
        ("/api/search?q=%E2%80", 400, "not UTF-8"),
        ("/api/nothing", 404, "not found: /api/nothing"),
        ("/etc/passwd", 404, "not found: /etc/passwd"),
        ("/../Cargo.toml", 404, "not found"),
    ] {
        let reply = server.get(target);
        assert_eq!(reply.status, status, "{target}: {}", reply.text());
        let error = reply.json()["error"].as_str().unwrap_or_default().to_string();
        assert!(error.contains(says), "{target}: {error}");
    }
}

#[test]
fn over_long_requests_bodies_methods_and_foreign_hosts_are_refused() {
    let env = newsroom();
    let server = Server::start(&env.index());
    let addr = server.addr.as_str();
    let status_and_error = |raw: &[u8]| {
        let reply = send(addr, raw);
        (reply.status, reply.json()["error"].as_str().unwrap_or_default().to_string())
    };
    let long = format!("GET /api/search?q={} HTTP/1.1\r\nHost: {addr}\r\n\r\n", "a".repeat(5000));
    assert_eq!(status_and_error(long.as_bytes()).0, 414);
    // A request line that never ends is refused without waiting for its end.
    let endless = format!("GET /api/search?q={}", "a".repeat(200_000));
    assert_eq!(status_and_error(endless.as_bytes()).0, 414);
    // Two Hosts or two lengths (RFC 9112: 400), which a proxy could read otherwise.
    let two_hosts =
        format!("GET /api/stats HTTP/1.1\r\nHost: {addr}\r\nHost: evil.example\r\n\r\n");
    assert_eq!(status_and_error(two_hosts.as_bytes()), (400, "more than one host header".into()));
    let two_lengths = format!(
        "GET /api/stats HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\n"
    );
    assert_eq!(status_and_error(two_lengths.as_bytes()).0, 400);
    let fat_head =
        format!("GET / HTTP/1.1\r\nHost: {addr}\r\nX-Pad: {}\r\n\r\n", "p".repeat(20_000));
    assert_eq!(status_and_error(fat_head.as_bytes()).0, 431);
    let body = "x".repeat(100_000);
    let big = format!(
        "POST /api/search HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let (status, error) = status_and_error(big.as_bytes());
    assert_eq!((status, error.as_str()), (413, "request body larger than 65536 bytes"));
    let post =
        format!("POST /api/search HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 2\r\n\r\n{{}}");
    assert_eq!(status_and_error(post.as_bytes()).0, 405);
    let chunked = format!(
        "POST /api/search HTTP/1.1\r\nHost: {addr}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    );
    assert_eq!(status_and_error(chunked.as_bytes()).0, 411);
    assert_eq!(status_and_error(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n").0, 400);
    // DNS rebinding: a page from another site, its name pointed at 127.0.0.1.
    let foreign = b"GET /api/stats HTTP/1.1\r\nHost: attacker.example:8080\r\n\r\n";
    assert_eq!(status_and_error(foreign).0, 403);
    let localhost = format!(
        "GET /api/stats HTTP/1.1\r\nHost: localhost:{}\r\n\r\n",
        addr.rsplit(':').next().unwrap()
    );
    assert_eq!(status_and_error(localhost.as_bytes()).0, 200);
    // The server is still answering after all that.
    assert_eq!(server.get("/api/stats").status, 200);
}

#[test]
fn the_page_and_its_assets_are_served_from_the_binary() {
    let env = newsroom();
    let server = Server::start(&env.index());
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(page
        .header("content-security-policy")
        .is_some_and(|c| c.contains("script-src 'self'")));
    let html = page.text();
    assert!(html.contains("<script src=\"/app.js\"") && html.contains("/style.css"), "{html}");
    for (path, kind, needle) in
        [("/app.js", "text/javascript", "/api/search"), ("/style.css", "text/css", "#bars")]
    {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert!(reply.header("content-type").is_some_and(|c| c.starts_with(kind)), "{path}");
        assert!(reply.text().contains(needle), "{path}");
    }
    // The page's own state in the query string still gets the page.
    assert_eq!(server.get("/?q=water&speaker=Ann%20Lee").status, 200);
    let head =
        send(&server.addr, format!("HEAD / HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr).as_bytes());
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert_eq!(head.header("content-length").map(str::to_string), Some(html.len().to_string()));
}

#[test]
fn a_new_ingest_shows_up_without_a_restart() {
    let env = newsroom();
    let server = Server::start(&env.index());
    assert_eq!(server.get("/api/stats").json()["statements"], 7);
    env.write(
        "more/harbor.md",
        "---\ndate: 2025-04-02\n---\n“The harbor will stay open,” Ann Lee said on Tuesday.\n",
    );
    env.ingest(&env.path("more"));
    // Tantivy reloads the reader shortly after the commit: wait for it, bounded.
    let mut statements = 0;
    for _ in 0..200 {
        statements = server.get("/api/stats").json()["statements"].as_u64().unwrap();
        if statements == 8 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(statements, 8, "the server never saw the new commit");
    let who = server.get(&format!("/api/who?q={}", encode("harbor will stay open"))).json();
    assert_eq!(who["speakers"][0]["speaker"], "Ann Lee");
    assert_eq!(who, env.json(&["who", "harbor will stay open", "--json"]));
}

#[test]
fn concurrent_requests_all_get_answers() {
    let env = newsroom();
    let server = Server::start(&env.index());
    let expected = server.get("/api/who?q=water+prices").json();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..16)
            .map(|_| {
                scope.spawn(|| {
                    for _ in 0..10 {
                        let reply = get(&server.addr, "/api/who?q=water+prices");
                        assert_eq!(reply.status, 200);
                        assert_eq!(reply.json(), expected);
                    }
                })
            })
            .collect();
        for w in workers {
            w.join().expect("client thread");
        }
    });
}

#[test]
fn serve_without_an_index_or_with_a_taken_address_exits_2() {
    let env = Dir::new();
    let out = env.run(&["serve", "--addr", "127.0.0.1:0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no index at"), "{}", stderr(&out));

    let env = newsroom();
    let server = Server::start(&env.index());
    let out = env.run(&["serve", "--addr", &server.addr]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(&format!("listening on {}", server.addr)), "{}", stderr(&out));
    let out = env.run(&["serve", "--addr", "not an address"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_article_api_and_page_answer_for_ids_as_hits_print_them() {
    let env = newsroom();
    let server = Server::start(&env.index());
    let hits = server.get("/api/search?q=parks").json();
    let hit = &hits["hits"][0];
    let id = hit["article"].as_str().unwrap();
    let reply = server.get(&format!("/api/article?id={}", encode(id)));
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json(), env.json(&["show", id, "--json"]));
    let view = reply.json();
    assert_eq!(view["article"]["title"], "Parks reopen");
    assert_eq!(view["statements"][0]["id"], hit["id"]);
    // An unknown id is a 404 naming ids like it; no id at all is the user's fault.
    let missing = server.get(&format!("/api/article?id={}", encode(&id[..id.len() - 2])));
    assert_eq!(missing.status, 404);
    let message = missing.json()["error"].as_str().unwrap().to_string();
    assert!(message.contains("no article with id") && message.contains(id), "{message}");
    assert_eq!(server.get("/api/article").status, 400);
    assert_eq!(server.get(&format!("/api/article?id={}&x=1", encode(id))).status, 400);
    // The page: any /article/… address, the id read by its script.
    let page = server.get(&format!("/article/{}", encode(id)));
    assert_eq!(page.status, 200);
    assert!(page
        .header("content-security-policy")
        .is_some_and(|c| c.contains("script-src 'self'")));
    assert!(page.text().contains("<script src=\"/article.js\""), "{}", page.text());
    let script = server.get("/article.js");
    assert!(script.header("content-type").is_some_and(|c| c.starts_with("text/javascript")));
    assert!(script.text().contains("/api/article"));
    // The search page links each hit to it.
    assert!(server.get("/app.js").text().contains("/article/${encodeURIComponent(st.article)}"));
}

#[test]
fn one_connection_answers_several_requests_in_turn_and_pipelined() {
    let env = newsroom();
    let server = Server::start(&env.index());
    let addr = server.addr.as_str();
    let expected = server.get("/api/who?q=water+prices").json();
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    let who = format!("GET /api/who?q=water+prices HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    let head = format!("HEAD /style.css HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    let stats = format!("GET /api/stats HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    // One after the other, each read before the next is sent.
    for _ in 0..3 {
        stream.write_all(who.as_bytes()).expect("write");
        let reply = read_replies(&mut stream, &[false]).remove(0);
        assert_eq!((reply.status, reply.json()), (200, expected.clone()));
        assert_eq!(reply.header("connection"), None, "kept open");
    }
    // Three sent at once (a small body on the first, read and ignored), answered in order.
    let with_body =
        format!("GET /api/stats HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 5\r\n\r\nhello");
    stream.write_all(format!("{with_body}{head}{who}").as_bytes()).expect("write");
    let replies = read_replies(&mut stream, &[false, true, false]);
    assert_eq!(replies[0].json()["statements"], 7);
    assert_eq!(replies[1].status, 200);
    assert!(replies[1].body.is_empty());
    assert_eq!(replies[2].json(), expected);
    // A refused head after a good one: the good one's answer, then the refusal, closed.
    let two_hosts = format!("GET / HTTP/1.1\r\nHost: {addr}\r\nHost: b\r\n\r\n");
    stream.write_all(format!("{stats}{who}{two_hosts}").as_bytes()).expect("write");
    let replies = read_replies(&mut stream, &[false, false, false]);
    assert_eq!(replies[0].json()["statements"], 7);
    assert_eq!(replies[1].json(), expected);
    assert_eq!(replies[2].status, 400);
    assert_eq!(replies[2].json()["error"], "more than one host header");
    assert_eq!(stream.read(&mut [0u8; 16]).ok(), Some(0), "closed after the refusal");
}

/// A connection that has sent `start`, the beginning of a request that the caller
/// goes on slowly, or never.
fn trickler(addr: &str, start: &str) -> TcpStream {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.write_all(start.as_bytes()).expect("write");
    stream
}

/// The old server answered with 8 threads, one connection each: 8 clients sending a
/// byte every few seconds, of a head or of a body, stopped every other request for
/// as long as they went on, and 80 idle connections for about 100 s.
#[test]
fn trickling_and_idle_clients_do_not_stop_a_normal_request() {
    let env = newsroom();
    let server = Server::start(&env.index());
    let addr = server.addr.as_str();
    // 100 slow ones, more than a client address may hold (64): those sending a body
    // too, which must not count as being answered.
    let mut slow = Vec::new();
    for n in 0..30 {
        let head = format!("GET /api/stats HTTP/1.1\r\nHost: {addr}\r\nX-N{n}: ");
        slow.push(trickler(addr, &head));
    }
    for _ in 0..70 {
        let body =
            format!("GET /api/stats HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 60000\r\n\r\n");
        slow.push(trickler(addr, &body));
    }
    let idle: Vec<TcpStream> =
        (0..100).map(|_| TcpStream::connect(addr).expect("connect")).collect();
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| {
            // A byte on each slow connection every half second (errors: closed by the
            // server for newer connections, which is allowed).
            while !stop.load(Ordering::Relaxed) {
                for stream in &mut slow {
                    let _ = stream.write_all(b"a");
                }
                std::thread::sleep(Duration::from_millis(500));
            }
        });
        std::thread::sleep(Duration::from_secs(1));
        let (done, answered) = mpsc::channel();
        let start = Instant::now();
        scope.spawn(move || {
            let _ = done.send(get(addr, "/api/stats").status);
        });
        // A hang, not a timing: the old server answered only when the clients stopped.
        let status = answered.recv_timeout(Duration::from_secs(5));
        stop.store(true, Ordering::Relaxed);
        assert_eq!(status, Ok(200), "no answer within 5 s ({:?})", start.elapsed());
    });
    drop(idle);
}

/// Deadlines for the whole head and the whole body, not for each read: a client that
/// sends a byte a second is closed 10 s after its head began (the old server waited
/// as long as each read came within 10 s).
#[test]
fn a_trickled_head_or_body_is_closed_at_its_deadline() {
    let env = newsroom();
    let server = Server::start(&env.index());
    let addr = server.addr.as_str();
    let head = format!("GET /api/stats HTTP/1.1\r\nHost: {addr}\r\nX-Pad: ");
    let body = format!("GET /api/stats HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 60000\r\n\r\n");
    let start = Instant::now();
    std::thread::scope(|scope| {
        for begin in [head, body] {
            scope.spawn(move || {
                let mut stream = trickler(addr, &begin);
                stream.set_read_timeout(Some(Duration::from_millis(1000))).expect("timeout");
                // Well past the 10 s deadline: a hang, not a timing.
                while start.elapsed() < Duration::from_secs(14) {
                    match stream.read(&mut [0u8; 64]) {
                        Ok(0) => return,
                        Ok(_) => panic!("an answer to a request never finished"),
                        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return,
                        Err(_) => {}
                    }
                    if stream.write_all(b"a").is_err() {
                        return;
                    }
                }
                panic!("{begin:?}: still open after {:?}", start.elapsed());
            });
        }
    });
    assert!(start.elapsed() >= Duration::from_secs(9), "closed before its deadline");
    assert_eq!(server.get("/api/stats").status, 200);
}

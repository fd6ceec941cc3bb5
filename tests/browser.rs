//! The web app in a real browser: headless Chromium driven over WebDriver (plain
//! HTTP and JSON to chromedriver). Type a phrase, read the top speaker, click a
//! speaker facet and see the results narrow, then click a month on the histogram and
//! drag across two, then make a query that cannot be answered; then, on an index of
//! 1987 and 2016, see the empty years between folded into one gap and drag across it.
//! Apart: page through 46 hits, sort them by date, and search with an apostrophe;
//! open a hit's article, scrolled to its statement; filter a facet of 1,500 speakers.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them); without
//! them the test says so and passes, unless WHOSAID_BROWSER_TEST=required (as in
//! `.ci/run`), when it fails.

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::stderr;
use common::web::{get, newsroom, request, two_eras, Server};
use serde_json::{json, Value};

/// WebDriver's key for an element reference in JSON.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
const ENTER: char = '\u{E007}';

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| p.is_file())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port()
}

/// Polls `check` until it gives Some, for at most about 60 s (a loaded machine
/// starts Chromium slowly); panics with `what` after that.
fn wait_for<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    for _ in 0..1200 {
        if let Some(v) = check() {
            return v;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("timed out waiting for {what}");
}

/// chromedriver and one Chromium session; both end when dropped.
struct Browser {
    driver: Child,
    addr: String,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn start(chromium: &Path, chromedriver: &Path) -> Browser {
        let port = free_port();
        let driver = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let addr = format!("127.0.0.1:{port}");
        let profile = tempfile::tempdir().expect("profile dir");
        let mut browser = Browser { driver, addr, session: String::new(), _profile: profile };
        wait_for("chromedriver to listen", || {
            std::net::TcpStream::connect(&browser.addr).ok()?;
            (get(&browser.addr, "/status").json()["value"]["ready"] == true).then_some(())
        });
        // Without the background-networking flags Chromium's own connections to the
        // (closed) network fail and slow everything down.
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,900",
            &format!("--user-data-dir={}", browser._profile.path().display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
        }}});
        let reply = request(&browser.addr, "POST", "/session", Some(&caps)).json();
        browser.session = reply["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {reply}"))
            .to_string();
        browser
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let target = format!("/session/{}{path}", self.session);
        let body = body.or_else(|| (method == "POST").then(|| json!({})));
        let reply = request(&self.addr, method, &target, body.as_ref());
        let value = reply.json()["value"].clone();
        assert_eq!(reply.status, 200, "{method} {path}: {value}");
        value
    }

    fn open(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    fn find(&self, using: &str, value: &str) -> String {
        let found = self.call("POST", "/element", Some(json!({ "using": using, "value": value })));
        found[ELEMENT].as_str().unwrap_or_else(|| panic!("no element {value}: {found}")).to_string()
    }

    fn css(&self, selector: &str) -> String {
        self.find("css selector", selector)
    }

    fn click(&self, element: &str) {
        self.call("POST", &format!("/element/{element}/click"), None);
    }

    fn type_into(&self, element: &str, text: &str) {
        self.call("POST", &format!("/element/{element}/value"), Some(json!({ "text": text })));
    }

    fn text(&self, element: &str) -> String {
        self.call("GET", &format!("/element/{element}/text"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn script(&self, script: &str) -> Value {
        self.call("POST", "/execute/sync", Some(json!({ "script": script, "args": [] })))
    }

    /// Waits until the page has answered its last request and `condition` (a JS
    /// expression) holds.
    fn settle(&self, what: &str, condition: &str) {
        let script = format!("return document.body.dataset.state === 'ready' && !!({condition});");
        wait_for(what, || (self.script(&script) == true).then_some(()));
    }

    /// Waits until the page has answered and a filter chip says `chip`.
    fn settle_chip(&self, chip: &str) {
        let condition = format!("document.querySelector('#chips')?.textContent.includes({chip:?})");
        self.settle(&format!("the chip {chip:?}"), &condition);
    }

    /// The days of the hits shown, sorted.
    fn hit_dates(&self) -> Value {
        self.script(
            "return [...document.querySelectorAll('#hits time')].map(t => t.textContent).sort();",
        )
    }

    /// Presses the mouse on element `from`, moves it to `to` and releases it.
    fn drag(&self, from: &str, to: &str) {
        let at = |element: &str| json!({ ELEMENT: element });
        let actions = json!({"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": [
            {"type": "pointerMove", "duration": 0, "origin": at(from), "x": 0, "y": 0},
            {"type": "pointerDown", "button": 0},
            {"type": "pointerMove", "duration": 100, "origin": at(to), "x": 0, "y": 0},
            {"type": "pointerUp", "button": 0},
        ]}]});
        self.call("POST", "/actions", Some(actions));
    }

    /// The speakers of the hits shown, in order.
    fn hit_speakers(&self) -> Vec<String> {
        let v = self.script("return [...document.querySelectorAll('#hits .meta .speaker')].map(e => e.textContent);");
        serde_json::from_value(v).expect("speaker list")
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = request(&self.addr, "DELETE", &format!("/session/{}", self.session), None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Chromium and chromedriver, or None (the test is skipped, unless required).
fn browser_programs() -> Option<(PathBuf, PathBuf)> {
    let (Some(chromium), Some(chromedriver)) = (on_path("chromium"), on_path("chromedriver"))
    else {
        let message = "browser test skipped: chromium and chromedriver are not installed (apt-get install chromium chromium-driver)";
        if std::env::var("WHOSAID_BROWSER_TEST").is_ok_and(|v| v == "required") {
            panic!("{message}, and WHOSAID_BROWSER_TEST=required");
        }
        eprintln!("{message}");
        return None;
    };
    Some((chromium, chromedriver))
}

#[test]
fn type_a_phrase_read_the_top_speaker_then_narrow_by_speaker_and_dates() {
    let Some((chromium, chromedriver)) = browser_programs() else { return };
    let env = newsroom();
    let server = Server::start(&env.index());
    let browser = Browser::start(&chromium, &chromedriver);

    browser.open(&format!("http://{}/", server.addr));
    browser.settle("the first page", "document.querySelectorAll('#hits li').length === 7");
    assert!(browser
        .text(&browser.css("#stats"))
        .starts_with("7 statements · 4 articles · 3 speakers"));

    // Type a phrase and read who said it.
    let q = browser.css("#q");
    browser.type_into(&q, &format!("water prices{ENTER}"));
    browser.settle(
        "the answer to 'water prices'",
        "document.querySelector('#who-title')?.textContent.includes('water prices')",
    );
    let top = browser.text(&browser.css("#who-list > li:first-child .name"));
    let cli = env.json(&["who", "water prices", "--json"]);
    assert_eq!(top, "Ann Lee");
    assert_eq!(cli["speakers"][0]["speaker"], top.as_str());
    assert_eq!(browser.text(&browser.css("#results-title")), "5 statements match “water prices”");
    let all = browser.hit_speakers();
    assert_eq!(all.len(), 5);
    let marked = browser.script("return [...document.querySelectorAll('#hits mark')].map(m => m.textContent.toLowerCase());");
    assert_eq!(marked, json!(vec!["water prices"; 5]), "one mark per phrase, in every hit");

    // Click a speaker facet: only that speaker's statements remain.
    let facet = browser.find(
        "xpath",
        "//ul[@id='facet-speaker']//button[span[@class='name' and text()='Tom Baker']]",
    );
    browser.click(&facet);
    browser.settle_chip("speaker: Tom Baker");
    let narrowed = browser.hit_speakers();
    assert_eq!(narrowed, ["Tom Baker"], "after clicking the facet");
    assert!(narrowed.len() < all.len());
    assert_eq!(browser.text(&browser.css("#results-title")), "1 statement matches “water prices”");
    let url = browser.script("return location.search;");
    assert_eq!(url, "?q=water+prices&speaker=Tom+Baker");

    // Remove it again, then click the first month of the histogram: January only.
    browser.click(&browser.css("#chips .chip button"));
    browser.settle("the filter removed", "document.querySelectorAll('#hits li').length === 5");
    let bars =
        browser.script("return [...document.querySelectorAll('#bars button')].map(b => b.title);");
    assert_eq!(
        bars,
        json!(["2025-01: 2 statements", "2025-02: 2 statements", "2025-03: 1 statement"])
    );
    browser.click(&browser.css("#bars button:first-child"));
    browser.settle_chip("dates: 2025-01");
    let dates = browser.hit_dates();
    assert_eq!(dates, json!(["2025-01-09", "2025-01-10"]));
    assert_eq!(
        browser.script("return location.search;"),
        "?q=water+prices&since=2025-01&until=2025-01"
    );

    // Drag from February to March: a range.
    let (feb, mar) =
        (browser.css("#bars button:nth-child(2)"), browser.css("#bars button:nth-child(3)"));
    browser.drag(&feb, &mar);
    browser.settle_chip("dates: 2025-02 – 2025-03");
    let dates = browser.hit_dates();
    assert_eq!(dates, json!(["2025-02-12", "2025-02-14", "2025-03-18"]));
    let marked = browser.script(
        "return [...document.querySelectorAll('#bars button.in-range')].map(b => b.title);",
    );
    assert_eq!(marked, json!(["2025-02: 2 statements", "2025-03: 1 statement"]));

    // A query that cannot be answered (odd syntax is read as words; a date that is
    // not one is refused): the command line's message, and no stale answer.
    browser.call("POST", &format!("/element/{q}/clear"), None);
    browser.type_into(&q, &format!("date:2020{ENTER}"));
    browser.settle("the error", "!document.querySelector('#error').hidden");
    let cli = env.run(&["query", "date:2020"]);
    assert_eq!(
        stderr(&cli).trim_end(),
        format!("whosaid: error: {}", browser.text(&browser.css("#error")))
    );
    assert_eq!(browser.script("return document.querySelector('main').hidden;"), true);

    // An index of 1987 and 2016: the 348 empty months between are one narrow gap,
    // while June 2016 (one empty month) stays a bar.
    let eras = two_eras();
    let server = Server::start(&eras.index());
    browser.open(&format!("http://{}/", server.addr));
    browser.settle("the page of two eras", "document.querySelectorAll('#hits li').length === 4");
    let bars = browser.script(
        "return [...document.querySelectorAll('#bars > *')].map(b => b.className === 'gap' ? b.textContent : b.title);",
    );
    assert_eq!(
        bars,
        json!([
            "1987-03: 1 statement",
            "1987-04: 1 statement",
            "⋯ 348 months ⋯",
            "2016-05: 1 statement",
            "2016-06: 0 statements",
            "2016-07: 1 statement"
        ])
    );
    let gap = browser.css("#bars .gap");
    assert_eq!(
        browser.script("return document.querySelector('#bars .gap').title;"),
        "348 months with no statement: 1987-05 – 2016-04"
    );
    let axis = browser
        .script("return [...document.querySelectorAll('#axis span')].map(s => s.textContent);");
    assert_eq!(axis, json!(["1987-03", "1987-04", "", "2016-05", "2016-06", "2016-07"]));

    // A drag that ends on the gap ends at the bar before it.
    browser.drag(&browser.css("#bars button:nth-child(2)"), &gap);
    browser.settle_chip("dates: 1987-04");
    assert_eq!(browser.script("return location.search;"), "?since=1987-04&until=1987-04");
    // Across the gap: from April 1987 to May 2016, the gap marked with them.
    let (apr, may) =
        (browser.css("#bars button:nth-child(2)"), browser.css("#bars button:nth-child(4)"));
    browser.drag(&apr, &may);
    browser.settle_chip("dates: 1987-04 – 2016-05");
    let dates = browser.hit_dates();
    assert_eq!(dates, json!(["1987-04-02", "2016-05-05"]));
    let marked = browser
        .script("return [...document.querySelectorAll('#bars .in-range')].map(b => b.title);");
    assert_eq!(
        marked,
        json!([
            "1987-04: 1 statement",
            "348 months with no statement: 1987-05 – 2016-04",
            "2016-05: 1 statement"
        ])
    );
}

/// Ann Lee on the harbor's cranes 45 times (one a day from 2025-01-01, the day
/// number the number of cranes), once Ada Brunn on harbor cranes, and two
/// statements on a wall of Tom Baker's.
fn harbor_pages() -> common::Dir {
    let env = common::Dir::new();
    let mut lines: Vec<String> = (1..=45)
        .map(|n| {
            let day = jiff::civil::date(2025, 1, 1) + jiff::Span::new().days(n - 1);
            format!(r#"{{"id": "h{n}", "date": "{day}", "text": "Ann Lee said that the harbor needed {n} new cranes."}}"#)
        })
        .collect();
    lines.push(r#"{"id": "c1", "date": "2024-12-01", "text": "Ada Brunn said that new harbor cranes cost too much."}"#.into());
    lines.push(r#"{"id": "w1", "date": "2024-11-01", "text": "Ada Brunn said that Tom Baker's wall would never keep the river out."}"#.into());
    lines.push(r#"{"id": "w2", "date": "2024-11-02", "text": "Tom Baker said that his wall along the river would be finished by May."}"#.into());
    env.write("pages/news.jsonl", lines.join("\n") + "\n");
    env.ingest(&env.path("pages"));
    env
}

#[test]
fn page_through_hits_sort_them_and_search_with_an_apostrophe() {
    let Some((chromium, chromedriver)) = browser_programs() else { return };
    let env = harbor_pages();
    let server = Server::start(&env.index());
    let browser = Browser::start(&chromium, &chromedriver);
    let title = |b: &Browser| b.text(&b.css("#results-title"));
    let hits = "document.querySelectorAll('#hits li').length";

    browser.open(&format!("http://{}/?q=harbor+cranes", server.addr));
    browser.settle("the first page", &format!("{hits} === 20"));
    assert_eq!(title(&browser), "hits 1–20 of 46 statements matching “harbor cranes”");
    assert_eq!(browser.script("return document.querySelector('#prev').disabled;"), true);
    // The who box and the facets say which match each counts.
    let who = browser.text(&browser.css("#who-title"));
    assert_eq!(who, "Who said “harbor cranes”? (exact phrase: 1 statement)");
    assert_eq!(
        browser.text(&browser.css("#facets-note")),
        "Counts over the 46 statements found; the who box counts the 1 with the exact phrase."
    );

    // Next, next: the last page has 6; previous goes back.
    browser.click(&browser.css("#next"));
    browser.settle(
        "page 2",
        "document.querySelector('#results-title').textContent.startsWith('hits 21–40')",
    );
    assert_eq!(browser.script("return location.search;"), "?q=harbor+cranes&offset=20");
    browser.click(&browser.css("#next"));
    browser.settle("page 3", &format!("{hits} === 6"));
    assert_eq!(title(&browser), "hits 41–46 of 46 statements matching “harbor cranes”");
    assert_eq!(browser.script("return document.querySelector('#next').disabled;"), true);
    browser.click(&browser.css("#prev"));
    browser.settle("page 2 again", &format!("{hits} === 20"));
    assert_eq!(browser.text(&browser.css("#page-note")), "page 2 of 3");
    // The browser's back button goes to the page before, from the URL.
    browser.call("POST", "/back", None);
    browser.settle("back to page 3", &format!("{hits} === 6"));

    // Newest first, from the first page again: 2025-02-14 is the 45th day.
    browser.click(&browser.css("#sort option[value='-date']"));
    browser.settle("newest first", "location.search.includes('sort=-date')");
    browser.settle("newest first shown", &format!("{hits} === 20"));
    assert_eq!(browser.script("return location.search;"), "?q=harbor+cranes&sort=-date");
    let first = browser.script("return document.querySelector('#hits time').textContent;");
    assert_eq!(first, "2025-02-14");

    // An apostrophe is a word's, not a syntax error: the statement on Tom Baker's
    // wall, and no error shown.
    let q = browser.css("#q");
    browser.call("POST", &format!("/element/{q}/clear"), None);
    browser.type_into(&q, &format!("Tom Baker's wall{ENTER}"));
    browser.settle("the apostrophe query", &format!("{hits} === 1"));
    assert_eq!(browser.script("return document.querySelector('#error').hidden;"), true);
    assert_eq!(title(&browser), "1 statement matches “Tom Baker's wall”");
    // The hit shows its sentence, the statement in it marked.
    let text = browser.text(&browser.css("#hits .context .said"));
    assert_eq!(text, "Tom Baker's wall would never keep the river out");
    let context = browser.text(&browser.css("#hits blockquote.context"));
    assert!(context.starts_with("Ada Brunn said that Tom Baker's wall"), "{context}");
}

/// A long invented article with one statement near its end, ingested: its article
/// view must scroll to reach the statement.
fn long_article() -> common::Dir {
    let env = common::Dir::new();
    let filler: String = (1..=60)
        .map(|n| format!("Paragraph {n}: boats, ropes and nets filled the harbor that week.\n\n"))
        .collect();
    env.write(
        "news/harbor.md",
        format!(
            "---\ntitle: Harbor report\ndate: 2025-04-02\nsource: Harbor Gazette\n---\n{filler}\
             “The new pier opens in May,” Ada Brunn said on Tuesday.\n\n{filler}"
        ),
    );
    env.ingest(&env.path("news"));
    env
}

#[test]
fn a_hits_link_opens_the_article_scrolled_to_its_statement_highlighted() {
    let Some((chromium, chromedriver)) = browser_programs() else { return };
    let env = long_article();
    let server = Server::start(&env.index());
    let browser = Browser::start(&chromium, &chromedriver);
    browser.open(&format!("http://{}/?q=pier", server.addr));
    browser.settle("the hit for 'pier'", "document.querySelectorAll('#hits li').length === 1");
    // The hit shows the sentence around the statement, the statement in it marked.
    let said = browser.text(&browser.css("#hits .context .said"));
    assert_eq!(said, "The new pier opens in May,");
    let context = browser.text(&browser.css("#hits blockquote.context"));
    assert!(context.contains("Ada Brunn said on Tuesday."), "{context}");
    let cli = env.json(&["query", "pier", "--json"]);
    let id = cli["hits"][0]["id"].as_str().unwrap().to_string();

    browser.click(&browser.css("#hits a.article-link"));
    browser.settle(
        "the article view",
        "document.querySelector('#article-title')?.textContent === 'Harbor report'",
    );
    let hash = browser.script("return location.hash;");
    assert_eq!(hash, format!("#statement-{id}"));
    let target = browser.script(&format!(
        "const m = document.getElementById('statement-{id}'); \
         const r = m.getBoundingClientRect(); \
         return [m.textContent, m.classList.contains('target'), m.title, \
                 window.scrollY > 0, r.top >= 0 && r.bottom <= window.innerHeight];"
    ));
    assert_eq!(target[0], "The new pier opens in May,");
    assert_eq!(target[1], true, "the statement is highlighted: {target}");
    assert!(target[2].as_str().unwrap().starts_with("Ada Brunn — said — "), "{target}");
    assert_eq!(target[3], true, "the page scrolled: {target}");
    assert_eq!(target[4], true, "the statement is in view: {target}");
    // The whole text is there, and the statement is listed beside it.
    let body = browser.text(&browser.css("#article-body"));
    assert!(
        body.contains("Paragraph 60: boats, ropes and nets"),
        "{}",
        &body[..200.min(body.len())]
    );
    let listed = browser.text(&browser.css("#statement-list li"));
    assert!(listed.contains("Ada Brunn — said — "), "{listed}");
}

/// 1,500 invented people, one statement each: 20 first names × 75 surnames.
fn crowd() -> common::Dir {
    let firsts = [
        "Ann", "Tom", "Ada", "Ivan", "Mia", "Lena", "Omar", "Nora", "Carl", "Ruth", "Paul", "Vera",
        "Hugo", "Ella", "Otto", "Iris", "Bruno", "Clara", "Dora", "Felix",
    ];
    let (heads, tails) = (
        [
            "Bar", "Cel", "Dun", "Fen", "Gal", "Hob", "Kes", "Lom", "Mur", "Nol", "Pim", "Ros",
            "Sal", "Tev", "Wen",
        ],
        ["rick", "sted", "wick", "mond", "holm"],
    );
    let mut lines = String::new();
    for head in heads {
        for tail in tails {
            for first in firsts {
                let line = json!({"title": "Harbor", "date": "2025-03-10", "source": "Valley Post",
                    "text": format!("{first} {head}{tail} said that the harbor would be dredged.")});
                lines.push_str(&format!("{line}\n"));
            }
        }
    }
    let env = common::Dir::new();
    env.write("crowd.jsonl", lines);
    env.ingest(&env.path("crowd.jsonl"));
    env
}

#[test]
fn a_big_speaker_facet_draws_a_bounded_list_and_a_filter_box_narrows_it() {
    let Some((chromium, chromedriver)) = browser_programs() else { return };
    let env = crowd();
    let server = Server::start(&env.index());
    let speakers = env.json(&["query", "--json", "--limit", "0"])["facets"]["speaker"].clone();
    let speakers: Vec<String> = speakers
        .as_array()
        .expect("a speaker facet")
        .iter()
        .map(|s| s["label"].as_str().unwrap().to_string())
        .collect();
    assert!(speakers.len() >= 1400, "{}", speakers.len());
    let browser = Browser::start(&chromium, &chromedriver);
    browser.open(&format!("http://{}/", server.addr));
    let rows = "document.querySelectorAll('#facet-speaker button').length";
    browser.settle("the first page", &format!("{rows} > 0"));
    let count = |browser: &Browser| browser.script(&format!("return {rows};")).as_u64().unwrap();
    let rest = |browser: &Browser| {
        browser.script(
            "return document.querySelector('#facet-speaker .facet-rest')?.textContent || '';",
        )
    };
    // The top few, and a note of how many more there are.
    assert_eq!(count(&browser), 12);
    assert_eq!(
        rest(&browser),
        format!("… and {} more: type to filter", thousands(speakers.len() - 12))
    );

    // "Show the top 200": never all 1,500.
    browser.click(&browser.css(".more-facet[data-facet='speaker']"));
    browser.settle("the longer list", &format!("{rows} === 200"));
    assert_eq!(
        rest(&browser),
        format!("… and {} more: type to filter", thousands(speakers.len() - 200))
    );

    // Typing narrows the list to the names that hold the text, case aside.
    let filter = browser.css(".facet-filter[data-facet='speaker']");
    browser.type_into(&filter, "BARrick");
    let wanted: Vec<&String> =
        speakers.iter().filter(|s| s.to_lowercase().contains("barrick")).collect();
    assert_eq!(wanted.len(), 20);
    browser.settle("the filtered list", &format!("{rows} === 20"));
    let names = browser.script(
        "return [...document.querySelectorAll('#facet-speaker .name')].map(e => e.textContent);",
    );
    let names: Vec<String> = serde_json::from_value(names).unwrap();
    assert!(names.iter().all(|n| n.ends_with("Barrick")), "{names:?}");
    assert_eq!(rest(&browser), "");
    // A filtered name still selects its speaker.
    browser.click(&browser.find(
        "xpath",
        "//ul[@id='facet-speaker']//button[span[@class='name' and text()='Ada Barrick']]",
    ));
    browser.settle_chip("speaker: Ada Barrick");
    assert_eq!(browser.hit_speakers(), ["Ada Barrick"]);
    // Nothing matches: said so.
    browser.call("POST", &format!("/element/{filter}/clear"), None);
    browser.type_into(&filter, "zzz");
    browser
        .settle("no match", "document.querySelector('#facet-speaker').textContent === 'no match'");
}

/// `n` with commas, as the page writes numbers.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

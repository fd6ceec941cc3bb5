//! The web app in a real browser: headless Chromium driven over WebDriver (plain
//! HTTP and JSON to chromedriver). Type a phrase, read the top speaker, click a
//! speaker facet and see the results narrow, then click a month on the histogram and
//! drag across two, then make a query that does not parse; then, on an index of 1987
//! and 2016, see the empty years between folded into one gap and drag across it.
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

/// Chromium and chromedriver, when installed; else None after saying the test is
/// skipped (a failure with WHOSAID_BROWSER_TEST=required).
fn browser_programs() -> Option<(PathBuf, PathBuf)> {
    if let (Some(chromium), Some(chromedriver)) = (on_path("chromium"), on_path("chromedriver")) {
        return Some((chromium, chromedriver));
    }
    let message = "browser test skipped: chromium and chromedriver are not installed (apt-get install chromium chromium-driver)";
    if std::env::var("WHOSAID_BROWSER_TEST").is_ok_and(|v| v == "required") {
        panic!("{message}, and WHOSAID_BROWSER_TEST=required");
    }
    eprintln!("{message}");
    None
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

    // A query that does not parse: the command line's message, and no stale answer.
    browser.call("POST", &format!("/element/{q}/clear"), None);
    browser.type_into(&q, &format!("\"water{ENTER}"));
    browser.settle("the error", "!document.querySelector('#error').hidden");
    let cli = env.run(&["query", "\"water"]);
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

//! Saved web pages end to end: `extract --with-body` on pages written in the style of
//! real sites (tests/data/html: a WordPress blog, a wire-service page with JSON-LD,
//! a local paper with only `<time datetime>`, a page with comments and related
//! links, one with inline ads, an old table layout). Checks the metadata, that the
//! boilerplate is gone, the statements and speakers, and that offsets point into
//! the printed body.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::common::{repo_path, stderr, stdout, Dir};
use serde::Deserialize;

/// The documented `--with-body` article line; unknown fields are an error.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BodyJson {
    article: String,
    #[allow(dead_code)]
    path: String,
    title: Option<String>,
    source: Option<String>,
    url: Option<String>,
    author: Option<String>,
    article_date: Option<String>,
    body: String,
}

#[derive(Debug, Deserialize)]
struct StatementJson {
    article: String,
    text: String,
    kind: String,
    speaker: Option<String>,
    date: Option<String>,
    span: [usize; 2],
    speaker_span: Option<[usize; 2]>,
    speaker_mention: Option<String>,
}

struct Page {
    meta: BodyJson,
    statements: Vec<StatementJson>,
}

impl Page {
    fn said(&self, words: &str) -> &StatementJson {
        self.statements.iter().find(|s| s.text.contains(words)).unwrap_or_else(|| {
            panic!("no statement with {words:?} in {}: {:#?}", self.meta.article, self.statements)
        })
    }

    fn speaker(&self, words: &str) -> Option<&str> {
        self.said(words).speaker.as_deref()
    }

    fn assert_absent(&self, words: &[&str]) {
        for w in words {
            assert!(
                !self.meta.body.contains(w),
                "{:?} in the body of {}:\n{}",
                w,
                self.meta.article,
                self.meta.body
            );
        }
    }
}

fn pages_dir() -> PathBuf {
    repo_path("tests/data/html")
}

/// Runs `extract --with-body` on the bundled pages; checks every line's shape and
/// every span against the body printed before it.
fn extract_pages() -> HashMap<String, Page> {
    let env = Dir::new();
    let out =
        env.cmd().arg("extract").arg(pages_dir()).args(["--json", "--with-body"]).assert_success();
    let mut pages: HashMap<String, Page> = HashMap::new();
    let mut current: Option<String> = None;
    for line in stdout(&out).lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v.get("body").is_some() {
            let meta: BodyJson =
                serde_json::from_value(v).unwrap_or_else(|e| panic!("{e}: {line}"));
            current = Some(meta.article.clone());
            pages.insert(meta.article.clone(), Page { meta, statements: Vec::new() });
        } else {
            let s: StatementJson =
                serde_json::from_value(v).unwrap_or_else(|e| panic!("{e}: {line}"));
            let page = pages.get_mut(current.as_deref().expect("a body line comes first")).unwrap();
            assert_eq!(s.article, page.meta.article, "statements follow their article's body line");
            let body = &page.meta.body;
            assert_eq!(&body[s.span[0]..s.span[1]], s.text);
            if let Some([a, b]) = s.speaker_span {
                assert_eq!(Some(&body[a..b]), s.speaker_mention.as_deref());
            }
            page.statements.push(s);
        }
    }
    assert_eq!(pages.len(), 6, "{:?}", pages.keys().collect::<Vec<_>>());
    pages
}

#[test]
fn html_pages_give_metadata_article_text_and_statements() {
    let pages = extract_pages();

    // WordPress: og:title, article:published_time, canonical URL over og:url,
    // og:site_name, meta author; share bar, related posts, comments, widgets gone.
    let p = &pages["wordpress-blog.html"];
    assert_eq!(p.meta.title.as_deref(), Some("Riverside council backs new bridge"));
    assert_eq!(p.meta.article_date.as_deref(), Some("2024-03-14"));
    assert_eq!(
        p.meta.url.as_deref(),
        Some("https://riversideledger.example/2024/03/14/council-backs-new-bridge/")
    );
    assert_eq!(p.meta.source.as_deref(), Some("The Riverside Ledger"));
    assert_eq!(p.meta.author.as_deref(), Some("Jonas Berg"));
    assert!(p.meta.body.starts_with("The Riverside town council voted 7-2"), "{}", p.meta.body);
    assert!(p.meta.body.contains("\n\nWhat happens next\n\n"));
    p.assert_absent(&[
        "Skip to content",
        "Schools",
        "Posted on",
        "Share this",
        "Facebook",
        "Superintendent",
        "Maria Gonzalez",
        "Riverwatcher",
        "Ivan Petrov",
        "Leave a Reply",
        "Recent Posts",
        "Proudly powered",
        "Nobody Script",
        "according to this caption",
        "wp--preset",
    ]);
    assert_eq!(p.speaker("earned its rest"), Some("Ann Lee"));
    assert_eq!(p.said("earned its rest").kind, "direct");
    assert!(
        p.said("ninety more").text.contains("earned its rest"),
        "one quotation across the attribution"
    );
    assert!(p.speaker("fixed incomes").is_some_and(|s| s.ends_with("Tom Baker")));
    assert_eq!(p.speaker("stay open until the new one"), Some("Priya Raman"));
    assert_eq!(p.statements.len(), 4, "{:#?}", p.statements);

    // Wire service: the date from JSON-LD datePublished, not the header's update
    // time; div paragraphs; ads, newsletter promo, recirculation, footer gone; a
    // quotation that goes on into the next paragraph.
    let p = &pages["wire-jsonld.html"];
    assert_eq!(p.meta.title.as_deref(), Some("Trade talks stall as ministers trade blame"));
    assert_eq!(p.meta.article_date.as_deref(), Some("2025-05-05"));
    assert_eq!(
        p.meta.url.as_deref(),
        Some("https://www.globalwire.example/world/trade-talks-stall-2025-05-06/")
    );
    assert_eq!(p.meta.source.as_deref(), Some("Global Wire"));
    assert_eq!(p.meta.author.as_deref(), Some("Lena Novak"));
    assert!(
        p.meta.body.starts_with("GENEVA, May 5 (Global Wire) - Trade talks"),
        "{}",
        p.meta.body
    );
    p.assert_absent(&[
        "Advertisement",
        "Sign up",
        "Read Next",
        "nothing was agreed",
        "postponed",
        "All quotes delayed",
        "Photographer",
        "Hidden",
        "Markets",
    ]);
    let okafor = p.said("waited three years");
    assert_eq!(okafor.speaker.as_deref(), Some("Sarah Okafor"));
    assert!(
        okafor.text.contains("\n\n“If the other side is serious, they know where to find us"),
        "{}",
        okafor.text
    );
    let chen = p.said("real concessions");
    assert_eq!(chen.speaker.as_deref(), Some("David Chen"));
    assert_eq!(chen.kind, "mixed");
    assert_eq!(chen.date.as_deref(), Some("2025-05-04"), "“on Sunday” before the Monday dateline");

    // Local paper: no og: tags, no JSON-LD; the date from <time datetime>, the
    // title from <h1> (not the logo's), <q> as quotation marks, a <br> line break.
    let p = &pages["courier-time.html"];
    assert_eq!(p.meta.title.as_deref(), Some("Drought forces water limits in Hollow County"));
    assert_eq!(p.meta.article_date.as_deref(), Some("2023-08-09"));
    assert_eq!(
        p.meta.url.as_deref(),
        Some("https://dailycourier.example/news/local/drought-forces-water-limits")
    );
    // No og:site_name: the publisher is the site of its address.
    assert_eq!(p.meta.source.as_deref(), Some("dailycourier.example"));
    assert!(p.meta.body.starts_with("HOLLOW SPRINGS — County officials"), "{}", p.meta.body);
    assert!(p.meta.body.contains("called the order “painful but necessary” and said"));
    assert!(p.meta.body.contains("was a relief.\n“Without water"));
    p.assert_absent(&[
        "Skip to",
        "31°C",
        "Latest",
        "Fire chief",
        "Residents asked",
        "Ruth Adair",
        "Published",
        "(Photo",
        "drought water",
        "Most Popular",
        "Ann Lee",
        "Copyright",
    ]);
    assert_eq!(p.speaker("painful but necessary"), Some("Helen Marsh"));
    assert_eq!(p.speaker("asked nicely"), Some("Helen Marsh"));
    assert_eq!(p.speaker("exemption was a relief"), Some("Ivan Petrov"));
    assert_eq!(p.speaker("trees die"), Some("Ivan Petrov"));

    // Comments and related links: none of the commenters' or teasers' quotations.
    let p = &pages["comments-related.html"];
    assert_eq!(p.meta.title.as_deref(), Some("Chess federation elects first woman president"));
    assert_eq!(p.meta.article_date.as_deref(), Some("2022-11-20"));
    assert_eq!(p.meta.source.as_deref(), Some("Northern Post"));
    assert_eq!(p.meta.author.as_deref(), Some("Kari Lund"), "not article:author's profile URL");
    p.assert_absent(&[
        "Share on",
        "never won a game",
        "Related",
        "third time",
        "Clubs are full",
        "Most read",
        "Ferry strike",
        "About time",
        "chessfan88",
        "Congratulations",
        "Ole Vik",
        "20 November 2022",
    ]);
    let speakers: Vec<_> = p.statements.iter().map(|s| s.speaker.as_deref()).collect();
    assert_eq!(speakers, [Some("Maria Gonzalez"), Some("Jonas Berg"), Some("Sarah Okafor")]);

    // Inline ads inside itemprop=articleBody, split in two around one; the date from
    // microdata; a quotation that goes on across the ad.
    let p = &pages["inline-ads.html"];
    assert_eq!(
        p.meta.title.as_deref(),
        Some("Rail fares to rise 6% in January, operators confirm")
    );
    assert_eq!(p.meta.article_date.as_deref(), Some("2021-12-01"));
    assert_eq!(
        p.meta.url.as_deref(),
        Some("https://metroevening.example/news/rail-fares-rise-january-28841")
    );
    p.assert_absent(&[
        "cookies",
        "Advertisement",
        "Story continues",
        "READ MORE",
        "insulting",
        "best news app",
        "Hidden advert",
        "Doctors",
        "WhatsApp",
        "newsletter",
        "Owen Price",
        "Privacy",
    ]);
    let raman = p.said("late half the time");
    assert_eq!(raman.speaker.as_deref(), Some("Priya Raman"));
    assert!(
        raman.text.contains(
            "their cars.\n\n“And it will push the operators into another crisis next winter"
        ),
        "{}",
        raman.text
    );
    assert_eq!(p.speaker("would not step in"), Some("Tom Baker"));
    assert_eq!(p.said("would not step in").date.as_deref(), Some("2021-12-01"));

    // An old table layout: no metadata but <title>; the date from the file name;
    // the navigation cell left out.
    let p = &pages["oldsite_2009-04-02_harbour.htm"];
    assert_eq!(p.meta.title.as_deref(), Some("Harbour Gazette Online: Harbour plan approved"));
    assert_eq!(p.meta.article_date.as_deref(), Some("2009-04-02"));
    assert_eq!(p.meta.url, None);
    p.assert_absent(&["Letters", "Sport"]);
    assert_eq!(p.speaker("best news the fleet"), Some("Ivan Petrov"));
    assert_eq!(p.speaker("work would begin in the autumn"), Some("Ann Lee"));
}

#[test]
fn html_pages_ingest_and_answer_who() {
    let env = Dir::new();
    let out = env.ingest(&pages_dir());
    assert!(stderr(&out).contains("6 files, 6 articles"), "{}", stderr(&out));
    let v = env.json(&["who", "know where to find us", "--json"]);
    assert_eq!(v["speakers"][0]["speaker"], "Sarah Okafor", "{v}");
    assert_eq!(v["speakers"][0]["example"]["source"], "Global Wire");
    assert_eq!(
        v["speakers"][0]["example"]["url"],
        "https://www.globalwire.example/world/trade-talks-stall-2025-05-06/"
    );
    // A commenter's quotation is not in the index.
    let v = env.json(&["who", "taxes will double", "--json"]);
    assert_eq!(v["match"], "none", "{v}");
}

#[test]
fn with_body_prints_a_line_for_every_article_even_without_statements() {
    let env = Dir::new();
    let page = env.write("p/empty.html", "<html><head><title>Nothing said</title></head><body><p>The weather was fine all day long in the valley.</p></body></html>");
    let out = env.run(&["extract", page.to_str().unwrap(), "--with-body"]);
    // No statements: exit code 1, but the article line is there.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1);
    let b: BodyJson = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(b.article, "empty.html");
    assert_eq!(b.title.as_deref(), Some("Nothing said"));
    assert_eq!(b.body, "The weather was fine all day long in the valley.\n");
    assert_eq!(b.article_date, None);
}

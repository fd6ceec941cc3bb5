//! Sources are publisher names: the ways a record names its publisher (a name, its
//! site's URL, a `publication` or `site_name` field, an archive's link, og:site_name)
//! fold to one name in the index, the facet, `--source` and export; `ingest
//! --source` fills in for articles that name none; an unknown `--source` is an error
//! that lists the nearest sources (exit 2, HTTP 400); `export --format csv` reads
//! back whole with a CSV reader. On the real corpora (WHOSAID_CORPORA), no source
//! is a URL. The people and most publishers are invented.

use std::collections::BTreeMap;

use crate::common::web::{encode, Server};
use crate::common::{corpora, json_lines, stderr, Dir};
use serde_json::Value;

/// Every way of naming a publisher that the readers know, one statement each.
fn write_articles(env: &Dir) {
    env.write(
        "a/one.md",
        "---\ntitle: Tax plan\nsource: Reuters\n---\nAnn Lee said that taxes would rise in March.\n",
    );
    env.write(
        "a/two.md",
        "---\ntitle: Tax plan two\nsource: http://www.Reuters.com/business\n---\nTom Baker said that the budget was wrong.\n",
    );
    env.write(
        "a/three.json",
        r#"{"title": "Ports", "publication": "reuters.com", "text": "Ada Brunn said that the port would close in May."}"#,
    );
    env.write(
        "a/rows.csv",
        "title,publication,url,text\n\
         Rivers,Valley Post,,Ivan Petrov said that the river would flood.\n\
         Roads,,https://web.archive.org/web/20170101000000/http://www.latimes.com/local/roads.html,Mia Stone said that the roads would be repaved.\n",
    );
    env.write(
        "a/news.jsonl",
        concat!(
            r#"{"source": {"id": null, "name": "Hill Times"}, "text": "Lena Ruiz said that the school would reopen."}"#,
            "\n",
            r#"{"source": "https://web.archive.org", "url": "https://web.archive.org/web/2017/https://m.riverside.example/story", "text": "Omar Haddad said that the bridge was unsafe."}"#,
            "\n",
            r#"{"text": "Nora Quinn said that the library would expand."}"#,
            "\n",
        ),
    );
    env.write(
        "a/page.html",
        "<html><head><title>Parks</title><meta property=\"og:site_name\" content=\"Lake Gazette\"></head>\
         <body><article><h1>Parks</h1><p>Carl Jensen said that the parks would reopen in April.</p></article></body></html>",
    );
}

/// The source facet over every statement: name → count.
fn sources(env: &Dir) -> BTreeMap<String, u64> {
    let all = env.json(&["query", "--json", "--limit", "0"]);
    all["facets"]["source"]
        .as_array()
        .expect("a source facet")
        .iter()
        .map(|f| (f["value"].as_str().unwrap().to_string(), f["count"].as_u64().unwrap()))
        .collect()
}

fn counts(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

/// Speaker → source of every exported statement.
fn source_by_speaker(env: &Dir, args: &[&str]) -> BTreeMap<String, Value> {
    let out = env.cmd().arg("export").args(args).assert_success();
    json_lines(&out)
        .into_iter()
        .map(|d| (d["speaker"].as_str().unwrap_or("").to_string(), d["source"].clone()))
        .collect()
}

#[test]
fn every_way_of_naming_a_publisher_folds_to_one_source() {
    let env = Dir::new();
    write_articles(&env);
    env.ingest(&env.path("a"));
    assert_eq!(
        sources(&env),
        counts(&[
            ("Reuters", 3),
            ("Valley Post", 1),
            ("Los Angeles Times", 1),
            ("Hill Times", 1),
            ("riverside.example", 1),
            ("Lake Gazette", 1),
        ])
    );
    // The statement keeps the address it was read from: the archive's.
    let docs = json_lines(&env.cmd().arg("export").assert_success());
    let roads = docs.iter().find(|d| d["speaker"] == "Mia Stone").expect("Mia Stone's statement");
    assert_eq!(roads["source"], "Los Angeles Times");
    assert_eq!(
        roads["url"],
        "https://web.archive.org/web/20170101000000/http://www.latimes.com/local/roads.html"
    );
    let nobody = docs.iter().find(|d| d["speaker"] == "Nora Quinn").expect("Nora Quinn's");
    assert_eq!(nobody["source"], Value::Null);
}

#[test]
fn source_filters_fold_like_sources_and_unknown_ones_are_errors() {
    let env = Dir::new();
    write_articles(&env);
    env.ingest(&env.path("a"));
    for value in ["Reuters", "reuters", "reuters.com", "http://www.reuters.com", "REUTERS.COM/x"] {
        let hits = env.json(&["query", "--json", "--source", value]);
        assert_eq!(hits["total"], 3, "--source {value}");
    }
    // The query syntax folds a source as the filter does.
    for value in ["source:reuters", "source:reuters.com", r#"source:"http://www.Reuters.com/x""#] {
        assert_eq!(env.json(&["query", "--json", value])["total"], 3, "{value}");
    }
    let by_url = env.json(&["query", "--json", "--source", "https://www.latimes.com/anything"]);
    assert_eq!(by_url["total"], 1);
    let who = env.json(&["who", "taxes", "--json", "--source", "reuters.com"]);
    assert_eq!(who["speakers"][0]["speaker"], "Ann Lee", "{who}");
    let export = source_by_speaker(&env, &["--source", "valley post"]);
    assert_eq!(export.keys().collect::<Vec<_>>(), ["Ivan Petrov"]);

    // Unknown: exit 2, naming the nearest sources with their counts.
    let out = env.cmd().args(["query", "--source", "Valley Psot"]).assert_exit_code(2);
    let err = stderr(&out);
    assert!(err.contains("no source \"Valley Psot\"; sources include: Valley Post (1)"), "{err}");
    let out = env.cmd().args(["query", "--source", "reuter"]).assert_exit_code(2);
    assert!(stderr(&out).contains("Reuters (3)"), "{}", stderr(&out));
    let out = env.cmd().args(["export", "--source", "Lake Gazete"]).assert_exit_code(2);
    assert!(stderr(&out).contains("Lake Gazette (1)"), "{}", stderr(&out));
    // An archive's bare address names no publisher.
    let out = env.cmd().args(["query", "--source", "https://web.archive.org"]).assert_exit_code(2);
    assert!(stderr(&out).contains("names no publisher"), "{}", stderr(&out));

    // The web API says the same with a 400.
    let server = Server::start(&env.index());
    let reply = server.get(&format!("/api/search?q=*&source={}", encode("Valley Psot")));
    assert_eq!(reply.status, 400, "{}", reply.text());
    let message = reply.json()["error"].as_str().unwrap().to_string();
    assert!(message.contains("Valley Post (1)"), "{message}");
    let reply = server.get(&format!("/api/search?q=*&source={}", encode("www.reuters.com")));
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["total"], 3);
}

#[test]
fn ingest_source_fills_in_for_articles_that_name_none() {
    let env = Dir::new();
    write_articles(&env);
    env.cmd().args(["ingest", "--source", "Harbor News"]).arg(env.path("a")).assert_success();
    let got = source_by_speaker(&env, &[]);
    // No source of its own: --source.
    assert_eq!(got["Nora Quinn"], "Harbor News");
    // A URL but no publisher field: --source wins over the URL's site.
    assert_eq!(got["Mia Stone"], "Harbor News");
    // Its own source stays.
    assert_eq!(got["Ann Lee"], "Reuters");
    assert_eq!(got["Carl Jensen"], "Lake Gazette");

    // Another --source reads the files again (like another --date), folded.
    env.cmd()
        .args(["ingest", "--source", "http://www.Bay-Courier.example/"])
        .arg(env.path("a"))
        .assert_success();
    let got = source_by_speaker(&env, &[]);
    assert_eq!(got["Nora Quinn"], "bay-courier.example");
    assert_eq!(got["Ann Lee"], "Reuters");
    // A --source that names no publisher is refused before anything is read.
    let out = env
        .cmd()
        .args(["ingest", "--source", "https://web.archive.org"])
        .arg(env.path("a"))
        .assert_exit_code(2);
    assert!(stderr(&out).contains("names no publisher"), "{}", stderr(&out));
    // Without --source, the URL's site again.
    env.ingest(&env.path("a"));
    let got = source_by_speaker(&env, &[]);
    assert_eq!(got["Mia Stone"], "Los Angeles Times");
    assert_eq!(got["Nora Quinn"], Value::Null);
}

#[test]
fn extract_source_sets_the_source_of_statements() {
    let env = Dir::new();
    env.write("one.txt", "Ann Lee said that taxes would rise in March.\n");
    let out = env
        .cmd()
        .args(["extract", "--source", "reuters.com"])
        .arg(env.path("one.txt"))
        .assert_success();
    let lines = json_lines(&out);
    assert!(!lines.is_empty());
    assert!(lines.iter().all(|l| l["source"] == "Reuters"), "{lines:?}");
}

#[test]
fn csv_export_reads_back_with_a_csv_reader() {
    let env = Dir::new();
    env.write(
        "a/one.md",
        "---\ntitle: =HYPERLINK(\"http://evil.example\")\ndate: 2025-03-10\nsource: Valley Post\nurl: https://valleypost.example/one\n---\n\
         “Taxes will rise, \"sharply\", and soon,” Ann Lee said on Monday.\n\n\
         Tom Baker said that the budget was wrong.\n",
    );
    env.ingest(&env.path("a"));
    let out = env.cmd().args(["export", "--format", "csv"]).assert_success();
    let bytes = out.stdout;
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a byte-order mark first");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
    for column in [
        "id",
        "speaker",
        "speaker_type",
        "date",
        "kind",
        "text",
        "title",
        "source",
        "url",
        "article",
        "cue",
        "date_source",
    ] {
        assert!(header.iter().any(|h| h == column), "{column} in {header:?}");
    }
    let rows: Vec<BTreeMap<String, String>> = reader
        .records()
        .map(|r| header.iter().cloned().zip(r.unwrap().iter().map(str::to_string)).collect())
        .collect();
    let ndjson = json_lines(&env.cmd().arg("export").assert_success());
    assert_eq!(rows.len(), ndjson.len(), "one row per statement");
    let ann = rows.iter().find(|r| r["speaker"] == "Ann Lee").expect("Ann Lee's row");
    let ann_json = ndjson.iter().find(|d| d["speaker"] == "Ann Lee").unwrap();
    // Quotes and commas survive the quoting; the formula-like title is defused.
    assert_eq!(ann["text"], ann_json["text"].as_str().unwrap());
    assert!(ann["text"].contains("\"sharply\", and"), "{ann:?}");
    assert_eq!(ann["title"], "'=HYPERLINK(\"http://evil.example\")");
    assert_eq!(ann["source"], "Valley Post");
    assert_eq!(ann["url"], "https://valleypost.example/one");
    assert_eq!(ann["date"], "2025-03-10");
    assert_eq!(ann["kind"], "direct");
    assert_eq!(ann["speaker_type"], "person");
    assert_eq!(ann["id"], ann_json["id"].as_str().unwrap());
    // Lines end in CRLF (RFC 4180).
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.split('\n').next().unwrap().ends_with('\r'), "CRLF line ends");
    // Filters narrow it as they narrow query.
    let tom =
        env.cmd().args(["export", "--format", "csv", "--speaker", "Tom Baker"]).assert_success();
    let mut reader = csv::Reader::from_reader(&tom.stdout[3..]);
    assert_eq!(reader.records().count(), 1);
}

#[test]
fn on_the_corpora_no_source_is_an_address() {
    let Some(dir) = corpora() else { return };
    let env = Dir::new();
    env.cmd().arg("ingest").arg(&dir).assert_success();
    let found = sources(&env);
    assert!(found.len() > 20, "{found:?}");
    for name in found.keys() {
        let lower = name.to_lowercase();
        assert!(!lower.contains("http") && !lower.contains('/'), "{name} is an address");
        assert!(!lower.contains("archive.org") && !lower.starts_with("www."), "{name}");
    }
    // Each publisher once, whatever its case.
    let mut seen = std::collections::BTreeSet::new();
    for name in found.keys() {
        assert!(seen.insert(name.to_lowercase()), "{name} twice, in two cases");
    }
}

/// Every `example:` line of data/rules/publishers.txt folds as it says, and the file
/// has no line the reader could not make sense of.
#[test]
fn publisher_file_examples_hold() {
    let p = whosaid::article::source::publishers();
    assert!(p.problems.is_empty(), "{}", p.problems.join("\n"));
    assert!(p.examples.len() >= 10);
    for (source, want) in &p.examples {
        assert_eq!(whosaid::article::publisher(source).as_deref(), want.as_deref(), "{source}");
    }
}

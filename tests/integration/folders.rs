//! Reading real folders: `--exclude`, `.whosaidignore`, README/LICENSE skipped with one
//! line, a path that cannot be read refused (exit 2) before the index is touched,
//! warnings grouped by reason (`--verbose` lists each), quotation marks repaired with
//! a count; and the counts that `ingest`, `stats`, `speakers`, the facets of `query`
//! and `who` give agree, on invented articles and (with `WHOSAID_CORPORA`) on the
//! real corpora.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::common::{corpora, json_lines, stderr, Dir};

const LEE: &str = "“Taxes will fall,” said Mayor Ann Lee.\n";
const BAKER: &str = "Tom Baker said that the roads would be repaired by May.\n";

/// The ids of the articles `extract --with-body` reads under `paths`, with `args`.
fn articles_read(env: &Dir, paths: &[&Path], args: &[&str]) -> BTreeSet<String> {
    let out = env.cmd().arg("extract").arg("--with-body").args(paths).args(args).output();
    assert!(out.status.code().is_some_and(|c| c < 2), "{}", stderr(&out));
    json_lines(&out)
        .iter()
        .filter(|l| l.get("body").is_some())
        .map(|l| l["article"].as_str().unwrap().to_string())
        .collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

#[test]
fn exclude_matches_names_at_any_depth_and_paths_below_the_root() {
    let env = Dir::new();
    env.write("c/a.txt", LEE);
    env.write("c/drafts/b.txt", BAKER);
    env.write("c/2019/drafts/c.txt", BAKER);
    env.write("c/2019/d.csv", "title,text\nT,Ann Lee said that it works.\n");
    env.write("c/2019/raw/e.txt", LEE);
    env.write("c/raw/f.txt", LEE);
    let c = env.path("c");
    assert_eq!(articles_read(&env, &[&c], &[]).len(), 6);
    let got = articles_read(
        &env,
        &[&c],
        &["--exclude", "drafts/", "--exclude", "*.csv", "--exclude", "2019/raw"],
    );
    assert_eq!(got, set(&["a.txt", "raw/f.txt"]));
    // The same through ingest, with the count on the summary line.
    let out =
        env.cmd().args(["ingest", "--exclude", "drafts/", "--exclude", "*.csv"]).arg(&c).output();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("left out 3 files and folders matching --exclude"), "{err}");
    // A file named outright is read whatever --exclude says.
    let named = env.path("c/2019/d.csv");
    assert_eq!(articles_read(&env, &[&named], &["--exclude", "*.csv"]), set(&["d.csv#1"]));
    // A pattern that is no glob is an error, before anything is read.
    let bad = env.cmd().args(["extract", "--exclude", "a{b"]).arg(&c).assert_exit_code(2);
    assert!(stderr(&bad).contains("unclosed alternate group"), "{}", stderr(&bad));
}

#[test]
fn whosaidignore_applies_to_its_folder_like_a_gitignore() {
    let env = Dir::new();
    env.write("c/.whosaidignore", "# not articles\n*.csv\narchive/\n");
    env.write("c/keep.txt", LEE);
    env.write("c/x.csv", "text\nAnn Lee said that it works.\n");
    env.write("c/archive/old.txt", BAKER);
    env.write("c/sub/.whosaidignore", "!wanted.csv\n/local.txt\n");
    env.write("c/sub/wanted.csv", "text\nTom Baker said that it works.\n");
    env.write("c/sub/other.csv", "text\nTom Baker said that it fails.\n");
    env.write("c/sub/local.txt", BAKER);
    env.write("c/sub/deeper/local.txt", BAKER);
    let got = articles_read(&env, &[&env.path("c")], &[]);
    assert_eq!(got, set(&["keep.txt", "sub/wanted.csv#1", "sub/deeper/local.txt"]));
}

#[test]
fn project_files_are_skipped_with_one_line_unless_named() {
    let env = Dir::new();
    env.write("c/README.md", "# The corpus\n\nAnn Lee said that the data are free.\n");
    env.write("c/LICENSE.md", "Tom Baker said that you may copy it.\n");
    env.write("c/news-2019.README.txt", "Ada Brunn said that fields are described here.\n");
    env.write("c/license-dispute.txt", BAKER);
    env.write("c/a.txt", LEE);
    let c = env.path("c");
    let out = env.cmd().arg("ingest").arg(&c).output();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("project files")).collect();
    assert_eq!(
        lines,
        ["whosaid: skipped 3 project files (LICENSE.md, README.md, news-2019.README.txt): not articles; name them explicitly to read them"],
        "{err}"
    );
    assert!(err.contains("2 articles read"), "{err}");
    let stats = env.json(&["stats", "--json"]);
    assert_eq!(stats["articles"], 2, "{stats}");
    // Named outright, a README is read.
    let readme = env.path("c/README.md");
    assert_eq!(articles_read(&env, &[&readme], &[]), set(&["README.md"]));
}

#[test]
fn a_path_that_cannot_be_read_is_an_error_before_the_index_is_touched() {
    let env = Dir::new();
    env.write("c/a.txt", LEE);
    let missing = env.path("c/nope");
    let out = env.cmd().arg("ingest").arg(env.path("c")).arg(&missing).assert_exit_code(2);
    let err = stderr(&out);
    assert!(
        err.contains("nope: no such file or folder") && err.contains("nothing was read"),
        "{err}"
    );
    assert!(!env.index().exists(), "the index was created: {err}");
    let out = env.cmd().arg("extract").arg(&missing).assert_exit_code(2);
    assert!(stderr(&out).contains("no such file or folder"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
}

#[test]
fn warnings_are_grouped_by_reason_and_verbose_lists_each() {
    let env = Dir::new();
    let lines: String = (0..5).map(|i| format!("{{\"title\": \"T{i}\"}}\n")).collect();
    env.write("c/a.jsonl", format!("{lines}{{\"text\": \"Ann Lee said that it works.\"}}\n"));
    env.write("c/b.json", "{not json");
    let c = env.path("c");
    for cmd in ["extract", "ingest"] {
        let out = env.cmd().arg(cmd).arg(&c).output();
        let err = stderr(&out);
        let warnings: Vec<&str> = err.lines().filter(|l| l.contains("warning:")).collect();
        assert_eq!(warnings.len(), 2, "{cmd}: {err}");
        let a = c.join("a.jsonl").display().to_string();
        assert!(
            warnings
                .iter()
                .any(|w| w.starts_with("whosaid: warning: 5 records skipped: no article text")
                    && w.contains(&format!("e.g. {a}:1, :2, :3 … (--verbose lists all)"))),
            "{cmd}: {err}"
        );
        assert!(warnings.iter().any(|w| w.contains("b.json: ")), "{cmd}: {err}");
        // A new index, or ingest would leave the unchanged files unread.
        let _ = std::fs::remove_dir_all(env.index());
        let out = env.cmd().arg(cmd).arg(&c).arg("--verbose").output();
        let err = stderr(&out);
        let each: Vec<&str> = err.lines().filter(|l| l.contains("no article text")).collect();
        assert_eq!(each.len(), 5, "{cmd} --verbose: {err}");
        assert!(each[4].contains("a.jsonl:5: "), "{err}");
    }
    // --verbose is global too.
    let out = env.cmd().arg("--verbose").arg("extract").arg(&c).output();
    assert_eq!(stderr(&out).matches("no article text").count(), 5, "{}", stderr(&out));
}

#[test]
fn mangled_quotation_marks_are_repaired_and_counted() {
    let env = Dir::new();
    // A lost curly quote left `"?`; mojibake of curly quotes; a real question.
    env.write("c/a.txt", "\"We will fix the roads,\"?Mayor Ann Lee said on Monday.\n");
    env.write("c/b.txt", "Tom Baker said itâ€™s â€œa good dayâ€\u{9d} for the city.\n");
    env.write("c/c.txt", "\"Why?\" asked Ada Brunn. Did she say \"no\"? She did.\n");
    let c = env.path("c");
    let out = env.cmd().args(["extract", "--with-body"]).arg(&c).output();
    let err = stderr(&out);
    assert!(err.contains("repaired quotation marks in 2 articles"), "{err}");
    let lines = json_lines(&out);
    let body = |id: &str| -> String {
        lines.iter().find(|l| l["article"] == id && l.get("body").is_some()).unwrap()["body"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(
        body("a.txt").contains("\"We will fix the roads,\" Mayor Ann Lee"),
        "{}",
        body("a.txt")
    );
    assert_eq!(body("b.txt"), "Tom Baker said it’s “a good day” for the city.\n");
    assert_eq!(body("c.txt"), "\"Why?\" asked Ada Brunn. Did she say \"no\"? She did.\n");
    // Spans index the repaired body, and the quote no longer runs on.
    for s in lines.iter().filter(|l| l.get("span").is_some()) {
        let b = body(s["article"].as_str().unwrap());
        let (start, end) =
            (s["span"][0].as_u64().unwrap() as usize, s["span"][1].as_u64().unwrap() as usize);
        assert_eq!(b.get(start..end), s["text"].as_str(), "{s}");
    }
    let lee = lines.iter().find(|l| l["speaker"] == "Ann Lee").expect("Ann Lee's statement");
    assert_eq!(lee["text"], "We will fix the roads,", "{lee}");
    let out = env.cmd().arg("ingest").arg(&c).output();
    assert!(stderr(&out).contains("repaired quotation marks in 2 articles"), "{}", stderr(&out));
}

/// `stats`, `speakers`, the speaker facet of `query '*'`, and `who` count each
/// speaker's statements alike, name variants merged; returns stats.
fn assert_counts_agree(env: &Dir, phrases: &[&str]) -> Value {
    let stats = env.json(&["stats", "--json"]);
    let all = env.json(&["query", "*", "--json", "--limit", "0"]);
    assert_eq!(all["total"], stats["statements"], "{all}");
    let facet = all["facets"]["speaker"].as_array().unwrap();
    let unnamed = facet.iter().filter(|f| f["speaker_type"] == "unnamed").count() as u64;
    assert_eq!(stats["unnamed_speakers"].as_u64(), Some(unnamed), "{stats}");
    assert_eq!(stats["speakers"].as_u64(), Some(facet.len() as u64 - unnamed), "{stats}");
    let listed = env.json(&["speakers", "--json", "--limit", "0"]);
    let listed = listed["speakers"].as_array().unwrap();
    assert_eq!(listed.len(), facet.len());
    let listed_count = |label: &Value| {
        listed.iter().find(|s| s["label"] == *label).map(|s| s["statements"].clone())
    };
    for f in facet.iter().take(50) {
        assert_eq!(listed_count(&f["label"]), Some(f["count"].clone()), "{f}");
    }
    for top in stats["top_speakers"].as_array().unwrap() {
        let f = facet.iter().find(|f| f["label"] == top["label"]).unwrap();
        assert_eq!(f["count"], top["count"], "{top}");
    }
    for phrase in phrases {
        let who = env.json(&["who", phrase, "--json", "--limit", "5"]);
        // Only an exact match is the same question as a quoted phrase in `query`.
        if who["match"] != "exact" {
            continue;
        }
        for s in who["speakers"].as_array().unwrap() {
            let label = s["label"].as_str().unwrap();
            let q = env.json(&[
                "query",
                &format!("\"{phrase}\""),
                "--speaker",
                label,
                "--json",
                "--limit",
                "0",
            ]);
            assert_eq!(q["total"], s["statements"], "who {phrase:?} vs query for {label}");
        }
    }
    stats
}

/// Ingest's summary (`err`) counts articles and speakers as `stats` does.
fn assert_summary_agrees(err: &str, stats: &Value) {
    let line = format!(
        " articles read, {} with statements, {} statements",
        stats["articles"], stats["statements"]
    );
    assert!(err.contains(&line), "{line:?} not in {err}");
    let s = |n: &Value| if n.as_u64() == Some(1) { "" } else { "s" };
    let (named, unnamed) = (&stats["speakers"], &stats["unnamed_speakers"]);
    let speakers =
        format!("holds {named} speaker{} and {unnamed} unnamed speaker{}", s(named), s(unnamed));
    assert!(err.contains(&speakers), "{speakers:?} not in {err}");
}

#[test]
fn counts_agree_on_invented_articles() {
    let env = Dir::new();
    env.write("c/one.txt", "“The bridge will open in May,” said Ann Lee, the mayor.\nLee said the bridge will open in May.\n");
    env.write(
        "c/two.txt",
        "Mayor Ann Lee said the bridge will open in May.\n“We are ready,” Lee said.\n",
    );
    env.write(
        "c/three.txt",
        "Tom Baker said the bridge will open in May.\nAnalysts said the bridge will open late.\n",
    );
    env.write("c/empty.txt", "The weather was fine on Sunday.\n");
    let out = env.ingest(&env.path("c"));
    let err = stderr(&out);
    let stats = assert_counts_agree(&env, &["the bridge will open"]);
    assert_summary_agrees(&err, &stats);
    assert!(err.contains("4 articles read, "), "{err}");
    assert_eq!(stats["articles"], 3, "{stats}");
    assert_eq!(stats["articles_read"], 4, "{stats}");
    let listed = env.json(&["speakers", "Lee", "--json"]);
    assert_eq!(listed["speakers"][0]["statements"], 4, "{listed}");
}

#[test]
fn counts_agree_on_the_corpora() {
    let Some(dir) = corpora() else { return };
    let env = Dir::new();
    let out = env.ingest(&dir);
    let err = stderr(&out);
    let top =
        env.json(&["stats", "--json"])["top_speakers"][0]["value"].as_str().unwrap().to_string();
    let phrase = {
        // A phrase the top speaker said: the first words of one of their statements.
        let q = env.json(&["query", "*", "--speaker", &top, "--json", "--limit", "1"]);
        let text = q["hits"][0]["text"].as_str().unwrap().to_string();
        let words: Vec<String> = text
            .split_whitespace()
            .map(|w| w.chars().filter(|c| c.is_alphanumeric()).collect::<String>())
            .filter(|w| !w.is_empty())
            .take(3)
            .collect();
        words.join(" ")
    };
    let stats = assert_counts_agree(&env, &[&phrase, "fake news"]);
    assert_summary_agrees(&err, &stats);
    assert!(err.contains("project files ("), "{err}");
    assert!(err.contains("repaired quotation marks in "), "{err}");
}

/// `ingest .` in a folder that holds the index does not read the index's own JSON
/// files as articles, and a FIFO is named and skipped, never read (a read would wait
/// for a writer forever) nor skipped without a word.
#[test]
fn an_index_folder_is_never_read_and_a_fifo_is_named() {
    // The index (`index/`) sits inside the folder ingested, as `cd proj && whosaid
    // ingest .` makes it.
    let env = Dir::new();
    env.write(
        "harbor.md",
        "---\ndate: 2025-04-02\n---\nAnn Lee said that the harbor would reopen in May.\n",
    );
    let made = std::process::Command::new("mkfifo").arg(env.path("pipe.txt")).status();
    let has_fifo = made.is_ok_and(|s| s.success());
    for _ in 0..2 {
        let out = env.cmd().arg("ingest").arg(env.path(".")).output();
        let err = stderr(&out);
        assert!(err.contains("index: a whosaid index, not articles: not read"), "{err}");
        if has_fifo {
            assert!(
                err.contains("pipe.txt: not a regular file (a FIFO, socket or device)"),
                "{err}"
            );
        }
    }
    let stats = env.json(&["stats", "--json"]);
    assert_eq!(stats["statements"], 1, "{stats}");
    assert_eq!(stats["articles_read"], 1, "{stats}");
}

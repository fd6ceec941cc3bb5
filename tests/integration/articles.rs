//! From every answer back to the article: the article store written by ingest,
//! `show ID` (text and JSON, an unknown id, ids of JSON Lines records), and the
//! context each hit of `query` and `who` carries (in JSON and on the terminal).

use crate::common::{stderr, stdout, Dir};

/// Two invented articles: a text file with a title, and a JSON Lines file of two
/// records (one with a URL) whose ids are `news.jsonl#…`.
fn corpus(env: &Dir) -> std::path::PathBuf {
    env.write(
        "in/council.md",
        "---\ntitle: Council weighs water rates\ndate: 2025-01-10\nsource: Harbor Gazette\n---\n\
         The council met on Monday evening.\n\n\
         “Rates will rise by spring,” Ann Lee said at the meeting. She left early.\n",
    );
    env.write(
        "in/news.jsonl",
        concat!(
            r#"{"id": "r1", "title": "Bridge reopens", "date": "2025-02-01", "url": "https://news.example/bridge", "text": "The bridge reopened on Friday. Tom Baker said that the repairs had cost less than planned. Traffic was light."}"#,
            "\n",
            r#"{"id": "r2", "title": "Ferry delayed", "date": "2025-02-02", "text": "The ferry was late again. Passengers waited on the pier."}"#,
            "\n"
        ),
    );
    env.root().join("in")
}

#[test]
fn show_prints_an_article_with_its_statements_marked() {
    let env = Dir::new();
    env.ingest(&corpus(&env));
    let hits = env.json(&["query", "rates", "--json"]);
    let id = hits["hits"][0]["article"].as_str().unwrap().to_string();
    let out = env.cmd().args(["--color", "never", "show", &id]).stdout();
    assert!(out.starts_with("Council weighs water rates\nHarbor Gazette · 2025-01-10\n"), "{out}");
    assert!(out.contains(&format!("article {id}")), "{out}");
    assert!(out.contains("The council met on Monday evening."), "{out}");
    assert!(out.contains("“[1: Rates will rise by spring,]” Ann Lee said"), "{out}");
    assert!(out.contains("  [1] Ann Lee — said — 2025-01-10"), "{out}");
    assert!(out.contains("— direct"), "{out}");
}

#[test]
fn show_json_has_the_article_with_its_body_and_statements_pointing_into_it() {
    let env = Dir::new();
    env.ingest(&corpus(&env));
    let view = env.json(&["show", "news.jsonl#r1", "--json"]);
    let article = &view["article"];
    assert_eq!(article["id"], "news.jsonl#r1");
    assert_eq!(article["title"], "Bridge reopens");
    assert_eq!(article["url"], "https://news.example/bridge");
    assert_eq!(article["date"], "2025-02-01");
    assert!(article["path"].as_str().unwrap().ends_with("news.jsonl"), "{article}");
    let body = article["body"].as_str().unwrap();
    let statements = view["statements"].as_array().unwrap();
    assert_eq!(statements.len(), 1, "{view}");
    let st = &statements[0];
    assert_eq!(st["speaker"], "Tom Baker");
    let span: Vec<usize> =
        st["span"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
    assert_eq!(&body[span[0]..span[1]], st["text"].as_str().unwrap());
    // An article with no statement is stored too, and shown as such.
    let none = env.cmd().args(["--color", "never", "show", "news.jsonl#r2"]).stdout();
    assert!(none.contains("No statements found in this article."), "{none}");
}

#[test]
fn an_unknown_id_exits_1_and_names_ids_like_it() {
    let env = Dir::new();
    env.ingest(&corpus(&env));
    let out = env.run(&["show", "news.jsonl#r"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    assert!(err.contains("no article with id \"news.jsonl#r\""), "{err}");
    assert!(err.contains("\"news.jsonl#r1\", \"news.jsonl#r2\""), "{err}");
    // Same file, another id: the file's ids.
    let err = stderr(&env.run(&["show", "news.jsonl#832"]));
    assert!(err.contains("\"news.jsonl#r1\""), "{err}");
    // Nothing like it: where ids are printed.
    let err = stderr(&env.run(&["show", "zzz"]));
    assert!(err.contains("ids are printed with every hit"), "{err}");
}

#[test]
fn query_and_who_json_carry_the_context_with_the_statement_in_it() {
    let env = Dir::new();
    env.ingest(&corpus(&env));
    let check = |hit: &serde_json::Value| {
        let c = &hit["context"];
        let text = c["text"].as_str().unwrap();
        let at = |key: &str| -> &str {
            let r = c[key].as_array().unwrap();
            &text[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize]
        };
        assert_eq!(at("statement"), hit["text"].as_str().unwrap(), "{c}");
        assert_eq!(at("speaker"), hit["speaker_mention"].as_str().unwrap(), "{c}");
        assert_eq!(at("cue"), hit["cue"].as_str().unwrap(), "{c}");
        text.to_string()
    };
    let q = env.json(&["query", "rates", "--json"]);
    assert_eq!(check(&q["hits"][0]), "“Rates will rise by spring,” Ann Lee said at the meeting.");
    let who = env.json(&["who", "repairs", "--json"]);
    let example = &who["speakers"][0]["example"];
    assert_eq!(check(example), "Tom Baker said that the repairs had cost less than planned.");
    let sorted = env.json(&["who", "repairs", "--sort", "date", "--json"]);
    check(&sorted["statements"][0]);
}

#[test]
fn terminal_hits_show_the_context_and_the_article_line() {
    let env = Dir::new();
    env.ingest(&corpus(&env));
    let out = env.cmd().args(["--color", "never", "query", "repairs"]).stdout();
    assert!(
        out.contains("    [Tom Baker said that the repairs had cost less than planned.]")
            || out.contains("    Tom Baker said that [the repairs had cost less than planned]."),
        "{out}"
    );
    assert!(
        // The source is the site of the URL (the record names no publisher).
        out.contains("    Bridge reopens — news.example, article news.jsonl#r1 (https://news.example/bridge)\n"),
        "{out}"
    );
    let who = env.cmd().args(["--color", "never", "who", "rates"]).stdout();
    assert!(who.contains("“[Rates will rise by spring,]” Ann Lee said at the meeting."), "{who}");
    assert!(who.contains("Council weighs water rates — Harbor Gazette, article "), "{who}");
    // In colour the statement is bold and the match red, with no brackets.
    let coloured = env.cmd().args(["--color", "always", "query", "repairs"]).stdout();
    assert!(coloured.contains("\x1b[1m\x1b[31mrepairs\x1b[0m"), "{coloured:?}");
    assert!(!coloured.contains("[the repairs"), "{coloured:?}");
}

#[test]
fn a_changed_or_pruned_file_takes_its_articles_with_it() {
    let env = Dir::new();
    let dir = corpus(&env);
    env.ingest(&dir);
    env.write(
        "in/news.jsonl",
        r#"{"id": "r3", "title": "Dock opens", "date": "2025-03-01", "text": "Ada Brunn said the dock would open soon."}"#,
    );
    env.ingest(&dir);
    assert_eq!(env.run(&["show", "news.jsonl#r1"]).status.code(), Some(1));
    let view = env.json(&["show", "news.jsonl#r3", "--json"]);
    assert_eq!(view["statements"][0]["speaker"], "Ada Brunn");
    std::fs::remove_file(env.path("in/news.jsonl")).unwrap();
    env.cmd().arg("ingest").arg(&dir).arg("--prune").assert_success();
    assert_eq!(env.run(&["show", "news.jsonl#r3"]).status.code(), Some(1));
    assert_eq!(env.run(&["--color", "never", "query", "rates"]).status.code(), Some(0));
}

/// Issue 19: article ids are paths below the path named, so two files can give one
/// id. File names that differ only in bytes that are not UTF-8 once became one id
/// (both spelled with U+FFFD): the second file's articles replaced the first's (the
/// summary said 2 articles and 6 statements, the index held 1 and 3).
#[test]
fn file_names_that_differ_only_in_invalid_bytes_keep_two_articles() {
    use std::os::unix::ffi::OsStrExt;
    let env = Dir::new();
    let said = "“The bridge will open,” said Ann Lee. “It is late,” Tom Baker said.\n";
    for (byte, extra) in [(0xffu8, ""), (0xfe, "“Costs will rise,” said Ada Brunn.\n")] {
        let bytes = [b'n', byte, b'.', b't', b'x', b't'];
        let name = std::ffi::OsStr::from_bytes(&bytes);
        std::fs::create_dir_all(env.path("in")).unwrap();
        std::fs::write(env.path("in").join(name), format!("{said}{extra}")).unwrap();
    }
    env.ingest(&env.path("in"));
    let stats = env.json(&["stats", "--json"]);
    assert_eq!(
        (stats["articles"].as_u64(), stats["statements"].as_u64()),
        (Some(2), Some(5)),
        "{stats}"
    );
    // Lossless: each invalid byte spelled as \xHH, so `show` finds each article.
    let view = env.json(&["show", "n\\xFE.txt", "--json"]);
    assert_eq!(view["statements"].as_array().map(Vec::len), Some(3), "{view}");
    assert_eq!(
        env.json(&["show", "n\\xFF.txt", "--json"])["statements"].as_array().map(Vec::len),
        Some(2)
    );
}

/// Issue 19: `ingest a/x.txt b/x.txt` gave both files the id `x.txt`, and the second
/// replaced the first's statements without a word. The second now gets `b/x.txt`,
/// with a note, in this run and the ones after (the file list records whose id is
/// whose), and keeps it when it is read again.
#[test]
fn the_same_file_name_under_two_paths_keeps_both_files_statements() {
    let env = Dir::new();
    let a = env.write("a/x.txt", "“The bridge will open,” said Ann Lee.\n");
    let b =
        env.write("b/x.txt", "“Costs will rise,” said Ada Brunn. “Not soon,” Tom Baker said.\n");
    let out = env.cmd().arg("ingest").arg(&a).arg(&b).assert_success();
    let err = stderr(&out);
    assert!(err.contains("has the article id x.txt: this file's articles are b/x.txt"), "{err}");
    let stats = env.json(&["stats", "--json"]);
    assert_eq!(
        (stats["articles"].as_u64(), stats["statements"].as_u64()),
        (Some(2), Some(3)),
        "{stats}"
    );
    assert_eq!(env.json(&["show", "x.txt", "--json"])["statements"][0]["speaker"], "Ann Lee");
    assert_eq!(env.json(&["show", "b/x.txt", "--json"])["statements"][0]["speaker"], "Ada Brunn");

    // Later runs: b/x.txt changed and read alone keeps its id, quietly; a third x.txt
    // named alone is kept apart from both.
    env.write("b/x.txt", "“Costs will rise,” said Ada Brunn.\n");
    let again = env.cmd().arg("ingest").arg(&b).assert_success();
    assert!(!stderr(&again).contains("article id"), "{}", stderr(&again));
    let c = env.write("c/x.txt", "“Rates will fall,” said Tom Baker.\n");
    let third = env.cmd().arg("ingest").arg(&c).assert_success();
    assert!(stderr(&third).contains("this file's articles are c/x.txt"), "{}", stderr(&third));
    let stats = env.json(&["stats", "--json"]);
    assert_eq!(
        (stats["articles"].as_u64(), stats["statements"].as_u64()),
        (Some(3), Some(3)),
        "{stats}"
    );
}

//! The binary end to end: extract's JSON contract, every input format through
//! ingest, bad records reported by line, re-ingest idempotence, queries, exit codes.

use crate::common::{demo_articles, stderr, stdout, Cmd, Dir};
use serde::Deserialize;

/// The documented statement shape; unknown fields are an error, so a field added
/// without updating the docs and this struct fails here.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct StatementJson {
    id: String,
    article: String,
    path: String,
    title: Option<String>,
    source: Option<String>,
    text: String,
    kind: String,
    speaker: Option<String>,
    /// "person", "organization", "unnamed"; null when `speaker` is.
    speaker_type: Option<String>,
    speaker_mention: Option<String>,
    cue: Option<String>,
    date: Option<String>,
    date_precision: Option<String>,
    date_source: Option<String>,
    period: Option<String>,
    article_date: Option<String>,
    span: [usize; 2],
    speaker_span: Option<[usize; 2]>,
    cue_span: Option<[usize; 2]>,
    role: Option<String>,
    url: Option<String>,
    date_rejected: Option<String>,
}

fn extract(env: &Dir, path: &std::path::Path) -> Vec<StatementJson> {
    let out = env.cmd().arg("extract").arg(path).arg("--json").assert_success();
    stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn extract_json_has_the_documented_shape_and_spans_point_into_the_body() {
    let env = Dir::new();
    let txt = env.write(
        "a/breitbart_2016-10-12_slug.txt",
        "“We will win,” Sen. Ann Lee told reporters on Tuesday. “Nobody can stop us now.”\n\nHer rival, Tom Baker, said that the race was close.\n",
    );
    let statements = extract(&env, &txt);
    assert_eq!(statements.len(), 2);
    let body = std::fs::read_to_string(&txt).unwrap();
    for s in &statements {
        assert_eq!(&body[s.span[0]..s.span[1]], s.text);
        assert!(s.speaker.is_some() || s.speaker_type.is_none(), "a type needs a speaker: {s:?}");
        assert!(
            s.speaker_type
                .as_deref()
                .is_none_or(|t| ["person", "organization", "unnamed"].contains(&t)),
            "{s:?}"
        );
        if let Some([a, b]) = s.speaker_span {
            assert_eq!(Some(&body[a..b]), s.speaker_mention.as_deref());
        }
        if let Some([a, b]) = s.cue_span {
            assert_eq!(Some(&body[a..b]), s.cue.as_deref());
        }
        assert_eq!(s.article_date.as_deref(), Some("2016-10-12"));
    }
    assert_eq!(statements[0].speaker.as_deref(), Some("Ann Lee"));
    assert_eq!(statements[0].kind, "direct");
    // 2016-10-12 is a Wednesday: "on Tuesday" is the day before.
    assert_eq!(statements[0].date.as_deref(), Some("2016-10-11"));
    assert_eq!(statements[1].speaker.as_deref(), Some("Tom Baker"));
    assert_eq!(statements[1].kind, "indirect");
}

#[test]
fn demo_article_spans_hold_for_every_statement() {
    let env = Dir::new();
    let statements = extract(&env, &demo_articles());
    assert!(statements.len() >= 15);
    let raw = std::fs::read_to_string(demo_articles().join("ceasefire-2025-03-13.md")).unwrap();
    let body = raw.splitn(3, "---\n").nth(2).unwrap().trim_start_matches('\n');
    for s in &statements {
        assert_eq!(&body[s.span[0]..s.span[1]], s.text);
    }
}

#[test]
fn every_format_ingests_and_bad_lines_are_reported_with_their_numbers() {
    let env = Dir::new();
    env.write("in/plain.txt", "“Taxes will fall,” said Mayor Ann Lee.\n");
    env.write("in/front.md", "---\ntitle: Budget\ndate: 2020-05-04\nsource: Gazette\n---\nTom Baker said that the budget was balanced.\n");
    env.write("in/one.json", r#"{"id": "j1", "title": "T", "text": "Ann Lee said that schools would reopen.", "publish_date": "1588550400"}"#);
    env.write(
        "in/many.jsonl",
        "{\"id\": \"l1\", \"date\": \"2020-05-01\", \"text\": \"Tom Baker said that roads would be repaired.\"}\n{not json\n{\"id\": \"l3\", \"date\": \"2020-05-03\", \"text\": \"Ann Lee said that parks would open.\"}\n",
    );
    env.write(
        "in/rows.csv",
        "article_id,publish_date,title,text\nc1,2020/5/2,A,\"Tom Baker said that \"\"nothing\"\" would change.\"\nc2,2020/5/3\nc3,2020/5/4,C,Ann Lee said that the mayor would resign.\n",
    );
    env.write("in/ignored.pdf", "%PDF");
    let out = env.run(&["ingest", env.path("in").to_str().unwrap()]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("many.jsonl:2:"), "{err}");
    assert!(err.contains("rows.csv:3:"), "{err}");
    let stats = env.json(&["stats", "--json"]);
    assert_eq!(stats["articles"], 7, "{stats}");
    assert_eq!(stats["statements"], 7, "{stats}");
    let v = env.json(&["who", "parks would open", "--json"]);
    assert_eq!(v["speakers"][0]["speaker"], "Ann Lee");
    assert_eq!(v["speakers"][0]["first_date"], "2020-05-03");
}

#[test]
fn ingesting_twice_leaves_the_count_unchanged() {
    let env = Dir::new();
    let demo = demo_articles();
    env.run(&["ingest", demo.to_str().unwrap()]);
    let first = env.json(&["stats", "--json"]);
    let out = env.run(&["ingest", demo.to_str().unwrap()]);
    assert!(out.status.success());
    let second = env.json(&["stats", "--json"]);
    assert_eq!(first["statements"], second["statements"]);
    assert_eq!(first["articles"], second["articles"]);
    assert!(first["statements"].as_u64().unwrap() >= 15);
}

#[test]
fn query_counts_facets_over_all_matches_and_filters() {
    let env = Dir::new();
    env.run(&["ingest", demo_articles().to_str().unwrap()]);
    let v = env.json(&["query", "Russia", "--limit", "1", "--json"]);
    let total = v["total"].as_u64().unwrap();
    assert!(total >= 2, "{v}");
    assert_eq!(v["hits"].as_array().unwrap().len(), 1);
    let speaker_sum: u64 = v["facets"]["speaker"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["count"].as_u64().unwrap())
        .sum();
    assert_eq!(speaker_sum, total);
    assert!(v["hits"][0]["score"].is_number());
    let only = env.json(&["query", "Russia", "--speaker", "putin", "--json"]);
    assert!(
        only["hits"].as_array().unwrap().iter().all(|h| h["speaker"] == "Vladimir Putin"),
        "{only}"
    );
    let none = env.run(&["query", "Russia", "--until", "2025-03-01"]);
    assert_eq!(none.status.code(), Some(1));
    let human = env.run(&["query", "bloodbath"]);
    assert!(stdout(&human).contains("Donald Trump"));
}

#[test]
fn exit_codes_and_messages() {
    let env = Dir::new();
    let missing = env.run(&["who", "anything"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("whosaid ingest"), "{}", stderr(&missing));
    env.run(&["ingest", demo_articles().to_str().unwrap()]);
    assert_eq!(env.run(&["who", "zebra crossing quantum"]).status.code(), Some(1));
    // A stray parenthesis is read as a word (tests/data/odd-queries.tsv): no match,
    // exit 1; a date that is not one is still a bad query, exit 2.
    assert_eq!(env.run(&["query", "speaker_name:(", "--json"]).status.code(), Some(1));
    let bad = env.run(&["query", "date:March", "--json"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("query"), "{}", stderr(&bad));
    let bad_date = env.run(&["who", "peace", "--since", "March"]);
    assert_eq!(bad_date.status.code(), Some(2));
    assert_eq!(env.run(&["who", "bloodbath"]).status.code(), Some(0));
}

#[test]
fn index_from_environment_variable_and_global_flag_after_subcommand() {
    let env = Dir::new();
    Cmd::new()
        .arg("ingest")
        .arg(demo_articles())
        .env("WHOSAID_INDEX", env.index())
        .assert_success();
    Cmd::new().args(["stats", "--json", "--index"]).arg(env.index()).assert_success();
}

#[test]
fn speaker_filters_ignore_case_and_any_characters_are_literal() {
    let env = Dir::new();
    env.run(&["ingest", demo_articles().to_str().unwrap()]);
    let all = env.json(&["query", "*", "--limit", "0", "--json"]);
    let first = all["facets"]["speaker"][0]["value"].as_str().unwrap().to_string();
    let count = all["facets"]["speaker"][0]["count"].as_u64().unwrap();
    let upper =
        env.json(&["query", "*", "--speaker", &first.to_uppercase(), "--limit", "0", "--json"]);
    assert!(upper["total"].as_u64().unwrap() >= count, "{upper}");
    // Regular-expression characters match themselves, and a long value (too long for
    // the automaton) is compared the slow way: no results, not an error.
    for value in [".*".to_string(), "(".to_string(), "|?[".to_string(), "ab".repeat(3000)] {
        let out = env.run(&["query", "*", "--speaker", &value, "--json"]);
        assert_eq!(out.status.code(), Some(1), "{value:.40}: {}", stderr(&out));
    }
}

/// `--threads` and `--memory` are bounds: a huge thread count is cut to a few per
/// core with a warning (999 once took 6.8 GB and 16,000 aborted the process), a
/// budget too large to address is a range error, and a small budget with many
/// threads indexes on fewer threads instead of taking 16 MB a thread anyway.
#[test]
fn threads_and_memory_flags_are_bounded() {
    let env = Dir::new();
    let out =
        env.cmd().args(["ingest", "--threads", "16000"]).arg(demo_articles()).assert_success();
    let err = stderr(&out);
    assert!(err.contains("warning: --threads 16000 is more than 4 per core"), "{err}");
    assert!(err.contains("22 statements"), "{err}");

    let out = env
        .cmd()
        .args(["ingest", "--memory", "17592186044416"])
        .arg(demo_articles())
        .assert_exit_code(2);
    assert!(stderr(&out).contains("not in 16..=1048576"), "{}", stderr(&out));

    let small = Dir::new();
    let out = small
        .cmd()
        .args(["ingest", "--threads", "8", "--memory", "16"])
        .arg(demo_articles())
        .assert_success();
    assert!(stderr(&out).contains("22 statements"), "{}", stderr(&out));
    assert_eq!(small.json(&["stats", "--json"])["statements"], 22);
}

//! `whosaid export` through the binary: every line parses, carries every field the
//! Quickwit config and the OpenSearch mapping in `scripts/cluster/` name (and no
//! other), with values of the mapped types; es-bulk alternates action and document
//! lines; ids survive a re-ingest; query and filters narrow the export as they
//! narrow `query`. The people are invented.

use std::collections::{BTreeMap, BTreeSet};

use crate::common::{json_lines, repo_path, stderr, stdout, Dir};
use serde_json::Value;
use yaml_rust2::{Yaml, YamlLoader};

const ONE: &str = "---\ntitle: River talks open\ndate: 2025-03-10\nsource: Valley Post\nurl: https://example.org/one\n---\n\
“We will not surrender the river,” Mykola Brovarskyy told reporters on Sunday.\n\n\
Ann Lee, the budget minister, said that taxes would rise.\n\n\
Last month, Tom Baker said the budget was wrong.\n";
const TWO: &str = "---\ntitle: River talks go on\ndate: 2025-03-12\n---\n\
“We will not surrender the river,” Mykola Brovarsky said.\n\n\
“Taxes will rise again,” Ann Lee said.\n";
/// No date anywhere: article_date and date are null.
const UNDATED: &str = "Tom Baker said that the river would flood.\n";

fn ingested() -> Dir {
    let env = Dir::new();
    env.write("a/one.md", ONE);
    env.write("a/two.md", TWO);
    env.write("a/undated.txt", UNDATED);
    ingest(&env);
    env
}

fn ingest(env: &Dir) {
    env.ingest(&env.path("a"));
}

fn export(env: &Dir, args: &[&str]) -> Vec<Value> {
    json_lines(&env.cmd().arg("export").args(args).assert_success())
}

fn cluster_file(name: &str) -> String {
    let p = repo_path("scripts/cluster").join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Field name → (type, the field's other settings) from the Quickwit index config.
fn quickwit_fields() -> BTreeMap<String, (String, BTreeMap<String, String>)> {
    let docs = YamlLoader::load_from_str(&cluster_file("quickwit-index.yaml"))
        .expect("quickwit-index.yaml is YAML");
    let config = &docs[0];
    assert_eq!(config["doc_mapping"]["mode"].as_str(), Some("strict"));
    let mappings = config["doc_mapping"]["field_mappings"].as_vec().expect("field_mappings");
    let scalar = |y: &Yaml| match y {
        Yaml::String(s) => s.clone(),
        Yaml::Boolean(b) => b.to_string(),
        Yaml::Array(a) => a.iter().filter_map(|v| v.as_str()).collect::<Vec<_>>().join(","),
        other => format!("{other:?}"),
    };
    mappings
        .iter()
        .map(|m| {
            let hash = m.as_hash().expect("a field mapping is a map");
            let settings: BTreeMap<String, String> = hash
                .iter()
                .filter_map(|(k, v)| Some((k.as_str()?.to_string(), scalar(v))))
                .collect();
            (settings["name"].clone(), (settings["type"].clone(), settings))
        })
        .collect()
}

/// Field name → mapping from the OpenSearch index body.
fn opensearch_fields() -> BTreeMap<String, Value> {
    let body: Value = serde_json::from_str(&cluster_file("opensearch-index.json"))
        .expect("opensearch-index.json is JSON");
    assert_eq!(body["mappings"]["dynamic"], "strict");
    body["mappings"]["properties"]
        .as_object()
        .expect("properties")
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn is_rfc3339_day(v: &str) -> bool {
    v.len() == 20 && v.ends_with("T00:00:00Z") && v[..10].parse::<jiff::civil::Date>().is_ok()
}

/// Whether `value` is one Quickwit accepts for a field of type `ty` (null: missing).
fn fits_quickwit(ty: &str, value: &Value) -> bool {
    match (ty, value) {
        (_, Value::Null) => true,
        ("text", Value::String(_)) => true,
        ("datetime", Value::String(s)) => is_rfc3339_day(s),
        ("array<u64>", Value::Array(a)) => a.iter().all(|n| n.is_u64()),
        _ => false,
    }
}

fn fits_opensearch(mapping: &Value, value: &Value) -> bool {
    match (mapping["type"].as_str().unwrap_or(""), value) {
        (_, Value::Null) => true,
        ("keyword" | "text", Value::String(_)) => true,
        ("date", Value::String(s)) => {
            mapping["format"] == "strict_date_optional_time" && is_rfc3339_day(s)
        }
        ("long", Value::Array(a)) => a.iter().all(|n| n.is_i64()),
        _ => false,
    }
}

#[test]
fn every_line_parses_and_carries_exactly_the_mapped_fields() {
    let env = ingested();
    let docs = export(&env, &[]);
    let stats = env.json(&["stats", "--json"]);
    assert_eq!(docs.len() as u64, stats["statements"].as_u64().unwrap(), "every statement once");
    assert!(docs.len() >= 6, "{docs:?}");

    let quickwit = quickwit_fields();
    let opensearch = opensearch_fields();
    let quickwit_names: BTreeSet<&String> = quickwit.keys().collect();
    let opensearch_names: BTreeSet<&String> = opensearch.keys().collect();
    assert_eq!(quickwit_names, opensearch_names, "the two mappings name the same fields");

    let mut ids = BTreeSet::new();
    for doc in &docs {
        let obj = doc.as_object().expect("each line is an object");
        let keys: BTreeSet<&String> = obj.keys().collect();
        assert_eq!(keys, quickwit_names, "export fields = mapped fields: {doc}");
        for (name, value) in obj {
            assert!(
                fits_quickwit(&quickwit[name].0, value),
                "{name}: {value} is not a Quickwit {}",
                quickwit[name].0
            );
            assert!(
                fits_opensearch(&opensearch[name], value),
                "{name}: {value} does not fit {}",
                opensearch[name]
            );
        }
        assert!(ids.insert(doc["id"].as_str().unwrap().to_string()), "ids are unique: {doc}");
        // A day only for day precision; the period keeps coarser dates.
        assert_eq!(doc["date"].is_string(), doc["date_precision"] == "day", "{doc}");
        assert_eq!(doc["period"].is_null(), doc["date_precision"].is_null(), "{doc}");
    }
    let coarse = docs
        .iter()
        .find(|d| d["speaker"] == "Tom Baker" && d["date_precision"] == "month")
        .expect("a month-precision statement");
    assert_eq!(coarse["period"], "2025-02", "{coarse}");
    assert!(coarse["date"].is_null());
    let undated = docs
        .iter()
        .find(|d| d["path"].as_str().is_some_and(|p| p.ends_with("undated.txt")))
        .expect("the undated article");
    assert!(undated["article_date"].is_null() && undated["date"].is_null(), "{undated}");
    let sunday = docs
        .iter()
        .find(|d| {
            d["text"].as_str().is_some_and(|t| t.contains("surrender"))
                && d["article_date"] == "2025-03-10T00:00:00Z"
        })
        .unwrap();
    assert_eq!(sunday["date"], "2025-03-09T00:00:00Z", "{sunday}");
    assert_eq!(sunday["source"], "Valley Post");
    assert_eq!(sunday["url"], "https://example.org/one");

    // The ids and texts are extract's: the export adds nothing and drops nothing.
    let extracted = extracted_by_id(&env);
    assert_eq!(extracted.keys().cloned().collect::<BTreeSet<_>>(), ids);
    for doc in &docs {
        let st = &extracted[doc["id"].as_str().unwrap()];
        for field in [
            "text",
            "speaker",
            "speaker_type",
            "kind",
            "span",
            "speaker_span",
            "cue_span",
            "period",
            "date_precision",
            "role",
            "path",
        ] {
            assert_eq!(doc[field], st[field], "{field}: {doc} vs {st}");
        }
    }
}

#[test]
fn the_mappings_index_what_the_issue_asks() {
    let quickwit = quickwit_fields();
    let setting = |field: &str, key: &str| quickwit[field].1.get(key).cloned().unwrap_or_default();
    assert_eq!(
        (setting("speaker", "tokenizer"), setting("speaker", "fast")),
        ("raw".into(), "true".into())
    );
    assert_eq!(
        (quickwit["date"].0.as_str(), setting("date", "fast"), setting("date", "input_formats")),
        ("datetime", "true".into(), "rfc3339".into())
    );
    assert_eq!(setting("text", "record"), "position");
    let opensearch = opensearch_fields();
    assert_eq!(opensearch["speaker"]["type"], "keyword");
    assert_eq!(opensearch["date"]["type"], "date");
    assert_eq!(opensearch["text"]["type"], "text");
    assert_eq!(opensearch["text"]["index_options"], "positions");
    // Issue 20: phrases go to a subfield tokenized as whosaid tokenizes (runs of
    // letters and digits, lower-cased, accents folded), not through the English
    // analyzer, which drops stop words ("will not" matched nothing) and stems.
    let exact = &opensearch["text"]["fields"]["exact"];
    assert_eq!(
        (&exact["analyzer"], &exact["index_options"]),
        (&Value::from("whosaid_exact"), &Value::from("positions"))
    );
    let body: Value = serde_json::from_str(&cluster_file("opensearch-index.json")).unwrap();
    let analysis = &body["settings"]["analysis"];
    let analyzer = &analysis["analyzer"]["whosaid_exact"];
    assert_eq!(analyzer["filter"], serde_json::json!(["lowercase", "asciifolding"]));
    let tokenizer = &analysis["tokenizer"][analyzer["tokenizer"].as_str().unwrap()];
    assert_eq!(
        (&tokenizer["type"], &tokenizer["pattern"]),
        (&Value::from("pattern"), &Value::from("[^\\p{IsAlphabetic}\\p{N}]+"))
    );
}

#[test]
fn es_bulk_alternates_action_and_document_lines() {
    let env = ingested();
    let plain = export(&env, &[]);
    let bulk = export(&env, &["--format", "es-bulk"]);
    assert_eq!(bulk.len(), 2 * plain.len());
    for (pair, doc) in bulk.chunks(2).zip(&plain) {
        let action = pair[0].as_object().unwrap();
        assert_eq!(action.keys().collect::<Vec<_>>(), ["create"], "{}", pair[0]);
        assert_eq!(pair[0]["create"]["_index"], "whosaid");
        assert_eq!(pair[0]["create"]["_id"], pair[1]["id"]);
        assert_eq!(&pair[1], doc, "the document line is the ndjson line");
    }
    let named =
        export(&env, &["--format", "es-bulk", "--index-name", "news-2025", "--action", "index"]);
    assert_eq!(named[0]["index"]["_index"], "news-2025", "{}", named[0]);
    assert!(named[0]["index"]["_id"].is_string());
}

#[test]
fn ids_are_stable_across_reingest_and_replaced_statements_are_not_exported() {
    let env = ingested();
    let ids = |docs: Vec<Value>| {
        docs.iter().map(|d| d["id"].as_str().unwrap().to_string()).collect::<BTreeSet<_>>()
    };
    let before = ids(export(&env, &[]));
    // Re-ingesting an article replaces its statements: the old ones stay in their
    // segment as deleted documents until a merge, and must not come out twice.
    env.ingest(&env.path("a/two.md"));
    let again = export(&env, &[]);
    assert_eq!(again.len(), before.len(), "no deleted statement exported");
    assert_eq!(ids(again), before);
    // A fresh index from the same files gives the same ids.
    let fresh = Dir::new();
    fresh.write("a/one.md", ONE);
    fresh.write("a/two.md", TWO);
    fresh.write("a/undated.txt", UNDATED);
    ingest(&fresh);
    assert_eq!(ids(export(&fresh, &[])), before);
}

#[test]
fn query_and_filters_narrow_the_export_like_query() {
    let env = ingested();
    for args in [
        &["taxes"][..],
        &["*", "--speaker", "ann lee"],
        &["river", "--since", "2025-03-11"],
        &["*", "--kind", "direct"],
        &["*", "--source", "valley post"],
    ] {
        let docs = export(&env, args);
        let q = env.json(&[&["query", "--json", "--limit", "100"], args].concat());
        let want: BTreeSet<&str> =
            q["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap()).collect();
        let got: BTreeSet<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
        assert!(!got.is_empty(), "{args:?}");
        assert_eq!(got, want, "{args:?}");
    }
    let out = env.run(&["export", "nosuchwordanywhere"]);
    assert_eq!(out.status.code(), Some(1), "no statement: exit 1");
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains("exported 0 statements"), "{}", stderr(&out));
    // An unpaired parenthesis is a word now; a date that is not one is an error.
    let bad = env.run(&["export", "date:2020"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
}

#[test]
fn the_canonical_speaker_merges_name_variants() {
    let env = ingested();
    let docs = export(&env, &[]);
    let river: Vec<&Value> = docs
        .iter()
        .filter(|d| d["text"].as_str().is_some_and(|t| t.contains("surrender")))
        .collect();
    let raw: BTreeSet<&str> = river.iter().filter_map(|d| d["speaker"].as_str()).collect();
    let canonical: BTreeSet<&str> =
        river.iter().filter_map(|d| d["speaker_canonical"].as_str()).collect();
    assert_eq!(raw.len(), 2, "two spellings: {raw:?}");
    assert_eq!(canonical.len(), 1, "one person: {canonical:?}");
    let unchanged = docs.iter().find(|d| d["speaker"] == "Tom Baker").unwrap();
    assert_eq!(unchanged["speaker_canonical"], "Tom Baker");
}

#[test]
fn export_without_an_index_is_an_error() {
    let env = Dir::new();
    let out = env.run(&["export"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no index"), "{}", stderr(&out));
}

/// Issue 15: the speaker's type survives the index: `export` and `query --json` give
/// each statement the type `extract` gave it, and an unnamed speaker's canonical name
/// is never a person's.
#[test]
fn speaker_types_round_trip_through_export_and_query() {
    let env = Dir::new();
    env.write(
        "a/prices.md",
        "---\ntitle: Prices\ndate: 2025-03-10\n---\n\
“Prices will rise in the spring,” analysts said.\n\n\
“Prices will rise in the spring,” Anna Kovalsky said.\n",
    );
    ingest(&env);
    let extracted = extracted_by_id(&env);
    let types: BTreeSet<&str> =
        extracted.values().filter_map(|v| v["speaker_type"].as_str()).collect();
    assert_eq!(types, BTreeSet::from(["person", "unnamed"]), "{extracted:?}");
    let docs = export(&env, &[]);
    let hits = env.json(&["query", "--json", "--limit", "100"]);
    assert_eq!(docs.len(), extracted.len());
    for (doc, hit) in docs.iter().zip(hits["hits"].as_array().unwrap()) {
        assert_eq!(
            doc["speaker_type"],
            extracted[doc["id"].as_str().unwrap()]["speaker_type"],
            "{doc}"
        );
        assert_eq!(
            hit["speaker_type"],
            extracted[hit["id"].as_str().unwrap()]["speaker_type"],
            "{hit}"
        );
    }
    let unnamed = docs.iter().find(|d| d["speaker_type"] == "unnamed").unwrap();
    assert_eq!(
        (&unnamed["speaker"], &unnamed["speaker_canonical"]),
        (&Value::from("analysts"), &Value::from("analysts"))
    );
    let only = export(&env, &["*", "--speaker-type", "unnamed"]);
    assert_eq!(only.iter().map(|d| d["id"].clone()).collect::<Vec<_>>(), [unnamed["id"].clone()]);
}

/// `extract --json` of the folder `a`, each statement by its id.
fn extracted_by_id(env: &Dir) -> BTreeMap<String, Value> {
    let out = env.cmd().arg("extract").arg(env.path("a")).arg("--json").output();
    json_lines(&out).into_iter().map(|v| (v["id"].as_str().unwrap().to_string(), v)).collect()
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    let env = ingested();
    // The read end is closed before the export writes: its first write fails with a
    // broken pipe, which `export | head` must not report.
    let mut child = env.cmd().arg("export").spawn_piped();
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait for whosaid");
    let err = stderr(&out);
    assert!(out.status.success() && !err.contains("error"), "{:?}: {err}", out.status);
}

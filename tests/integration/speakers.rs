//! Speaker names merged across articles, through the binary: `speakers`, `--speaker`
//! by any alias, and `who` with one entry per person and repeated quotations
//! counted once; `--speaker` selecting one speaker only, and unnamed speakers shown
//! as such (issue 15). The people are invented: one surname in three spellings, two
//! people who share a surname, and that surname alone; three Trumps and "analysts".

use std::collections::BTreeSet;

use crate::common::{set, stderr, Dir};
use serde_json::Value;

const ONE: &str = "---\ntitle: River talks open\ndate: 2025-03-10\n---\n\
“We will not surrender the river,” Mykola Brovarskyy told reporters.\n\n\
Harriet Quill Dawson said that the budget was wrong.\n\n\
“Taxes must fall,” said Bert Dawson.\n";
const TWO: &str = "---\ntitle: River talks go on\ndate: 2025-03-12\n---\n\
“We will not surrender the river,” Mykola Brovarsky said.\n\n\
Harriet Dawson said the budget would pass in the spring.\n";
const THREE: &str = "---\ntitle: River talks end\ndate: 2025-03-14\n---\n\
“We will not surrender the river. The river is ours,” said Mykola Brovarskiy.\n\n\
Dawson said the talks had failed.\n";

fn ingested() -> Dir {
    let env = Dir::new();
    env.write("a/one.md", ONE);
    env.write("a/two.md", TWO);
    env.write("a/three.md", THREE);
    let out = env.ingest(&env.path("a"));
    assert!(
        stderr(&out).contains(
            "holds 4 speakers and 0 unnamed speakers (7 names before variants are merged)"
        ),
        "{}",
        stderr(&out)
    );
    env
}

/// Every name of a `speakers --json` entry.
fn names(entry: &Value) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = entry["aliases"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a.as_str().map(String::from))
        .collect();
    out.extend(entry["speaker"].as_str().map(String::from));
    out
}

#[test]
fn speakers_lists_people_with_their_variants() {
    let env = ingested();
    assert!(env.index().join("speakers.json").is_file());
    let v = env.json(&["speakers", "--json"]);
    let list = v["speakers"].as_array().expect("speakers list");
    let groups: Vec<BTreeSet<String>> = list.iter().map(names).collect();
    assert_eq!(
        groups,
        vec![
            set(&["Mykola Brovarsky", "Mykola Brovarskyy", "Mykola Brovarskiy"]),
            set(&["Harriet Dawson", "Harriet Quill Dawson"]),
            set(&["Bert Dawson"]),
            set(&["Dawson"]),
        ],
        "{v}"
    );
    assert_eq!(list[0]["statements"], 3);
    assert_eq!(list[0]["articles"], 3);
    assert_eq!(list[1]["statements"], 2);
    for entry in list {
        let keys: BTreeSet<String> =
            entry.as_object().into_iter().flatten().map(|(k, _)| k.clone()).collect();
        assert_eq!(
            keys,
            set(&["speaker", "speaker_type", "aliases", "statements", "articles", "label"])
        );
        assert_eq!(
            entry["label"], entry["speaker"],
            "a named speaker's label is its name: {entry}"
        );
        assert_ne!(entry["speaker_type"], "unnamed", "{entry}");
    }

    // A prefix of any word of any name; --limit.
    let dawsons = env.json(&["speakers", "daw", "--json"]);
    assert_eq!(dawsons["speakers"].as_array().map(Vec::len), Some(3), "{dawsons}");
    let quill = env.json(&["speakers", "Quill", "--json"]);
    // Equal counts: the longer name shows.
    assert_eq!(quill["speakers"][0]["speaker"], "Harriet Quill Dawson", "{quill}");
    let one = env.json(&["speakers", "--limit", "1", "--json"]);
    assert_eq!(one["speakers"].as_array().map(Vec::len), Some(1));

    let human = env.run(&["speakers"]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("Harriet Quill Dawson  (also: Harriet Dawson)"), "{text}");
    assert_eq!(env.run(&["speakers", "nobody"]).status.code(), Some(1));
}

#[test]
fn any_alias_filters_for_the_person() {
    let env = ingested();
    let total = |args: &[&str]| env.json(args)["total"].as_u64();
    assert_eq!(total(&["query", "--speaker", "Mykola Brovarskyy", "--json"]), Some(3));
    assert_eq!(total(&["query", "--speaker", "brovarskiy", "--json"]), Some(3));
    // Harriet, not Bert, and not the "Dawson" who could be either.
    assert_eq!(total(&["query", "--speaker", "Harriet Quill Dawson", "--json"]), Some(2));
    assert_eq!(total(&["timeline", "Mykola Brovarsky", "--json"]), Some(3));
    let who = env.json(&["who", "budget", "--speaker", "harriet dawson", "--json"]);
    assert_eq!(who["speakers"].as_array().map(Vec::len), Some(1), "{who}");
}

#[test]
fn who_merges_variants_and_counts_a_repeated_quotation_once() {
    let env = ingested();
    let v = env.json(&["who", "surrender the river", "--json"]);
    assert_eq!(v["match"], "exact");
    let speakers = v["speakers"].as_array().expect("speakers");
    assert_eq!(speakers.len(), 1, "three spellings, one person: {v}");
    let s = &speakers[0];
    assert!(s["speaker"].as_str().is_some_and(|n| n.starts_with("Mykola Brovarsk")), "{s}");
    assert_eq!(s["statements"], 3);
    assert_eq!(s["articles"], 3);
    // The third article quotes more of it; still the same quotation.
    assert_eq!(s["quotes"], 1, "{s}");
    assert_eq!(s["example_articles"], 3, "{s}");
    assert_eq!(s["example_first_date"], "2025-03-10", "{s}");

    let budget = env.json(&["who", "budget", "--json"]);
    let b = &budget["speakers"][0];
    assert_eq!(b["speaker"], "Harriet Quill Dawson", "{budget}");
    assert_eq!(b["statements"], 2);
    assert_eq!(b["quotes"], 2, "two different statements");
    assert_eq!(b["example_articles"], 1);

    let human = env.run(&["who", "surrender the river"]);
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains("3 statements (1 quotation) in 3 articles"), "{text}");
    assert!(text.contains("reported by 3 articles, first on 2025-03-10"), "{text}");
}

#[test]
fn who_names_people_alike_from_the_alias_file_the_table_or_a_damaged_file() {
    let env = ingested();
    let aliases = env.index().join("speaker-aliases.json");
    assert!(aliases.is_file(), "ingest writes the alias file beside speakers.json");
    let expected = env.json(&["who", "surrender the river", "--json"]);
    // Missing or unreadable, `who` falls back to the whole table.
    std::fs::remove_file(&aliases).unwrap();
    assert_eq!(env.json(&["who", "surrender the river", "--json"]), expected);
    std::fs::write(&aliases, "{not json").unwrap();
    assert_eq!(env.json(&["who", "surrender the river", "--json"]), expected);
    assert_eq!(expected["speakers"].as_array().map(Vec::len), Some(1), "{expected}");
}

/// Three people named Trump, and the unnamed "analysts".
const PRICES_ONE: &str = "---\ntitle: Prices\ndate: 2025-03-10\n---\n\
“Prices will rise in the spring,” analysts said.\n\n\
“Prices will rise in the spring,” Donald Trump said.\n\n\
“The wall will be built,” Donald Trump said on Sunday.\n\n\
“Prices will rise in the spring,” Donald Trump Jr. said.\n\n\
“Prices will rise in the spring,” Ivanka Trump told reporters.\n";
const PRICES_TWO: &str = "---\ntitle: More prices\ndate: 2025-03-12\n---\n\
“Prices will rise in the spring,” analysts said on Tuesday.\n\n\
“Prices will rise in the spring,” Donald Trump said.\n";

fn prices() -> Dir {
    let env = Dir::new();
    env.write("a/one.md", PRICES_ONE);
    env.write("a/two.md", PRICES_TWO);
    env.ingest(&env.path("a"));
    env
}

/// Issue 15: an unnamed speaker is shown as "unnamed: analysts" by every command,
/// and its JSON keeps the raw name with the type beside it.
#[test]
fn issue_15_unnamed_speakers_are_labelled_everywhere() {
    let env = prices();
    let who = env.cmd().args(["who", "prices will rise"]).stdout();
    assert!(who.lines().any(|l| l.starts_with(" 2. unnamed: analysts  2 statements")), "{who}");
    let query = env
        .cmd()
        .args(["query", "\"prices will rise\"", "--speaker", "unnamed: analysts"])
        .stdout();
    assert!(query.contains("2025-03-10  unnamed: analysts  [direct]"), "{query}");
    assert!(query.contains("  speaker  unnamed: analysts (2)\n"), "{query}");
    assert!(query.contains("  type     unnamed (2)\n"), "{query}");
    let speakers = env.cmd().args(["speakers", "unnamed"]).stdout();
    assert_eq!(
        speakers.lines().nth(1).map(str::trim),
        Some("2         2  unnamed: analysts"),
        "{speakers}"
    );
    let stats = env.cmd().args(["stats"]).stdout();
    assert!(stats.contains("speakers    3\nunnamed     1\n"), "{stats}");
    assert!(stats.contains("  2  unnamed: analysts\n"), "{stats}");
    let timeline = env.cmd().args(["timeline", "unnamed: analysts"]).stdout();
    assert!(timeline.starts_with("unnamed: analysts: 2 statements per month"), "{timeline}");

    let w = env.json(&["who", "prices will rise", "--json"]);
    let analysts = w["speakers"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|s| s["label"] == "unnamed: analysts")
        .expect("analysts");
    assert_eq!(
        (&analysts["speaker"], &analysts["speaker_type"]),
        (&Value::from("analysts"), &Value::from("unnamed")),
        "{w}"
    );
    let trump = &w["speakers"][0];
    assert_eq!(
        (&trump["speaker"], &trump["speaker_type"], &trump["label"]),
        (&Value::from("Donald Trump"), &Value::from("person"), &Value::from("Donald Trump")),
        "{w}"
    );
    let list = env.json(&["speakers", "--json"]);
    let entry = list["speakers"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["speaker"] == "analysts")
        .expect("analysts");
    assert_eq!(
        (&entry["speaker_type"], &entry["label"]),
        (&Value::from("unnamed"), &Value::from("unnamed: analysts"))
    );
    let t = env.json(&["timeline", "analysts", "--json"]);
    assert_eq!(
        (&t["speaker"], &t["speaker_type"], &t["total"]),
        (&Value::from("analysts"), &Value::from("unnamed"), &Value::from(2)),
        "{t}"
    );
    let s = env.json(&["stats", "--json"]);
    assert_eq!((&s["speakers"], &s["unnamed_speakers"]), (&Value::from(3), &Value::from(1)), "{s}");
    let only = env.json(&["query", "--speaker-type", "unnamed", "--json"]);
    assert_eq!(only["total"], 2, "{only}");
    let bad = env.run(&["query", "--speaker-type", "people"]);
    assert_eq!(bad.status.code(), Some(2));
}

/// Issue 15: `--speaker "Donald Trump"` is Donald Trump only, not Donald Trump Jr.
/// nor Ivanka Trump; "Trump" alone, which all three have, is an error naming them.
#[test]
fn issue_15_donald_trump_is_not_trump_jr_nor_ivanka_trump() {
    let env = prices();
    let facets = env.json(&["query", "--json", "--limit", "0"]);
    let count_of = |label: &str| {
        facets["facets"]["speaker"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["label"] == label)
            .map(|c| c["count"].clone())
    };
    for name in ["Donald Trump", "Donald Trump Jr.", "Ivanka Trump"] {
        let q = env.json(&["query", "--speaker", name, "--json", "--limit", "100"]);
        let speakers: BTreeSet<&str> = q["hits"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|h| h["speaker"].as_str())
            .collect();
        assert_eq!(speakers, BTreeSet::from([name]), "{name}: {q}");
        assert_eq!(Some(q["total"].clone()), count_of(name), "{name}");
        let t = env.json(&["timeline", name, "--json"]);
        assert_eq!(t["total"], q["total"], "{name}: {t}");
    }
    assert_eq!(env.json(&["query", "--speaker", "donald trump", "--json"])["total"], 3);
    let out = env.run(&["query", "--speaker", "trump"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("Donald Trump; Donald Trump Jr.; Ivanka Trump")
            && err.contains("give the full name"),
        "{err}"
    );
    assert_eq!(
        env.run(&["query", "--speaker", "ivanka"]).status.code(),
        Some(1),
        "a first name selects nobody"
    );
}

//! Queries as people type them, and the order and pages of their hits: every query
//! of tests/data/odd-queries.tsv parses and matches what the table says; quoted
//! words are exact and bare ones rank their typed form first; a statement that is
//! only the words searched for ranks below one that says something with them;
//! `--sort`, `--offset` and the JSON's "offset"; the same on /api/search; `who`'s
//! "total". Ranking on the real corpora, measured on hand-judged hits, is in
//! `ranking`.

use serde_json::Value;

use crate::common::{repo_path, Dir};

/// Nine invented statements, one per line of a JSON Lines file: dates in 2025 but
/// for q7 (undated), two sources.
const NEWS: &str = r#"{"id": "q1", "date": "2025-01-05", "source": "Harbor Post", "text": "Ann Lee said that Tom Baker's wall would never be finished."}
{"id": "q2", "date": "2025-01-09", "source": "Harbor Post", "text": "Tom Baker said that the wall would keep the river out of the old town."}
{"id": "q3", "date": "2025-02-01", "source": "Valley News", "text": "Ada Brunn said that the election was rigged from the start."}
{"id": "q4", "date": "2025-02-03", "source": "Valley News", "text": "Ada Brunn said that three drilling rigs had closed and the rig count fell again."}
{"id": "q5", "date": "2025-03-10", "source": "Harbor Post", "text": "\"Fake news,\" said Tom Baker."}
{"id": "q6", "date": "2025-03-12", "source": "Valley News", "text": "Ann Lee said that the reports about the harbor were fake news spread by her rivals on the council."}
{"id": "q7", "source": "Valley News", "text": "Tom Baker said that re-zoning the harbor would help trade with the valley."}
{"id": "q8", "date": "2025-04-01", "source": "Harbor Post", "text": "Ann Lee said that sanctions on steel would hurt trade with the valley."}
{"id": "q9", "date": "2025-04-02", "source": "Harbor Post", "text": "Tom Baker said that the new harbor fees were sanctioned by the council last week."}
"#;

fn newsroom() -> Dir {
    let env = Dir::new();
    env.write("news/news.jsonl", NEWS);
    env.ingest(&env.path("news"));
    env
}

/// `query ARGS --json`, which must answer (exit 0 with hits, 1 without).
fn query(env: &Dir, args: &[&str]) -> Value {
    let out = env.cmd().arg("query").args(args).arg("--json").output();
    let code = out.status.code();
    assert!(
        code == Some(0) || code == Some(1),
        "query {args:?}: exit {code:?}: {}",
        crate::common::stderr(&out)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("query {args:?}: {e}"))
}

fn texts(result: &Value) -> Vec<String> {
    let hits = result["hits"].as_array().expect("hits");
    hits.iter().map(|h| h["text"].as_str().unwrap_or_default().to_string()).collect()
}

fn articles(result: &Value) -> Vec<String> {
    let hits = result["hits"].as_array().expect("hits");
    hits.iter()
        .map(|h| h["article"].as_str().unwrap_or_default().trim_start_matches("news.jsonl#").into())
        .collect()
}

#[test]
fn odd_queries_parse_and_mean_what_the_table_says() {
    let env = newsroom();
    let table = std::fs::read_to_string(repo_path("tests/data/odd-queries.tsv")).unwrap();
    let mut checked = 0;
    for (n, line) in table.lines().enumerate().filter(|(_, l)| !l.starts_with('#')) {
        let parts: Vec<&str> = line.split('\t').collect();
        let [typed, total, meaning] = parts[..] else {
            panic!("odd-queries.tsv:{}: expected query, total, meaning", n + 1)
        };
        let result = query(&env, &[typed]);
        let want: u64 = total.parse().unwrap();
        assert_eq!(result["total"], want, "odd-queries.tsv:{}: {typed:?} means {meaning}", n + 1);
        checked += 1;
    }
    assert!(checked >= 30, "{checked} queries");
}

#[test]
fn the_page_api_reads_odd_queries_as_the_command_line_does() {
    let env = newsroom();
    let lib = whosaid::index::Index::open(&env.index()).unwrap();
    for typed in ["Baker's wall", "re: trade", "\"fake news", "wall AND", "speaker:("] {
        let request = whosaid::api::QueryRequest::parse(
            typed,
            &whosaid::api::FilterParams::default(),
            (10, 0),
            None,
            None,
        )
        .unwrap();
        let total = request.run(&lib).unwrap().total;
        assert_eq!(query(&env, &[typed])["total"], total, "{typed}");
    }
}

#[test]
fn quoted_words_are_exact_and_bare_words_rank_the_typed_form_first() {
    let env = newsroom();
    // Quoted: as written; "rigs" is another word.
    assert_eq!(articles(&query(&env, &["\"rigged\""])), ["q3"]);
    // Bare: every form with the stem, the form typed first although the statement
    // about rigs names them twice ("rigs", "rig").
    assert_eq!(articles(&query(&env, &["rigged"])), ["q3", "q4"]);
    assert_eq!(articles(&query(&env, &["rigs"])), ["q4", "q3"]);
    assert_eq!(articles(&query(&env, &["sanctions"])), ["q8", "q9"]);
    assert_eq!(articles(&query(&env, &["sanctioned"])), ["q9", "q8"]);
}

#[test]
fn a_statement_that_is_only_the_words_searched_for_ranks_below_real_ones() {
    let env = newsroom();
    // “Fake news,” alone (two words) scored above the statement that says what
    // is fake news; now it comes after it.
    assert_eq!(
        texts(&query(&env, &["fake news"]))[0],
        "the reports about the harbor were fake news spread by her rivals on the council"
    );
    assert_eq!(articles(&query(&env, &["\"fake news\""])), ["q6", "q5"]);
    let scores: Vec<f64> = query(&env, &["harbor"])["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn sort_by_date_either_way_with_undated_statements_last() {
    let env = newsroom();
    let oldest = query(&env, &["harbor OR trade", "--sort", "date"]);
    assert_eq!(articles(&oldest), ["q6", "q8", "q9", "q7"]);
    let newest = query(&env, &["harbor OR trade", "--sort", "-date"]);
    assert_eq!(articles(&newest), ["q9", "q8", "q6", "q7"]);
    let best = query(&env, &["harbor OR trade", "--sort", "relevance"]);
    assert_eq!(best["total"], 4);
    // Everything, oldest first: the first of January, the undated one last.
    let all = articles(&query(&env, &["--sort", "date", "--limit", "20"]));
    assert_eq!(all, ["q1", "q2", "q3", "q4", "q5", "q6", "q8", "q9", "q7"]);
    let err = env.cmd().args(["query", "harbor", "--sort", "newest"]).assert_exit_code(2);
    let err = crate::common::stderr(&err);
    assert!(err.contains("invalid value 'newest' for '--sort"), "{err}");
}

#[test]
fn offset_skips_hits_and_the_total_and_facets_still_count_all() {
    let env = newsroom();
    let all = query(&env, &["*", "--sort", "date", "--limit", "20"]);
    let page = query(&env, &["*", "--sort", "date", "--limit", "3", "--offset", "3"]);
    assert_eq!(articles(&page), articles(&all)[3..6]);
    assert_eq!((page["total"].as_u64(), page["offset"].as_u64()), (Some(9), Some(3)));
    assert_eq!(page["facets"]["source"], all["facets"]["source"]);
    // Relevance pages too: the pages together are the whole list.
    let best = articles(&query(&env, &["harbor OR trade OR wall"]));
    let mut paged = Vec::new();
    for offset in ["0", "2", "4"] {
        paged.extend(articles(&query(
            &env,
            &["harbor OR trade OR wall", "--limit", "2", "--offset", offset],
        )));
    }
    assert_eq!(paged, best);
    // Past the end: no hits, the total still there; exit code 0 (there are matches).
    let past = env.cmd().args(["query", "*", "--offset", "50", "--json"]).assert_success();
    let past: Value = serde_json::from_slice(&past.stdout).unwrap();
    assert_eq!((past["total"].as_u64(), past["hits"].as_array().map(Vec::len)), (Some(9), Some(0)));
    // The human output says which hits a page holds.
    let text = env
        .cmd()
        .args(["--color", "never", "query", "*", "--limit", "2", "--offset", "4"])
        .stdout();
    assert!(text.starts_with("9 statements match \"*\"; hits 5–6"), "{text}");
}

#[test]
fn who_says_how_many_statements_its_match_found() {
    let env = newsroom();
    let who = env.json(&["who", "fake news", "--json"]);
    assert_eq!((who["match"].as_str(), who["total"].as_u64()), (Some("exact"), Some(2)));
    let who = env.json(&["who", "new fees", "--json"]);
    assert_eq!((who["match"].as_str(), who["total"].as_u64()), (Some("sloppy"), Some(1)));
}

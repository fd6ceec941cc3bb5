//! Time as a way to search, through the binary: `--since`/`--until` at year, month
//! and day precision, `query --by`, `who --sort date` and `timeline`.

use crate::common::{stderr, stdout, Dir};

/// Four statements by Ann Lee and one by Tom Baker over two years, one with only a
/// week (no day).
fn fixture(env: &Dir) {
    let lines = [
        r#"{"id": "1", "date": "2024-12-30", "text": "Ann Lee said that the bridge would be rebuilt."}"#,
        r#"{"id": "2", "date": "2025-01-02", "text": "Ann Lee said that the bridge was unsafe."}"#,
        r#"{"id": "3", "date": "2025-03-13", "text": "Ann Lee said on Tuesday that the bridge would reopen."}"#,
        r#"{"id": "4", "date": "2025-03-13", "text": "Ann Lee said last week that the bridge was a priority."}"#,
        r#"{"id": "5", "date": "2025-02-05", "text": "Tom Baker said that the bridge cost too much."}"#,
    ];
    env.write("in/news.jsonl", &(lines.join("\n") + "\n"));
    env.ingest(&env.path("in"));
}

fn total(env: &Dir, args: &[&str]) -> u64 {
    let mut all = vec!["query", "bridge", "--json"];
    all.extend_from_slice(args);
    env.json(&all)["total"].as_u64().unwrap_or(0)
}

#[test]
fn since_and_until_take_years_months_and_days() {
    let env = Dir::new();
    fixture(&env);
    assert_eq!(total(&env, &[]), 5);
    // Only day-precision statements are in date ranges: the "last week" one is not.
    assert_eq!(total(&env, &["--since", "2025"]), 3);
    assert_eq!(total(&env, &["--until", "2024"]), 1);
    assert_eq!(total(&env, &["--since", "2025-01", "--until", "2025-02"]), 2);
    assert_eq!(total(&env, &["--since", "2025-03-11", "--until", "2025-03-11"]), 1);
    assert_eq!(total(&env, &["--until", "2025-01-01"]), 1);
    let bad = env.run(&["query", "bridge", "--since", "2025-1"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("YYYY-MM"), "{}", stderr(&bad));
}

#[test]
fn query_by_adds_a_date_facet_at_that_granularity() {
    let env = Dir::new();
    fixture(&env);
    let v = env.json(&["query", "bridge", "--by", "week", "--json"]);
    // 2024-12-30 and 2025-01-02 are both in ISO week 1 of 2025.
    assert_eq!(v["facets"]["week"][0]["value"], "2025-W01");
    assert_eq!(v["facets"]["week"][0]["count"], 2);
    assert_eq!(v["facets"]["month"][0]["value"], "2024-12", "month stays: {v}");
    let v = env.json(&["query", "bridge", "--by", "year", "--json"]);
    assert_eq!(
        v["facets"]["year"],
        serde_json::json!([{"value": "2024", "count": 1}, {"value": "2025", "count": 3}])
    );
    let v = env.json(&["query", "bridge", "--json"]);
    assert!(v["facets"].get("week").is_none() && v["facets"].get("year").is_none(), "{v}");
}

#[test]
fn who_sort_date_lists_statements_oldest_first() {
    let env = Dir::new();
    fixture(&env);
    let v = env.json(&["who", "bridge", "--sort", "date", "--json"]);
    let dates: Vec<Option<&str>> =
        v["statements"].as_array().unwrap().iter().map(|s| s["date"].as_str()).collect();
    assert_eq!(
        dates,
        [Some("2024-12-30"), Some("2025-01-02"), Some("2025-02-05"), Some("2025-03-11"), None]
    );
    assert_eq!(v["statements"][4]["period"], "2025-W10");
    assert_eq!(v["statements"][4]["date_precision"], "week");
    assert_eq!(v["speakers"][0]["speaker"], "Ann Lee");
    assert_eq!(v["speakers"][0]["first_date"], "2024-12-30");
    let plain = env.json(&["who", "bridge", "--json"]);
    assert!(plain.get("statements").is_none(), "{plain}");
}

#[test]
fn timeline_counts_per_period_with_empty_periods_between() {
    let env = Dir::new();
    fixture(&env);
    let v = env.json(&["timeline", "lee", "--json"]);
    assert_eq!(v["by"], "month");
    assert_eq!(v["total"], 4);
    assert_eq!(v["undated"], 1);
    let periods: Vec<(String, u64)> = v["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["period"].as_str().unwrap().to_string(), p["count"].as_u64().unwrap()))
        .collect();
    let want = [("2024-12", 1), ("2025-01", 1), ("2025-02", 0), ("2025-03", 1)];
    assert_eq!(periods, want.map(|(p, n)| (p.to_string(), n)));
    let weeks =
        env.json(&["timeline", "Ann Lee", "bridge", "--by", "week", "--since", "2025", "--json"]);
    assert_eq!(weeks["periods"][0]["period"], "2025-W01");
    assert_eq!(weeks["periods"][0]["start"], "2024-12-30");
    let human = env.run(&["timeline", "lee"]);
    assert!(human.status.success());
    assert!(stdout(&human).contains("2025-02      0"), "{}", stdout(&human));
    assert!(stdout(&human).contains('█'));
    assert_eq!(env.run(&["timeline", "nobody"]).status.code(), Some(1));
}

#[test]
fn timeline_folds_a_long_run_of_empty_months_into_one_line() {
    // 348 empty months between 1987 and 2016 fold into one line; one quiet month
    // (June 2016) stays a line of its own.
    let env = crate::common::web::two_eras();
    let human = stdout(&env.run(&["timeline", "Ann Lee"]));
    let labels: Vec<&str> =
        human.lines().skip(1).filter_map(|l| l.split_whitespace().next()).collect();
    assert_eq!(labels, ["1987-03", "1987-04", "…", "2016-05", "2016-06", "2016-07"], "{human}");
    assert!(human.contains("\n… 348 empty months (1987-05 – 2016-04)\n"), "{human}");
    assert!(human.contains("2016-06      0"), "{human}");
    // The JSON keeps every period, for drawing.
    let v = env.json(&["timeline", "Ann Lee", "--json"]);
    let periods = v["periods"].as_array().map_or(0, Vec::len);
    assert_eq!(periods, 2 + 348 + 3, "{v}");
    // Years: 1988 to 2015 are 28 empty years, folded too.
    let years = stdout(&env.run(&["timeline", "Ann Lee", "--by", "year"]));
    assert!(years.contains("\n… 28 empty years (1988 – 2015)\n"), "{years}");
    // The stats header reads the same dates from the index.
    let stats = env.json(&["stats", "--json"]);
    assert_eq!(stats["first_date"], "1987-03-10");
    assert_eq!(stats["last_date"], "2016-07-01");
}

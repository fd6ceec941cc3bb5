//! Acceptance: every row of the seed table (tests/data/who-said.tsv, a copy of the
//! table the project started from) holds on the bundled demo article: `who PHRASE`
//! ranks the expected speaker first, with the expected day, or with no day where
//! the article gives none.

use crate::common::{demo_articles, Dir};

#[test]
fn every_seed_row_ranks_the_expected_speaker_first_with_its_date() {
    let env = Dir::new();
    env.ingest(&demo_articles());
    let table = include_str!("../data/who-said.tsv");
    let mut failures = Vec::new();
    let mut rows = 0;
    for line in table.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (phrase, speaker, date) = (cols[0], cols[1], cols[2]);
        rows += 1;
        let v = env.json(&["who", phrase, "--json"]);
        let top = &v["speakers"][0];
        let got_speaker = top["speaker"].as_str().unwrap_or("(none)");
        // The date of the statement that matched, not the speaker's range: a row with
        // "-" must have no day at all.
        let got_date = top["example"]["date"].as_str().unwrap_or("-");
        if got_speaker != speaker || got_date != date || v["match"] != "exact" {
            failures.push(format!(
                "{phrase:?}: want {speaker} {date}, got {got_speaker} {got_date} ({})",
                v["match"]
            ));
        }
    }
    assert_eq!(rows, 20);
    assert!(failures.is_empty(), "failing rows:\n{}", failures.join("\n"));
}

#[test]
fn seed_speaker_dates_are_in_who_output() {
    let env = Dir::new();
    env.run(&["ingest", demo_articles().to_str().unwrap()]);
    let v = env.json(&["who", "bloodbath", "--json"]);
    assert_eq!(v["speakers"][0]["first_date"], "2025-03-12");
    assert_eq!(v["speakers"][0]["statements"], 1);
}

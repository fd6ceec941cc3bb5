//! All of the real corpora ingest without a panic, and every statement's span
//! points into its article. The corpora are not ours to ship: the folder comes from
//! `WHOSAID_CORPORA` (set by .ci/run when ../shared/corpora exists); without it the
//! test says so and passes.

use crate::common::{corpora, stderr, Dir};

#[test]
fn all_corpora_ingest_without_a_panic() {
    let Some(dir) = corpora() else { return };
    let env = Dir::new();
    let out = env.cmd().arg("ingest").arg(&dir).output();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    let summary = err.lines().rev().find(|l| l.contains(" articles read, ")).expect("summary line");
    eprintln!("{summary}");
    // "whosaid: 4085 files, 26134 articles read, 22548 with statements, 145677 statements; …"
    let count = |what: &str| -> u64 {
        // The last "N what": "22548 with statements, 145678 statements".
        let before = summary.rsplit(&format!(" {what}")).nth(1).unwrap_or("");
        before.rsplit(' ').next().and_then(|n| n.parse().ok()).unwrap_or(0)
    };
    assert!(count("articles") > 20_000, "{summary}");
    let stats = env.json(&["stats", "--json"]);
    // The index holds the statements the run reported (articles without any
    // statement leave nothing in it).
    assert_eq!(stats["statements"].as_u64(), Some(count("statements")), "{stats}");
    assert!(count("statements") > 50_000, "{summary}");
}

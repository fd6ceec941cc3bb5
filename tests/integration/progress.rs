//! Ingest progress on stderr when it is not a terminal (plain lines), and `--quiet`.
//! (The bar on a terminal is drawn by indicatif; see docs/usage.md for how it looks.)

use crate::common::{demo_articles, stderr, stdout, Dir};

/// Runs whosaid on `env`'s index with a progress line every `progress_seconds`.
fn whosaid(env: &Dir, args: &[&str], progress_seconds: &str) -> std::process::Output {
    env.cmd().args(args).env("WHOSAID_PROGRESS_SECONDS", progress_seconds).output()
}

#[test]
fn ingest_prints_plain_progress_lines_when_stderr_is_not_a_terminal() {
    let env = Dir::new();
    env.write("in/a.txt", "“Taxes will fall,” said Mayor Ann Lee.\n");
    env.write("in/b.jsonl", "{\"text\": \"Tom Baker said that roads would be repaired.\"}\n{\"text\": \"Ann Lee said that parks would open.\"}\n");
    // Every article is "a few seconds" later than the last at 0.
    let out = whosaid(&env, &["ingest", env.path("in").to_str().unwrap()], "0");
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let lines: Vec<&str> = err.lines().filter(|l| l.contains("MB/s")).collect();
    assert_eq!(lines.len(), 3, "one line per article at interval 0:\n{err}");
    let last = lines[2];
    assert!(last.starts_with("whosaid: "), "{last}");
    assert!(last.contains(" articles, ") && last.contains(" statements"), "{last}");
    assert!(last.contains("3 articles"), "{last}");
    assert!(last.contains("3 statements"), "{last}");
    // The summary still ends the run, after the progress.
    assert!(
        err.trim_end()
            .ends_with("whosaid: 2 files, 3 articles read, 3 with statements, 3 statements"),
        "{err}"
    );
}

#[test]
fn quiet_silences_progress_and_summaries_but_not_warnings() {
    let env = Dir::new();
    env.write("in/a.txt", "“Taxes will fall,” said Mayor Ann Lee.\n");
    env.write("in/bad.jsonl", "{not json\n");
    let in_dir = env.path("in");
    let out = whosaid(&env, &["ingest", in_dir.to_str().unwrap(), "--quiet"], "0");
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("whosaid: warning: ") && err.contains("bad.jsonl:1:"), "{err}");
    // The global flag works before the subcommand too, and for extract.
    let out = whosaid(&env, &["-q", "extract", in_dir.join("a.txt").to_str().unwrap()], "0");
    assert!(out.status.success());
    assert_eq!(stderr(&out), "");
    assert_eq!(stdout(&out).lines().count(), 1);
    let out = whosaid(&env, &["-q", "ingest", demo_articles().to_str().unwrap()], "0");
    assert!(out.status.success());
    assert_eq!(stderr(&out), "");
}

//! The terminal through the binary: `--color` and `NO_COLOR`, matches marked as the
//! search analyzed them, aligned columns, and the completion scripts and man pages
//! generated from the clap definitions. The people are invented.

use std::process::Output;

use crate::common::{stderr, stdout, Dir};

const ESC: char = '\x1b';
/// How a match is marked: bold red, then a reset.
const MATCH_ON: &str = "\x1b[1m\x1b[31m";
const RESET: &str = "\x1b[0m";

const BUDGET: &str = "---\ntitle: Budget day\ndate: 2025-03-10\n---\n\
“We will raise taxes on Monday,” Ann Lee told reporters.\n\n\
Tom Baker said that raising taxes was a mistake.\n\n\
Ivan Petrov, a long-serving member of the finance committee, said the budget agreed with the plan.\n";

fn ingested() -> Dir {
    let env = Dir::new();
    env.write("a/budget.md", BUDGET);
    env.ingest(&env.path("a"));
    env
}

/// Runs whosaid on `env`'s index with `vars` set and every colour variable of the
/// test's own environment removed; stdout is a pipe, as in any test.
fn run_with(env: &Dir, args: &[&str], vars: &[(&str, &str)]) -> Output {
    let mut cmd = env.cmd().args(args);
    for var in ["NO_COLOR", "CLICOLOR", "CLICOLOR_FORCE", "TERM"] {
        cmd = cmd.env_remove(var);
    }
    cmd.envs(vars).output()
}

fn text(env: &Dir, args: &[&str], vars: &[(&str, &str)]) -> String {
    let out = run_with(env, args, vars);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

#[test]
fn color_always_marks_the_match_and_never_or_no_color_or_a_pipe_do_not() {
    let env = ingested();
    // The stemmed query "tax" marks the word as written, "taxes".
    let on = text(&env, &["query", "tax", "--color", "always"], &[]);
    assert!(on.contains(&format!("{MATCH_ON}taxes{RESET}")), "{on:?}");
    assert!(!on.contains(&format!("{MATCH_ON}raise")), "only the query's words: {on:?}");
    // The flag goes after the subcommand or before it, and beats NO_COLOR.
    let before = text(&env, &["--color", "always", "query", "tax"], &[("NO_COLOR", "1")]);
    assert_eq!(before, on);

    for (args, vars) in [
        (&["query", "tax", "--color", "never"][..], &[][..]),
        (&["query", "tax", "--color", "never"], &[("CLICOLOR_FORCE", "1")]),
        (&["query", "tax"], &[("NO_COLOR", "1")]),
        (&["query", "tax", "--color", "auto"], &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]),
        // A pipe with nothing set: auto means no colour.
        (&["query", "tax"], &[]),
        (&["who", "raise taxes"], &[]),
        (&["speakers"], &[]),
        (&["stats"], &[]),
        (&["timeline", "lee", "--by", "day"], &[]),
    ] {
        let out = text(&env, args, vars);
        assert!(!out.contains(ESC), "{args:?} {vars:?}: {out:?}");
        assert!(!out.is_empty());
    }
    // Colour forced through the environment, as terminals' users do.
    let forced = text(&env, &["query", "tax"], &[("CLICOLOR_FORCE", "1")]);
    assert!(forced.contains(MATCH_ON), "{forced:?}");
}

#[test]
fn who_marks_the_exact_phrase_as_a_whole_and_words_one_by_one() {
    let env = ingested();
    let exact = text(&env, &["who", "raise taxes", "--color", "always"], &[]);
    assert!(exact.contains(&format!("{MATCH_ON}raise taxes{RESET}")), "{exact:?}");
    assert!(exact.contains(&format!("{ESC}[1mAnn Lee{RESET}")), "speakers in bold: {exact:?}");
    // No exact phrase: the words found apart, each marked (the statement around
    // them in bold).
    let words = text(&env, &["who", "taxes raising", "--color", "always"], &[]);
    assert!(
        words.contains(&format!("{MATCH_ON}raising{RESET}{ESC}[1m {RESET}{MATCH_ON}taxes{RESET}")),
        "{words:?}"
    );
    let bad = run_with(&env, &["query", "tax", "--color", "sometimes"], &[]);
    assert_eq!(bad.status.code(), Some(2));
}

/// Byte column where `needle` starts in each line that has it.
fn columns(text: &str, needle: &str) -> Vec<usize> {
    text.lines().filter_map(|l| l.find(needle)).collect()
}

#[test]
fn columns_line_up() {
    let env = ingested();
    let who = text(&env, &["who", "taxes"], &[]);
    let ranked: Vec<&str> =
        who.lines().filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit())).collect();
    assert!(ranked.len() >= 2, "{who}");
    // The statements column starts at the same place whatever the name's length.
    let starts: Vec<usize> =
        ranked.iter().map(|l| l.find(" statement").expect("a count") - 1).collect();
    assert!(starts.windows(2).all(|w| w[0] == w[1]), "{who}");
    let articles: Vec<usize> = ranked.iter().map(|l| l.find(" in ").expect("articles")).collect();
    assert!(articles.windows(2).all(|w| w[0] == w[1]), "{who}");

    let speakers = text(&env, &["speakers"], &[]);
    let names: Vec<usize> =
        speakers.lines().skip(1).map(|l| l.find(|c: char| c.is_alphabetic()).unwrap()).collect();
    assert!(names.len() >= 3 && names.windows(2).all(|w| w[0] == w[1]), "{speakers}");
    assert_eq!(columns(&speakers, "speaker")[0], names[0], "{speakers}");

    let stats = text(&env, &["stats"], &[]);
    let ends: Vec<usize> = stats.lines().take(3).map(str::len).collect();
    assert!(ends.windows(2).all(|w| w[0] == w[1]), "numbers right-aligned: {stats}");
}

/// Every subcommand a user can run (not the hidden bench ones).
const SUBCOMMANDS: &[&str] = &[
    "ingest",
    "extract",
    "query",
    "who",
    "timeline",
    "speakers",
    "stats",
    "show",
    "serve",
    "export",
    "check",
    "completions",
    "man",
];

#[test]
fn completions_name_every_subcommand() {
    let env = Dir::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = text(&env, &["completions", shell], &[]);
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell}: no {sub}");
        }
        // Flags, written as each shell writes them ("--since", "-l since").
        assert!(
            script.contains("since") && script.contains("index-name") && script.contains("color"),
            "{shell}: flags"
        );
        assert!(!script.contains("bench-query"), "{shell}: hidden commands stay hidden");
    }
    let bash = text(&env, &["completions", "bash"], &[]);
    assert!(bash.contains("complete -F _whosaid"), "{bash}");
    let bad = run_with(&env, &["completions", "tcsh"], &[]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn man_pages_name_every_subcommand_and_flag() {
    let env = Dir::new();
    let page = text(&env, &["man"], &[]);
    assert!(page.contains(".TH whosaid 1") && page.contains(".SH SYNOPSIS"), "{page}");
    for sub in SUBCOMMANDS {
        assert!(page.contains(&format!("whosaid\\-{sub}(1)")), "no {sub} in whosaid(1)");
    }
    assert!(!page.contains("bench"), "hidden commands stay hidden");

    let query = text(&env, &["man", "query"], &[]);
    assert!(query.contains(".TH whosaid-query 1") && query.contains("whosaid 0."), "{query}");
    for flag in ["\\-\\-speaker", "\\-\\-since", "\\-\\-limit", "\\-\\-color", "\\-\\-index"] {
        assert!(query.contains(flag), "no {flag} in whosaid-query(1)");
    }

    let dir = env.path("man");
    let out = run_with(&env, &["man", "--dir", dir.to_str().unwrap()], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut want: Vec<String> = SUBCOMMANDS
        .iter()
        .map(|s| format!("whosaid-{s}.1"))
        .chain(["whosaid.1".to_string()])
        .collect();
    want.sort();
    assert_eq!(files, want);
    assert_eq!(std::fs::read_to_string(dir.join("whosaid-query.1")).unwrap(), query);

    let bad = run_with(&env, &["man", "nosuch"], &[]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("one of: ingest"), "{}", stderr(&bad));
}

/// Escape sequences in article text, titles and file names reach the terminal
/// escaped, with colour off and through a pipe alike (a window title, a screen clear
/// and an OSC 52 clipboard write here), and a newline in a file name cannot forge a
/// line of its own.
#[test]
fn control_characters_from_input_are_shown_escaped() {
    let env = Dir::new();
    let title = "Harbor\u{1b}]0;owned\u{7} news";
    let body = "Ann Lee said that the harbor \u{1b}[2Jwould reopen\u{1b}]52;c;aGk=\u{7} in May.";
    env.write(
        "news/harbor.md",
        format!("---\ntitle: \"{title}\"\ndate: 2025-04-02\n---\n{body}\n"),
    );
    env.write("news/bad\nwhosaid: error: forged.json", "{not json");
    let out = env.cmd().arg("ingest").arg(env.path("news")).output();
    let err = stderr(&out);
    assert!(!err.lines().any(|l| l.starts_with("whosaid: error: forged")), "{err}");
    assert!(err.contains("bad\\nwhosaid: error: forged.json"), "{err}");
    for args in [
        vec!["--color", "never", "query", "harbor"],
        vec!["--color", "always", "query", "harbor"],
        vec!["--color", "never", "who", "harbor"],
    ] {
        let out = env.cmd().args(&args).stdout();
        assert!(!out.contains("\u{1b}]") && !out.contains("\u{1b}[2J"), "{args:?}: {out:?}");
        assert!(!out.contains('\u{7}'), "{args:?}: {out:?}");
        assert!(out.contains("\\e[2Jwould reopen\\e]52;c;aGk=\\x07"), "{args:?}: {out:?}");
    }
    let out = env.cmd().args(["--color", "never", "query", "harbor"]).stdout();
    assert!(out.contains("Harbor\\e]0;owned\\x07 news"), "{out:?}");
    assert!(!out.contains('\u{1b}'), "colour off: no escape at all: {out:?}");
    let show = env.cmd().args(["--color", "never", "show", "harbor.md"]).stdout();
    assert!(!show.contains('\u{1b}'), "{show:?}");
}

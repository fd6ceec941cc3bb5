//! Hostile input (issue #6): the real binary, `extract` and `ingest`, on folders of
//! files made to break a reader, each next to a good article. Every run must exit
//! 0, name each bad file with its reason on a warning line, and still read the good
//! article. The inputs are generated here, never committed.
//!
//! Known limits: the 200 MB article is written whole (about a second of disk
//! writes); root reads mode-000 files, so as root the unreadable-file test runs
//! `extract` as the user `nobody` through `setpriv`, and where that cannot run it
//! says so and checks only that the run goes on.

use crate::common::{json_lines, stderr, write_in, Cmd, Dir};
use serde_json::Value;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

/// The good article placed beside the hostile ones: one direct statement.
const GOOD: &str = "“We will win this vote,” Ann Lee said on Tuesday.\n";

/// A folder holding `good.txt`.
fn corpus(env: &Dir) -> PathBuf {
    env.write("corpus/good.txt", GOOD);
    env.path("corpus")
}

fn warnings(o: &Output) -> Vec<String> {
    stderr(o).lines().filter(|l| l.starts_with("whosaid: warning: ")).map(str::to_string).collect()
}

/// Some warning line names `file` and gives `reason`.
fn assert_warned(o: &Output, file: &str, reason: &str) {
    let w = warnings(o);
    assert!(
        w.iter().any(|l| l.contains(file) && l.contains(reason)),
        "no warning naming {file:?} with {reason:?}; warnings:\n{}",
        w.iter().map(|l| &l[..l.len().min(300)]).collect::<Vec<_>>().join("\n")
    );
}

fn statements(o: &Output) -> Vec<Value> {
    json_lines(o)
}

/// Runs `extract --json` and `ingest` on `dir` and checks what every hostile case
/// must hold: exit 0, each `(file, reason)` warned, the good article's statement
/// printed and indexed. Returns extract's output for more checks. With `--verbose`,
/// so every file is named on a line of its own (without it, warnings are grouped by
/// reason: see `ingestfolders.rs`).
fn run_both(env: &Dir, dir: &Path, expect: &[(&str, &str)]) -> Output {
    let d = dir.to_str().unwrap();
    let extracted = env.run(&["extract", d, "--json", "--verbose"]);
    assert_eq!(extracted.status.code(), Some(0), "extract: {}", stderr(&extracted));
    for (file, reason) in expect {
        assert_warned(&extracted, file, reason);
    }
    let good = statements(&extracted);
    assert!(
        good.iter().any(|s| s["article"] == "good.txt" && s["speaker"] == "Ann Lee"),
        "good.txt not extracted: {}",
        stderr(&extracted)
    );
    let ingested = env.run(&["ingest", d, "--verbose"]);
    assert_eq!(ingested.status.code(), Some(0), "ingest: {}", stderr(&ingested));
    for (file, reason) in expect {
        assert_warned(&ingested, file, reason);
    }
    let found = env.json(&["query", "\"win this vote\"", "--json"]);
    let hits = found["hits"].as_array().unwrap();
    assert!(hits.iter().any(|h| h["article"] == "good.txt"), "good.txt not indexed: {found}");
    extracted
}

/// Every statement's span points into its file's text (the file is the body for
/// `.txt`), on character boundaries, and `body[span] == text`.
fn assert_spans_hold(dir: &Path, out: &Output) {
    for s in statements(out) {
        let path = s["path"].as_str().unwrap();
        if !path.ends_with(".txt") {
            continue;
        }
        let body = fs::read_to_string(dir.join(path.rsplit('/').next().unwrap())).unwrap();
        let (a, b) =
            (s["span"][0].as_u64().unwrap() as usize, s["span"][1].as_u64().unwrap() as usize);
        assert_eq!(body.get(a..b), s["text"].as_str(), "span {a}..{b} of {path}");
        for key in ["speaker_span", "cue_span"] {
            if let Some(span) = s[key].as_array() {
                let (a, b) =
                    (span[0].as_u64().unwrap() as usize, span[1].as_u64().unwrap() as usize);
                assert!(body.get(a..b).is_some(), "{key} {a}..{b} of {path}");
            }
        }
    }
}

#[test]
fn binary_files_are_skipped_as_binary() {
    let env = Dir::new();
    let dir = corpus(&env);
    write_in(&dir, "image.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0");
    write_in(&dir, "archive.md", b"PK\x03\x04\0\0\0\0said Ann Lee");
    write_in(&dir, "dump.json", b"\x1f\x8b\x08\0\0\0\0\0");
    write_in(&dir, "dump.csv", b"\x7fELF\x02\x01\x01\0\0\0\n\0\0\0\xff\xfe\n");
    run_both(
        &env,
        &dir,
        &[
            ("image.txt", "binary file (contains NUL bytes), skipped"),
            ("archive.md", "binary file (contains NUL bytes), skipped"),
            ("dump.json", "invalid JSON"),
            // A binary .csv is read as rows of bytes, which are not UTF-8.
            ("dump.csv:2", "invalid utf-8"),
        ],
    );
}

#[test]
fn invalid_utf8_is_decoded_with_replacement_characters_or_the_record_skipped() {
    let env = Dir::new();
    let dir = corpus(&env);
    write_in(
        &dir,
        "latin1.txt",
        b"\xabNous gagnerons\xbb, Tom Baker said: \"It is caf\xe9 time.\"\n",
    );
    write_in(&dir, "latin1.md", b"---\ntitle: Caf\xe9\n---\n\"It is over,\" Ivan Petrov said.\n");
    write_in(
        &dir,
        "mixed.jsonl",
        b"{\"text\": \"caf\xe9\"}\n{\"text\": \"\\\"Yes,\\\" Tom Baker said.\"}\n",
    );
    write_in(
        &dir,
        "mixed.csv",
        b"id,text\n1,caf\xe9 society\n2,\"\"\"Yes,\"\" Tom Baker said.\"\n",
    );
    let out = run_both(
        &env,
        &dir,
        &[
            ("latin1.txt", "invalid UTF-8, decoded with replacement characters"),
            ("latin1.md", "invalid UTF-8, decoded with replacement characters"),
            ("mixed.jsonl:1", "invalid JSON"),
            ("mixed.csv:2", "invalid utf-8"),
        ],
    );
    let all = statements(&out);
    let from = |a: &str| all.iter().filter(|s| s["article"] == a).count();
    // The decoded text is searched as usual; good records beside bad ones are read.
    assert!(
        all.iter().any(|s| s["article"] == "latin1.txt" && s["text"] == "It is caf\u{fffd} time."),
        "{all:?}"
    );
    assert_eq!(from("mixed.jsonl#2"), 1);
    assert_eq!(from("mixed.csv#2"), 1);
}

#[test]
fn empty_files_are_named() {
    let env = Dir::new();
    let dir = corpus(&env);
    for name in ["empty.txt", "empty.md", "empty.json", "empty.jsonl", "empty.csv"] {
        write_in(&dir, name, "");
    }
    write_in(&dir, "blank.txt", " \n\t\n");
    write_in(&dir, "header-only.csv", "id,title,text\n");
    write_in(&dir, "front-matter-only.md", "---\ntitle: Nothing\n---\n");
    run_both(
        &env,
        &dir,
        &[
            ("empty.txt", "empty article text"),
            ("blank.txt", "empty article text"),
            ("empty.md", "empty article text"),
            ("front-matter-only.md", "empty article text"),
            ("empty.json", "invalid JSON: EOF"),
            ("empty.jsonl", "no records"),
            ("empty.csv", "empty file, no articles"),
            ("header-only.csv", "no rows after the header"),
        ],
    );
}

/// A 200 MB article is refused from its size without being read whole; so are
/// articles over 16 MiB in every format, and the run goes on.
#[test]
fn articles_over_the_size_limits_are_skipped_with_the_limit() {
    let env = Dir::new();
    let dir = corpus(&env);
    let para =
        "Ann Lee said on Tuesday that the talks would go on. “We are not done,” she said.\n\n";
    let mut big = fs::File::create(dir.join("huge.txt")).unwrap();
    let chunk = para.repeat((1 << 20) / para.len());
    for _ in 0..200 {
        big.write_all(chunk.as_bytes()).unwrap();
    }
    drop(big);
    assert!(fs::metadata(dir.join("huge.txt")).unwrap().len() > 200_000_000);
    let body17 = para.repeat((169 << 20) / 10 / para.len());
    write_in(&dir, "big.json", serde_json::json!({"text": body17}).to_string());
    write_in(
        &dir,
        "big.jsonl",
        format!("{}\n{}\n", serde_json::json!({"text": body17}), serde_json::json!({"text": GOOD})),
    );
    // A CSV row over 32 MiB ends the file's reading; the row before it stands.
    let body40 = para.repeat((40 << 20) / para.len());
    write_in(&dir, "big.csv", format!("id,text\n1,\"{GOOD}\"\n2,\"{body40}\"\n3,after\n"));
    let out = run_both(
        &env,
        &dir,
        &[
            ("huge.txt", "file larger than 16 MiB, skipped"),
            ("big.json", "article text of 16.9 MiB is over the 16 MiB limit"),
            ("big.jsonl:1", "line longer than 16 MiB"),
            ("big.csv", "a row runs past 32 MiB"),
        ],
    );
    let all = statements(&out);
    assert!(all.iter().any(|s| s["article"] == "big.jsonl#2"));
    assert!(all.iter().any(|s| s["article"] == "big.csv#1"));
}

/// Ten-megabyte lines: one sentence with no end, a JSON Lines record and a CSV
/// field, each extracted in full (sentences are cut every 1,000 tokens, so this is
/// linear, not quadratic).
#[test]
fn ten_megabyte_lines_are_read_whole() {
    let env = Dir::new();
    let dir = corpus(&env);
    // A statement every hundred bytes or so: dense enough to stress the passes,
    // sparse enough that indexing the result stays quick.
    let clause =
        "Ann Lee said the plan would work for the towns along the river and the hills beyond, and ";
    let n = (10 << 20) / clause.len();
    write_in(&dir, "line.txt", clause.repeat(n));
    let sentence = "“It works,” Tom Baker said. The talks went on through the night, and nobody knew when they would end. ";
    let m = (10 << 20) / sentence.len();
    write_in(&dir, "line.jsonl", format!("{}\n", serde_json::json!({"text": sentence.repeat(m)})));
    write_in(
        &dir,
        "line.csv",
        format!("id,text\n1,\"{}\"\n", sentence.replace('"', "\"\"").repeat(m)),
    );
    let out = run_both(&env, &dir, &[]);
    let all = statements(&out);
    let from = |a: &str| all.iter().filter(|s| s["article"] == a).count();
    // Each clause is a statement, bar a few lost at the 1,000-token cuts.
    assert!(from("line.txt") > n * 9 / 10, "{} of {n}", from("line.txt"));
    assert_eq!(from("line.jsonl#1"), m);
    assert_eq!(from("line.csv#1"), m);
}

#[test]
fn quotations_never_closed() {
    let env = Dir::new();
    let dir = corpus(&env);
    let open = format!("Ann Lee said: “We will stay {}", "and keep going. ".repeat(5000));
    write_in(&dir, "open.txt", &open);
    write_in(&dir, "paragraphs.txt", "“One\n\n“Two\n\n“Three, said Tom Baker\n\n“Four");
    write_in(
        &dir,
        "open.csv",
        "id,text\n1,\"First row, never closed\n2,\"\"Lost,\"\" Tom Baker said.\n3,lost too\n",
    );
    write_in(
        &dir,
        "open.jsonl",
        "{\"text\": \"never closed}\n{\"text\": \"\\\"Yes,\\\" Ivan Petrov said.\"}\n",
    );
    write_in(&dir, "open.md", "---\ntitle: no closing fence\n\n“It is open,” Ann Lee said.\n");
    let out = run_both(
        &env,
        &dir,
        &[
            ("open.csv:2", "a quotation mark in this row is never closed"),
            ("open.jsonl:1", "invalid JSON"),
        ],
    );
    assert_spans_hold(&dir, &out);
    let all = statements(&out);
    // An unclosed quotation runs to the end of its paragraph and stays one statement.
    let opened: Vec<&Value> = all.iter().filter(|s| s["article"] == "open.txt").collect();
    assert_eq!(opened.len(), 1, "{opened:?}");
    assert!(all.iter().any(|s| s["article"] == "open.jsonl#2"));
    // Without its closing fence the front matter is body, and is read as such.
    assert!(all.iter().any(|s| s["article"] == "open.md"));
}

#[test]
fn a_hundred_thousand_quotation_marks_in_one_article() {
    let env = Dir::new();
    let dir = corpus(&env);
    write_in(&dir, "straight.txt", "\"".repeat(100_000));
    write_in(&dir, "curly.txt", "“".repeat(50_000) + &"”".repeat(50_000));
    write_in(&dir, "pairs.txt", "“a” ".repeat(100_000));
    let quoted: String =
        (0..25_000).map(|i| format!("“Point {i} stands,” Ann Lee said.\n")).collect();
    write_in(&dir, "quoted.txt", &quoted);
    let out = run_both(&env, &dir, &[]);
    assert_spans_hold(&dir, &out);
    let all = statements(&out);
    assert_eq!(all.iter().filter(|s| s["article"] == "quoted.txt").count(), 25_000);
}

#[test]
fn right_to_left_and_combining_characters_keep_spans_exact() {
    let env = Dir::new();
    let dir = corpus(&env);
    // Arabic and Hebrew quotations, bidi controls, combining accents in the
    // speaker's name, a zero-width joiner and a flag.
    let text = concat!(
        "«سنواصل العمل»، قال أحمد علي يوم الثلاثاء.\n\n",
        "“שלום לכולם,” אמר דוד לוי.\n\n",
        "\u{202B}“We will go on,” Tom Baker said.\u{202C}\n\n",
        "“Nothing changes,” A\u{301}nn Le\u{301}e said. “Ever\u{200D}.”\n\n",
        "“Go 🇫🇷 go,” Ivan Petrov\u{200F} said.\n\n",
        "Ivan Petrov said that Z\u{351}\u{34b}\u{36a}a\u{35b}l\u{34c}g\u{327}o text stays text.\n",
    );
    write_in(&dir, "scripts.txt", text);
    let out = run_both(&env, &dir, &[]);
    assert_spans_hold(&dir, &out);
    let all = statements(&out);
    let speakers: Vec<&str> = all
        .iter()
        .filter(|s| s["article"] == "scripts.txt")
        .filter_map(|s| s["speaker"].as_str())
        .collect();
    assert!(speakers.contains(&"Tom Baker"), "{speakers:?}");
    assert!(speakers.iter().any(|s| s.starts_with("Ivan Petrov")), "{speakers:?}");
}

#[test]
fn nul_bytes() {
    let env = Dir::new();
    let dir = corpus(&env);
    write_in(&dir, "nul.txt", b"\"We will win,\" Ann Lee\0 said.");
    write_in(&dir, "nul.md", b"---\ntitle: a\0b\n---\nBody.");
    // Escaped in JSON, a NUL is text like any other; raw, it is invalid JSON.
    write_in(
        &dir,
        "nul.jsonl",
        b"{\"text\": \"\\\"Go\\u0000on,\\\" Tom Baker said.\"}\n{\"text\": \"raw \0 byte\"}\n",
    );
    write_in(&dir, "nul.csv", b"id,text\n1,\"\"\"Go\0on,\"\" Tom Baker said.\"\n");
    let out = run_both(
        &env,
        &dir,
        &[
            ("nul.txt", "binary file (contains NUL bytes), skipped"),
            ("nul.md", "binary file (contains NUL bytes), skipped"),
            ("nul.jsonl:2", "invalid JSON: control character"),
        ],
    );
    let all = statements(&out);
    assert!(all.iter().any(|s| s["article"] == "nul.jsonl#1" && s["text"] == "Go\u{0}on,"));
    assert!(all.iter().any(|s| s["article"] == "nul.csv#1" && s["text"] == "Go\u{0}on,"));
}

#[test]
fn csv_with_ragged_rows() {
    let env = Dir::new();
    let dir = corpus(&env);
    write_in(
        &dir,
        "ragged.csv",
        "id,title,text\n1,One,\"“Yes,” Tom Baker said.\"\n2,Two\n3,Three,text,extra\n4\n5,Five,\"“No,” Ivan Petrov said.\"\n",
    );
    let out = run_both(
        &env,
        &dir,
        &[
            ("ragged.csv:3", "row has 2 fields, the header has 3"),
            ("ragged.csv:4", "row has 4 fields, the header has 3"),
            ("ragged.csv:5", "row has 1 fields, the header has 3"),
        ],
    );
    let all = statements(&out);
    assert!(all.iter().any(|s| s["article"] == "ragged.csv#1"));
    assert!(all.iter().any(|s| s["article"] == "ragged.csv#5"));
}

#[test]
fn json_with_wrong_types() {
    let env = Dir::new();
    let dir = corpus(&env);
    write_in(&dir, "number-text.json", r#"{"text": 42}"#);
    write_in(&dir, "object-date.json", r#"{"text": "Body.", "date": {"y": 2025}}"#);
    write_in(&dir, "list-title.json", r#"{"text": "Body.", "title": ["a", 1]}"#);
    write_in(&dir, "bool-id.json", r#"{"text": "Body.", "id": true}"#);
    write_in(&dir, "string.json", r#""just a string""#);
    write_in(&dir, "nested.json", format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)));
    write_in(
        &dir,
        "array.json",
        r#"[{"text": "“Fine,” Tom Baker said."}, 7, null, {"body": false}]"#,
    );
    write_in(
        &dir,
        "lines.jsonl",
        "[1, 2]\n{\"text\": null}\n{\"text\": \"“Fine,” Ivan Petrov said.\"}\n\"text\"\n",
    );
    let out = run_both(
        &env,
        &dir,
        &[
            ("number-text.json", "field `text` is a number, expected a string"),
            ("object-date.json", "field `date` is an object"),
            ("list-title.json", "field `title` is a list"),
            ("bool-id.json", "field `id` is"),
            ("string.json", "expected a JSON object or an array of objects"),
            ("nested.json", "recursion limit exceeded"),
            ("array.json", "element 2: expected a JSON object"),
            ("array.json", "element 3: expected a JSON object"),
            ("array.json", "element 4: field `body` is a boolean"),
            ("lines.jsonl:1", "expected a JSON object"),
            ("lines.jsonl:2", "no article text"),
            ("lines.jsonl:4", "expected a JSON object"),
        ],
    );
    let all = statements(&out);
    assert!(all.iter().any(|s| s["article"] == "array.json#1"));
    assert!(all.iter().any(|s| s["article"] == "lines.jsonl#3"));
}

#[cfg(unix)]
#[test]
fn symbolic_link_loops_and_dangling_links() {
    use std::os::unix::fs::symlink;
    let env = Dir::new();
    let dir = corpus(&env);
    write_in(&dir, "sub/inner.txt", "“Inside,” Tom Baker said.");
    symlink(&dir, dir.join("sub/up")).unwrap();
    symlink(dir.join("self.txt"), dir.join("self.txt")).unwrap();
    symlink(dir.join("nowhere"), dir.join("dangling.txt")).unwrap();
    let out = run_both(
        &env,
        &dir,
        &[
            ("sub/up", "symbolic link loop back to"),
            ("self.txt", "cannot read"),
            ("dangling.txt", "cannot read"),
        ],
    );
    // The loop is not followed: each article is read once.
    let all = statements(&out);
    assert_eq!(all.iter().filter(|s| s["article"] == "sub/inner.txt").count(), 1);
    assert_eq!(all.iter().filter(|s| s["article"] == "good.txt").count(), 1);
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_folders() {
    use std::os::unix::fs::PermissionsExt;
    let env = Dir::new();
    let dir = corpus(&env);
    let file = write_in(&dir, "secret.txt", "“Hidden,” Tom Baker said.");
    let folder = dir.join("locked");
    write_in(&dir, "locked/inside.txt", "“Locked,” Tom Baker said.");
    fs::set_permissions(&file, fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o000)).unwrap();
    let expect = [
        ("secret.txt", "cannot open: Permission denied"),
        ("locked", "cannot read: Permission denied"),
    ];
    // Root reads mode-000 files anyway, so there is nothing to refuse.
    let root = fs::File::open(&file).is_ok();
    if !root {
        run_both(&env, &dir, &expect);
    } else {
        run_both(&env, &dir, &[]);
        // As root, run extract as the unprivileged user `nobody` when setpriv can.
        fs::set_permissions(env.root(), fs::Permissions::from_mode(0o755)).unwrap();
        let as_nobody = Cmd::via("setpriv", &["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg("extract")
            .arg(&dir)
            .arg("--json")
            .try_output();
        match as_nobody {
            Ok(out) if out.status.code() == Some(0) => {
                for (f, reason) in expect {
                    assert_warned(&out, f, reason);
                }
                assert!(statements(&out).iter().any(|s| s["article"] == "good.txt"));
            }
            other => eprintln!(
                "running as root, which reads mode-000 files, and cannot run as nobody ({:?}): only checked that the run goes on",
                other.map(|o| stderr(&o))
            ),
        }
    }
    // Let the temporary folder be removed.
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o755)).unwrap();
}

/// Folders nested 10,000 deep: the walk does not recurse on the stack, reads what
/// the system can open, and names the first folder whose path is too long.
#[cfg(target_os = "linux")]
#[test]
fn folders_nested_ten_thousand_deep() {
    let env = Dir::new();
    let dir = corpus(&env);
    // Paths this long cannot be passed to the system whole, so the tree is built
    // a hundred folders at a time below an open handle on the last one, named
    // through /proc/self/fd: the process's working folder (shared by every test
    // running in parallel in this binary) is never moved.
    use std::os::fd::AsRawFd;
    let mut base = fs::File::open(&dir).unwrap();
    let mut depth = 0;
    while depth < 10_000 {
        let mut below = PathBuf::from(format!("/proc/self/fd/{}", base.as_raw_fd()));
        for _ in 0..100 {
            below.push("d");
            depth += 1;
            fs::create_dir(&below).unwrap();
            if depth == 100 || depth == 10_000 {
                fs::write(below.join("deep.txt"), format!("“Down {depth},” Tom Baker said."))
                    .unwrap();
            }
        }
        base = fs::File::open(&below).unwrap();
    }
    let out = run_both(&env, &dir, &[("d/d/d", "File name too long")]);
    let all = statements(&out);
    assert!(all.iter().any(|s| s["text"] == "Down 100,"), "the file 100 folders down is read");
    assert!(!all.iter().any(|s| s["text"] == "Down 10000,"));
}

/// Issue 19: an article dated outside the years the index can hold (Tantivy keeps
/// nanoseconds in an i64: 1678 to 2261) was indexed without a date and vanished from
/// date filters, facets, `stats` and `timeline` without a word. Now it is named with
/// a warning and read as undated (`timeline` counts it as such), and a `--date` out
/// of range is refused.
#[test]
fn dates_the_index_cannot_hold_are_warned_and_read_as_undated() {
    let env = Dir::new();
    let dir = corpus(&env);
    write_in(
        &dir,
        "odd.jsonl",
        concat!(
            r#"{"id": "early", "date": "1492-10-12", "text": "“Land is near,” Tom Baker said."}"#,
            "\n",
            r#"{"id": "late", "date": "2300-01-01", "text": "“The ships are ready,” Ada Brunn said."}"#,
            "\n"
        ),
    );
    let reason = "its date 1492-10-12 is outside the years 1678 to 2261 that can be indexed; read as undated";
    run_both(&env, &dir, &[("odd.jsonl", reason), ("odd.jsonl", "its date 2300-01-01 is outside")]);
    let timeline = env.json(&["timeline", "Tom Baker", "--json"]);
    assert_eq!(
        (timeline["total"].as_u64(), timeline["undated"].as_u64()),
        (Some(1), Some(1)),
        "{timeline}"
    );
    let out = env.run(&["ingest", dir.to_str().unwrap(), "--date", "1500-01-01"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("the index holds days of the years 1678 to 2261 only"),
        "{}",
        stderr(&out)
    );
}

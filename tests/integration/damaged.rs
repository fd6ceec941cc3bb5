//! Damaged and read-only indexes (issue 19, items 6 and 7): bytes flipped in segment
//! files, a wrong document count in `meta.json`, missing and unreadable files, a
//! store truncated under a running `serve`; `whosaid check` finding each and
//! `--repair` restoring the index a clean ingest gives; reading commands on an
//! index its user cannot write; index files made with the umask's mode.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::common::web::Server;
use crate::common::{files_below, stderr, stdout, write_in, Cmd, Dir};

/// Sixty articles of eight attributed statements by eight invented people.
fn corpus(env: &Dir) -> PathBuf {
    let names = ["Ann Lee", "Tom Baker", "Ada Brunn", "Ben Ortiz", "Cara Voss", "Dan Mirel"];
    let words = ["tax", "budget", "harbor", "school", "river", "bridge", "vote", "market"];
    let dir = env.mkdir("corpus");
    for i in 0..60 {
        let lines: Vec<String> = (0..8)
            .map(|j| {
                let (name, word) = (names[(i * 3 + j) % names.len()], words[(i + j) % words.len()]);
                format!(
                    "“The {word} plan number {} will matter a great deal,” {name} said.",
                    i * 8 + j
                )
            })
            .collect();
        write_in(
            &dir,
            &format!("{}/a{i:03}.txt", if i % 2 == 0 { "even" } else { "odd" }),
            format!("Title {i}\n\n{}\n", lines.join("\n\n")),
        );
    }
    dir
}

/// An index of [`corpus`], made on one thread so its files are laid out the same
/// way every run.
fn indexed() -> Dir {
    let env = Dir::new();
    let dir = corpus(&env);
    env.cmd().args(["ingest", "--threads", "1", "-q"]).arg(&dir).assert_success();
    env
}

/// The reading commands and their answers.
const READS: [&[&str]; 5] = [
    &["stats", "--json"],
    &["query", "plan", "--json", "--limit", "1000"],
    &["who", "great deal", "--json"],
    &["timeline", "Ann Lee", "--json"],
    &["speakers", "--json"],
];

/// The answers of [`READS`]; hits sorted by id, since statements read again may
/// come back in another order among equal scores.
fn answers(index: &Path) -> Vec<String> {
    READS
        .iter()
        .map(|args| normalized(&stdout(&Cmd::new().index(index).args(*args).output())))
        .collect()
}

/// Asserts that two lists of [`answers`] are equal, showing the first command that
/// differs and not the whole answers.
fn assert_same(got: &[String], want: &[String], what: &str) {
    for ((args, g), w) in READS.iter().zip(got).zip(want) {
        if g != w {
            let at = g.bytes().zip(w.bytes()).take_while(|(a, b)| a == b).count();
            let near = |s: &str| {
                s.get(at.saturating_sub(80)..(at + 120).min(s.len())).unwrap_or("").to_string()
            };
            panic!(
                "{what}: {args:?} answers otherwise from byte {at}:\n got  …{}\n want …{}",
                near(g),
                near(w)
            );
        }
    }
}

fn normalized(answer: &str) -> String {
    let Ok(mut json) = serde_json::from_str::<serde_json::Value>(answer) else {
        return answer.to_string();
    };
    if let Some(hits) = json.get_mut("hits").and_then(|h| h.as_array_mut()) {
        hits.sort_by_key(|h| h["id"].as_str().unwrap_or("").to_string());
    }
    // `who` shows one example statement per speaker, the first found.
    if let Some(speakers) = json.get_mut("speakers").and_then(|s| s.as_array_mut()) {
        for s in speakers.iter_mut().filter_map(|s| s.as_object_mut()) {
            s.retain(|key, _| !key.starts_with("example"));
        }
    }
    json.to_string()
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The largest file with extension `ext` in `folder`: the big segment's.
fn largest(folder: &Path, ext: &str) -> PathBuf {
    fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .max_by_key(|p| fs::metadata(p).unwrap().len())
        .unwrap_or_else(|| panic!("no .{ext} file in {}", folder.display()))
}

/// Inverts 64 bytes of `file` from `at`.
fn flip(file: &Path, at: usize) {
    let mut bytes = fs::read(file).unwrap();
    let end = (at + 64).min(bytes.len());
    for b in &mut bytes[at..end] {
        *b ^= 0xFF;
    }
    fs::write(file, bytes).unwrap();
}

/// What a reading command may do on a damaged index: answer (0, 1), or refuse with
/// "index damaged: run whosaid check" (2); never panic (101) or die of a signal.
/// Returns whether it refused.
fn refused_as_damaged(out: &std::process::Output, what: &str) -> bool {
    let err = stderr(out);
    assert!(!err.contains("panicked at"), "{what}: a panic: {err}");
    match out.status.code() {
        Some(0 | 1) => false,
        Some(2) => {
            assert!(err.contains("whosaid: error:"), "{what}: {err}");
            err.contains("index damaged: run whosaid check")
        }
        other => panic!("{what}: exit {other:?}: {err}"),
    }
}

fn check(index: &Path, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let out = Cmd::new().index(index).arg("check").args(args).arg("--json").output();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("check --json: {e}: {}\n{}", stdout(&out), stderr(&out)));
    (out.status.code(), json)
}

fn problem_files(report: &serde_json::Value) -> Vec<String> {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["file"].as_str().unwrap().to_string())
        .collect()
}

/// 64 bytes flipped every 512 bytes of the big segment's columns, postings and
/// terms, one copy each: no command panics (Tantivy did, exit 101, on the columns);
/// a panic inside Tantivy is exit 2 saying to run `check`; `check` names the file
/// every time; `check --repair` gives back the answers of the undamaged index.
#[test]
fn flipped_bytes_are_refused_found_and_repaired() {
    let env = indexed();
    let clean = answers(&env.index());
    let damaged = |ext: &str, at: usize| {
        let copy = env.path(&format!("copy-{ext}-{at}"));
        copy_dir(&env.index(), &copy);
        let file = largest(&copy, ext);
        flip(&file, at);
        (copy, file.file_name().unwrap().to_str().unwrap().to_string())
    };
    let offsets: Vec<(&str, usize)> = ["fast", "idx", "term"]
        .into_iter()
        .flat_map(|ext| {
            let size = fs::metadata(largest(&env.index(), ext)).unwrap().len() as usize;
            (0..size).step_by(512).map(move |at| (ext, at))
        })
        .collect();
    // The reading commands first, on every copy.
    let mut refused = 0;
    for &(ext, at) in &offsets {
        let (copy, _) = damaged(ext, at);
        for args in READS {
            let out = Cmd::new().index(&copy).args(args).output();
            refused += usize::from(refused_as_damaged(&out, &format!("{ext} at {at}: {args:?}")));
        }
        fs::remove_dir_all(&copy).unwrap();
    }
    // The columns hold offsets Tantivy slices by: some flips there made it panic,
    // and each of those panics was refused as damage.
    assert!(refused > 0, "no command on {} damaged copies was refused as damaged", offsets.len());
    for &(ext, at) in &offsets {
        let (copy, name) = damaged(ext, at);
        let (code, report) = check(&copy, &[]);
        assert_eq!(code, Some(1), "{ext} at {at}: {report}");
        assert_eq!(problem_files(&report), [name], "{ext} at {at}");
        assert_eq!(report["problems"][0]["fix"], "drop_segment");
        // Repairing every copy would read the corpus a hundred times; the first of
        // each file is enough.
        if at == 0 {
            let (code, report) = check(&copy, &["--repair"]);
            assert_eq!(code, Some(0), "{ext}: {report}");
            assert!(report["repaired"]["statements"].as_u64().unwrap() > 0, "{report}");
            assert_same(&answers(&copy), &clean, &format!("{ext} repaired"));
        }
        fs::remove_dir_all(&copy).unwrap();
    }
}

/// A `max_doc` in `meta.json` 30 too small hid 30 statements without a word
/// (`stats` said 450 of 480); 30 too large made Tantivy read past its columns
/// (exit 101). Both are refused as damage; `check --repair` writes the count the
/// segment's files hold.
#[test]
fn a_wrong_document_count_in_meta_json_is_refused_and_written_right() {
    let env = indexed();
    let clean = answers(&env.index());
    for delta in [-30i64, 30] {
        let copy = env.path(&format!("copy{delta}"));
        copy_dir(&env.index(), &copy);
        let meta_path = copy.join("meta.json");
        let mut meta: serde_json::Value =
            serde_json::from_slice(&fs::read(&meta_path).unwrap()).unwrap();
        let segments = meta["segments"].as_array_mut().unwrap();
        let big = segments.iter_mut().max_by_key(|s| s["max_doc"].as_u64().unwrap()).unwrap();
        let true_count = big["max_doc"].as_i64().unwrap();
        big["max_doc"] = (true_count + delta).into();
        fs::write(&meta_path, serde_json::to_vec(&meta).unwrap()).unwrap();
        // (`speakers` answers from the table made when the index was whole.)
        for args in &READS[..4] {
            let out = Cmd::new().index(&copy).args(*args).output();
            assert!(
                refused_as_damaged(&out, &format!("{delta}: {args:?}")),
                "{delta}: {args:?} answered: {}",
                stdout(&out)
            );
        }
        let (code, report) = check(&copy, &[]);
        assert_eq!(code, Some(1), "{report}");
        assert_eq!(report["problems"][0]["fix"], "count", "{report}");
        assert_eq!(report["problems"][0]["max_doc"], true_count, "{report}");
        let (code, report) = check(&copy, &["--repair"]);
        assert_eq!(code, Some(0), "{report}");
        // Nothing was lost, so nothing is read again.
        assert_eq!(report["repaired"]["reread"], serde_json::json!([]), "{report}");
        assert_same(&answers(&copy), &clean, &format!("max_doc {delta:+} repaired"));
    }
}

/// A segment file deleted, the article store's texts damaged, `meta.json` made
/// unreadable, the speaker table cut short: `check` names each, and `--repair`
/// reads the lost files again from their folders (ids and all) or rebuilds.
#[test]
fn missing_files_a_damaged_store_and_an_unreadable_meta_json_are_repaired() {
    let env = indexed();
    let clean = answers(&env.index());
    let article = "even/a010.txt";
    let shown = stdout(&env.cmd().args(["show", article, "--json"]).assert_success());
    type Damage = fn(&Path);
    // Each damage, and whether a query that reads every hit's sentence is refused
    // for it (a table cut short is rebuilt by the query, slowly but right).
    let damages: [(&str, Damage, bool); 4] = [
        ("a missing store", |i| fs::remove_file(largest(i, "store")).unwrap(), true),
        (
            "a damaged article store",
            |i| {
                let store = largest(&i.join("articles"), "store");
                flip(&store, 100);
            },
            true,
        ),
        (
            "meta.json unreadable",
            |i| fs::write(i.join("meta.json"), "{\"segments\": [").unwrap(),
            true,
        ),
        (
            "speakers.json cut short",
            |i| fs::write(i.join("speakers.json"), "{\"op").unwrap(),
            false,
        ),
    ];
    for (what, damage, refused) in damages {
        let copy = env.path("copy");
        copy_dir(&env.index(), &copy);
        damage(&copy);
        let out = Cmd::new().index(&copy).args(["query", "plan", "--limit", "1000"]).output();
        assert_eq!(refused_as_damaged(&out, what), refused, "{what}: {}", stderr(&out));
        let (code, report) = check(&copy, &[]);
        assert_eq!(code, Some(1), "{what}: {report}");
        let (code, report) = check(&copy, &["--repair"]);
        assert_eq!(code, Some(0), "{what}: {report}");
        assert_same(&answers(&copy), &clean, what);
        let again = Cmd::new().index(&copy).args(["show", article, "--json"]).assert_success();
        assert_eq!(stdout(&again), shown, "{what}: the article reads otherwise");
        fs::remove_dir_all(&copy).unwrap();
    }
}

/// `serve` on an index whose store is truncated under it (a restore, a full disk):
/// the request that reads it gets a 500 that says so, the server logs it and goes
/// on answering. Before, the store's memory map faulted and SIGBUS killed the
/// server without a word. A panic inside Tantivy is a 500 saying the index is
/// damaged, logged the same way.
#[test]
fn serve_survives_a_store_truncated_under_it_and_logs_it() {
    let env = indexed();
    let server = Server::start(&env.index());
    assert_eq!(server.get("/api/stats").status, 200);
    let store = largest(&env.index(), "store");
    fs::File::options().write(true).open(&store).unwrap().set_len(100).unwrap();
    let reply = server.get("/api/search?q=plan&limit=5");
    assert_eq!(reply.status, 500, "{}", reply.text());
    assert!(reply.text().contains("truncated"), "{}", reply.text());
    assert_eq!(server.get("/api/stats").status, 200, "the server died");
    let logged = server.log.recv_timeout(std::time::Duration::from_secs(10)).expect("a log line");
    assert!(logged.starts_with("whosaid: error: /api/search"), "{logged}");
}

#[test]
fn serve_answers_a_panic_inside_tantivy_with_500_index_damaged() {
    let env = indexed();
    // A copy on which `stats` panics inside Tantivy: found as the test above finds them.
    let fast = largest(&env.index(), "fast");
    let size = fs::metadata(&fast).unwrap().len() as usize;
    let copy = env.path("copy");
    let panicking = (0..size).step_by(512).find(|at| {
        let _ = fs::remove_dir_all(&copy);
        copy_dir(&env.index(), &copy);
        flip(&largest(&copy, "fast"), *at);
        let out = Cmd::new().index(&copy).args(["stats", "--json"]).output();
        refused_as_damaged(&out, "stats") && stderr(&out).contains("Tantivy panicked")
    });
    let Some(at) = panicking else {
        panic!("no flip in the columns made stats panic inside Tantivy");
    };
    let server = Server::start(&copy);
    let log = || server.log.recv_timeout(std::time::Duration::from_secs(10)).expect("a log line");
    // Checked once at the start: the checksum does not match.
    let warned = log();
    assert!(warned.starts_with("whosaid: warning: index damaged (1 problem"), "{warned}");
    let reply = server.get("/api/stats");
    assert_eq!(reply.status, 500, "flip at {at}: {}", reply.text());
    assert!(reply.text().contains("index damaged: run whosaid check"), "{}", reply.text());
    assert_eq!(server.get("/").status, 200, "the server died");
    let logged = log();
    assert!(logged.starts_with("whosaid: error: /api/stats"), "{logged}");
    assert!(logged.contains("index damaged: run whosaid check"), "{logged}");
    assert!(!logged.contains("panicked at"), "{logged}");
}

/// Every reading command on an index its user cannot write: the files and folders
/// made read-only, run as `nobody` when the test runs as root (root writes
/// anyway). Before, each failed on Tantivy's `.tantivy-meta.lock`: "Failed to
/// acquire Lockfile: … Permission denied".
#[test]
fn a_read_only_index_answers_every_reading_command() {
    let env = indexed();
    let clean = answers(&env.index());
    let article = "even/a010.txt";
    let reads: Vec<Vec<&str>> = READS
        .iter()
        .map(|a| a.to_vec())
        .chain([vec!["show", article], vec!["export"], vec!["check"]])
        .collect();
    fn read_only(path: &Path) {
        for entry in fs::read_dir(path).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                read_only(&p);
            }
            let mode = if p.is_dir() { 0o555 } else { 0o444 };
            fs::set_permissions(&p, fs::Permissions::from_mode(mode)).unwrap();
        }
        fs::set_permissions(path, fs::Permissions::from_mode(0o555)).unwrap();
    }
    read_only(&env.index());
    fs::set_permissions(env.root(), fs::Permissions::from_mode(0o755)).unwrap();
    let root = fs::File::create(env.index().join("probe")).is_ok();
    let run = |args: &[&str]| {
        let cmd = if root {
            Cmd::via("setpriv", &["--reuid=65534", "--regid=65534", "--clear-groups"])
        } else {
            Cmd::new()
        };
        cmd.index(env.index()).args(args).try_output()
    };
    if root {
        let _ = fs::remove_file(env.index().join("probe"));
        if run(&["--version"]).map_or(true, |o| !o.status.success()) {
            eprintln!("skipped: running as root, which writes read-only files, and cannot run as nobody through setpriv");
            return;
        }
    }
    for args in &reads {
        let out = run(args).unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    }
    let answered: Vec<String> =
        READS.iter().map(|a| normalized(&stdout(&run(a).unwrap()))).collect();
    assert_same(&answered, &clean, "read-only");
    // Nothing to repair, so nothing to write.
    let out = run(&["check", "--repair"]).unwrap();
    assert_eq!(out.status.code(), Some(0), "nothing to repair: {}", stderr(&out));
}

/// Every file of a new index has the mode the umask gives (Tantivy wrote
/// `meta.json` and `.managed.json` 0600, so a group or a web server's user could
/// not read an index made for them).
#[test]
fn index_files_honour_the_umask() {
    for (umask, mode) in [("022", 0o644), ("027", 0o640), ("002", 0o664)] {
        let env = Dir::new();
        let dir = corpus(&env);
        Cmd::via("sh", &["-c", &format!("umask {umask}; exec \"$0\" \"$@\"")])
            .index(env.index())
            .args(["ingest", "-q"])
            .arg(&dir)
            .assert_success();
        let files = files_below(&env.index());
        assert!(files.iter().any(|f| f.ends_with("meta.json")));
        for f in files {
            let got = fs::metadata(&f).unwrap().permissions().mode() & 0o777;
            assert_eq!(got, mode, "umask {umask}: {} is {got:o}", f.display());
        }
    }
}

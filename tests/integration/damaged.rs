//! Damaged and read-only indexes (issue 19, items 6 and 7): a store truncated under
//! a running `serve`, a panic inside Tantivy; reading commands on an index its user
//! cannot write; index files made with the umask's mode.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::common::web::Server;
use crate::common::{stderr, stdout, write_in, Cmd, Dir};

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
    let reply = server.get("/api/stats");
    assert_eq!(reply.status, 500, "flip at {at}: {}", reply.text());
    assert!(reply.text().contains("index damaged: run whosaid check"), "{}", reply.text());
    assert_eq!(server.get("/").status, 200, "the server died");
    let logged = server.log.recv_timeout(std::time::Duration::from_secs(10)).expect("a log line");
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
    let reads: Vec<Vec<&str>> =
        READS.iter().map(|a| a.to_vec()).chain([vec!["show", article], vec!["export"]]).collect();
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
        let mut files = Vec::new();
        fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
            for e in fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, out);
                } else {
                    out.push(p);
                }
            }
        }
        walk(&env.index(), &mut files);
        assert!(files.iter().any(|f| f.ends_with("meta.json")));
        for f in files {
            let got = fs::metadata(&f).unwrap().permissions().mode() & 0o777;
            assert_eq!(got, mode, "umask {umask}: {} is {got:o}", f.display());
        }
    }
}

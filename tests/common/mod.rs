//! The test harness, in the manner of ripgrep's `tests/util.rs`: [`Dir`], a
//! temporary folder to write articles into (nested paths, text or bytes) that holds
//! the index, and [`Cmd`], the real `whosaid` binary with its arguments, environment,
//! stdin and working folder, run to its output or to a checked exit code. Every test
//! that runs the binary goes through [`Cmd`]; nothing else names
//! `CARGO_BIN_EXE_whosaid`.
//!
//! Each command gets its environment explicitly (`WHOSAID_INDEX` removed unless the
//! test sets it) and its working folder explicitly, so tests running in parallel in
//! one process share no state: no test calls `std::env::set_var` or
//! `std::env::set_current_dir`.
//!
//! Also here: `web` (an HTTP client and a `whosaid serve` process) and `fuzz` (the
//! fuzz targets' checks, which fuzz/fuzz_targets/ includes by path, so it stays at
//! tests/common/fuzz.rs).
#![allow(dead_code)]

pub mod fuzz;
pub mod web;

use std::ffi::{OsStr, OsString};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_whosaid");

/// A temporary folder, removed when dropped; its `index` folder is the index of the
/// commands made by [`Dir::cmd`].
pub struct Dir {
    tmp: tempfile::TempDir,
}

impl Default for Dir {
    fn default() -> Dir {
        Dir::new()
    }
}

impl Dir {
    pub fn new() -> Dir {
        Dir { tmp: tempfile::tempdir().expect("temp dir") }
    }

    /// The folder itself.
    pub fn root(&self) -> &Path {
        self.tmp.path()
    }

    /// `rel` inside the folder (not created).
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// `rel` inside the folder as a string, for an argument.
    pub fn arg(&self, rel: &str) -> String {
        self.path(rel).to_str().expect("utf-8 path").to_string()
    }

    /// The index folder: `index` inside the folder.
    pub fn index(&self) -> PathBuf {
        self.path("index")
    }

    /// Writes `contents` (text or bytes) to `rel`, creating its folders.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        write_in(self.root(), rel, contents)
    }

    /// Creates the folder `rel` and its parents.
    pub fn mkdir(&self, rel: &str) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(&p).unwrap_or_else(|e| panic!("mkdir {}: {e}", p.display()));
        p
    }

    /// whosaid with `--index` set to this folder's index.
    pub fn cmd(&self) -> Cmd {
        Cmd::new().index(self.index())
    }

    /// Runs whosaid on this folder's index; any exit code.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output()
    }

    /// Runs whosaid on this folder's index and parses its stdout as one JSON value,
    /// whatever the exit code (`who` answers 1 with JSON when nothing matched).
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        self.cmd().args(args).json()
    }

    /// `ingest PATH` into this folder's index; panics with stderr unless it succeeds.
    pub fn ingest(&self, path: &Path) -> Output {
        self.cmd().arg("ingest").arg(path).assert_success()
    }
}

/// Writes `contents` to `dir/rel`, creating folders; for files outside a [`Dir`]'s
/// root, such as a corpus folder inside it.
pub fn write_in(dir: &Path, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent)
            .unwrap_or_else(|e| panic!("mkdir {}: {e}", parent.display()));
    }
    std::fs::write(&p, contents).unwrap_or_else(|e| panic!("write {}: {e}", p.display()));
    p
}

/// One run of the whosaid binary, built up: arguments, environment, stdin, working
/// folder. Consumed by [`Cmd::output`] and the helpers that check what it gives.
pub struct Cmd {
    cmd: Command,
    /// The command line as shown in panic messages.
    shown: Vec<OsString>,
    stdin: Option<Vec<u8>>,
}

impl Default for Cmd {
    fn default() -> Cmd {
        Cmd::new()
    }
}

impl Cmd {
    /// The whosaid binary with no arguments and `WHOSAID_INDEX` removed from its
    /// environment (set it with [`Cmd::env`] to test it).
    pub fn new() -> Cmd {
        Cmd::program(Command::new(BIN), vec![OsString::from("whosaid")])
    }

    /// The whosaid binary run by `program` with `args` before it, as in
    /// `setpriv --reuid=65534 … whosaid extract …`.
    pub fn via(program: &str, args: &[&str]) -> Cmd {
        let mut cmd = Command::new(program);
        cmd.args(args).arg(BIN);
        let shown = std::iter::once(program)
            .chain(args.iter().copied())
            .chain(["whosaid"])
            .map(OsString::from)
            .collect();
        Cmd::program(cmd, shown)
    }

    fn program(mut cmd: Command, shown: Vec<OsString>) -> Cmd {
        cmd.env_remove("WHOSAID_INDEX");
        Cmd { cmd, shown, stdin: None }
    }

    /// `--index PATH`.
    pub fn index(self, path: impl AsRef<Path>) -> Cmd {
        self.arg("--index").arg(path.as_ref())
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Cmd {
        self.cmd.arg(arg.as_ref());
        self.shown.push(arg.as_ref().to_owned());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Cmd
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        for a in args {
            self = self.arg(a);
        }
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Cmd {
        self.cmd.env(key, value);
        self
    }

    pub fn envs<'a>(mut self, vars: impl IntoIterator<Item = &'a (&'a str, &'a str)>) -> Cmd {
        for (k, v) in vars {
            self.cmd.env(k, v);
        }
        self
    }

    pub fn env_remove(mut self, key: &str) -> Cmd {
        self.cmd.env_remove(key);
        self
    }

    /// Bytes written to stdin (otherwise stdin is empty).
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Cmd {
        self.stdin = Some(bytes.into());
        self
    }

    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Cmd {
        self.cmd.current_dir(dir);
        self
    }

    /// The command line, for messages.
    pub fn shown(&self) -> String {
        self.shown
            .iter()
            .map(|a| a.to_string_lossy().chars().take(80).collect::<String>())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Runs to the end; Err only when the program cannot be started.
    pub fn try_output(mut self) -> std::io::Result<Output> {
        let Some(input) = self.stdin.take() else {
            return self.cmd.stdin(Stdio::null()).output();
        };
        self.cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = self.cmd.spawn()?;
        let mut pipe = child.stdin.take().expect("stdin");
        // A writer thread, so a command that fills its stdout before reading all of
        // stdin cannot deadlock against us.
        let writer = std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
        let out = child.wait_with_output();
        let _ = writer.join();
        out
    }

    /// Runs to the end, whatever the exit code.
    pub fn output(self) -> Output {
        let shown = self.shown();
        self.try_output().unwrap_or_else(|e| panic!("{shown}: cannot run: {e}"))
    }

    /// Runs; panics with the command line and stderr unless it exits 0.
    pub fn assert_success(self) -> Output {
        let shown = self.shown();
        let out = self.output();
        assert!(out.status.success(), "{shown}: {}\n{}", out.status, stderr(&out));
        out
    }

    /// Runs; panics with the command line and stderr unless it exits with `code`.
    pub fn assert_exit_code(self, code: i32) -> Output {
        let shown = self.shown();
        let out = self.output();
        assert_eq!(out.status.code(), Some(code), "{shown}: {}", stderr(&out));
        out
    }

    /// Stdout of a run that must succeed.
    pub fn stdout(self) -> String {
        stdout(&self.assert_success())
    }

    /// Stderr of a run, whatever the exit code.
    pub fn stderr(self) -> String {
        stderr(&self.output())
    }

    /// Stdout parsed as one JSON value, whatever the exit code; panics with stdout
    /// and stderr when it is not JSON.
    pub fn json(self) -> serde_json::Value {
        let shown = self.shown();
        let out = self.output();
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!("{shown}: not JSON ({e}): {}\n{}", stdout(&out), stderr(&out))
        })
    }

    /// Starts it with stdin and stdout null and stderr piped (to wait on, or read as
    /// it goes), for a server or a run to interrupt.
    pub fn spawn(mut self) -> Child {
        let shown = self.shown();
        self.cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
        self.cmd.spawn().unwrap_or_else(|e| panic!("{shown}: cannot start: {e}"))
    }
}

impl Cmd {
    /// Starts it with stdout and stderr piped, for a reader that stops early.
    pub fn spawn_piped(mut self) -> Child {
        let shown = self.shown();
        self.cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        self.cmd.spawn().unwrap_or_else(|e| panic!("{shown}: cannot start: {e}"))
    }
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Stdout as JSON Lines: one value per line (`extract --json`, `export`).
pub fn json_lines(o: &Output) -> Vec<serde_json::Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The bundled demo articles.
pub fn demo_articles() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/articles")
}

/// The real corpora's folder, from `WHOSAID_CORPORA`; None (after saying the test
/// is skipped, and how to run it) when it is unset or not a folder.
pub fn corpora() -> Option<PathBuf> {
    let dir = std::env::var_os("WHOSAID_CORPORA").map(PathBuf::from).filter(|d| d.is_dir());
    if dir.is_none() {
        eprintln!("skipped: set WHOSAID_CORPORA to the corpora folder (e.g. ../shared/corpora) to run this test");
    }
    dir
}

/// Every file below `dir`, at any depth (folders themselves not listed).
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in
            std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        {
            let path = entry.expect("folder entry").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

/// A file of the repository, by its path from the top.
pub fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// The names as a set of owned strings.
pub fn set(names: &[&str]) -> std::collections::BTreeSet<String> {
    names.iter().map(|s| s.to_string()).collect()
}

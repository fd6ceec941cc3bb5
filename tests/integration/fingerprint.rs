//! The build fingerprint (`build/fingerprint.rs`, the same file `build.rs` uses)
//! covers what changes statements and nothing else: on a synthetic crate with one
//! file under every input and a few files that are not inputs, editing a non-input
//! leaves it unchanged; editing or renaming a file under an input changes it; a
//! missing input is an error that names it. On the real crate it equals the
//! fingerprint the build script stamped.

#![allow(dead_code)]

#[path = "../../build/fingerprint.rs"]
mod build_fingerprint;

use std::fs;
use std::path::{Path, PathBuf};

use build_fingerprint::{fingerprint, INPUTS};

use crate::common::files_below;

/// Files of the synthetic crate outside every input: what a new renderer, web page,
/// command-line flag, search feature or doc edit touches.
const NOT_INPUTS: &[&str] = &[
    "src/render/mod.rs",
    "src/web/page.html",
    "src/cli/args.rs",
    "README.md",
    "docs/x.md",
    "Cargo.toml",
    "src/main.rs",
    "src/ingest/mod.rs",
    "src/index/search/who.rs",
    "src/api/mod.rs",
    "data/articles/a.md",
];

/// Whether `input` is a folder, as it is in the real crate.
fn is_folder(input: &str) -> bool {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(input).is_dir()
}

/// The file the synthetic crate has for `input`: the input itself, or one inside it.
fn file_of(root: &Path, input: &str) -> PathBuf {
    if is_folder(input) {
        root.join(input).join("x.rs")
    } else {
        root.join(input)
    }
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A crate with one file under every input and every one of [`NOT_INPUTS`].
fn synthetic() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for input in INPUTS {
        write(&file_of(dir.path(), input), &format!("contents of {input}\n"));
    }
    for file in NOT_INPUTS {
        write(&dir.path().join(file), &format!("contents of {file}\n"));
    }
    dir
}

fn hash(root: &Path) -> u64 {
    fingerprint(root).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn inputs_are_distinct_and_relative() {
    let mut seen = std::collections::BTreeSet::new();
    for input in INPUTS {
        assert!(seen.insert(*input), "{input} listed twice");
        assert!(
            !input.starts_with('/') && !input.contains('\\') && !input.ends_with('/'),
            "{input}"
        );
    }
    for required in ["Cargo.lock", "build.rs", "build/fingerprint.rs"] {
        assert!(INPUTS.contains(&required), "{required} is not in INPUTS");
    }
}

#[test]
fn same_files_same_fingerprint_wherever_the_crate_is() {
    let (a, b) = (synthetic(), synthetic());
    assert_eq!(hash(a.path()), hash(b.path()));
    assert_eq!(hash(a.path()), hash(a.path()));
}

#[test]
fn editing_a_file_outside_the_inputs_leaves_it_unchanged() {
    let dir = synthetic();
    let before = hash(dir.path());
    for file in NOT_INPUTS {
        write(&dir.path().join(file), "edited\n");
        assert_eq!(hash(dir.path()), before, "editing {file} changed the fingerprint");
    }
    // New files outside the inputs do not count either.
    write(&dir.path().join("src/render/csv.rs"), "a new renderer\n");
    write(&dir.path().join("src/web/assets/new.js"), "a new page\n");
    assert_eq!(hash(dir.path()), before, "a new non-input file changed the fingerprint");
}

#[test]
fn editing_a_file_under_each_input_changes_it() {
    let dir = synthetic();
    let before = hash(dir.path());
    for input in INPUTS {
        let file = file_of(dir.path(), input);
        let original = fs::read(&file).unwrap();
        write(&file, "edited\n");
        assert_ne!(
            hash(dir.path()),
            before,
            "editing {} did not change the fingerprint",
            file.display()
        );
        fs::write(&file, original).unwrap();
        assert_eq!(
            hash(dir.path()),
            before,
            "restoring {} did not restore the fingerprint",
            file.display()
        );
    }
}

#[test]
fn a_new_file_under_each_folder_input_changes_it() {
    let dir = synthetic();
    let before = hash(dir.path());
    for input in INPUTS.iter().filter(|i| is_folder(i)) {
        let file = dir.path().join(input).join("deeper/new.rs");
        write(&file, "");
        assert_ne!(
            hash(dir.path()),
            before,
            "adding {} did not change the fingerprint",
            file.display()
        );
        fs::remove_file(&file).unwrap();
        assert_eq!(hash(dir.path()), before);
    }
}

#[test]
fn renaming_a_file_inside_each_folder_input_changes_it() {
    let dir = synthetic();
    let before = hash(dir.path());
    let folders: Vec<&str> = INPUTS.iter().copied().filter(|i| is_folder(i)).collect();
    assert!(!folders.is_empty());
    for input in folders {
        let (from, to) = (dir.path().join(input).join("x.rs"), dir.path().join(input).join("y.rs"));
        fs::rename(&from, &to).unwrap();
        assert_ne!(
            hash(dir.path()),
            before,
            "renaming a file in {input} did not change the fingerprint"
        );
        fs::rename(&to, &from).unwrap();
        assert_eq!(hash(dir.path()), before);
    }
}

#[test]
fn moving_text_between_inputs_changes_it() {
    let dir = synthetic();
    let (a, b) = (file_of(dir.path(), INPUTS[0]), file_of(dir.path(), INPUTS[1]));
    let before = hash(dir.path());
    let (text_a, text_b) = (fs::read_to_string(&a).unwrap(), fs::read_to_string(&b).unwrap());
    fs::write(&a, "").unwrap();
    fs::write(&b, format!("{text_a}{text_b}")).unwrap();
    assert_ne!(hash(dir.path()), before);
}

#[test]
fn a_missing_input_is_an_error_naming_it() {
    for input in INPUTS {
        let dir = synthetic();
        let path = dir.path().join(input);
        if is_folder(input) {
            fs::remove_dir_all(&path).unwrap();
        } else {
            fs::remove_file(&path).unwrap();
        }
        let err = fingerprint(dir.path()).expect_err(&format!("no error without {input}"));
        // Named as the one missing input, not merely mentioned.
        assert!(
            err.contains(&format!(": {input} (")),
            "error without {input} does not name it alone: {err}"
        );
    }
    // Renamed, as a merge might: the old name is reported.
    let dir = synthetic();
    fs::rename(dir.path().join("src/extract"), dir.path().join("src/extraction")).unwrap();
    let err = fingerprint(dir.path()).unwrap_err();
    assert!(err.contains(": src/extract ("), "{err}");
    // Every missing input is named, not only the first.
    let empty = tempfile::tempdir().unwrap();
    let err = fingerprint(empty.path()).unwrap_err();
    for input in INPUTS {
        assert!(err.contains(input), "{err} does not name {input}");
    }
}

/// What in this crate's `src/` and `data/` is deliberately left out of [`INPUTS`]
/// (see the comment above it for why). Every file there must be under one or the
/// other, so a new module (a `src/statement/` split out of `src/extract`, say) fails
/// this test until someone decides whether it changes statements: the build only
/// catches inputs that disappear, not code that moves to a new path.
const OUTSIDE: &[&str] = &[
    "src/lib.rs",
    "src/main.rs",
    "src/api",
    "src/cli",
    // Sends statements to a search cluster; finds none.
    "src/cluster",
    "src/ingest",
    "src/people",
    "src/progress.rs",
    // Escapes control characters in terminal output; statements never pass through it.
    "src/controls.rs",
    "src/render",
    "src/train",
    "src/web",
    "src/index/mod.rs",
    "src/index/articles/mod.rs",
    "src/index/error.rs",
    "src/index/atomic_file.rs",
    // Reading and checking the folder; nothing here decides a statement.
    "src/index/check.rs",
    "src/index/damage.rs",
    "src/index/directory.rs",
    "src/index/days.rs",
    "src/index/stored.rs",
    "src/index/write/mod.rs",
    "src/index/query",
    "src/index/collect",
    "src/index/search",
    "src/index/speaker_table",
    "data/articles",
];

#[test]
fn every_source_and_data_file_of_this_crate_is_an_input_or_left_out_on_purpose() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in OUTSIDE {
        assert!(
            root.join(entry).exists(),
            "{entry} is in OUTSIDE but does not exist: update the list"
        );
        assert!(!INPUTS.contains(entry), "{entry} is in both INPUTS and OUTSIDE");
    }
    let under = |rel: &str, list: &[&str]| {
        list.iter().any(|e| rel == *e || rel.starts_with(&format!("{e}/")))
    };
    let mut files = Vec::new();
    files.extend(files_below(&root.join("src")));
    files.extend(files_below(&root.join("data")));
    let mut unclassified = Vec::new();
    for file in files {
        let rel: Vec<String> = file
            .strip_prefix(root)
            .unwrap()
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let rel = rel.join("/");
        match (under(&rel, INPUTS), under(&rel, OUTSIDE)) {
            (true, false) | (false, true) => {}
            (true, true) => panic!("{rel} is under both INPUTS and OUTSIDE"),
            (false, false) => unclassified.push(rel),
        }
    }
    assert!(
        unclassified.is_empty(),
        "neither in INPUTS (build/fingerprint.rs) nor in OUTSIDE (tests/fingerprint.rs): {}; \
         add each to INPUTS if it can change the statements an ingest stores, else to OUTSIDE",
        unclassified.join(", ")
    );
}

#[test]
fn the_build_stamps_the_fingerprint_of_this_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert_eq!(format!("{:016x}", hash(root)), env!("WHOSAID_BUILD_FINGERPRINT"));
}

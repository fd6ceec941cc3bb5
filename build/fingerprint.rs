// The build fingerprint: a hash of the files that decide which statements `ingest`
// stores for an article, and nothing else. Included by `build.rs` (which stamps the
// binary with it) and by `tests/fingerprint.rs` (which holds the list below to what
// it is meant to cover), so both use the same code. See `build.rs` for its limits.

use std::path::{Path, PathBuf};

// The files and folders (relative to the crate root; every file under a folder
// counts) whose change may change the statements or index documents an ingest makes
// of an unchanged article. A file indexed by a build with another fingerprint is
// read again, so a change anywhere else costs nothing, and a change here costs every
// user a full re-read of their archive.
//
// In the list:
// - `src/article`: the readers (Markdown, HTML, JSON Lines, CSV, plain text, date
//   lines): what an article's id, title, date and body are.
// - `src/extract`: the extraction passes and the embedded models (`extract/models.rs`).
// - `src/statement`: the `Statement` type, its id and its JSON.
// - `src/lexicon`: the loader of the rule word lists.
// - `src/learn`: the learned models' features, clusters and scoring, run by
//   extraction.
// - `src/fnv.rs`: the hash of statement ids and of the index's keys.
// - `src/index/write/document.rs`: a statement → its Tantivy document.
// - `src/index/articles/document.rs`: an article → its document of the article store
//   (what `show` and hits' contexts read).
// - `src/index/speaker_key.rs`, `src/index/quote_key.rs`: the values `document.rs`
//   stores in the `speaker_key` and `quote` columns.
// - `src/index/schema.rs`, `src/words.rs`: the fields and the tokenizer of the
//   indexed text. (A change to either also needs `SCHEMA_VERSION` bumped, which
//   makes whosaid refuse an old index outright; listing them here as well means a
//   forgotten bump still gets every file read again.)
// - `data/rules`, `data/models`: the rule word lists and the model weights, compiled
//   in. (`data/rules/name-variants.txt` is read only by the speaker table, which is
//   rebuilt after every ingest; it is here with its folder, at the cost of a re-read.)
// - `Cargo.lock`: a new Tantivy, serde_json, scraper, csv or jiff may read, encode or
//   tokenize differently.
// - `build.rs` and this file: a change to how the fingerprint is made.
//
// Not in it, because they do not change the statements stored: renderers
// (`src/render`), the web server and its pages (`src/web`), the command line
// (`src/cli`, `src/main.rs`), the request layer (`src/api`), search, facets,
// timelines, exports and the speaker table (the rest of `src/index`), name
// clustering (`src/people`, read by the speaker table only), ingest's bookkeeping
// (`src/ingest`, `src/progress.rs`, the file list), training (`src/train`: it writes
// `data/models`, which is in the list), `Cargo.toml` (the versions built are in
// `Cargo.lock`), documentation, tests, examples and the sample articles.
//
// A missing entry is an error, so renaming a module without updating this list fails
// the build instead of quietly leaving the new path out of the fingerprint; and
// `tests/fingerprint.rs` lists what is left out on purpose, failing on any file under
// `src/` or `data/` in neither list (a new module must be put in one or the other).
pub const INPUTS: &[&str] = &[
    "src/article",
    "src/extract",
    "src/statement",
    "src/lexicon",
    "src/learn",
    "src/fnv.rs",
    "src/words.rs",
    "src/index/write/document.rs",
    "src/index/articles/document.rs",
    "src/index/speaker_key.rs",
    "src/index/quote_key.rs",
    "src/index/schema.rs",
    "data/rules",
    "data/models",
    "Cargo.lock",
    "build.rs",
    "build/fingerprint.rs",
];

/// FNV-1a, 64 bits, over every file under each of [`INPUTS`] in `root`: in the order
/// of their paths relative to `root` (with `/` separators), each as that path, a NUL
/// byte, its bytes and a NUL byte. The path too, so renaming a file or moving text
/// from one file to another changes the hash.
///
/// Errors: the inputs that do not exist (all of them, by name), or a file or folder
/// that cannot be read.
pub fn fingerprint(root: &Path) -> Result<u64, String> {
    let missing: Vec<&str> =
        INPUTS.iter().copied().filter(|input| !root.join(input).exists()).collect();
    if !missing.is_empty() {
        return Err(format!(
            "build fingerprint: not found under {}: {} (renamed or moved? update INPUTS in build/fingerprint.rs)",
            root.display(),
            missing.join(", ")
        ));
    }
    let mut paths = Vec::new();
    for input in INPUTS {
        files(&root.join(input), &mut paths)?;
    }
    let mut files: Vec<(String, PathBuf)> =
        paths.into_iter().map(|path| (relative(root, &path), path)).collect();
    files.sort();
    files.dedup();
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for (rel, path) in &files {
        let bytes = std::fs::read(path)
            .map_err(|e| format!("build fingerprint: reading {}: {e}", path.display()))?;
        fnv1a(&mut hash, rel.as_bytes());
        fnv1a(&mut hash, &[0]);
        fnv1a(&mut hash, &bytes);
        fnv1a(&mut hash, &[0]);
    }
    Ok(hash)
}

/// `path` itself if it is a file, else every file under it.
fn files(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    if !path.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let entries = std::fs::read_dir(path)
        .map_err(|e| format!("build fingerprint: listing {}: {e}", path.display()))?;
    for entry in entries {
        let entry =
            entry.map_err(|e| format!("build fingerprint: listing {}: {e}", path.display()))?;
        files(&entry.path(), out)?;
    }
    Ok(())
}

/// `path` relative to `root`, with `/` between components on every platform.
fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

fn fnv1a(hash: &mut u64, bytes: &[u8]) {
    for &b in bytes {
        *hash ^= u64::from(b);
        *hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
}

//! Build script: stamps the binary with a fingerprint of the sources that decide what
//! statements an article yields (`WHOSAID_BUILD_FINGERPRINT`, 16 hex digits), so
//! `ingest` can tell an unchanged file indexed by another build (whose statements may
//! differ) from one indexed by this build, and read only the former again.
//!
//! The hash and the list of what it covers are in `build/fingerprint.rs`
//! (`INPUTS`, with why each entry is there and why the rest of the crate is not):
//! the article readers, extraction and the `Statement` type, the learned-model code,
//! the code that turns a statement into an index document, the rule and model data,
//! `Cargo.lock`, and the fingerprint's own code. A new renderer, web page or
//! command-line flag leaves it unchanged, so users keep their indexed files. The
//! script runs again only when one of those inputs changes, and fails the build when
//! one of them no longer exists.
//!
//! Known limits: FNV-1a is no cryptographic hash; it only has to tell builds apart.
//! The list is by path, not by what the code uses: a change that alters statements
//! through a file outside `INPUTS` (a helper moved out of `src/extract`, a new module
//! extraction calls) is missed, and indexed files keep statements an ingest with this
//! build would not make. Hence the guards: a renamed or moved input fails the build,
//! and `tests/fingerprint.rs` fails while a file under `src/` or `data/` is neither
//! in `INPUTS` nor in its list of what is left out on purpose (so a new module must
//! be classified). Caught by neither, only by review: code moved out of an input into
//! a file already left out (`src/pipeline.rs`, say), or a left-out file that starts
//! to matter (`documents()` calling a new helper in `src/index/names.rs`). Any byte
//! change under an input counts, comments and unit tests included, which makes users
//! re-read more often than strictly needed: conservative, never stale, for what the
//! list covers.

#[path = "build/fingerprint.rs"]
mod fingerprint;

fn main() {
    let root = std::path::PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    // INPUTS lists build.rs and build/fingerprint.rs too (tests/fingerprint.rs checks
    // it), so the script also runs again when either changes.
    for input in fingerprint::INPUTS {
        println!("cargo:rerun-if-changed={input}");
    }
    let hash = fingerprint::fingerprint(&root).unwrap_or_else(|e| panic!("{e}"));
    println!("cargo:rustc-env=WHOSAID_BUILD_FINGERPRINT={hash:016x}");
}

//! Build script: stamps the binary with a fingerprint of the sources that decide what
//! a statement is, so `ingest` can tell an unchanged file indexed by another build
//! (whose statements may differ) from one indexed by this build.
//!
//! Known limits: it hashes every file under `src/` and `data/` plus the manifest and
//! lock file, so a change anywhere (a renderer, a comment) makes the next ingest read
//! every file again: conservative, never stale. FNV-1a is no cryptographic hash; it
//! only has to tell builds apart.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn fnv1a(hash: &mut u64, bytes: &[u8]) {
    for &b in bytes {
        *hash ^= u64::from(b);
        *hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
}

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let mut paths = Vec::new();
    for dir in ["src", "data"] {
        println!("cargo:rerun-if-changed={dir}");
        files(&root.join(dir), &mut paths);
    }
    for file in ["Cargo.toml", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={file}");
        paths.push(root.join(file));
    }
    paths.sort();
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for path in &paths {
        // The path too, so moving text from one file to another changes the hash.
        let rel = path.strip_prefix(&root).unwrap_or(path);
        fnv1a(&mut hash, rel.to_string_lossy().as_bytes());
        fnv1a(&mut hash, &[0]);
        fnv1a(&mut hash, &std::fs::read(path).unwrap_or_default());
        fnv1a(&mut hash, &[0]);
    }
    println!("cargo:rustc-env=WHOSAID_BUILD_FINGERPRINT={hash:016x}");
}

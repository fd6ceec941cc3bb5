//! Fuzz target: arbitrary bytes as a file of each format, read through the public
//! entry point. The first byte picks the extension; nothing may panic, and every
//! article read must have a non-empty body.
//!
//! Known limits: one file per run, in a fresh temporary folder (files on disk, as
//! the readers take paths), so a run costs a few system calls.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use whosaid::article::{read_paths, ReadOptions};

const EXTENSIONS: &[&str] = &["txt", "md", "json", "jsonl", "csv"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, contents)) = data.split_first() else { return };
    let ext = EXTENSIONS[pick as usize % EXTENSIONS.len()];
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(format!("input.{ext}"));
    std::fs::write(&path, contents).expect("write input");
    let mut articles = 0usize;
    let summary = read_paths(
        &[PathBuf::from(&path)],
        &ReadOptions::default(),
        &mut |a| {
            assert!(!a.body.trim().is_empty(), "an article with no text");
            articles += 1;
            Ok(())
        },
        &mut |w| assert!(!w.reason.is_empty()),
    )
    .expect("only the article callback can fail");
    assert_eq!(summary.articles as usize, articles);
});

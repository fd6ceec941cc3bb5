//! The checks of the fuzz targets (fuzz/fuzz_targets/), shared with
//! tests/integration/fuzz_regressions.rs so that every input the fuzzer found is
//! replayed in CI through exactly the same assertions.
//!
//! Known limits: the readers take paths, so each input is written to a temporary
//! file first.

// Each fuzz target uses one of the two checks.
#![allow(dead_code)]

use std::path::PathBuf;
use whosaid::article::{read_paths, Article, ReadOptions};

/// The formats the readers target picks from with its first byte.
pub const EXTENSIONS: &[&str] = &["txt", "md", "json", "jsonl", "csv", "html"];

/// Reads `data[1..]` as a file of the format `data[0]` picks. Nothing may panic,
/// every article has text, and the summary counts what was passed on.
pub fn check_readers(data: &[u8]) {
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
        &mut |w| assert!(!w.reason.is_empty(), "a warning with no reason"),
    )
    .expect("only the article callback can fail");
    assert_eq!(summary.articles as usize, articles);
}

/// Extracts from `data` decoded as the readers decode it. Nothing may panic, and
/// every statement points into the body: spans in bounds, on character boundaries,
/// `body[span] == text`, speaker and cue spans in bounds.
pub fn check_extract(data: &[u8]) {
    let article = Article {
        id: "fuzz".into(),
        path: "fuzz.txt".into(),
        title: None,
        date: jiff::civil::Date::new(2025, 3, 13).ok(),
        source: None,
        url: None,
        author: None,
        dateline: None,
        body: String::from_utf8_lossy(data).into_owned(),
    };
    let body = article.body.as_str();
    let check = |[a, b]: [usize; 2], what: &str| {
        assert!(a <= b && b <= body.len(), "{what} {a}..{b} out of a body of {}", body.len());
        assert!(
            body.is_char_boundary(a) && body.is_char_boundary(b),
            "{what} {a}..{b} splits a character"
        );
    };
    for s in whosaid::extract::extract(&article) {
        check(s.span, "span");
        assert_eq!(&body[s.span[0]..s.span[1]], s.text, "text is not body[span]");
        assert!(!s.text.is_empty(), "empty statement");
        if let Some(sp) = s.speaker_span {
            check(sp, "speaker_span");
        }
        if let Some(cp) = s.cue_span {
            check(cp, "cue_span");
        }
    }
}

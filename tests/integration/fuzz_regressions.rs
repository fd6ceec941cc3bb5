//! Inputs from fuzzing (scripts/fuzz), replayed in CI through the fuzz targets' own
//! checks (tests/common/fuzz.rs). No input has yet failed a target (see docs/reliability.md);
//! an input that does goes into tests/data/fuzz/readers/ or
//! tests/data/fuzz/extract/ and is replayed here. Until then those folders hold a
//! sample of the fuzzer's corpus (inputs that reached new code), and the inline
//! cases below hold the shapes that made extraction slow.
//!
//! Known limits: the fuzzer's growing corpus is not committed, only this sample;
//! inputs derived from the demo article are left out (no seed names in tests).

use crate::common::fuzz as checks;

use std::path::Path;

/// Replays every file of tests/data/fuzz/FOLDER; there must be some.
fn replay(folder: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz").join(folder);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|f| f.to_string_lossy().starts_with('.')) {
            continue;
        }
        eprintln!("replaying {}", path.display());
        check(&std::fs::read(&path).unwrap());
        n += 1;
    }
    assert!(n > 0, "no inputs in {}", dir.display());
}

#[test]
fn readers_inputs_from_fuzzing() {
    replay("readers", checks::check_readers);
}

#[test]
fn extract_inputs_from_fuzzing() {
    replay("extract", checks::check_extract);
}

/// The shapes that once made extraction quadratic (see docs/reliability.md), small
/// enough to run in a blink, through the same checks: what was fixed for speed must
/// still keep every span exact.
#[test]
fn extract_shapes_that_were_quadratic() {
    let names: String =
        (0..300).map(|i| format!("Ann{i} Lee said the plan would work. ")).collect();
    let cases = [
        "Ann Lee said the plan would work, and ".repeat(3000),
        "\"Yes, we will go,\" she said. ".repeat(500),
        "\"Yes, we will go,\" the spokesman said. ".repeat(500),
        "“Point,” Ann Lee said.\n\n“An orphan quotation with enough words to count here.”\n\n"
            .repeat(300),
        "“We will win this fight for sure.” ― Ann Lee\n\n".repeat(300),
        names,
    ];
    for case in cases {
        checks::check_extract(case.as_bytes());
    }
}

/// Each format reader on the hostile inputs of tests/integration/hostile.rs, small: the
/// readers target's first byte picks the format (0 txt, 1 md, 2 json, 3 jsonl, 4 csv,
/// 5 html).
#[test]
fn readers_on_small_hostile_inputs() {
    let cases: [&[u8]; 12] = [
        b"\x00\x89PNG\0\0",
        b"\x01---\ntitle: a\xff\n---\n",
        b"\x02[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        b"\x02{\"text\": 42, \"date\": {}}",
        b"\x03{\"text\": \"a\\u0000b\"}\n[1]\n\n\xff\n{\"text\": \"never",
        b"\x04id,text\n1,\"never closed\n2,x\n",
        b"\x04\xef\xbb\xbfid,text,extra\n1\n2,a,b,c\n",
        b"\x04",
        b"\x03",
        b"\x01---\n---\n",
        b"\x05<html><body><p>\xe2\x80\x9cYes,\xe2\x80\x9d Tom Baker said.<p>unclosed <div><div><div>",
        b"\x05<script>\"never closed",
    ];
    for case in cases {
        checks::check_readers(case);
    }
}

//! Fuzz target: arbitrary text through the extractor. Nothing may panic, and every
//! statement must point into the body: spans in bounds, on character boundaries,
//! `body[span] == text`, speaker and cue spans in bounds too.
//!
//! Known limits: invalid UTF-8 is decoded lossily first, as the readers do.
#![no_main]

use libfuzzer_sys::fuzz_target;
use whosaid::article::Article;

fuzz_target!(|data: &[u8]| {
    let body = String::from_utf8_lossy(data).into_owned();
    let article = Article {
        id: "fuzz".into(),
        path: "fuzz.txt".into(),
        title: None,
        date: jiff::civil::Date::new(2025, 3, 13).ok(),
        source: None,
        url: None,
        author: None,
        dateline: None,
        body,
    };
    let body = article.body.as_str();
    let check = |[a, b]: [usize; 2], what: &str| {
        assert!(a <= b && b <= body.len(), "{what} {a}..{b} out of a body of {}", body.len());
        assert!(body.is_char_boundary(a) && body.is_char_boundary(b), "{what} {a}..{b} splits a character");
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
});

//! A statement's quotation key: the lower-cased words inside its quotation marks (or
//! all its words when it has none), and their stable hash, stored with every
//! statement so that `who` can tell one quotation reported by several articles.
//!
//! Known limits: words are the index analyzer's (see `crate::words`); a quotation
//! reworded by one article keys apart.

use crate::fnv::Fnv1a;
use crate::words::exact_analyzer;

/// The lower-cased words inside quotation marks, or all words when there are none
/// ("“We will not retreat,” she said." → we will not retreat).
pub fn quote_key(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    key_words(text, &mut |w| words.push(w.to_string()));
    words
}

/// FNV-1a over the words of [`quote_key`], each followed by a space: stable across
/// builds and platforms, as a value stored in the index must be. Computed for every
/// statement an ingest indexes, so it hashes the words as the analyzer yields them
/// instead of collecting them.
pub fn quote_hash(text: &str) -> u64 {
    let mut hash = Fnv1a::new();
    key_words(text, &mut |word| {
        hash.feed(word.as_bytes());
        hash.feed(b" ");
    });
    hash.0
}

thread_local! {
    /// One analyzer per thread: building one per statement was half of the cost.
    static ANALYZER: std::cell::RefCell<tantivy::tokenizer::TextAnalyzer> = std::cell::RefCell::new(exact_analyzer());
}

/// Calls `each` with the words of [`quote_key`], in order.
fn key_words(text: &str, each: &mut dyn FnMut(&str)) {
    // Quotation marks are ASCII '"' or start with byte 0xE2 (“ ”) or 0xC2 (« »), so
    // only those bytes are looked at closely.
    let bytes = text.as_bytes();
    let mut inside = false;
    let mut start = 0;
    let mut any = false;
    let mut quoted = |part: &str| {
        words_of(part, &mut |w| {
            any = true;
            each(w);
        })
    };
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b != b'"' && b != 0xE2 && b != 0xC2 {
            i += 1;
            continue;
        }
        let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
            i += 1;
            continue;
        };
        let len = c.len_utf8();
        let open = match c {
            '“' | '«' => true,
            '”' | '»' => false,
            '"' => !inside,
            _ => {
                i += len;
                continue;
            }
        };
        // Straight marks toggle; curly and angle marks say which side they are.
        if inside {
            quoted(&text[start..i]);
        }
        inside = open;
        start = i + len;
        i += len;
    }
    if inside {
        quoted(&text[start..]);
    }
    if !any {
        words_of(text, each);
    }
}

/// The words the index's analyzer makes of `text` (see `crate::words::exact_analyzer`).
fn words_of(text: &str, each: &mut dyn FnMut(&str)) {
    ANALYZER
        .with(|analyzer| analyzer.borrow_mut().token_stream(text).process(&mut |t| each(&t.text)));
}

//! Fuzz target: arbitrary text through the extractor; every statement must point
//! into the body. The checks are those of tests/common/fuzz.rs, which replays the
//! inputs found in CI.
//!
//! Known limits: invalid UTF-8 is decoded lossily first, as the readers do, so the
//! extractor only ever sees valid text.
#![no_main]

#[path = "../../tests/common/fuzz.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::check_extract(data));

//! Fuzz target: arbitrary bytes as a file of each format, read through the public
//! entry point; the first byte picks the extension. The checks are those of
//! tests/common/fuzz.rs, which replays the inputs found in CI.
//!
//! Known limits: one file per run, written to a fresh temporary folder (the readers
//! take paths), so a run costs a few system calls.
#![no_main]

#[path = "../../tests/common/fuzz.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::check_readers(data));

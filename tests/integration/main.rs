//! The integration tests in one binary (issue 16): one module per area, each opening
//! with what it covers. They run the real `whosaid` binary through the harness in
//! tests/common/ (`Dir`, `Cmd`) or call the library; `cargo test --test integration
//! hostile::` runs one area.
//!
//! The tests run in parallel threads of this one process, so none of them changes
//! process-wide state: no `std::env::set_var`, no `set_current_dir`; each command
//! gets its environment and working folder from `Cmd`. Tests that read the
//! environment (`WHOSAID_CORPORA`, `WHOSAID_BROWSER_TEST`) only read it.
//!
//! Not in here: tests/browser.rs, its own binary, so that headless Chromium (slow to
//! start, waited on with timeouts) does not share two cores with the 200 MB inputs
//! of `hostile` and the timed SIGKILLs of `reliability`; and any test that must set
//! its own process environment belongs in a binary of its own too.

#[path = "../common/mod.rs"]
mod common;

mod articles;
mod cli;
mod cluster;
mod corpora;
mod damaged;
mod dates;
mod export;
mod fingerprint;
mod folders;
mod fuzz_regressions;
mod hostile;
mod html;
mod index;
mod progress;
mod queries;
mod ranking;
mod readers;
mod reliability;
mod rules;
mod seed;
mod serve;
mod sources;
mod speakers;
mod terminal;
mod time;

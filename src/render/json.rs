//! The machine rendering: a result struct serialized as one line of JSON, for
//! `--json` and the web API alike, so both show the same shape.
//!
//! Known limits: none of its own; the shapes are the result structs' (documented in
//! docs/formats.md, "Output formats").

use anyhow::Result;

/// `value` as compact JSON, without a trailing newline.
pub fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    Ok(serde_json::to_string(value)?)
}

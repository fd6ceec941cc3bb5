//! Warnings grouped by reason, so a folder with a thousand records missing a field
//! gives one line, not a thousand: "162 records skipped: no article text (…), e.g.
//! a.jsonl:1, :2, :3 … (--verbose lists all)". A reason seen once is printed as it
//! would be alone.
//!
//! Known limits: reasons that differ only in numbers (a byte offset, a record
//! number) are one group, shown with the first one's words; groups are kept in
//! memory (a few paths each) until the end of the run.

use std::collections::HashMap;
use std::path::PathBuf;

use super::Warning;

/// Paths shown per group.
const EXAMPLES: usize = 3;

/// Collects warnings; [`Groups::lines`] gives one line per reason, first seen first.
#[derive(Debug, Default)]
pub struct Groups {
    groups: Vec<Group>,
    by_key: HashMap<(String, bool, bool), usize>,
}

#[derive(Debug)]
struct Group {
    first: Warning,
    count: u64,
    /// The reasons were not all the same words (only their numbers differed).
    varied: bool,
    examples: Vec<(PathBuf, Option<u64>)>,
}

impl Groups {
    pub fn add(&mut self, w: &Warning) {
        let key = (without_numbers(&w.reason), w.file_skipped, w.record_skipped);
        let at = *self.by_key.entry(key).or_insert_with(|| {
            self.groups.push(Group { first: w.clone(), count: 0, varied: false, examples: vec![] });
            self.groups.len() - 1
        });
        let g = &mut self.groups[at];
        g.count += 1;
        g.varied |= g.first.reason != w.reason;
        if g.examples.len() < EXAMPLES {
            g.examples.push((w.path.clone(), w.line));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// One line per reason, without the "whosaid: warning: " in front.
    pub fn lines(&self) -> Vec<String> {
        self.groups.iter().map(Group::line).collect()
    }
}

impl Group {
    fn line(&self) -> String {
        if self.count == 1 {
            return self.first.to_string();
        }
        let w = &self.first;
        let what = match (w.file_skipped, w.record_skipped, w.line.is_some()) {
            (true, _, _) => "files skipped",
            (_, true, _) => "records skipped",
            (_, _, true) => "records",
            _ => "files",
        };
        let like = if self.varied { " (and the like)" } else { "" };
        let mut examples = String::new();
        let mut last: Option<&PathBuf> = None;
        for (i, (path, line)) in self.examples.iter().enumerate() {
            if i > 0 {
                examples.push_str(", ");
            }
            // "a.jsonl:1, :2, :3": the path once for lines of one file.
            if last != Some(path) || line.is_none() {
                examples.push_str(&path.display().to_string());
            }
            if let Some(line) = line {
                examples.push_str(&format!(":{line}"));
            }
            last = Some(path);
        }
        let more = if self.count > self.examples.len() as u64 { " …" } else { "" };
        format!(
            "{} {what}: {}{like}, e.g. {examples}{more} (--verbose lists all)",
            self.count, w.reason
        )
    }
}

/// The reason with every run of digits as `N`: what groups reasons together.
fn without_numbers(reason: &str) -> String {
    let mut out = String::with_capacity(reason.len());
    let mut in_number = false;
    for c in reason.chars() {
        if c.is_ascii_digit() {
            if !in_number {
                out.push('N');
            }
            in_number = true;
        } else {
            out.push(c);
            in_number = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(path: &str, line: u64, reason: &str) -> Warning {
        Warning {
            path: path.into(),
            line: Some(line),
            reason: reason.into(),
            file_skipped: false,
            record_skipped: true,
        }
    }

    #[test]
    fn one_line_per_reason_with_the_first_paths() {
        let mut g = Groups::default();
        for line in 1..=5 {
            g.add(&record("a.jsonl", line, "no article text"));
        }
        g.add(&record("b.csv", 7, "bad row: 3 fields, expected 5"));
        g.add(&record("b.csv", 9, "bad row: 4 fields, expected 5"));
        g.add(&Warning {
            path: "c.txt".into(),
            line: None,
            reason: "binary file".into(),
            file_skipped: true,
            record_skipped: false,
        });
        assert_eq!(
            g.lines(),
            [
                "5 records skipped: no article text, e.g. a.jsonl:1, :2, :3 … (--verbose lists all)",
                "2 records skipped: bad row: 3 fields, expected 5 (and the like), e.g. b.csv:7, :9 (--verbose lists all)",
                "c.txt: binary file",
            ]
        );
    }
}

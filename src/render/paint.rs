//! How human output is marked up: colour or not, the styles, and where a text
//! matched a search ([`Paint`]); shared by every renderer in `render`.
//!
//! Known limits: styles are ANSI escapes (anstyle); a terminal without them shows
//! the codes, which is why colour is off unless asked for or on a terminal.

use std::ops::Range;

use anstyle::{AnsiColor, Style};

/// A match: bold red, as grep and ripgrep mark theirs.
pub(super) const MATCH: Style = AnsiColor::Red.on_default().bold();
pub(super) const SPEAKER: Style = Style::new().bold();
pub(super) const DATE: Style = AnsiColor::Green.on_default();
pub(super) const SOURCE: Style = Style::new().dimmed();
pub(super) const BAR: Style = Style::new().bold();
/// A timeline's folded run of empty periods: there, but not data.
pub(super) const GAP: Style = Style::new().dimmed();

/// How to mark up text: colour or not, and where a statement's text matched.
pub struct Paint<'a> {
    pub color: bool,
    /// Byte ranges of the given text that matched the search, in order.
    pub marks: &'a dyn Fn(&str) -> Vec<Range<usize>>,
}

fn no_marks(_: &str) -> Vec<Range<usize>> {
    Vec::new()
}

impl Paint<'static> {
    /// Colour on or off, nothing marked.
    pub fn plain(color: bool) -> Paint<'static> {
        Paint { color, marks: &no_marks }
    }
}

impl Paint<'_> {
    /// `text` in `style` when colour is on.
    pub(super) fn style(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }
}

/// `text` with every run of white space as one space.
pub(super) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

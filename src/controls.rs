//! Control characters from input made visible before they reach a terminal: article
//! text, titles, speakers and file names can carry escape sequences (a window title,
//! a screen clear, an OSC 52 clipboard write) or a newline that forges a line of our
//! own, so human output and messages show them escaped, as `ls` and `git` do.
//! JSON needs none of this: serde escapes every control character.
//!
//! Known limits: with colour on, a sequence that only sets colours (`ESC [ 1;31 m`)
//! passes, because whosaid's own colours look the same; it can restyle text, not
//! move the cursor or talk to the terminal. Wide and zero-width characters and
//! bidirectional overrides are left alone.

use std::borrow::Cow;

/// Whether `c` is a control character (C0 but newline and tab, DEL, C1).
fn is_control(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || ('\u{80}'..='\u{9f}').contains(&c)
}

/// The length in bytes of a colour sequence (`ESC [ digits;… m`) at the start of
/// `s`, if it starts with one.
fn sgr_len(s: &str) -> Option<usize> {
    let rest = s.strip_prefix("\u{1b}[")?;
    let params = rest.bytes().take_while(|b| b.is_ascii_digit() || *b == b';').count();
    (params <= 16 && rest.as_bytes().get(params) == Some(&b'm')).then_some(2 + params + 1)
}

/// How a control character is shown: `\e` for escape, `\r`, else `\xHH` or `\u{HHHH}`.
fn escaped(c: char, out: &mut String) {
    match c {
        '\u{1b}' => out.push_str("\\e"),
        '\r' => out.push_str("\\r"),
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
        c => out.push_str(&format!("\\u{{{:04x}}}", c as u32)),
    }
}

/// `text` for a terminal: control characters escaped, newlines and tabs kept;
/// colour sequences kept when `keep_colour` (whosaid's own, when colour is on).
pub fn for_terminal(text: &str, keep_colour: bool) -> Cow<'_, str> {
    if !text.chars().any(is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        if c == '\u{1b}' && keep_colour {
            if let Some(n) = sgr_len(&text[i..]) {
                out.push_str(&text[i..i + n]);
                i += n;
                continue;
            }
        }
        if is_control(c) {
            escaped(c, &mut out);
        } else {
            out.push(c);
        }
        i += c.len_utf8();
    }
    Cow::Owned(out)
}

/// `text` as one line of a message (a warning, an error): every control character
/// escaped, newlines and tabs too, so a file name cannot start a line of its own.
pub fn one_line(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| is_control(c) || c == '\n' || c == '\t') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_control(c) || c == '\n' || c == '\t' {
            escaped(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_from_input_are_shown_not_run() {
        let title = "Ann Lee\u{1b}]0;owned\u{7}\u{1b}[2J said \u{9b}31m";
        let shown = for_terminal(title, false);
        assert_eq!(shown, "Ann Lee\\e]0;owned\\x07\\e[2J said \\x9b31m");
        // Colour sequences pass only when colour is on; others never do.
        let coloured = "\u{1b}[1mAnn Lee\u{1b}[0m \u{1b}]52;c;aGk=\u{7}";
        assert_eq!(for_terminal(coloured, true), "\u{1b}[1mAnn Lee\u{1b}[0m \\e]52;c;aGk=\\x07");
        assert_eq!(for_terminal(coloured, false), "\\e[1mAnn Lee\\e[0m \\e]52;c;aGk=\\x07");
        // Lines and tabs of the output itself stay.
        assert_eq!(for_terminal("a\n\tb", false), "a\n\tb");
        assert!(matches!(for_terminal("plain “text”", false), Cow::Borrowed(_)));
    }

    #[test]
    fn a_file_name_cannot_forge_a_line() {
        let name = "a\nwhosaid: error: fake.txt";
        assert_eq!(one_line(name), "a\\nwhosaid: error: fake.txt");
        assert_eq!(one_line("x\r\u{1b}[1Ay"), "x\\r\\e[1Ay");
    }
}

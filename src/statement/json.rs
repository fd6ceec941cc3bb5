//! A statement as compact JSON, written straight into a byte buffer: the same
//! bytes as `serde_json::to_writer`, with strings escaped eight bytes at a time
//! (escaping was most of the serializing time of `extract --json`).
//!
//! Known limits: the fields are listed by hand; the test below compares every
//! field with serde's output, so a field added to `Statement` and not here fails it.

use super::Statement;

impl Statement {
    /// Appends the statement as compact JSON, the same bytes as
    /// `serde_json::to_writer` and faster.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        statement(out, self);
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Whether any of the eight bytes of `x` is a control character, `"` or `\`:
/// the bytes JSON escapes. Exact, by the classic "has a zero byte" arithmetic.
fn needs_escape(x: u64) -> bool {
    let zero_at = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
    below_space | zero_at(x ^ (ONES * u64::from(b'"'))) | zero_at(x ^ (ONES * u64::from(b'\\')))
        != 0
}

fn escape(out: &mut Vec<u8>, b: u8) {
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x09 => out.extend_from_slice(b"\\t"),
        0x0a => out.extend_from_slice(b"\\n"),
        0x0c => out.extend_from_slice(b"\\f"),
        0x0d => out.extend_from_slice(b"\\r"),
        _ => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xf)]);
        }
    }
}

/// `s` as a JSON string, quotes included.
pub fn string(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.push(b'"');
    // Bytes before `done` are written; `i` scans ahead of it.
    let (mut done, mut i) = (0, 0);
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            if !needs_escape(u64::from_le_bytes(word)) {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        if b < 0x20 || b == b'"' || b == b'\\' {
            out.extend_from_slice(&bytes[done..i]);
            escape(out, b);
            done = i + 1;
        }
        i += 1;
    }
    out.extend_from_slice(&bytes[done..]);
    out.push(b'"');
}

fn opt_string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => string(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

/// `n` in decimal, as `to_string` writes it, in `digits`, without allocating.
pub fn decimal(mut n: usize, digits: &mut [u8; 20]) -> &[u8] {
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &digits[i..]
}

fn number(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(decimal(n, &mut [0u8; 20]));
}

fn span(out: &mut Vec<u8>, s: Option<[usize; 2]>) {
    match s {
        Some([a, b]) => {
            out.push(b'[');
            number(out, a);
            out.push(b',');
            number(out, b);
            out.push(b']');
        }
        None => out.extend_from_slice(b"null"),
    }
}

/// Appends `st` as `serde_json::to_writer` would write it (no newline): the
/// fields in their declared order, each key written with its comma and colon.
pub fn statement(out: &mut Vec<u8>, st: &Statement) {
    let texts: [(&[u8], Option<&str>); 15] = [
        (b",\"article\":", Some(st.article.as_str())),
        (b",\"path\":", Some(st.path.as_str())),
        (b",\"title\":", st.title.as_deref()),
        (b",\"source\":", st.source.as_deref()),
        (b",\"text\":", Some(st.text.as_str())),
        (b",\"kind\":", Some(st.kind.as_str())),
        (b",\"speaker\":", st.speaker.as_deref()),
        (b",\"speaker_type\":", st.speaker_type.map(|t| t.as_str())),
        (b",\"speaker_mention\":", st.speaker_mention.as_deref()),
        (b",\"cue\":", st.cue.as_deref()),
        (b",\"date\":", st.date.as_deref()),
        (b",\"date_precision\":", st.date_precision.map(|p| p.as_str())),
        (b",\"date_source\":", st.date_source.map(|s| s.as_str())),
        (b",\"period\":", st.period.as_deref()),
        (b",\"article_date\":", st.article_date.as_deref()),
    ];
    out.extend_from_slice(b"{\"id\":");
    string(out, &st.id);
    for (key, value) in texts {
        out.extend_from_slice(key);
        opt_string(out, value);
    }
    let spans: [(&[u8], Option<[usize; 2]>); 3] = [
        (b",\"span\":", Some(st.span)),
        (b",\"speaker_span\":", st.speaker_span),
        (b",\"cue_span\":", st.cue_span),
    ];
    for (key, value) in spans {
        out.extend_from_slice(key);
        span(out, value);
    }
    let last: [(&[u8], Option<&str>); 3] = [
        (b",\"role\":", st.role.as_deref()),
        (b",\"url\":", st.url.as_deref()),
        (b",\"date_rejected\":", st.date_rejected.as_deref()),
    ];
    for (key, value) in last {
        out.extend_from_slice(key);
        opt_string(out, value);
    }
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::super::{DateSource, Kind, Precision, SpeakerType};
    use super::*;

    fn ours(st: &Statement) -> String {
        let mut out = Vec::new();
        statement(&mut out, st);
        String::from_utf8(out).unwrap()
    }

    fn full() -> Statement {
        Statement {
            id: "0123456789abcdef".into(),
            article: "a/b\\c.json#3".into(),
            path: "/x/\"quoted\"/ü.json".into(),
            title: Some("Tab\there, newline\nthere, bell\u{7}, del\u{7f}".into()),
            source: Some("é—“”".into()),
            text: "“It gives us nothing,” he said.\r\n\u{8}\u{c}\u{1f} and a long run of plain text around it".into(),
            kind: Kind::Mixed,
            speaker: Some("Ivan Petrov".into()),
            speaker_type: Some(SpeakerType::Organization),
            speaker_mention: Some("he".into()),
            cue: Some("said".into()),
            date: Some("2025-03-12".into()),
            date_precision: Some(Precision::Day),
            date_source: Some(DateSource::Dateline),
            period: Some("2025-03-12".into()),
            article_date: Some("2025-03-13".into()),
            span: [0, usize::MAX],
            speaker_span: Some([10, 12]),
            cue_span: Some([13, 17]),
            role: Some("former ambassador".into()),
            url: Some("https://example.org/a?b=c&d=\"e\"".into()),
            date_rejected: Some("1917-03-15".into()),
        }
    }

    #[test]
    fn every_field_as_serde_writes_it() {
        let st = full();
        assert_eq!(ours(&st), serde_json::to_string(&st).unwrap());
        let empty = Statement {
            title: None,
            source: None,
            speaker: None,
            speaker_type: None,
            speaker_mention: None,
            cue: None,
            date: None,
            date_precision: None,
            date_source: None,
            period: None,
            article_date: None,
            speaker_span: None,
            cue_span: None,
            role: None,
            url: None,
            date_rejected: None,
            text: String::new(),
            ..full()
        };
        assert_eq!(ours(&empty), serde_json::to_string(&empty).unwrap());
    }

    #[test]
    fn every_byte_and_variant_as_serde_writes_it() {
        // Each byte in each position of an eight-byte chunk and the tail.
        for c in (0u8..0x80).map(char::from).chain(['é', '“', '\u{2028}', '😀']) {
            for pad in 0..17 {
                let s = format!("{}{c}{}", "x".repeat(pad), "y".repeat(16 - pad));
                let mut out = Vec::new();
                string(&mut out, &s);
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    serde_json::to_string(&s).unwrap(),
                    "{s:?}"
                );
            }
        }
        for kind in [Kind::Direct, Kind::Indirect, Kind::Mixed] {
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{}\"", kind.as_str()));
        }
        for p in [Precision::Year, Precision::Month, Precision::Week, Precision::Day] {
            assert_eq!(serde_json::to_string(&p).unwrap(), format!("\"{}\"", p.as_str()));
        }
        for s in [DateSource::Text, DateSource::Context, DateSource::Dateline, DateSource::Article]
        {
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.as_str()));
        }
        for t in [SpeakerType::Person, SpeakerType::Organization, SpeakerType::Unnamed] {
            assert_eq!(serde_json::to_string(&t).unwrap(), format!("\"{}\"", t.as_str()));
        }
    }
}

//! URL query strings (`q=peace+talks&speaker=Ann%20Lee`) as checked parameters.
//!
//! Known limits: `application/x-www-form-urlencoded` only (`+` is a space); a
//! parameter given twice is an error unless the route says it repeats; an empty
//! value is the same as none.

use crate::api::FilterParams;

/// The decoded `name=value` pairs of one query string, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Decodes `query`; an error names the part that is not valid percent-encoded UTF-8.
    pub fn parse(query: &str) -> Result<Params, String> {
        let mut pairs = Vec::new();
        for part in query.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            let name = decode(name)
                .ok_or_else(|| format!("parameter {part:?}: bad percent-encoding or not UTF-8"))?;
            let value = decode(value)
                .ok_or_else(|| format!("parameter {name:?}: bad percent-encoding or not UTF-8"))?;
            pairs.push((name, value));
        }
        Ok(Params { pairs })
    }

    /// Errs on a name not in `allowed`, or one given twice that is not in `repeated`.
    pub fn check(&self, allowed: &[&str], repeated: &[&str]) -> Result<(), String> {
        for (i, (name, _)) in self.pairs.iter().enumerate() {
            if !allowed.contains(&name.as_str()) {
                return Err(format!("unknown parameter {name:?}; use {}", allowed.join(", ")));
            }
            if !repeated.contains(&name.as_str()) && self.pairs[..i].iter().any(|(n, _)| n == name)
            {
                return Err(format!("parameter {name:?} given twice"));
            }
        }
        Ok(())
    }

    /// The non-empty value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(n, v)| n == name && !v.is_empty()).map(|(_, v)| v.as_str())
    }

    /// Every value of `name`, in order, empty ones too.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.pairs.iter().filter(|(n, _)| n == name).map(|(_, v)| v.clone()).collect()
    }

    /// A count: `default` when absent; an error when not a number or above `max`.
    pub fn count(&self, name: &str, default: usize, max: usize) -> Result<usize, String> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => match v.parse::<usize>() {
                Ok(n) if n <= max => Ok(n),
                Ok(_) => Err(format!("{name} {v}: at most {max}")),
                Err(_) => Err(format!("{name} {v:?}: not a number")),
            },
        }
    }

    /// The filters shared by search, who and timeline, as the command line has them
    /// (checked later, by the same code that checks `--since` and the rest).
    pub fn filters(&self) -> FilterParams {
        FilterParams {
            // Empty values kept: an empty speaker is refused (see `FilterParams::check`),
            // as on the command line, not read as no filter.
            speaker: self.all("speaker"),
            since: self.get("since").map(str::to_string),
            until: self.get("until").map(str::to_string),
            kind: self.get("kind").map(str::to_string),
            source: self.get("source").map(str::to_string),
            speaker_type: self.get("speaker_type").map(str::to_string),
        }
    }
}

/// The parameter names of [`Params::filters`].
pub const FILTERS: [&str; 6] = ["speaker", "since", "until", "kind", "source", "speaker_type"];

/// Percent-decoding with `+` as a space; None for a bad escape or invalid UTF-8.
fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex =
                    bytes.get(i + 1..i + 3).filter(|h| h.iter().all(u8::is_ascii_hexdigit))?;
                // from_str_radix alone would take "+1" as a number.
                out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_form_encoding() {
        let p = Params::parse(
            "q=%E2%80%9Cpeace%E2%80%9D+talks&speaker=Ann%20Lee&speaker=Tom+Baker&since=",
        )
        .unwrap();
        assert_eq!(p.get("q"), Some("“peace” talks"));
        assert_eq!(p.all("speaker"), ["Ann Lee", "Tom Baker"]);
        assert_eq!(Params::parse("speaker=&speaker=x").unwrap().all("speaker"), ["", "x"]);
        assert_eq!(p.get("since"), None);
        assert_eq!(Params::parse("a%2Bb=c%3Dd").unwrap().get("a+b"), Some("c=d"));
    }

    #[test]
    fn bad_escapes_and_bytes_are_errors() {
        assert!(Params::parse("q=%zz").is_err());
        assert!(Params::parse("q=%4").is_err());
        assert!(Params::parse("q=%ff").is_err());
        // from_str_radix would read "+1" as 1.
        assert!(Params::parse("q=%+1").is_err());
    }

    #[test]
    fn unknown_and_doubled_names_are_errors() {
        let p = Params::parse("q=a&speaker=x&speaker=y").unwrap();
        assert!(p.check(&["q", "speaker"], &["speaker"]).is_ok());
        assert_eq!(p.check(&["q"], &[]).unwrap_err(), "unknown parameter \"speaker\"; use q");
        let twice = Params::parse("q=a&q=b").unwrap();
        assert_eq!(twice.check(&["q"], &[]).unwrap_err(), "parameter \"q\" given twice");
    }

    #[test]
    fn counts_have_defaults_and_bounds() {
        let p = Params::parse("limit=20&n=x&big=5000").unwrap();
        assert_eq!(p.count("limit", 10, 1000), Ok(20));
        assert_eq!(p.count("none", 10, 1000), Ok(10));
        assert_eq!(p.count("n", 10, 1000).unwrap_err(), "n \"x\": not a number");
        assert_eq!(p.count("big", 10, 1000).unwrap_err(), "big 5000: at most 1000");
    }
}

//! Publisher names: every way an article names its source (a name, its site's URL,
//! an archive's copy of a page) folded to the one name the index shows, counts and
//! filters it by, as `data/rules/publishers.txt` lists them. `--source` values are
//! folded the same way, so `reuters.com`, `Reuters` and `http://www.reuters.com` are
//! one filter.
//!
//! Known limits: a host not in the list is shown bare, and only `www.`, `m.`,
//! `amp.` and `mobile.` are taken off it (blog.example.com and example.com stay two
//! sources); a plain name not in the list is kept as written, so "Valley Post" and
//! "VALLEY POST" are two sources (filters ignore case, so both match either); an
//! archive link with no copied address in it (`archive.ph/Xy12Z`) names no source;
//! IP addresses and hosts without a dot are not taken for sites.

use std::collections::HashMap;
use std::sync::OnceLock;

const FILE: &str = include_str!("../../data/rules/publishers.txt");
/// Archives of archives are unwrapped this many times at most.
const MAX_ARCHIVE_DEPTH: usize = 4;
/// Prefixes that name a version of a site, not another site.
const SITE_PREFIXES: &[&str] = &["www.", "www1.", "www2.", "www3.", "m.", "amp.", "mobile."];

/// The publishers file, parsed.
pub struct Publishers {
    /// Host (lower case, no `www.`) → display name.
    hosts: HashMap<String, String>,
    /// [`name_key`] of each display name and other name → display name.
    names: HashMap<String, String>,
    /// Archive services: host, and the path their copies sit under ("" for any).
    archives: Vec<(String, String)>,
    /// `example:` lines: the source as written, and the name wanted (None for `-`).
    pub examples: Vec<(String, Option<String>)>,
    /// Lines that could not be read, with their line number: a test holds this empty.
    pub problems: Vec<String>,
}

/// The publishers file, parsed on first use.
pub fn publishers() -> &'static Publishers {
    static PUBLISHERS: OnceLock<Publishers> = OnceLock::new();
    PUBLISHERS.get_or_init(|| Publishers::parse(FILE))
}

/// The publisher name `raw` stands for (see the module doc); None when it is empty
/// or only names an archive service.
pub fn publisher(raw: &str) -> Option<String> {
    publishers().fold(raw)
}

/// The publisher of an article: its own source field, else `--source`, else the site
/// of its URL. A source field that only names an archive ("https://web.archive.org")
/// counts as none, so the archived URL names the site.
pub fn article_source(
    own: Option<&str>,
    default: Option<&str>,
    url: Option<&str>,
) -> Option<String> {
    let p = publishers();
    own.and_then(|s| p.fold(s))
        .or_else(|| default.and_then(|s| p.fold(s)))
        .or_else(|| url.and_then(|u| p.site(u)))
}

impl Publishers {
    fn parse(file: &str) -> Publishers {
        let mut p = Publishers {
            hosts: HashMap::new(),
            names: HashMap::new(),
            archives: Vec::new(),
            examples: Vec::new(),
            problems: Vec::new(),
        };
        for (i, line) in file.lines().enumerate() {
            let line = line.trim();
            let n = i + 1;
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(rest) = line.strip_prefix("archive:") {
                let rest = rest.trim().to_ascii_lowercase();
                let (host, path) = match rest.split_once('/') {
                    Some((h, path)) => (h.to_string(), format!("/{path}")),
                    None => (rest, String::new()),
                };
                if valid_host(&host) {
                    p.archives.push((host, path));
                } else {
                    p.problems.push(format!("line {n}: {host:?} is not a host"));
                }
            } else if let Some(rest) = line.strip_prefix("example:") {
                match rest.split_once("=>") {
                    Some((source, want)) => {
                        let want = want.trim();
                        p.examples.push((
                            source.trim().to_string(),
                            (want != "-").then(|| want.to_string()),
                        ));
                    }
                    None => p.problems.push(format!("line {n}: an example needs `=> NAME`")),
                }
            } else if let Some((hosts, names)) = line.split_once('=') {
                let (display, others) = names.split_once('|').unwrap_or((names, ""));
                let display = display.trim();
                if display.is_empty() {
                    p.problems.push(format!("line {n}: no name after `=`"));
                    continue;
                }
                for host in hosts.split_whitespace() {
                    let host = host.to_ascii_lowercase();
                    if !valid_host(&host) {
                        p.problems.push(format!("line {n}: {host:?} is not a host"));
                    } else if p.hosts.insert(host.clone(), display.to_string()).is_some() {
                        p.problems.push(format!("line {n}: {host} is listed twice"));
                    }
                }
                for name in std::iter::once(display).chain(others.split(',')) {
                    let key = name_key(name);
                    if key.is_empty() {
                        continue;
                    }
                    match p.names.insert(key, display.to_string()) {
                        Some(other) if other != display => {
                            p.problems.push(format!("line {n}: {name:?} is also a name of {other}"))
                        }
                        _ => {}
                    }
                }
            } else {
                p.problems
                    .push(format!("line {n}: expected `HOST = Name`, `archive:` or `example:`"));
            }
        }
        p
    }

    /// See [`publisher`].
    pub fn fold(&self, raw: &str) -> Option<String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        if looks_like_site(raw) {
            return self.site(raw);
        }
        let key = name_key(raw);
        Some(match self.names.get(&key) {
            Some(display) => display.clone(),
            None => raw.split_whitespace().collect::<Vec<_>>().join(" "),
        })
    }

    /// The publisher of the site at `url` (a URL or a bare host), an archived copy
    /// counting for the site it copies; None when it names no site.
    pub fn site(&self, url: &str) -> Option<String> {
        let (mut host, mut rest) = split_url(url)?;
        for _ in 0..MAX_ARCHIVE_DEPTH {
            let Some(path) = self.archive_path(&host, rest) else {
                return Some(self.display(&host));
            };
            (host, rest) = copied(path)?;
        }
        None
    }

    /// When `host` is an archive service, the part of `rest` after its prefix.
    fn archive_path<'a>(&self, host: &str, rest: &'a str) -> Option<&'a str> {
        self.archives.iter().find_map(|(archive, prefix)| {
            let same = host == archive
                || host.strip_suffix(archive.as_str()).is_some_and(|h| h.ends_with('.'));
            let after = rest.get(..prefix.len()).filter(|p| p.eq_ignore_ascii_case(prefix));
            (same && after.is_some()).then(|| &rest[prefix.len()..])
        })
    }

    /// The name `host` is shown by: that of the longest listed host it ends with,
    /// else itself.
    fn display(&self, host: &str) -> String {
        let mut h = host;
        loop {
            if let Some(name) = self.hosts.get(h) {
                return name.clone();
            }
            match h.split_once('.') {
                Some((_, parent)) if parent.contains('.') => h = parent,
                _ => return host.to_string(),
            }
        }
    }
}

/// How names are compared: case, spacing and a leading "The" aside.
fn name_key(name: &str) -> String {
    let words: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    let words = match words.split_first() {
        Some((first, rest)) if first == "the" && !rest.is_empty() => rest,
        _ => &words[..],
    };
    words.join(" ")
}

/// Whether a source value is an address rather than a name: it has a scheme or a
/// `www.`, or is one word whose part before any `/` is a host ("reuters.com").
fn looks_like_site(s: &str) -> bool {
    if scheme_end(s).is_some() || s.starts_with("//") {
        return true;
    }
    if s.split_whitespace().nth(1).is_some() {
        return false;
    }
    let host = s.split(['/', '?', '#']).next().unwrap_or("");
    s.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("www.")) || valid_host(&clean_host(host))
}

/// The byte offset just past `scheme:` and its slashes, for http, https and the like;
/// "http:/x" (a slash lost, as archive links often have it) counts.
fn scheme_end(s: &str) -> Option<usize> {
    let colon = s.find(':')?;
    let scheme = &s[..colon];
    let ok = !scheme.is_empty()
        && scheme.len() <= 10
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c));
    if !ok || !s[colon + 1..].starts_with('/') {
        return None;
    }
    Some(colon + 1 + s[colon + 1..].len() - s[colon + 1..].trim_start_matches('/').len())
}

/// A URL or bare host as (host without a site prefix, the rest from the first `/`,
/// `?` or `#`); None when there is no valid host.
fn split_url(url: &str) -> Option<(String, &str)> {
    let url = url.trim();
    let start = scheme_end(url).unwrap_or_else(|| url.len() - url.trim_start_matches('/').len());
    let after = &url[start..];
    let end = after.find(['/', '?', '#', '\\']).unwrap_or(after.len());
    let mut host = clean_host(&after[..end]);
    if !valid_host(&host) {
        return None;
    }
    while let Some(prefix) = SITE_PREFIXES.iter().find(|p| host.starts_with(**p)) {
        let rest = &host[prefix.len()..];
        if !rest.contains('.') {
            break;
        }
        host = rest.to_string();
    }
    Some((host, &after[end..]))
}

/// An authority without user, port and final dot, in lower case.
fn clean_host(authority: &str) -> String {
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
        _ => host,
    };
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// Two or more labels of letters, digits and hyphens, the last one a word of letters
/// (or punycode): what a site's host looks like, and what a timestamp does not.
fn valid_host(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    let tld_ok = |l: &str| {
        (l.len() >= 2 && l.chars().all(|c| c.is_ascii_alphabetic())) || l.starts_with("xn--")
    };
    labels.len() >= 2
        && host.len() <= 253
        && labels.iter().all(label_ok)
        && labels.last().is_some_and(|l| tld_ok(l))
}

/// The copied site in an archive link's path: the first `http:` or `https:` address
/// in it, else its first piece (between `/`, `?`, `&`, `=`, `:`, `+`) that is a host.
fn copied(path: &str) -> Option<(String, &str)> {
    let lower = path.to_ascii_lowercase();
    if let Some(at) = lower.find("http:").into_iter().chain(lower.find("https:")).min() {
        return split_url(&path[at..]);
    }
    let mut start = 0;
    for (i, c) in path.char_indices().chain(std::iter::once((path.len(), '/'))) {
        if "/?&=:+".contains(c) {
            let piece = &path[start..i];
            if valid_host(&piece.to_ascii_lowercase()) {
                return split_url(&path[start..]);
            }
            start = i + c.len_utf8();
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_reads_cleanly() {
        let p = publishers();
        assert!(p.problems.is_empty(), "{}", p.problems.join("\n"));
        assert!(p.examples.len() >= 10);
        assert!(p.archives.iter().any(|(h, _)| h == "web.archive.org"));
    }

    #[test]
    fn file_examples_hold() {
        for (source, want) in &publishers().examples {
            assert_eq!(publisher(source).as_deref(), want.as_deref(), "{source}");
        }
    }

    #[test]
    fn folding_is_idempotent() {
        let p = publishers();
        for name in p.names.values().chain(p.hosts.values()) {
            assert_eq!(publisher(name).as_deref(), Some(name.as_str()), "{name}");
        }
        for (source, want) in &p.examples {
            if let Some(want) = want {
                assert_eq!(publisher(want).as_deref(), Some(want.as_str()), "{source}");
            }
        }
    }

    #[test]
    fn own_source_then_default_then_url() {
        let url = Some("https://web.archive.org/web/2017/http://www.example.net/a");
        assert_eq!(
            article_source(Some("Valley Post"), Some("X"), url).as_deref(),
            Some("Valley Post")
        );
        assert_eq!(article_source(None, Some("Hill Times"), url).as_deref(), Some("Hill Times"));
        assert_eq!(article_source(None, None, url).as_deref(), Some("example.net"));
        // A source field that only names the archive says nothing of the publisher.
        assert_eq!(
            article_source(Some("https://web.archive.org"), None, url).as_deref(),
            Some("example.net")
        );
        // A URL field that is not one names nothing.
        assert_eq!(article_source(None, None, Some("n/a")), None);
        assert_eq!(article_source(None, None, Some("file:///tmp/a.html")), None);
        assert_eq!(article_source(Some("  "), None, None), None);
    }

    #[test]
    fn names_that_are_not_hosts() {
        for name in ["U.S. Daily", "Ada Brunn", "Inc.", "Post 2.0", "ABC 7.1"] {
            assert!(!looks_like_site(name), "{name}");
        }
        for site in ["example.com", "Example.COM/x", "www.example", "http://x"] {
            assert!(looks_like_site(site), "{site}");
        }
        assert!(!valid_host("2017.01.01-120000"));
        assert!(!valid_host("127.0.0.1"));
    }

    #[test]
    fn nested_archives_and_bounds() {
        let nested = "https://web.archive.org/web/2019/https://archive.ph/2018.01.01-000000/http://money.cnn.com/x";
        assert_eq!(publisher(nested).as_deref(), Some("CNN Money"));
        let mut deep = String::from("http://example.org/");
        for _ in 0..10 {
            deep = format!("https://web.archive.org/web/1/{deep}");
        }
        assert_eq!(publisher(&deep), None);
    }
}

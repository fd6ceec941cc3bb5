//! Reads a PolNeAR split (`text/*.txt`, `attributions/*.ann`, `coref/*.json`) into
//! articles with their hand-annotated attributions and CoreNLP's coreference
//! chains, all offsets turned from Unicode characters into bytes of the text.
//!
//! The definitions follow `scripts/eval-polnear`, which scores the result: the first
//! `.ann` file by name is the article's annotation; an attribution is *speech* when
//! its content holds a double quotation mark or its cue is a word of speaking or
//! writing (the list below is the script's).
//!
//! Known limits: brat notes and relations other than events are ignored; an
//! attribution without content is dropped, as the script drops it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::extract::span::ByteSpan;

/// Byte ranges in the article text.
pub type Spans = Vec<ByteSpan>;

/// One annotated attribution.
#[derive(Debug, Clone)]
pub struct Attribution {
    pub content: Spans,
    pub source: Spans,
    pub cue: Spans,
    /// Speech, as the evaluation counts it (see the module comment).
    pub speech: bool,
}

/// One coreference chain: its representative text and its mentions.
#[derive(Debug, Clone)]
pub struct Chain {
    pub representative: String,
    pub mentions: Spans,
}

pub struct GoldArticle {
    /// File stem, `publisher_YYYY-MM-DD_slug`.
    pub stem: String,
    pub path: PathBuf,
    pub text: String,
    pub attributions: Vec<Attribution>,
    /// None when the split has no coref file for the article.
    pub chains: Option<Vec<Chain>>,
}

/// Loads every article of a split that has an annotation, in file-name order.
pub fn load_split(dir: &Path) -> Result<Vec<GoldArticle>> {
    let text_dir = dir.join("text");
    let ann_dir = dir.join("attributions");
    let coref_dir = dir.join("coref");
    let mut texts = BTreeMap::new();
    for e in std::fs::read_dir(&text_dir)
        .with_context(|| format!("{} is not a PolNeAR split (no text/)", dir.display()))?
    {
        let p = e?.path();
        if let Some(stem) =
            p.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".txt"))
        {
            texts.insert(stem.to_string(), p.clone());
        }
    }
    let mut anns: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut names: Vec<String> = std::fs::read_dir(&ann_dir)
        .with_context(|| format!("{} has no attributions/", dir.display()))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".ann"))
        .collect();
    names.sort();
    for name in names {
        let stem = &name[..name.len() - 4];
        let stem = if texts.contains_key(stem) { stem.to_string() } else { ann_stem(stem) };
        anns.entry(stem).or_insert_with(|| ann_dir.join(&name));
    }
    let mut out = Vec::new();
    for (stem, path) in texts {
        let Some(ann) = anns.get(&stem) else { continue };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", path.display()))?;
        let offsets = CharOffsets::new(&text);
        let ann_text =
            std::fs::read_to_string(ann).with_context(|| format!("reading {}", ann.display()))?;
        let attributions = parse_ann(&ann_text, &offsets, &text);
        let chains = read_chains(&coref_dir.join(format!("{stem}.json")), &offsets);
        out.push(GoldArticle { stem, path, text, attributions, chains });
    }
    Ok(out)
}

/// `<stem>_<annotator>.ann` → the text's stem.
fn ann_stem(stem: &str) -> String {
    match stem.rsplit_once('_') {
        Some((head, tail))
            if tail.len() == 4
                && tail.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()) =>
        {
            head.to_string()
        }
        _ => stem.to_string(),
    }
}

/// Character offset → byte offset of one text.
pub struct CharOffsets {
    bytes: Vec<usize>,
}

impl CharOffsets {
    pub fn new(text: &str) -> CharOffsets {
        let mut bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        bytes.push(text.len());
        CharOffsets { bytes }
    }

    pub fn byte(&self, char_offset: usize) -> usize {
        self.bytes[char_offset.min(self.bytes.len() - 1)]
    }
}

fn parse_ann(ann: &str, offsets: &CharOffsets, text: &str) -> Vec<Attribution> {
    let mut bounds: BTreeMap<&str, Spans> = BTreeMap::new();
    let mut events: Vec<Vec<(&str, &str)>> = Vec::new();
    for line in ann.lines() {
        let mut parts = line.split('\t');
        let (Some(id), Some(body)) = (parts.next(), parts.next()) else { continue };
        if id.starts_with('T') {
            let Some((_, ranges)) = body.split_once(' ') else { continue };
            let spans: Option<Spans> = ranges
                .split(';')
                .map(|r| {
                    let (a, b) = r.trim().split_once(' ')?;
                    Some(ByteSpan::new(
                        offsets.byte(a.parse().ok()?),
                        offsets.byte(b.parse().ok()?),
                    ))
                })
                .collect();
            if let Some(spans) = spans {
                bounds.insert(id, spans);
            }
        } else if id.starts_with('E') {
            events
                .push(body.split_whitespace().skip(1).filter_map(|a| a.split_once(':')).collect());
        }
    }
    let mut out = Vec::new();
    for args in events {
        let (mut content, mut source, mut cue) = (Spans::new(), Spans::new(), Spans::new());
        for (role, arg) in args {
            let Some(spans) = bounds.get(arg) else { continue };
            match role.trim_end_matches(|c: char| c.is_ascii_digit()) {
                "Content" => content.extend(spans),
                "Source" => source.extend(spans),
                "Cue" => cue.extend(spans),
                _ => {}
            }
        }
        if content.is_empty() {
            continue;
        }
        content.sort();
        source.sort();
        cue.sort();
        let slice = |spans: &Spans| {
            spans.iter().map(|s| text.get(s.range()).unwrap_or("")).collect::<Vec<_>>().join(" ")
        };
        let speech = has_double_quote(&slice(&content)) || is_speech_cue(&slice(&cue));
        out.push(Attribution { content, source, cue, speech });
    }
    out
}

#[derive(Deserialize)]
struct CorefFile {
    chains: Vec<CorefChain>,
}

#[derive(Deserialize)]
struct CorefChain {
    #[serde(default)]
    representative: String,
    #[serde(default)]
    mentions: Vec<(usize, usize)>,
}

fn read_chains(path: &Path, offsets: &CharOffsets) -> Option<Vec<Chain>> {
    let text = std::fs::read_to_string(path).ok()?;
    let file: CorefFile = serde_json::from_str(&text).ok()?;
    Some(
        file.chains
            .into_iter()
            .map(|c| Chain {
                representative: c.representative,
                mentions: c
                    .mentions
                    .into_iter()
                    .map(|(a, b)| ByteSpan::new(offsets.byte(a), offsets.byte(b)))
                    .collect(),
            })
            .collect(),
    )
}

fn has_double_quote(s: &str) -> bool {
    s.chars().any(|c| matches!(c, '"' | '\u{201c}' | '\u{201d}' | '\u{ab}' | '\u{bb}' | '\u{201e}'))
}

/// Lemmas of speaking and writing, as `scripts/eval-polnear` lists them.
const SPEECH_CUE_LEMMAS: &[&str] = &[
    "say",
    "said",
    "tell",
    "told",
    "add",
    "claim",
    "write",
    "wrote",
    "written",
    "tweet",
    "retweet",
    "state",
    "announce",
    "explain",
    "ask",
    "argue",
    "insist",
    "note",
    "declare",
    "warn",
    "reply",
    "respond",
    "suggest",
    "acknowledge",
    "admit",
    "continue",
    "testify",
    "recall",
    "remark",
    "promise",
    "vow",
    "urge",
    "call",
    "describe",
    "post",
    "interview",
    "statement",
    "speech",
    "speak",
    "spoke",
    "spoken",
    "comment",
    "emphasize",
    "emphasise",
    "stress",
    "repeat",
    "concede",
    "predict",
    "shout",
    "joke",
    "quip",
    "boast",
    "brag",
    "complain",
    "charge",
    "accuse",
    "allege",
    "contend",
    "counter",
    "retort",
    "echo",
    "conclude",
    "reiterate",
    "confirm",
    "deny",
    "disclose",
    "reveal",
    "report",
    "reportedly",
    "publish",
    "release",
    "mention",
    "talk",
    "answer",
    "pledge",
    "criticize",
    "criticise",
    "praise",
    "decry",
    "denounce",
    "blast",
    "slam",
    "press",
    "yell",
    "scream",
    "exclaim",
    "assert",
    "maintain",
    "observe",
    "announcement",
    "remarks",
    "testimony",
    "op-ed",
    "essay",
    "letter",
    "memo",
    "email",
    "e-mail",
    "message",
    "says",
    "quote",
    "quoted",
];

const SPEECH_CUE_PHRASES: &[&str] = &[
    "according to",
    "pointed out",
    "point out",
    "points out",
    "pointing out",
    "went on",
    "go on",
    "goes on",
    "going on",
    "in a statement",
    "in an interview",
    "weighed in",
    "chimed in",
    "spelled out",
    "laid out",
];

/// The script's `_lemma_candidates`: a word and the stems its endings suggest.
fn lemma_candidates(w: &str) -> Vec<String> {
    let mut c = vec![w.to_string()];
    let n = w.len();
    if w.ends_with("ies") || w.ends_with("ied") {
        c.push(format!("{}y", &w[..n - 3]));
    }
    if let Some(s) = w.strip_suffix("es") {
        c.push(s.to_string());
    }
    if let Some(s) = w.strip_suffix('s') {
        c.push(s.to_string());
    }
    if let Some(s) = w.strip_suffix("ed") {
        c.push(s.to_string());
        c.push(w[..n - 1].to_string());
        let b = w.as_bytes();
        if n > 4 && b[n - 3] == b[n - 4] {
            c.push(w[..n - 3].to_string());
        }
    }
    if let Some(s) = w.strip_suffix("ing") {
        c.push(s.to_string());
        c.push(format!("{s}e"));
        let b = w.as_bytes();
        if n > 5 && b[n - 4] == b[n - 5] {
            c.push(w[..n - 4].to_string());
        }
    }
    c
}

/// The script's `is_speech_cue`.
pub fn is_speech_cue(cue: &str) -> bool {
    let low = cue.to_lowercase();
    if low.trim() == ":" {
        return true;
    }
    // Words of letters, digits, `_`, `'` and `-`, and each colon on its own.
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for c in low.chars() {
        if c.is_alphanumeric() || c == '_' || c == '\'' || c == '-' {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        if c == ':' {
            words.push(":".to_string());
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    let norm = format!(" {} ", words.join(" "));
    if SPEECH_CUE_PHRASES.iter().any(|p| norm.contains(&format!(" {p} "))) {
        return true;
    }
    low.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .filter(|w| !w.is_empty())
        .any(|w| lemma_candidates(w).iter().any(|l| SPEECH_CUE_LEMMAS.contains(&l.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brat_events_become_byte_spans() {
        let text = "Émile said it rains.";
        let ann = "T1\tSource 0 5\tÉmile\nT2\tCue 6 10\tsaid\nT3\tContent 11 19\tit rains\nE1\tAttribution:T2 Content:T3 Cue:T2 Source:T1\n";
        let a = parse_ann(ann, &CharOffsets::new(text), text);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].source, vec![ByteSpan::new(0, 6)]);
        assert_eq!(&text[a[0].content[0].range()], "it rains");
        assert!(a[0].speech);
    }

    #[test]
    fn speech_cues_as_the_script_defines_them() {
        assert!(is_speech_cue("said"));
        assert!(is_speech_cue("pointed out"));
        assert!(is_speech_cue("criticized"));
        assert!(is_speech_cue(":"));
        assert!(!is_speech_cue("believes"));
        assert!(!is_speech_cue("hopes"));
        assert_eq!(ann_stem("nyt_2016-09-19_slug_4e07"), "nyt_2016-09-19_slug");
        assert_eq!(ann_stem("nyt_2016-09-19_slug"), "nyt_2016-09-19_slug");
    }
}

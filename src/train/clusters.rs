//! Word clusters learned from unlabelled news (`data/models/clusters.tsv`, read by
//! `learn::clusters`): words that occur between the same kinds of words share a
//! class, so a feature learned for "remarked" also fires for "quipped".
//!
//! How:
//! 1. Text: the articles of `../shared/corpora` except the evaluation sets
//!    (PolNeAR train, Reuters-21578, news 2017, health news; not PolNeAR dev, not
//!    Wikinews), tokenized by the extractor's own tokenizer, so the table holds
//!    words exactly as the features look them up ("they’ll", "u.s", "much-needed").
//! 2. Vocabulary: lower-cased words seen at least `min_count` times, the
//!    `max_words` most frequent. Every other token is a fixed *context*: rare words,
//!    numbers, paragraph breaks, each quotation mark and each kind of punctuation.
//!    Contexts are never clustered, but a word followed by `”` or `,` is known by it.
//! 3. The exchange algorithm (Kneser & Ney 1993; Martin, Liermann & Ney 1998): words
//!    start in class `rank mod classes`, then each word in turn, most frequent
//!    first, moves to the class that most raises the likelihood of the class-bigram
//!    model, both neighbours counted, for a fixed number of passes.
//! 4. A binary tree over the classes by greedy agglomerative merging (Brown et al.
//!    1992): each step merges the two classes whose merge loses the least
//!    class-bigram mutual information. A class's path is its way down from the
//!    root (left 0, right 1); every word of a class has its path.
//!
//! Deterministic: files and records in sorted order, no randomness, hash maps only
//! for look-ups, and the parallel parts compute values whose order does not matter.
//!
//! Known limits: one class per word (a word with two senses or two parts of speech
//! gets the class of its commoner use); only the word before and the word after
//! count, so topic is seen only through them; words with a digit are not clustered;
//! the exchange stops after `iterations` passes, at a local optimum at best; the
//! tree is built over finished classes, so words of one class differ in no bit.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::extract::tokens::{tokenize, Mark, Tok};
use crate::lexicon::lower;

/// How many classes, over which words, and how hard to look.
#[derive(Debug, Clone)]
pub struct ClusterOptions {
    /// Classes of the exchange algorithm (leaves of the tree).
    pub classes: usize,
    /// Fewest occurrences of a word that gets a class.
    pub min_count: usize,
    /// Most words that get a class (the most frequent).
    pub max_words: usize,
    /// Passes of the exchange algorithm over the vocabulary (fewer when a pass
    /// moves no word).
    pub iterations: usize,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        // 256 classes: 8 bits of path for the coarsest features is well populated
        // and the tree stays cheap. 15 passes: most moves happen in the first few.
        ClusterOptions { classes: 256, min_count: 5, max_words: 30_000, iterations: 15 }
    }
}

/// The unlabelled article texts of `corpora` (`../shared/corpora`), evaluation
/// sets excluded; parts that are missing are skipped.
pub fn texts(corpora: &Path) -> Result<Vec<String>> {
    Ok(sources(corpora)?.into_iter().flat_map(|s| s.texts).collect())
}

/// One part of the corpora and its texts.
struct Source {
    name: &'static str,
    texts: Vec<String>,
    /// Records that could not be read (bad JSON or CSV), skipped.
    skipped: usize,
}

/// The parts of the corpora in a fixed order, each read in sorted file order.
fn sources(corpora: &Path) -> Result<Vec<Source>> {
    let mut out = Vec::new();
    // PolNeAR train only: dev is the development evaluation set.
    let dir = corpora.join("polnear").join("train").join("text");
    if dir.is_dir() {
        let mut texts = Vec::new();
        for path in files(&dir, "txt")? {
            texts.push(read_text(&path)?);
        }
        out.push(Source { name: "PolNeAR train", texts, skipped: 0 });
    }
    let path = corpora.join("reuters21578.jsonl");
    if path.is_file() {
        let all = read_text(&path)?;
        let (mut texts, mut skipped) = (Vec::new(), 0);
        for line in all.lines().filter(|l| !l.trim().is_empty()) {
            match json_text(line) {
                Some(t) => texts.extend(t),
                None => skipped += 1,
            }
        }
        out.push(Source { name: "Reuters-21578", texts, skipped });
    }
    let path = corpora.join("news-articles-2017.csv");
    if path.is_file() {
        let (texts, skipped) = csv_texts(&path)?;
        out.push(Source { name: "news 2017", texts, skipped });
    }
    let dir = corpora.join("health-news");
    if dir.is_dir() {
        let (mut texts, mut skipped) = (Vec::new(), 0);
        for path in files(&dir, "json")? {
            match json_text(&read_text(&path)?) {
                Some(t) => texts.extend(t),
                None => skipped += 1,
            }
        }
        out.push(Source { name: "health news", texts, skipped });
    }
    // Wikinews is never read: it holds the who-said evaluation questions.
    Ok(out)
}

/// The files under `dir` (recursively) whose name ends in `.ext`, sorted by path.
fn files(dir: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("listing {}", dir.display()))?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == ext) {
            paths.push(entry.into_path());
        }
    }
    paths.sort();
    Ok(paths)
}

/// A file's text; bytes that are not UTF-8 become U+FFFD rather than an error.
fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// The `text` field of a JSON object: `None` when it is not JSON, `Some(None)` when
/// the text is missing or empty.
fn json_text(json: &str) -> Option<Option<String>> {
    #[derive(serde::Deserialize)]
    struct Rec {
        #[serde(default)]
        text: Option<String>,
    }
    let rec: Rec = serde_json::from_str(json).ok()?;
    Some(rec.text.filter(|t| !t.trim().is_empty()))
}

/// The `text` column of a CSV file with a header, and how many records were bad.
fn csv_texts(path: &Path) -> Result<(Vec<String>, usize)> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("reading {}", path.display()))?;
    let headers =
        reader.headers().with_context(|| format!("reading the header of {}", path.display()))?;
    let Some(col) = headers.iter().position(|h| h.trim() == "text") else {
        anyhow::bail!("{} has no text column", path.display());
    };
    let (mut texts, mut skipped) = (Vec::new(), 0);
    for rec in reader.records() {
        match rec {
            Ok(r) => texts.extend(r.get(col).filter(|t| !t.trim().is_empty()).map(str::to_string)),
            Err(_) => skipped += 1,
        }
    }
    Ok((texts, skipped))
}

/// Reads the corpora, learns the clusters, writes them to `out`; returns a report
/// (sizes, time, and the classes of a few words, to judge them by).
pub fn run(corpora: &Path, out: &Path, o: &ClusterOptions) -> Result<String> {
    let start = Instant::now();
    let parts = sources(corpora)?;
    let mut report = String::new();
    let mut names = Vec::new();
    for s in &parts {
        let bytes: usize = s.texts.iter().map(String::len).sum();
        let _ = writeln!(
            report,
            "{}: {} texts, {:.1} MB{}",
            s.name,
            s.texts.len(),
            bytes as f64 / 1e6,
            if s.skipped > 0 {
                format!(", {} unreadable records skipped", s.skipped)
            } else {
                String::new()
            }
        );
        names.push(s.name);
    }
    let texts: Vec<String> = parts.into_iter().flat_map(|s| s.texts).collect();
    let read = start.elapsed();
    let (tsv, log) = learn(&texts, o, &names.join(", "));
    std::fs::write(out, &tsv).with_context(|| format!("writing {}", out.display()))?;
    report.push_str(&log);
    let _ = writeln!(
        report,
        "read in {:.1} s, all in {:.1} s; wrote {} ({} bytes)",
        read.as_secs_f64(),
        start.elapsed().as_secs_f64(),
        out.display(),
        tsv.len()
    );
    for w in ["said", "monday", "obama", "company", "percent"] {
        let _ = writeln!(report, "{w}: {}", classmates(&tsv, w, 24).join(" "));
    }
    Ok(report)
}

/// The words of the table `tsv` that share `word`'s class, at most `n`, in file
/// order (most frequent first), with the path first.
fn classmates(tsv: &str, word: &str, n: usize) -> Vec<String> {
    let rows: Vec<(&str, &str)> =
        tsv.lines().filter(|l| !l.starts_with('#')).filter_map(|l| l.split_once('\t')).collect();
    let Some(&(_, path)) = rows.iter().find(|(w, _)| *w == word) else {
        return vec!["(no class)".to_string()];
    };
    let same: Vec<&str> = rows.iter().filter(|(_, p)| *p == path).map(|(w, _)| *w).collect();
    let mut out = vec![format!("[{path}, {} words]", same.len())];
    out.extend(same.iter().take(n).map(|w| w.to_string()));
    out
}

/// The cluster table (the contents of `clusters.tsv`) learned from `texts`.
pub fn train(texts: &[String], o: &ClusterOptions) -> String {
    learn(texts, o, "").0
}

/// Contexts: tokens that are never clustered but are the neighbours words are
/// known by. Each has a class of its own, after the `classes` learned ones.
const CONTEXTS: &[&str] = &[
    "<rare>", "<number>", "<break>", "“", "”", "\"", ".", ",", ":", ";", "?", "!", "(", ")", "—",
    "'", "$", "%", "/", "&", "<punct>",
];
const RARE: u32 = 0;
const NUMBER: u32 = 1;
const BREAK: u32 = 2;

/// The context of a token other than a word.
fn context(kind: Tok) -> u32 {
    let name = match kind {
        Tok::Word => return RARE,
        Tok::Break => return BREAK,
        Tok::Quote(Mark::Open) => "“",
        Tok::Quote(Mark::Close) => "”",
        Tok::Quote(Mark::Straight) => "\"",
        Tok::Punct(c) => match c {
            '.' | '…' => ".",
            ',' => ",",
            ':' => ":",
            ';' => ";",
            '?' => "?",
            '!' => "!",
            '(' | '[' | '{' => "(",
            ')' | ']' | '}' => ")",
            '-' | '–' | '—' | '‑' => "—",
            '\'' | '‘' | '’' | '`' => "'",
            '$' | '£' | '€' | '¥' => "$",
            '%' => "%",
            '/' => "/",
            '&' => "&",
            _ => "<punct>",
        },
    };
    CONTEXTS.iter().position(|c| *c == name).unwrap_or(CONTEXTS.len() - 1) as u32
}

/// Marks a token id as a context rather than a word type.
const CTX: u32 = 1 << 31;

/// The text as a sequence of token ids with `<break>` at both ends of every
/// text: word types numbered in order of first appearance (with their spellings
/// and counts), contexts marked with `CTX`.
fn sequence(texts: &[String]) -> (Vec<u32>, Vec<String>, Vec<u64>) {
    // Tokenizing is independent per text: done in parallel, each text numbering
    // its own word types, then renumbered in text order so the ids do not depend
    // on the threads.
    let mut ids: FxHashMap<String, u32> = FxHashMap::default();
    let (mut types, mut counts): (Vec<String>, Vec<u64>) = (Vec::new(), Vec::new());
    let mut seq =
        Vec::with_capacity(texts.iter().map(|t| t.len() / 5).sum::<usize>() + texts.len() + 1);
    seq.push(CTX | BREAK);
    // In chunks, so the texts' own numberings are never all in memory at once.
    for chunk in texts.chunks(256) {
        let local: Vec<(Vec<String>, Vec<u32>)> = chunk
            .par_iter()
            .map(|t| {
                let mut ids: FxHashMap<String, u32> = FxHashMap::default();
                let mut types: Vec<String> = Vec::new();
                let seq = tokenize(t)
                    .iter()
                    .map(|k| match k.kind {
                        Tok::Word => {
                            let w = &t[k.start..k.end];
                            if w.chars().any(char::is_numeric) {
                                return CTX | NUMBER;
                            }
                            let lw = lower(w);
                            if let Some(&id) = ids.get(lw.as_ref()) {
                                return id;
                            }
                            let id = types.len() as u32;
                            types.push(lw.clone().into_owned());
                            ids.insert(lw.into_owned(), id);
                            id
                        }
                        kind => CTX | context(kind),
                    })
                    .collect::<Vec<u32>>();
                (types, seq)
            })
            .collect();
        for (local_types, local_seq) in local {
            let global: Vec<u32> = local_types
                .into_iter()
                .map(|w| {
                    *ids.entry(w).or_insert_with_key(|w| {
                        types.push(w.clone());
                        counts.push(0);
                        types.len() as u32 - 1
                    })
                })
                .collect();
            for t in local_seq {
                let id = if t & CTX != 0 { t } else { global[t as usize] };
                if t & CTX == 0 {
                    counts[id as usize] += 1;
                }
                seq.push(id);
            }
            seq.push(CTX | BREAK);
        }
    }
    (seq, types, counts)
}

/// x ln x, the building block of every likelihood here (0 for 0); looked up for
/// the small counts most cells hold, as a logarithm costs more than a load.
#[inline]
fn xlx(x: i64) -> f64 {
    static SMALL: std::sync::LazyLock<Vec<f64>> = std::sync::LazyLock::new(|| {
        (0..1 << 16).map(|x: i64| if x == 0 { 0.0 } else { x as f64 * (x as f64).ln() }).collect()
    });
    if x <= 0 {
        0.0
    } else if x < 1 << 16 {
        SMALL[x as usize]
    } else {
        let x = x as f64;
        x * x.ln()
    }
}

/// Word-bigram counts in both directions (compressed rows), per word id.
struct Bigrams {
    /// `right[rs[w]..rs[w+1]]`: the words after `w`, with counts; sorted by word.
    rs: Vec<usize>,
    right: Vec<(u32, i64)>,
    /// Likewise the words before `w`.
    ls: Vec<usize>,
    left: Vec<(u32, i64)>,
}

impl Bigrams {
    fn new(seq: &[u32], n: usize) -> Bigrams {
        let mut keys: Vec<u64> =
            seq.windows(2).map(|p| (u64::from(p[0]) << 32) | u64::from(p[1])).collect();
        keys.par_sort_unstable();
        let mut pairs: Vec<(u32, u32, i64)> = Vec::new();
        for k in keys {
            let (a, b) = ((k >> 32) as u32, k as u32);
            match pairs.last_mut() {
                Some(p) if p.0 == a && p.1 == b => p.2 += 1,
                _ => pairs.push((a, b, 1)),
            }
        }
        let mut rs = vec![0usize; n + 1];
        let mut ls = vec![0usize; n + 1];
        for &(a, b, _) in &pairs {
            rs[a as usize + 1] += 1;
            ls[b as usize + 1] += 1;
        }
        for i in 0..n {
            rs[i + 1] += rs[i];
            ls[i + 1] += ls[i];
        }
        let right = pairs.iter().map(|&(_, b, c)| (b, c)).collect();
        let mut left = vec![(0u32, 0i64); pairs.len()];
        let mut fill = ls.clone();
        // Pairs are sorted by first word, so each left list comes out sorted too.
        for &(a, b, c) in &pairs {
            left[fill[b as usize]] = (a, c);
            fill[b as usize] += 1;
        }
        Bigrams { rs, right, ls, left }
    }

    fn right(&self, w: usize) -> &[(u32, i64)] {
        &self.right[self.rs[w]..self.rs[w + 1]]
    }

    fn left(&self, w: usize) -> &[(u32, i64)] {
        &self.left[self.ls[w]..self.ls[w + 1]]
    }
}

/// Class-bigram counts: `m[a*k+b]` (and its transpose `mt`, so a column is a row
/// in memory), and each class's counts as left (`l`) and right (`r`) member.
#[derive(Clone)]
struct Counts {
    k: usize,
    m: Vec<i64>,
    mt: Vec<i64>,
    l: Vec<i64>,
    r: Vec<i64>,
}

impl Counts {
    /// Merges class `q` into class `p`: rows, then columns (which also sums the
    /// four corner cells), then the marginals.
    fn merge(&mut self, p: usize, q: usize) {
        let k = self.k;
        for x in 0..k {
            self.m[p * k + x] += self.m[q * k + x];
            self.m[q * k + x] = 0;
        }
        for x in 0..k {
            self.m[x * k + p] += self.m[x * k + q];
            self.m[x * k + q] = 0;
        }
        self.l[p] += self.l[q];
        self.r[p] += self.r[q];
        self.l[q] = 0;
        self.r[q] = 0;
    }

    fn new(big: &Bigrams, class: &[u32], k: usize) -> Counts {
        let mut c =
            Counts { k, m: vec![0; k * k], mt: vec![0; k * k], l: vec![0; k], r: vec![0; k] };
        for (w, &cw) in class.iter().enumerate() {
            for &(v, n) in big.right(w) {
                let cv = class[v as usize] as usize;
                c.m[cw as usize * k + cv] += n;
                c.mt[cv * k + cw as usize] += n;
                c.l[cw as usize] += n;
                c.r[cv] += n;
            }
        }
        c
    }

    /// The log-likelihood of the class-bigram model, up to a constant.
    fn objective(&self) -> f64 {
        self.m.iter().map(|&x| xlx(x)).sum::<f64>()
            - self.l.iter().map(|&x| xlx(x)).sum::<f64>()
            - self.r.iter().map(|&x| xlx(x)).sum::<f64>()
    }
}

/// One word's bigram counts with each class (itself left out), for a move.
struct WordCounts {
    /// Classes after the word, with counts, in first-seen order.
    right: Vec<(u32, i64)>,
    left: Vec<(u32, i64)>,
    /// Dense copies of the same, indexed by class.
    dr: Vec<i64>,
    dl: Vec<i64>,
    /// The word followed by itself ("very very").
    own: i64,
    /// Its counts as left and as right member of a bigram.
    nl: i64,
    nr: i64,
}

impl WordCounts {
    fn new(k: usize) -> WordCounts {
        WordCounts {
            right: Vec::new(),
            left: Vec::new(),
            dr: vec![0; k],
            dl: vec![0; k],
            own: 0,
            nl: 0,
            nr: 0,
        }
    }

    fn fill(&mut self, big: &Bigrams, class: &[u32], w: usize) {
        for &(d, _) in &self.right {
            self.dr[d as usize] = 0;
        }
        for &(d, _) in &self.left {
            self.dl[d as usize] = 0;
        }
        self.right.clear();
        self.left.clear();
        self.own = 0;
        self.nl = 0;
        self.nr = 0;
        for &(v, n) in big.right(w) {
            self.nl += n;
            if v as usize == w {
                self.own += n;
                continue;
            }
            let d = class[v as usize] as usize;
            if self.dr[d] == 0 {
                self.right.push((d as u32, 0));
            }
            self.dr[d] += n;
        }
        for &(v, n) in big.left(w) {
            self.nr += n;
            if v as usize == w {
                continue;
            }
            let d = class[v as usize] as usize;
            if self.dl[d] == 0 {
                self.left.push((d as u32, 0));
            }
            self.dl[d] += n;
        }
        for p in &mut self.right {
            p.1 = self.dr[p.0 as usize];
        }
        for p in &mut self.left {
            p.1 = self.dl[p.0 as usize];
        }
    }
}

impl Counts {
    /// Takes the word of `wc` out of class `a` (`sign` -1) or puts it in (+1).
    fn shift(&mut self, wc: &WordCounts, a: usize, sign: i64) {
        let k = self.k;
        for &(d, n) in &wc.right {
            self.m[a * k + d as usize] += sign * n;
            self.mt[d as usize * k + a] += sign * n;
        }
        for &(d, n) in &wc.left {
            self.m[d as usize * k + a] += sign * n;
            self.mt[a * k + d as usize] += sign * n;
        }
        self.m[a * k + a] += sign * wc.own;
        self.mt[a * k + a] += sign * wc.own;
        self.l[a] += sign * wc.nl;
        self.r[a] += sign * wc.nr;
    }

    /// How much the objective rises when the word of `wc` (taken out of every
    /// class) joins class `b`. Only row `b`, column `b` and `b`'s totals change.
    fn gain(&self, wc: &WordCounts, b: usize) -> f64 {
        let k = self.k;
        let row = &self.m[b * k..(b + 1) * k];
        let col = &self.mt[b * k..(b + 1) * k];
        let mut s = 0.0;
        for &(d, n) in &wc.right {
            if d as usize != b {
                let x = row[d as usize];
                s += xlx(x + n) - xlx(x);
            }
        }
        for &(d, n) in &wc.left {
            if d as usize != b {
                let x = col[d as usize];
                s += xlx(x + n) - xlx(x);
            }
        }
        // The cell (b, b) takes the bigrams on both sides and the word's own.
        let t = wc.dr[b] + wc.dl[b] + wc.own;
        if t > 0 {
            s += xlx(row[b] + t) - xlx(row[b]);
        }
        s - (xlx(self.l[b] + wc.nl) - xlx(self.l[b])) - (xlx(self.r[b] + wc.nr) - xlx(self.r[b]))
    }
}

/// The exchange algorithm: the class of every word (contexts keep theirs); a line
/// of log per pass.
fn exchange(
    big: &Bigrams,
    class: &mut [u32],
    words: usize,
    classes: usize,
    k: usize,
    iterations: usize,
    log: &mut String,
) {
    let mut c = Counts::new(big, class, k);
    let mut wc = WordCounts::new(k);
    let mut gains = vec![0.0f64; classes];
    let _ = writeln!(log, "exchange: start, log-likelihood {:.6e}", c.objective());
    for it in 0..iterations {
        let start = Instant::now();
        let mut moves = 0;
        for w in 0..words {
            let a = class[w] as usize;
            wc.fill(big, class, w);
            c.shift(&wc, a, -1);
            // The gains are independent of one another: computed in parallel when
            // there is enough work, and chosen among in order below.
            if (wc.right.len() + wc.left.len()) * classes > 4_096 {
                gains.par_iter_mut().enumerate().for_each(|(b, g)| *g = c.gain(&wc, b));
            } else {
                for (b, g) in gains.iter_mut().enumerate() {
                    *g = c.gain(&wc, b);
                }
            }
            // A word moves only for a clear gain, so rounding noise never moves
            // words back and forth; ties go to the lowest class.
            let mut best = a;
            for (b, &g) in gains.iter().enumerate() {
                if g > gains[best] + 1e-7 * (1.0 + gains[best].abs()) {
                    best = b;
                }
            }
            c.shift(&wc, best, 1);
            if best != a {
                class[w] = best as u32;
                moves += 1;
            }
        }
        let _ = writeln!(
            log,
            "exchange: pass {}: {} words moved, log-likelihood {:.6e}, {:.1} s",
            it + 1,
            moves,
            c.objective(),
            start.elapsed().as_secs_f64()
        );
        if moves == 0 {
            break;
        }
    }
}

/// Greedy agglomerative merging of the word classes `leaves` (indices into `c`'s
/// classes; the other classes are contexts and stay as they are): the path of
/// each leaf, in `leaves` order.
fn tree(mut c: Counts, leaves: &[usize]) -> Vec<String> {
    let n = leaves.len();
    if n == 1 {
        return vec!["0".to_string()];
    }
    let k = c.k;
    let is_leaf = {
        let mut v = vec![false; k];
        for &x in leaves {
            v[x] = true;
        }
        v
    };
    // The context classes: every class that is not a leaf.
    let contexts: Vec<usize> = (0..k).filter(|&x| !is_leaf[x]).collect();
    // The part of a merge of classes p and q's loss that concerns class x (not p, q).
    let part = |c: &Counts, p: usize, q: usize, x: usize| -> f64 {
        let (m, k) = (&c.m, c.k);
        let (px, qx, xp, xq) = (m[p * k + x], m[q * k + x], m[x * k + p], m[x * k + q]);
        xlx(px + qx) - xlx(px) - xlx(qx) + xlx(xp + xq) - xlx(xp) - xlx(xq)
    };
    // The full change of the objective when classes p and q merge (never positive).
    let full = |c: &Counts, active: &[usize], p: usize, q: usize| -> f64 {
        let (m, k) = (&c.m, c.k);
        let mut s = 0.0;
        for &x in active.iter().chain(&contexts) {
            if x != p && x != q {
                s += part(c, p, q, x);
            }
        }
        let (pp, pq, qp, qq) = (m[p * k + p], m[p * k + q], m[q * k + p], m[q * k + q]);
        s += xlx(pp + pq + qp + qq) - xlx(pp) - xlx(pq) - xlx(qp) - xlx(qq);
        s - (xlx(c.l[p] + c.l[q]) - xlx(c.l[p]) - xlx(c.l[q]))
            - (xlx(c.r[p] + c.r[q]) - xlx(c.r[p]) - xlx(c.r[q]))
    };
    let mut active: Vec<usize> = leaves.to_vec();
    // loss[p*k+q] for p < q, both active: the change when they merge.
    let mut loss = vec![0.0f64; k * k];
    {
        let pairs: Vec<(usize, usize)> = (0..n)
            .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
            .map(|(i, j)| (active[i], active[j]))
            .collect();
        let values: Vec<f64> = pairs.par_iter().map(|&(p, q)| full(&c, &active, p, q)).collect();
        for (&(p, q), v) in pairs.iter().zip(values) {
            loss[p * k + q] = v;
        }
    }
    // The tree: leaves are 0..n, merges n..; node[x] is class x's current subtree.
    let mut node = vec![usize::MAX; k];
    for (i, &x) in leaves.iter().enumerate() {
        node[x] = i;
    }
    let mut children: Vec<(usize, usize)> = Vec::new();
    while active.len() > 1 {
        // The pair that loses least; ties to the first pair in order.
        let (mut bp, mut bq, mut best) = (0, 0, f64::NEG_INFINITY);
        for (i, &p) in active.iter().enumerate() {
            for &q in &active[i + 1..] {
                let (p, q) = (p.min(q), p.max(q));
                if loss[p * k + q] > best {
                    (bp, bq, best) = (p, q, loss[p * k + q]);
                }
            }
        }
        let (p, q) = (bp, bq);
        children.push((node[p], node[q]));
        node[p] = n + children.len() - 1;
        active.retain(|&x| x != q);
        // Every other pair's loss changes only in its parts for p and q, which
        // become one part for the merged p (Brown et al.'s update).
        let others: Vec<(usize, usize)> = active
            .iter()
            .enumerate()
            .flat_map(|(i, &x)| active[i + 1..].iter().map(move |&y| (x.min(y), x.max(y))))
            .filter(|&(x, y)| x != p && y != p)
            .collect();
        let before: Vec<f64> =
            others.par_iter().map(|&(x, y)| part(&c, x, y, p) + part(&c, x, y, q)).collect();
        c.merge(p, q);
        let after: Vec<f64> = others.par_iter().map(|&(x, y)| part(&c, x, y, p)).collect();
        for ((&(x, y), b), a) in others.iter().zip(before).zip(after) {
            loss[x * k + y] += a - b;
        }
        let with_p: Vec<(usize, usize)> =
            active.iter().filter(|&&x| x != p).map(|&x| (x.min(p), x.max(p))).collect();
        let values: Vec<f64> = with_p.par_iter().map(|&(x, y)| full(&c, &active, x, y)).collect();
        for (&(x, y), v) in with_p.iter().zip(values) {
            loss[x * k + y] = v;
        }
    }
    // Paths from the root: left child 0, right child 1.
    let mut paths = vec![String::new(); n];
    let mut stack = vec![(n + children.len() - 1, String::new())];
    while let Some((id, path)) = stack.pop() {
        if id < n {
            paths[id] = path;
        } else {
            let (a, b) = children[id - n];
            stack.push((b, format!("{path}1")));
            stack.push((a, format!("{path}0")));
        }
    }
    paths
}

/// Learns the table; `sources` names the texts for its header. Returns the table
/// and a log.
fn learn(texts: &[String], o: &ClusterOptions, sources: &str) -> (String, String) {
    let mut log = String::new();
    let start = Instant::now();
    let (seq, types, counts) = sequence(texts);
    let tokens = seq.iter().filter(|&&t| t != CTX | BREAK).count();
    // The vocabulary: most frequent first, ties alphabetical.
    let mut vocab: Vec<u32> =
        (0..types.len() as u32).filter(|&t| counts[t as usize] >= o.min_count as u64).collect();
    vocab.sort_by(|&a, &b| {
        counts[b as usize]
            .cmp(&counts[a as usize])
            .then_with(|| types[a as usize].cmp(&types[b as usize]))
    });
    vocab.truncate(o.max_words);
    let words = vocab.len();
    let classes = o.classes.clamp(1, words.max(1));
    // Ids: words 0..words in vocabulary order, then the contexts.
    let mut id_of = vec![words as u32 + RARE; types.len()];
    for (i, &t) in vocab.iter().enumerate() {
        id_of[t as usize] = i as u32;
    }
    let seq: Vec<u32> = seq
        .iter()
        .map(|&t| if t & CTX != 0 { words as u32 + (t & !CTX) } else { id_of[t as usize] })
        .collect();
    let big = Bigrams::new(&seq, words + CONTEXTS.len());
    drop(seq);
    let _ = writeln!(
        log,
        "{} tokens, {} word types, {} words in the vocabulary, {} distinct bigrams; counted in {:.1} s",
        tokens,
        types.len(),
        words,
        big.right.len(),
        start.elapsed().as_secs_f64()
    );
    // Initial classes by frequency rank, so the most frequent words start apart;
    // each context in a class of its own after the word classes.
    let mut class: Vec<u32> = (0..words).map(|i| (i % classes) as u32).collect();
    class.extend((0..CONTEXTS.len()).map(|i| (classes + i) as u32));
    let k = classes + CONTEXTS.len();
    let t = Instant::now();
    if words > 0 {
        exchange(&big, &mut class, words, classes, k, o.iterations, &mut log);
    }
    let _ = writeln!(log, "exchange: {:.1} s", t.elapsed().as_secs_f64());
    // The tree over the classes that have words.
    let t = Instant::now();
    let mut used: Vec<usize> = class[..words].iter().map(|&c| c as usize).collect();
    used.sort_unstable();
    used.dedup();
    let paths =
        if used.is_empty() { Vec::new() } else { tree(Counts::new(&big, &class, k), &used) };
    let mut path_of = vec![String::new(); k];
    for (&c, p) in used.iter().zip(&paths) {
        path_of[c] = p.clone();
    }
    let depth = paths.iter().map(String::len).max().unwrap_or(0);
    let _ = writeln!(
        log,
        "tree: {} classes with words, paths of up to {} bits; {:.1} s",
        used.len(),
        depth,
        t.elapsed().as_secs_f64()
    );
    // The table, by path (a class's words together), most frequent first.
    let mut rows: Vec<(&str, usize, &str)> = (0..words)
        .map(|i| (path_of[class[i] as usize].as_str(), i, types[vocab[i] as usize].as_str()))
        .collect();
    rows.sort_unstable();
    let mut out = String::with_capacity(words * 24 + 512);
    let tokens_text =
        if tokens >= 100_000 { format!("{:.1}M", tokens as f64 / 1e6) } else { tokens.to_string() };
    let _ = writeln!(
        out,
        "# Word clusters: {} exchange classes over {} words of {} tokens{}; written by scripts/train",
        used.len(),
        words,
        tokens_text,
        if sources.is_empty() { String::new() } else { format!(" ({sources})") }
    );
    let _ = writeln!(out, "# Options: classes {}, min_count {}, max_words {}, iterations {}; class-bigram exchange, then greedy merging by mutual information (train/clusters.rs)",
        o.classes, o.min_count, o.max_words, o.iterations);
    let _ = writeln!(out, "# word<TAB>path: lower-cased word, its class's path in the tree (prefixes are coarser clusters); sorted by path, then frequency");
    for (path, _, word) in rows {
        let _ = writeln!(out, "{word}\t{path}");
    }
    (out, log)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny corpus from templates, the choices made by a fixed LCG: speech verbs,
    /// weekdays, people and things each fill their own slots.
    fn corpus() -> Vec<String> {
        let people =
            ["the minister", "the president", "the spokesman", "the official", "she", "he"];
        let verbs = ["said", "stated", "claimed", "announced", "added"];
        let days = ["monday", "tuesday", "wednesday", "thursday", "friday"];
        let things = ["plan", "budget", "deal", "law", "bill", "tax"];
        let adjs = ["new", "big", "old", "bad", "good"];
        let mut x: u64 = 12345;
        let mut pick = |n: usize| {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((x >> 33) as usize) % n
        };
        let mut texts = Vec::new();
        for _ in 0..40 {
            let mut t = String::new();
            for _ in 0..20 {
                let s = match pick(3) {
                    0 => format!(
                        "{} {} on {} that the {} {} was {}. ",
                        people[pick(6)],
                        verbs[pick(5)],
                        days[pick(5)],
                        adjs[pick(5)],
                        things[pick(6)],
                        adjs[pick(5)]
                    ),
                    1 => format!(
                        "\"The {} is {},\" {} {} on {}. ",
                        things[pick(6)],
                        adjs[pick(5)],
                        people[pick(6)],
                        verbs[pick(5)],
                        days[pick(5)]
                    ),
                    _ => format!(
                        "On {}, the {} {} passed. ",
                        days[pick(5)],
                        adjs[pick(5)],
                        things[pick(6)]
                    ),
                };
                t.push_str(&s);
            }
            texts.push(t);
        }
        texts
    }

    fn options() -> ClusterOptions {
        ClusterOptions { classes: 8, min_count: 1, max_words: 1000, iterations: 10 }
    }

    fn table(tsv: &str) -> Vec<(String, String)> {
        tsv.lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split_once('\t'))
            .map(|(w, p)| (w.to_string(), p.to_string()))
            .collect()
    }

    fn common(a: &str, b: &str) -> usize {
        a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
    }

    #[test]
    fn clusters_are_the_same_on_every_run() {
        let texts = corpus();
        let a = train(&texts, &options());
        assert_eq!(a, train(&texts, &options()));
        assert!(a.starts_with("# Word clusters: "));
    }

    #[test]
    fn clusters_put_words_of_the_same_contexts_together() {
        let tsv = train(&corpus(), &options());
        let t = table(&tsv);
        let path =
            |w: &str| t.iter().find(|(x, _)| x == w).map(|(_, p)| p.clone()).unwrap_or_default();
        let (said, stated, monday, tuesday, budget) =
            (path("said"), path("stated"), path("monday"), path("tuesday"), path("budget"));
        assert!(!said.is_empty() && !monday.is_empty(), "{tsv}");
        assert!(common(&said, &stated) > common(&said, &monday), "{tsv}");
        assert!(common(&said, &stated) > common(&said, &budget), "{tsv}");
        assert!(common(&monday, &tuesday) > common(&monday, &said), "{tsv}");
        assert!(common(&monday, &tuesday) > common(&monday, &budget), "{tsv}");
    }

    #[test]
    fn clusters_give_every_vocabulary_word_one_path_from_a_prefix_free_tree() {
        let texts = corpus();
        let t = table(&train(&texts, &options()));
        // Every word of the text (no digits here) is in the table, once.
        let mut words: Vec<String> = texts
            .iter()
            .flat_map(|s| {
                s.split(|c: char| !c.is_alphanumeric())
                    .filter(|w| !w.is_empty())
                    .map(|w| w.to_lowercase())
            })
            .collect();
        words.sort();
        words.dedup();
        let mut listed: Vec<String> = t.iter().map(|(w, _)| w.clone()).collect();
        listed.sort();
        assert_eq!(listed, words);
        // Paths are bits; distinct paths (the classes) are leaves: none is a prefix
        // of another, so every word of a class has exactly its class's path.
        assert!(t.iter().all(|(_, p)| !p.is_empty() && p.bytes().all(|b| b == b'0' || b == b'1')));
        // The reader of `learn::clusters` takes the table as written.
        let tsv = train(&texts, &options());
        let read = crate::learn::Clusters::parse(&tsv);
        assert_eq!(read.len(), t.len());
        assert_eq!(read.path("Said"), t.iter().find(|(w, _)| w == "said").map(|(_, p)| p.as_str()));
        let mut paths: Vec<&str> = t.iter().map(|(_, p)| p.as_str()).collect();
        paths.sort_unstable();
        paths.dedup();
        assert!(paths.len() > 1 && paths.len() <= 8);
        for a in &paths {
            for b in &paths {
                assert!(a == b || !b.starts_with(a), "{a} is a prefix of {b}");
            }
        }
    }

    #[test]
    fn clusters_respect_the_vocabulary_limits() {
        let o = ClusterOptions { classes: 4, min_count: 50, max_words: 5, iterations: 3 };
        let t = table(&train(&corpus(), &o));
        assert_eq!(t.len(), 5);
        assert!(t.iter().any(|(w, _)| w == "the"));
        // No text at all: a header and no words.
        let empty = train(&[], &o);
        assert!(table(&empty).is_empty() && empty.starts_with('#'));
    }

    #[test]
    fn merge_losses_kept_up_to_date_match_losses_computed_afresh() {
        // The tree's incremental update (Brown et al.) against the same merges
        // chosen from freshly computed losses: the same paths.
        let texts = corpus();
        let (seq, types, counts) = sequence(&texts);
        let words = types.len();
        let _ = counts;
        let seq: Vec<u32> =
            seq.iter().map(|&t| if t & CTX != 0 { words as u32 + (t & !CTX) } else { t }).collect();
        let big = Bigrams::new(&seq, words + CONTEXTS.len());
        let classes = 6;
        let mut class: Vec<u32> = (0..words).map(|i| (i % classes) as u32).collect();
        class.extend((0..CONTEXTS.len()).map(|i| (classes + i) as u32));
        let k = classes + CONTEXTS.len();
        let leaves: Vec<usize> = (0..classes).collect();
        let paths = tree(Counts::new(&big, &class, k), &leaves);
        // Afresh: merge the best pair by the change in the objective itself.
        let mut c = Counts::new(&big, &class, k);
        let mut groups: Vec<Vec<usize>> = leaves.iter().map(|&x| vec![x]).collect();
        let mut slots: Vec<usize> = leaves.clone();
        let mut prefixes: Vec<String> = vec![String::new(); classes];
        let mut merges = Vec::new();
        while slots.len() > 1 {
            let base = c.objective();
            let mut best = (f64::NEG_INFINITY, 0, 0);
            for i in 0..slots.len() {
                for j in i + 1..slots.len() {
                    let mut d = c.clone();
                    let (p, q) = (slots[i], slots[j]);
                    d.merge(p, q);
                    let change = d.objective() - base;
                    if change > best.0 + 1e-6 {
                        best = (change, i, j);
                    }
                }
            }
            let (p, q) = (slots[best.1], slots[best.2]);
            merges.push((p, q));
            c.merge(p, q);
            let moved = std::mem::take(&mut groups[q]);
            for &x in &groups[p] {
                prefixes[x].insert(0, '0');
            }
            for &x in &moved {
                prefixes[x].insert(0, '1');
            }
            groups[p].extend(moved);
            slots.remove(best.2);
        }
        assert_eq!(paths, prefixes, "merges {merges:?}");
    }

    #[test]
    #[ignore = "reads ../shared/corpora (or WHOSAID_CORPORA) and takes about a minute"]
    fn clusters_of_the_real_corpora() {
        let corpora = std::env::var_os("WHOSAID_CORPORA")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora"));
        if !corpora.is_dir() {
            eprintln!("skipped: no corpora at {}", corpora.display());
            return;
        }
        let out = std::env::var_os("WHOSAID_CLUSTERS_OUT")
            .map(PathBuf::from)
            .unwrap_or_else(|| std::env::temp_dir().join("clusters.tsv"));
        match run(&corpora, &out, &ClusterOptions::default()) {
            Ok(report) => eprintln!("{report}"),
            Err(e) => panic!("{e:#}"),
        }
    }
}

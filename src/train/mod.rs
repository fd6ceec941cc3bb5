//! Training the learned models (`whosaid train`, which `scripts/train` runs): reads
//! PolNeAR's training split, lets the rules find statements and candidates, labels
//! them from the annotation, fits each model with the averaged perceptron, and
//! writes `data/models/`. Fixed seeds and a fixed order make the files the same,
//! byte for byte, on every run.
//!
//! It also measures: `--folds K` trains K times on all but one K-th of the
//! articles and extracts the K-th with those models, so `scripts/eval-polnear` can
//! score the training split as unseen text; `--dev DIR` extracts another split
//! with the models just trained, without a rebuild.
//!
//! Known limits: models are trained one after another on the rules' candidates, not
//! jointly; PolNeAR is US political news of 2015-16.

pub mod align;
pub mod clusters;
mod coref;
mod detect;
pub mod examples;
pub mod polnear;
mod speaker;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use examples::Group;

use anyhow::{Context as _, Result};
use rayon::prelude::*;

use crate::article::Article;
use crate::extract::cues::{self, DraftStatement};
use crate::extract::detect::Lexicon;
use crate::extract::model_files;
use crate::extract::models::Models;
use crate::extract::{self, doc::Doc};
use crate::learn::perceptron::{shuffle, Perceptron};
use crate::learn::{Clusters, Feats, Model};
use polnear::GoldArticle;

/// What to train and measure.
#[derive(Debug, Clone)]
pub struct Options {
    /// `../shared/corpora`: PolNeAR is read from `polnear/train`.
    pub corpora: PathBuf,
    /// Where to write the model files (`data/models`), if anywhere.
    pub out: Option<PathBuf>,
    /// Cross-validation folds (0: none).
    pub folds: usize,
    /// Where to write the cross-validated statements of the training split.
    pub fold_predictions: Option<PathBuf>,
    /// A split to extract with the new models, and where to write its statements.
    pub dev: Option<(PathBuf, PathBuf)>,
    /// Models to leave untrained (rules only), for ablations: "speaker", ...
    pub without: Vec<String>,
}

/// Passes over the training examples.
const EPOCHS: usize = 12;
/// The seed of every shuffle.
const SEED: u64 = 20_161_108;
/// Folds of the cross-fitting that gives the rankers honest detections.
const INNER_FOLDS: usize = 5;
/// Table size of each model, as a power of two.
const BITS: u32 = 20;

/// Trains, measures and writes; returns the report printed on stderr.
pub fn run(o: &Options) -> Result<String> {
    let split = o.corpora.join("polnear").join("train");
    let articles = polnear::load_split(&split)
        .with_context(|| format!("reading PolNeAR from {}", split.display()))?;
    let clusters = Some(Clusters::parse(model_files::CLUSTERS)).filter(|c| !c.is_empty());
    let mut report =
        format!("training split: {} articles from {}\n", articles.len(), split.display());
    if o.folds > 1 {
        let mut lines: Vec<Vec<u8>> = vec![Vec::new(); articles.len()];
        for k in 0..o.folds {
            let train: Vec<&GoldArticle> = articles
                .iter()
                .enumerate()
                .filter(|(i, _)| i % o.folds != k)
                .map(|(_, a)| a)
                .collect();
            let (m, _, _) = fit(&train, clusters.as_ref(), &o.without);
            let held: Vec<usize> = (0..articles.len()).filter(|i| i % o.folds == k).collect();
            let out: Vec<(usize, Vec<u8>)> =
                held.par_iter().map(|&i| (i, statements_json(&articles[i], &m))).collect();
            for (i, l) in out {
                lines[i] = l;
            }
            report.push_str(&format!(
                "fold {}/{}: {} articles held out\n",
                k + 1,
                o.folds,
                held.len()
            ));
        }
        if let Some(path) = &o.fold_predictions {
            write_lines(path, &lines)?;
            report.push_str(&format!("cross-validated statements written to {}\n", path.display()));
        }
    }
    let all: Vec<&GoldArticle> = articles.iter().collect();
    let (models, fit_report, cue_words) = fit(&all, clusters.as_ref(), &o.without);
    report.push_str(&fit_report);
    if let Some(dir) = &o.out {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        for (name, model) in [
            ("cue", &models.cue),
            ("span", &models.span),
            ("speaker", &models.speaker),
            ("coref", &models.coref),
        ] {
            let path = dir.join(format!("{name}.model"));
            let bytes = model.as_ref().map(Model::to_bytes).unwrap_or_default();
            std::fs::write(&path, &bytes).with_context(|| format!("writing {}", path.display()))?;
            report.push_str(&format!("wrote {} ({} bytes)\n", path.display(), bytes.len()));
        }
        let path = dir.join("cue-words.txt");
        std::fs::write(&path, &cue_words).with_context(|| format!("writing {}", path.display()))?;
        report.push_str(&format!("wrote {} ({} bytes)\n", path.display(), cue_words.len()));
    }
    if let Some((dev, path)) = &o.dev {
        let dev_articles =
            polnear::load_split(dev).with_context(|| format!("reading {}", dev.display()))?;
        let lines: Vec<Vec<u8>> =
            dev_articles.par_iter().map(|a| statements_json(a, &models)).collect();
        write_lines(path, &lines)?;
        report.push_str(&format!(
            "{} statements of {} written to {}\n",
            lines.len(),
            dev.display(),
            path.display()
        ));
    }
    Ok(report)
}

/// Fits every model on `articles`; returns them with a report of the fit.
///
/// The cue and span models come first: the speaker and coref rankers then learn
/// from the statements the rules and those two find together.
fn fit(
    articles: &[&GoldArticle],
    clusters: Option<&Clusters>,
    without: &[String],
) -> (Models, String, String) {
    let mut report = String::new();
    let skip = |name: &str| without.iter().any(|w| w == name);
    let docs: Vec<Doc> = articles.par_iter().map(|a| Doc::new(&a.text)).collect();
    let rule_found: Vec<Vec<DraftStatement>> = docs.par_iter().map(cues::find).collect();
    // 1. Cue words, then the cue and span models.
    let all: Vec<usize> = (0..articles.len()).collect();
    let detect_models = (!skip("cue") && !skip("span")).then(|| {
        let (cue, span, words, t, right) = fit_detect(articles, &docs, &rule_found, &all, clusters);
        report.push_str(&format!(
            "cue: {} lexicon words, {} cue examples ({} yes); right on its training data {:.3}\nspan: {} cues with a reachable content, {} without; right on its training data {:.3}\n",
            words.lines().filter(|l| !l.starts_with('#')).count(),
            t.cue_yes + t.cue_no,
            t.cue_yes,
            right.0 as f64 / (t.cue_yes + t.cue_no).max(1) as f64,
            t.span_groups,
            t.span_unreachable,
            right.1 as f64 / t.span_groups.max(1) as f64
        ));
        (cue, span, words)
    });
    // 2. The statements the rankers learn from, with cue and span models that did
    // not see the article (trained on the other folds), so the rankers learn from
    // detections as good as those on new text, not from remembered ones.
    let mut found: Vec<Vec<DraftStatement>> = rule_found.clone();
    if detect_models.is_some() {
        for k in 0..INNER_FOLDS {
            let train: Vec<usize> = all.iter().copied().filter(|i| i % INNER_FOLDS != k).collect();
            let (cue, span, words, _, _) =
                fit_detect(articles, &docs, &rule_found, &train, clusters);
            let lex = Lexicon::new(&words);
            let held: Vec<usize> = all.iter().copied().filter(|i| i % INNER_FOLDS == k).collect();
            let added: Vec<(usize, Vec<DraftStatement>)> = held
                .par_iter()
                .map(|&i| {
                    let mut f = rule_found[i].clone();
                    extract::detect::add(&docs[i], &lex, &mut f, &cue, &span, clusters);
                    (i, f)
                })
                .collect();
            for (i, f) in added {
                found[i] = f;
            }
        }
    }
    found.par_iter_mut().zip(&docs).for_each(|(f, doc)| cues::orphans(doc, f));
    let per: Vec<(Vec<Group>, speaker::Tally, Vec<Group>, coref::Tally)> = articles
        .par_iter()
        .zip(&docs)
        .zip(&found)
        .map(|((a, doc), found)| {
            let (mut st, mut ct) = (speaker::Tally::default(), coref::Tally::default());
            let sg = if skip("speaker") {
                Vec::new()
            } else {
                speaker::groups(a, doc, found, clusters, &mut st)
            };
            let cg = if skip("coref") {
                Vec::new()
            } else {
                coref::groups(a, doc, found, clusters, &mut ct)
            };
            (sg, st, cg, ct)
        })
        .collect();
    let (mut sgroups, mut cgroups) = (Vec::new(), Vec::new());
    let (mut st, mut ct) = (speaker::Tally::default(), coref::Tally::default());
    for (sg, s, cg, c) in per {
        sgroups.extend(sg);
        cgroups.extend(cg);
        st.matched += s.matched;
        st.groups += s.groups;
        st.unreachable += s.unreachable;
        ct.pronouns += c.pronouns;
        ct.groups += c.groups;
        ct.source_groups += c.source_groups;
        ct.source_rules_right += c.source_rules_right;
    }
    let speaker = (!skip("speaker")).then(|| {
        let rule_right = sgroups.iter().filter(|g| g.rule_right).count();
        let features = extract::attribution::features_version(clusters);
        let (model, right) = rank(&mut sgroups, "speaker", features, "ranks each statement's candidate sources; PolNeAR train");
        report.push_str(&format!(
            "speaker: {} statements matched, {} with a right candidate, {} unreachable; right on its training data: rules {:.3}, model {:.3}\n",
            st.matched,
            st.groups,
            st.unreachable,
            rule_right as f64 / st.groups.max(1) as f64,
            right.0 as f64 / st.groups.max(1) as f64
        ));
        model
    });
    let coref = (!skip("coref")).then(|| {
        let features = extract::coref::features_version(clusters);
        let (model, right) = rank(&mut cgroups, "coref", features, "ranks the referents of speaker pronouns; CoreNLP chains on PolNeAR train");
        report.push_str(&format!(
            "coref: {} pronouns with a named chain, {} with a right candidate; right on its training data: model {:.3}; statement sources {}: rules {:.3}, model {:.3}\n",
            ct.pronouns,
            ct.groups,
            right.0 as f64 / ct.groups.max(1) as f64,
            ct.source_groups,
            ct.source_rules_right as f64 / ct.source_groups.max(1) as f64,
            right.1 as f64 / ct.source_groups.max(1) as f64
        ));
        model
    });
    let clusters = clusters.map(|_| Clusters::parse(model_files::CLUSTERS));
    let words = detect_models.as_ref().map(|(_, _, w)| w.clone()).unwrap_or_default();
    (Models::with(detect_models, speaker, coref, clusters), report, words)
}

/// One article's cue examples, span groups and tally (`detect::examples`).
type DetectExamples = (Vec<(Feats, bool)>, Vec<Group>, detect::Tally);

/// Cue words, cue model and span model from the articles `which`; with the
/// counts and how many cue and span examples they get right afterwards.
fn fit_detect(
    articles: &[&GoldArticle],
    docs: &[Doc],
    rule_found: &[Vec<DraftStatement>],
    which: &[usize],
    clusters: Option<&Clusters>,
) -> (Model, Model, String, detect::Tally, (usize, usize)) {
    let mut counts = BTreeMap::new();
    for &i in which {
        detect::count_words(&docs[i], &detect::heads(articles[i], &docs[i]), &mut counts);
    }
    let words = detect::cue_words(&counts);
    let lex = Lexicon::new(&words);
    let per: Vec<DetectExamples> = which
        .par_iter()
        .map(|&i| {
            let mut t = detect::Tally::default();
            let (c, g) =
                detect::examples(articles[i], &docs[i], &rule_found[i], &lex, clusters, &mut t);
            (c, g, t)
        })
        .collect();
    let (mut cue_ex, mut span_groups, mut t) = (Vec::new(), Vec::new(), detect::Tally::default());
    for (c, g, x) in per {
        cue_ex.extend(c);
        span_groups.extend(g);
        t.cue_yes += x.cue_yes;
        t.cue_no += x.cue_no;
        t.span_groups += x.span_groups;
        t.span_unreachable += x.span_unreachable;
    }
    let features = extract::detect::features_version(clusters);
    let (cue, cue_right) =
        binary(&cue_ex, "cue", features, "tells a cue word from another use; PolNeAR train");
    let (span, span_right) = rank(
        &mut span_groups,
        "span",
        features,
        "picks a new statement's content among candidate spans; PolNeAR train",
    );
    (cue, span, words, t, (cue_right, span_right.0))
}

/// Trains a yes/no model; returns it and how many examples it gets right afterwards.
fn binary(examples: &[(Feats, bool)], name: &str, features: u64, about: &str) -> (Model, usize) {
    let mut p = Perceptron::new(BITS);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    for epoch in 0..EPOCHS {
        shuffle(&mut order, SEED + epoch as u64);
        for &i in &order {
            p.learn_binary(&examples[i].0, examples[i].1);
        }
    }
    let about = format!(
        "{about}; averaged perceptron, {EPOCHS} epochs, seed {SEED}, {} examples",
        examples.len()
    );
    let model = p.finish(name, features, &about);
    let right = examples
        .iter()
        .filter(|(f, y)| (model.score(f) > extract::detect::CUE_THRESHOLD) == *y)
        .count();
    (model, right)
}

/// Trains a ranker on groups of candidates; returns it and how many groups it gets
/// right afterwards, in all and among statement sources.
fn rank(groups: &mut [Group], name: &str, features: u64, about: &str) -> (Model, (usize, usize)) {
    let mut p = Perceptron::new(BITS);
    let mut order: Vec<usize> = (0..groups.len()).collect();
    for epoch in 0..EPOCHS {
        shuffle(&mut order, SEED + epoch as u64);
        for &i in &order {
            p.learn_rank(&groups[i].cands, &groups[i].gold);
        }
    }
    let about = format!(
        "{about}; averaged perceptron, {EPOCHS} epochs, seed {SEED}, {} groups",
        groups.len()
    );
    let model = p.finish(name, features, &about);
    let right: Vec<&Group> = groups
        .iter()
        .filter(|g| {
            let s: Vec<f32> = g.cands.iter().map(|f| model.score(f)).collect();
            crate::learn::perceptron::argmax(&s, |_| true).is_some_and(|b| g.gold[b])
        })
        .collect();
    let sources = right.iter().filter(|g| g.source).count();
    (model, (right.len(), sources))
}

/// The article as the `.txt` reader would give it.
fn article(gold: &GoldArticle) -> Article {
    let date = gold.stem.split('_').nth(1).and_then(crate::article::parse_date);
    Article {
        id: format!("{}.txt", gold.stem),
        path: gold.path.display().to_string(),
        date,
        body: gold.text.clone(),
        ..Article::default()
    }
}

/// The statements of one article as JSON Lines, extracted with `models`.
fn statements_json(gold: &GoldArticle, models: &Models) -> Vec<u8> {
    let mut out = Vec::new();
    for st in extract::extract_with(&article(gold), models) {
        st.write_json(&mut out);
        out.push(b'\n');
    }
    out
}

fn write_lines(path: &Path, lines: &[Vec<u8>]) -> Result<()> {
    let mut f = std::io::BufWriter::new(
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
    );
    for l in lines {
        f.write_all(l)?;
    }
    f.flush()?;
    Ok(())
}

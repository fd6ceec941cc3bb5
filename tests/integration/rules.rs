//! Every `example:` line in the rule files under data/rules runs through the
//! extractor: the sentence must give a statement with the expected speaker (or a
//! speaker whose last word is the expected one's) and cue; `=> - | -` wants no
//! statement with a speaker. `| day: DAY` wants that statement dated that day
//! (`-`: no day), `| source: SOURCE` that `date_source`, `| text: CONTENT` wants that content. `\n` in a sentence is a line break. Every example is
//! read as an article of [`ARTICLE_DAY`].

use whosaid::article::Article;
use whosaid::extract::extract;
use whosaid::lexicon::rules;

/// The day every example article was published: a Tuesday, so "on Monday" is
/// 2020-03-09.
const ARTICLE_DAY: &str = "2020-03-10";

#[test]
fn rule_file_examples_hold() {
    let mut failures = Vec::new();
    for ex in &rules().examples {
        let article = Article {
            id: ex.file.to_string(),
            path: ex.file.to_string(),
            title: None,
            date: ARTICLE_DAY.parse().ok(),
            source: None,
            url: None,
            author: None,
            dateline: None,
            body: ex.sentence.clone(),
        };
        let statements = extract(&article);
        // "=> - | -": the sentence gives no statement with a speaker.
        let none_wanted = ex.speaker == "-";
        let ok = if none_wanted {
            statements.iter().all(|s| s.speaker.is_none())
        } else {
            statements.iter().any(|s| {
                let speaker = s.speaker.as_deref().unwrap_or("");
                let cue = s.cue.as_deref().unwrap_or("");
                let day = s.date.as_deref().unwrap_or("-");
                let source = s.date_source.map(|x| x.as_str());
                speaker.ends_with(&ex.speaker)
                    && cue.eq_ignore_ascii_case(&ex.cue)
                    && ex.day.as_ref().is_none_or(|d| d == day)
                    && ex.source.as_ref().is_none_or(|x| Some(x.as_str()) == source)
                    && ex.text.as_ref().is_none_or(|t| *t == s.text)
            })
        };
        if !ok {
            let got: Vec<_> = statements
                .iter()
                .map(|s| {
                    let source = s.date_source.map(|x| x.as_str());
                    (s.speaker.clone(), s.cue.clone(), s.date.clone(), source, s.text.clone())
                })
                .collect();
            let day = ex.day.as_deref().map(|d| format!(" | day: {d}")).unwrap_or_default();
            let text = ex.text.as_deref().map(|t| format!(" | text: {t}")).unwrap_or_default();
            let source =
                ex.source.as_deref().map(|t| format!(" | source: {t}")).unwrap_or_default();
            failures.push(format!(
                "{}: {:?} => want {} | {}{day}{source}{text}, got {got:?}",
                ex.file, ex.sentence, ex.speaker, ex.cue
            ));
        }
    }
    assert!(rules().examples.len() >= 10);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every `example:` line of data/rules/name-variants.txt: its names, one statement
/// each, must cluster exactly as the line groups them.
#[test]
fn name_variant_examples_hold() {
    use whosaid::people::{cluster, rules as name_rules};
    let sorted = |mut v: Vec<Vec<String>>| {
        for c in &mut v {
            c.sort();
        }
        v.sort();
        v
    };
    let mut failures = Vec::new();
    for expected in &name_rules().examples {
        let names: Vec<(String, u64)> = expected.iter().flatten().map(|n| (n.clone(), 1)).collect();
        let got = sorted(
            cluster(&names)
                .into_iter()
                .map(|c| c.members.into_iter().map(|m| m.0).collect())
                .collect(),
        );
        let want = sorted(expected.clone());
        if got != want {
            failures.push(format!("want {want:?}\n got {got:?}"));
        }
    }
    assert!(name_rules().examples.len() >= 8);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

//! End-to-end tests of the index: write hand-made statements, then query, filter,
//! ask `who`, read `stats`, and check the JSON shapes that renderers rely on.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::set;

use serde_json::{json, Value};
use whosaid::index::{
    self, open_or_create, query, stats, who, who_sorted, Error, Filters, Index, IndexWriter,
    MatchKind, Sort,
};
use whosaid::statement::{Kind, SpeakerType, Statement};

/// A hand-made statement, its fields by name; `..Made::default()` leaves a direct
/// statement with no speaker, date or source. The rest is derived: the id
/// `{article}-{n}`, path, title and URL from the article, the span from `n`, and a
/// speaker's type (a person), mention and cue, and a date's precision (a day) and
/// source (the article).
#[derive(Clone, Copy)]
struct Made<'a> {
    article: &'a str,
    n: usize,
    speaker: Option<&'a str>,
    kind: Kind,
    date: Option<&'a str>,
    source: Option<&'a str>,
    text: &'a str,
}

impl Default for Made<'_> {
    fn default() -> Self {
        Made {
            article: "",
            n: 0,
            speaker: None,
            kind: Kind::Direct,
            date: None,
            source: None,
            text: "",
        }
    }
}

impl Made<'_> {
    fn statement(self) -> Statement {
        let Made { article, n, speaker, kind, date, source, text } = self;
        Statement {
            id: format!("{article}-{n}"),
            article: article.to_string(),
            path: format!("news/{article}.txt"),
            title: Some(format!("Title of {article}")),
            source: source.map(str::to_string),
            text: text.to_string(),
            kind,
            speaker: speaker.map(str::to_string),
            speaker_type: speaker.map(|_| whosaid::statement::SpeakerType::Person),
            speaker_mention: speaker.map(str::to_string),
            cue: Some("said".to_string()),
            date: date.map(str::to_string),
            date_precision: date.map(|_| whosaid::statement::Precision::Day),
            date_source: date.map(|_| whosaid::statement::DateSource::Article),
            period: date.map(str::to_string),
            article_date: date.map(str::to_string),
            span: [n * 100, n * 100 + text.len()],
            speaker_span: None,
            cue_span: None,
            role: None,
            url: Some(format!("https://example.com/{article}")),
            date_rejected: None,
        }
    }
}

const PUTIN: &str = "Vladimir Putin";
const PESKOV: &str = "Dmitry Peskov";
const BIDEN: &str = "Joe Biden";

fn articles() -> Vec<(&'static str, Vec<Statement>)> {
    use Kind::*;
    let (r, ap) = (Some("Reuters"), Some("AP"));
    vec![
        (
            "a1",
            vec![
                Made {
                    article: "a1",
                    n: 1,
                    speaker: Some(PUTIN),
                    kind: Direct,
                    date: Some("2024-01-10"),
                    source: r,
                    text: "They’ll regret this decision.",
                }
                .statement(),
                Made {
                    article: "a1",
                    n: 2,
                    speaker: Some(PUTIN),
                    kind: Indirect,
                    date: Some("2024-01-11"),
                    source: r,
                    text: "The sanctions will fail and the economy will grow.",
                }
                .statement(),
                Made {
                    article: "a1",
                    n: 3,
                    speaker: Some(PESKOV),
                    kind: Direct,
                    date: Some("2024-01-11"),
                    source: r,
                    text: "The talks are over for now.",
                }
                .statement(),
            ],
        ),
        (
            "a2",
            vec![
                Made {
                    article: "a2",
                    n: 1,
                    speaker: Some(PUTIN),
                    kind: Direct,
                    date: Some("2024-02-05"),
                    source: ap,
                    text: "they'll regret this, believe me.",
                }
                .statement(),
                Made {
                    article: "a2",
                    n: 2,
                    speaker: Some(PESKOV),
                    kind: Mixed,
                    date: Some("2024-02-06"),
                    source: ap,
                    text: "Officials will regret the sanctions.",
                }
                .statement(),
                Made {
                    article: "a2",
                    n: 3,
                    kind: Direct,
                    date: Some("2024-02-07"),
                    source: ap,
                    text: "They'll regret this,",
                    ..Made::default()
                }
                .statement(),
            ],
        ),
        (
            "a3",
            vec![Made {
                article: "a3",
                n: 1,
                speaker: Some(BIDEN),
                kind: Direct,
                text: "Sanctions are working, and Russia will pay.",
                ..Made::default()
            }
            .statement()],
        ),
    ]
}

fn build(dir: &Path) -> Index {
    let index = open_or_create(dir).unwrap();
    let mut writer = IndexWriter::open(&index, index::DEFAULT_HEAP_BYTES / 4).unwrap();
    for (id, statements) in articles() {
        writer.replace_article(id, &statements).unwrap();
    }
    writer.commit().unwrap();
    index
}

fn total(index: &Index, q: &str, filters: &Filters) -> u64 {
    query(index, q, filters, 10).unwrap().total
}

fn none() -> Filters {
    Filters::default()
}

fn day(s: &str) -> jiff::civil::Date {
    s.parse().unwrap()
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

#[test]
fn replace_article_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    assert_eq!(total(&index, "*", &none()), 7);

    let mut writer = IndexWriter::open(&index, index::DEFAULT_HEAP_BYTES / 4).unwrap();
    let (id, statements) = articles().remove(0);
    writer.replace_article(id, &statements).unwrap();
    writer.replace_article(id, &statements).unwrap();
    writer.commit().unwrap();
    drop(writer);
    assert_eq!(total(&index, "*", &none()), 7);

    // Reopening and re-ingesting everything still gives the same index.
    let again = build(dir.path());
    assert_eq!(total(&again, "", &none()), 7);
    assert_eq!(stats(&Index::open(dir.path()).unwrap()).unwrap().statements, 7);

    // Replacing with fewer statements drops the rest.
    let mut writer = IndexWriter::open(&again, index::DEFAULT_HEAP_BYTES / 4).unwrap();
    writer.replace_article("a2", &[]).unwrap();
    writer.commit().unwrap();
    assert_eq!(total(&again, "*", &none()), 4);
}

#[test]
fn statements_of_another_article_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let index = open_or_create(dir.path()).unwrap();
    let mut writer = IndexWriter::open(&index, index::DEFAULT_HEAP_BYTES / 4).unwrap();
    let (_, statements) = articles().remove(0);
    assert!(writer.replace_article("other", &statements).is_err());
}

#[test]
fn query_syntax() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    assert_eq!(total(&index, "\"regret this\"", &none()), 3);
    // Stemmed: "sanctions" finds "Sanctions"; terms are AND'ed by default.
    assert_eq!(total(&index, "sanctions", &none()), 3);
    assert_eq!(total(&index, "sanctions economy", &none()), 1);
    assert_eq!(total(&index, "sanctions AND economy", &none()), 1);
    assert_eq!(total(&index, "sanctions -economy", &none()), 2);
    assert_eq!(total(&index, "sanctions AND NOT economy", &none()), 2);
    assert_eq!(total(&index, "talks OR economy", &none()), 2);
    // Pure exclusions mean "everything except".
    assert_eq!(total(&index, "NOT economy", &none()), 6);
    assert_eq!(total(&index, "-economy -talks", &none()), 5);
    assert_eq!(total(&index, "talks OR NOT regret", &none()), 3);
    assert_eq!(total(&index, "speaker:\"Dmitry Peskov\"", &none()), 2);
    assert_eq!(total(&index, "kind:mixed", &none()), 1);
    assert_eq!(total(&index, "source:Reuters AND regret", &none()), 1);
    // Default fields include the speaker's name.
    assert_eq!(total(&index, "peskov", &none()), 2);

    let result = query(&index, "regret", &none(), 10).unwrap();
    assert!(result.hits.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(result.hits.iter().all(|h| h.score > 0.0));
}

#[test]
fn bad_query_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    // A search box that says "syntax error" to a typo is broken: an unknown field
    // and a stray parenthesis are words now (nosuchfield:x is the words nosuchfield
    // and x; see tests/data/odd-queries.tsv). What is still refused is what cannot
    // be a word: a date on the date field that is not one, and a field that cannot
    // be tested for a value; the message says how to write it.
    for words in ["nosuchfield:x", "speaker:("] {
        assert_eq!(total(&index, words, &none()), 0, "{words}");
    }
    for bad in ["date:[2024 TO", "date:2024", "text:*"] {
        let err = query(&index, bad, &none(), 10).unwrap_err();
        assert!(matches!(err, Error::BadQuery(_)), "{bad}: {err}");
        assert!(err.to_string().starts_with("bad query"), "{err}");
    }
    // Odd input may succeed or fail, but must never panic.
    for odd in [
        "\"",
        "()",
        "AND",
        "OR OR",
        "NOT",
        "-",
        "*:*",
        "text:\"\"",
        "~",
        "^2",
        "a^",
        "[* TO *]",
        "title:*",
        "\"regret this\"~2",
        "speaker_name:putin",
        "date:>2024",
        "text:IN [a b]",
        "date:[2024-01-01T00:00:00Z TO *]",
        "kind:",
        ":",
        "\u{0}",
        "\"’\"",
        "a\\b",
        "+-a",
    ] {
        let _ = query(&index, odd, &none(), 5);
        let _ = who(&index, odd, &none());
    }
    assert_eq!(total(&index, "text:\"they'll regret\"", &none()), 3);
    assert_eq!(query(&index, "*", &none(), usize::MAX).unwrap().hits.len(), 7);
}

#[test]
fn facets_count_all_matches() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    let result = query(&index, "*", &none(), 1).unwrap();
    assert_eq!(result.total, 7);
    assert_eq!(result.hits.len(), 1);
    let pairs = |v: &[index::FacetCount]| -> Vec<(String, u64)> {
        v.iter().map(|c| (c.value.clone(), c.count)).collect()
    };
    let own = |v: &[(&str, u64)]| -> Vec<(String, u64)> {
        v.iter().map(|(s, n)| (s.to_string(), *n)).collect()
    };
    let f = &result.facets;
    let speakers: Vec<(String, u64)> =
        f.speaker.iter().map(|c| (c.value.clone(), c.count)).collect();
    assert_eq!(speakers, own(&[(PUTIN, 3), (PESKOV, 2), (BIDEN, 1)]));
    assert!(f
        .speaker
        .iter()
        .all(|c| c.label == c.value && c.speaker_type == Some(SpeakerType::Person)));
    assert_eq!(pairs(&f.speaker_type), own(&[("person", 6)]));
    assert_eq!(pairs(&f.month), own(&[("2024-01", 3), ("2024-02", 3)]));
    assert_eq!(pairs(&f.source), own(&[("AP", 3), ("Reuters", 3)]));
    assert_eq!(pairs(&f.kind), own(&[("direct", 5), ("indirect", 1), ("mixed", 1)]));

    let none_at_all = query(&index, "*", &none(), 0).unwrap();
    assert_eq!(none_at_all.total, 7);
    assert!(none_at_all.hits.is_empty());
}

#[test]
fn filters() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    let speakers = |names: &[&str]| Filters {
        speakers: names.iter().map(|s| s.to_string()).collect(),
        ..Filters::default()
    };
    assert_eq!(total(&index, "*", &speakers(&["putin"])), 3);
    assert_eq!(total(&index, "*", &speakers(&["Vladimir Putin"])), 3);
    assert_eq!(total(&index, "*", &speakers(&["VLADIMIR PUTIN"])), 3);
    assert_eq!(total(&index, "*", &speakers(&["putin", "peskov"])), 5);
    assert_eq!(total(&index, "*", &speakers(&["Nobody"])), 0);
    assert_eq!(total(&index, "*", &speakers(&["putin vladimir"])), 0);
    assert_eq!(total(&index, "regret", &speakers(&["putin"])), 2);

    let range = Filters {
        since: Some(day("2024-01-11")),
        until: Some(day("2024-02-05")),
        ..Filters::default()
    };
    assert_eq!(total(&index, "*", &range), 3);
    let since = Filters { since: Some(day("2024-02-07")), ..Filters::default() };
    assert_eq!(total(&index, "*", &since), 1);
    let until = Filters { until: Some(day("2024-01-10")), ..Filters::default() };
    assert_eq!(total(&index, "*", &until), 1);

    let kind = Filters { kind: Some("Mixed".into()), ..Filters::default() };
    assert_eq!(total(&index, "*", &kind), 1);
    let source = Filters { source: Some("reuters".into()), ..Filters::default() };
    assert_eq!(total(&index, "*", &source), 3);
    // A source no statement has is the user's mistake, told with the ones there are.
    let nowhere = Filters { source: Some("Nope".into()), ..Filters::default() };
    let err = query(&index, "*", &nowhere, 10).unwrap_err();
    assert!(matches!(err, Error::UnknownSource(_)) && err.is_users_fault(), "{err}");
    assert!(err.to_string().contains("Reuters (3)"), "{err}");

    // Filters restrict facets too.
    let result = query(&index, "*", &source, 1).unwrap();
    assert_eq!(result.facets.source.len(), 1);
}

#[test]
fn who_exact_ignores_case_and_quote_style() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    for phrase in ["they'll regret", "THEY’LL REGRET", "“They’ll regret this”"] {
        let result = who(&index, phrase, &none()).unwrap();
        assert_eq!(result.matched, MatchKind::Exact, "{phrase}");
        let names: Vec<_> = result.speakers.iter().map(|s| s.speaker.clone()).collect();
        assert_eq!(names, vec![Some(PUTIN.to_string()), None], "{phrase}");
        let putin = &result.speakers[0];
        assert_eq!((putin.statements, putin.articles), (2, 2));
        assert_eq!(putin.first_date.as_deref(), Some("2024-01-10"));
        assert_eq!(putin.last_date.as_deref(), Some("2024-02-05"));
        assert_eq!(putin.example.speaker.as_deref(), Some(PUTIN));
    }
}

#[test]
fn who_falls_back_and_ranks() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());

    let sloppy = who(&index, "sanctions fail", &none()).unwrap();
    assert_eq!(sloppy.matched, MatchKind::Sloppy);
    assert_eq!(sloppy.speakers[0].speaker.as_deref(), Some(PUTIN));

    let words = who(&index, "economy sanctions grow", &none()).unwrap();
    assert_eq!(words.matched, MatchKind::Words);
    assert_eq!(words.speakers.len(), 1);

    let nothing = who(&index, "completely absent words", &none()).unwrap();
    assert_eq!(nothing.matched, MatchKind::None);
    assert!(nothing.speakers.is_empty());
    assert_eq!(who(&index, "  !! ", &none()).unwrap().matched, MatchKind::None);

    let ranked = who(&index, "regret", &none()).unwrap();
    assert_eq!(ranked.matched, MatchKind::Exact);
    let counts: Vec<_> =
        ranked.speakers.iter().map(|s| (s.speaker.as_deref(), s.statements)).collect();
    assert_eq!(counts, vec![(Some(PUTIN), 2), (Some(PESKOV), 1), (None, 1)]);

    let filtered = Filters { speakers: vec!["peskov".into()], ..Filters::default() };
    let only = who(&index, "regret", &filtered).unwrap();
    assert_eq!(only.speakers.len(), 1);
    assert_eq!(only.speakers[0].speaker.as_deref(), Some(PESKOV));
}

#[test]
fn stats_summarise_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    let s = stats(&index).unwrap();
    assert_eq!((s.statements, s.articles, s.speakers), (7, 3, 3));
    assert_eq!(s.first_date.as_deref(), Some("2024-01-10"));
    assert_eq!(s.last_date.as_deref(), Some("2024-02-07"));
    let top: Vec<_> = s.top_speakers.iter().map(|c| (c.value.as_str(), c.count)).collect();
    assert_eq!(top, vec![(PUTIN, 3), (PESKOV, 2), (BIDEN, 1)]);
}

#[test]
fn opening_a_missing_or_foreign_index() {
    let dir = tempfile::tempdir().unwrap();
    for missing in [dir.path().join("nope"), dir.path().to_path_buf()] {
        let err = Index::open(&missing).err().unwrap().to_string();
        assert!(err.contains("no index at"), "{err}");
        assert!(err.contains("run 'whosaid ingest PATH' first"), "{err}");
    }
    build(dir.path());
    std::fs::write(dir.path().join("whosaid-version.json"), r#"{"schema": 99}"#).unwrap();
    let err = Index::open(dir.path()).err().unwrap().to_string();
    assert!(err.contains("re-ingest"), "{err}");
    assert!(open_or_create(dir.path()).is_err());
}

#[test]
fn json_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let index = build(dir.path());
    let statement_keys = set(&[
        "id",
        "article",
        "path",
        "title",
        "source",
        "text",
        "kind",
        "speaker",
        "speaker_type",
        "speaker_mention",
        "cue",
        "date",
        "date_precision",
        "date_source",
        "period",
        "article_date",
        "span",
        "speaker_span",
        "cue_span",
        "role",
        "url",
        "date_rejected",
    ]);

    let q = serde_json::to_value(query(&index, "regret", &none(), 2).unwrap()).unwrap();
    // "offset" added with paging (--offset): the hits skipped before the first.
    assert_eq!(keys(&q), set(&["query", "total", "offset", "hits", "facets"]));
    assert_eq!((&q["query"], &q["offset"]), (&json!("regret"), &json!(0)));
    assert_eq!(q["total"], 4);
    let mut hit_keys = statement_keys.clone();
    hit_keys.insert("score".into());
    // Added with the article store: the sentence around the statement (null here:
    // these statements were written without their articles).
    hit_keys.insert("context".into());
    let mut quoted_keys = statement_keys.clone();
    quoted_keys.insert("context".into());
    for hit in q["hits"].as_array().unwrap() {
        assert_eq!(keys(hit), hit_keys);
        assert!(hit["score"].is_f64());
    }
    assert_eq!(keys(&q["facets"]), set(&["speaker", "speaker_type", "month", "source", "kind"]));
    for (name, list) in q["facets"].as_object().unwrap() {
        for entry in list.as_array().unwrap() {
            match name.as_str() {
                "speaker" => {
                    assert_eq!(keys(entry), set(&["value", "count", "speaker_type", "label"]))
                }
                _ => assert_eq!(keys(entry), set(&["value", "count"])),
            }
        }
    }

    let w = serde_json::to_value(who(&index, "they'll regret", &none()).unwrap()).unwrap();
    // "total" added for the page's who box: statements matched as "match" says.
    assert_eq!(keys(&w), set(&["query", "match", "total", "speakers"]));
    assert_eq!((&w["match"], &w["total"]), (&json!("exact"), &json!(3)));
    for s in w["speakers"].as_array().unwrap() {
        assert_eq!(
            keys(s),
            set(&[
                "speaker",
                "speaker_type",
                "label",
                "statements",
                "articles",
                "first_date",
                "last_date",
                "example",
                // Added with the speaker table: repeated quotations count once.
                "quotes",
                "example_articles",
                "example_first_date"
            ])
        );
        assert_eq!(keys(&s["example"]), quoted_keys);
    }
    assert_eq!(w["speakers"][0]["speaker_type"], "person");
    assert_eq!(w["speakers"][0]["label"], PUTIN);
    assert_eq!(w["speakers"][1]["speaker"], Value::Null);
    assert_eq!(w["speakers"][1]["label"], Value::Null);

    let s = serde_json::to_value(stats(&index).unwrap()).unwrap();
    assert_eq!(
        keys(&s),
        set(&[
            "statements",
            "articles",
            // Added with the ingest's count of articles read.
            "articles_read",
            "speakers",
            "unnamed_speakers",
            "first_date",
            "last_date",
            "top_speakers"
        ])
    );
    assert_eq!(keys(&s["top_speakers"][0]), set(&["value", "count", "speaker_type", "label"]));
}

/// Words match every form with their stem; quoted words and phrases match as written.
#[test]
fn words_match_their_stem_and_quotes_match_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let index = open_or_create(dir.path()).unwrap();
    let mut writer = IndexWriter::open(&index, index::DEFAULT_HEAP_BYTES / 4).unwrap();
    let texts = [
        "We agreed on the plan after long negotiations.",
        "Nobody is agreeing to anything yet.",
        "The agreement will be signed on Monday.",
        "They will negotiate again and try harder.",
        "She is trying, and the rest are lying low.",
    ];
    for (n, text) in texts.iter().enumerate() {
        let article = format!("s{n}");
        let s = Made {
            article: &article,
            n,
            speaker: Some("Ann Lee"),
            date: Some("2024-03-01"),
            text,
            ..Made::default()
        }
        .statement();
        writer.replace_article(&article, &[s]).unwrap();
    }
    writer.commit().unwrap();
    let texts_of = |q: &str| -> BTreeSet<String> {
        query(&index, q, &none(), 10).unwrap().hits.into_iter().map(|h| h.statement.text).collect()
    };
    // "agree" shares its stem with "agreed" and "agreeing", not with "agreement".
    assert_eq!(texts_of("agree"), set(&[texts[0], texts[1]]));
    assert_eq!(texts_of("text:agree"), set(&[texts[0], texts[1]]));
    // The stemmer turns a final "y" into "i": "tries" finds "trying" and "try".
    assert_eq!(texts_of("tries"), set(&[texts[3], texts[4]]));
    assert_eq!(texts_of("negotiation"), set(&[texts[0], texts[3]]));
    // Quoted, a word matches as written; a phrase always does.
    assert!(texts_of("\"agree\"").is_empty());
    assert_eq!(texts_of("\"agreed\""), set(&[texts[0]]));
    assert!(texts_of("\"agree on\"").is_empty());
    assert_eq!(texts_of("\"agreed on\""), set(&[texts[0]]));
    // Stemmed words combine with the rest of the grammar.
    assert_eq!(texts_of("agree -plan"), set(&[texts[1]]));
    assert_eq!(texts_of("agreement OR negotiate"), set(&[texts[0], texts[2], texts[3]]));
    assert_eq!(texts_of("agree^2 AND long"), set(&[texts[0]]));
    // Nothing to analyze ("!!!") neither requires nor excludes anything.
    assert_eq!(texts_of("agreement !!!"), set(&[texts[2]]));
    // `who` falls back to all the words in any form.
    let words = who(&index, "negotiated agreeing", &none()).unwrap();
    assert_eq!(words.matched, MatchKind::Words);
    assert_eq!(words.speakers.len(), 1);
    assert_eq!(words.speakers[0].statements, 1);
}

/// A headline is indexed once per article, yet `title:` finds every statement of it.
#[test]
fn title_clauses_match_every_statement_of_the_article() {
    let dir = tempfile::tempdir().unwrap();
    let index = open_or_create(dir.path()).unwrap();
    let article = |id: &str, title: &str, texts: &[&str]| -> Vec<Statement> {
        texts
            .iter()
            .enumerate()
            .map(|(n, t)| {
                let mut s = Made {
                    article: id,
                    n,
                    speaker: Some("Ann Lee"),
                    date: Some("2024-03-01"),
                    text: t,
                    ..Made::default()
                }
                .statement();
                s.title = Some(title.to_string());
                s
            })
            .collect()
    };
    let mut writer = IndexWriter::open(&index, index::DEFAULT_HEAP_BYTES / 4).unwrap();
    let a = article(
        "t1",
        "River talks open in the valley",
        &["The water is rising.", "We will talk.", "Nothing is agreed."],
    );
    let b = article(
        "t2",
        "Budget vote delayed",
        &["The vote can wait.", "We will talk about the river later."],
    );
    let c = article("t3", "Talks on the river budget", &["Money for the river."]);
    for s in [&a, &b, &c] {
        writer.replace_article(&s[0].article, s).unwrap();
    }
    writer.finish().unwrap();
    let ids = |q: &str| -> BTreeSet<String> {
        query(&index, q, &none(), 100).unwrap().hits.into_iter().map(|h| h.statement.id).collect()
    };
    assert_eq!(ids("title:river"), set(&["t1-0", "t1-1", "t1-2", "t3-0"]));
    assert_eq!(ids("title:\"river talks\""), set(&["t1-0", "t1-1", "t1-2"]));
    assert_eq!(ids("title:budget AND talk"), set(&["t2-1"]));
    assert_eq!(ids("talk -title:river"), set(&["t2-1"]));
    assert_eq!(
        ids("title:river OR title:vote"),
        set(&["t1-0", "t1-1", "t1-2", "t2-0", "t2-1", "t3-0"])
    );
    assert!(ids("title:nosuchword").is_empty());

    // Replacing an article keeps its headline searchable, with the new statements.
    let mut writer = IndexWriter::open(&index, index::DEFAULT_HEAP_BYTES / 4).unwrap();
    let a2 =
        article("t1", "River talks open in the valley", &["The water fell.", "Talks went well."]);
    writer.replace_article("t1", &a2).unwrap();
    writer.finish().unwrap();
    assert_eq!(ids("title:valley"), set(&["t1-0", "t1-1"]));
    assert_eq!(total(&index, "title:valley", &none()), 2);

    // Merged segments keep each article's statements together.
    let mut writer = IndexWriter::open(&index, index::DEFAULT_HEAP_BYTES / 4).unwrap();
    for n in 0..6 {
        let id = format!("m{n}");
        let s = article(&id, &format!("Harbour report number{n}"), &["One.", "Two.", "Three."]);
        writer.replace_article(&id, &s).unwrap();
        writer.commit().unwrap();
    }
    writer.finish().unwrap();
    assert!(index.tantivy().searchable_segment_ids().unwrap().len() < 5);
    assert_eq!(ids("title:number3"), set(&["m3-0", "m3-1", "m3-2"]));
    assert_eq!(total(&index, "title:harbour", &none()), 18);
    assert_eq!(ids("title:valley"), set(&["t1-0", "t1-1"]));
}

/// `who` groups matches by a key of the speaker's name and names only the groups it
/// shows: ties at the cut are still broken by name, a speaker whose statements sit in
/// two segments is one group, and the unknown speaker comes last.
#[test]
fn who_breaks_ties_by_name_at_the_cut_and_across_segments() {
    let dir = tempfile::tempdir().unwrap();
    let index = open_or_create(dir.path()).unwrap();
    let said = |article: &str, speaker: Option<&str>, date: &str| {
        vec![Made {
            article,
            n: 1,
            speaker,
            date: Some(date),
            text: "“The river rose overnight,” came the word.",
            ..Made::default()
        }
        .statement()]
    };
    // Two commits, so two segments; Zoe Park speaks in both.
    let batches = [
        vec![
            ("b1", Some("Zoe Park"), "2024-03-02"),
            ("b2", Some("Tom Baker"), "2024-03-01"),
            ("b3", None, "2024-03-01"),
        ],
        vec![
            ("b4", Some("Ivan Petrov"), "2024-03-05"),
            ("b5", Some("Zoe Park"), "2024-03-03"),
            ("b6", Some("Ann Lee"), "2024-03-04"),
        ],
    ];
    for batch in batches {
        let mut writer = IndexWriter::open(&index, index::DEFAULT_HEAP_BYTES / 4).unwrap();
        for (article, speaker, date) in batch {
            writer.replace_article(article, &said(article, speaker, date)).unwrap();
        }
        writer.commit().unwrap();
    }
    let ranked = |sort, limit| {
        let r = who_sorted(&index, "the river rose", &none(), sort, limit).unwrap();
        r.speakers.iter().map(|s| (s.speaker.clone(), s.statements)).collect::<Vec<_>>()
    };
    let name = |n: &str| Some(n.to_string());
    let all = vec![
        (name("Zoe Park"), 2),
        (name("Ann Lee"), 1),
        (name("Ivan Petrov"), 1),
        (name("Tom Baker"), 1),
        (None, 1),
    ];
    assert_eq!(ranked(Sort::Count, usize::MAX), all);
    assert_eq!(ranked(Sort::Count, 2), all[..2]);
    assert_eq!(ranked(Sort::Count, 3), all[..3]);
    assert_eq!(ranked(Sort::Count, 0), vec![]);
    // A cut on the unknown speaker, whose tie class is its own.
    assert_eq!(ranked(Sort::Count, 5), all);
    // By first date: Tom Baker and the unknown speaker share one, and the known one goes first.
    let by_date = ranked(Sort::Date(0), 3);
    assert_eq!(by_date, vec![(name("Tom Baker"), 1), (None, 1), (name("Zoe Park"), 2)]);
    assert_eq!(ranked(Sort::Date(0), 1), vec![(name("Tom Baker"), 1)]);
}

/// A bulk ingest's batches merge in the background, each into one segment, and
/// nothing is lost or counted twice on the way, even when a batch replaces articles
/// of one still merging.
#[test]
fn batches_merge_in_the_background() {
    let dir = tempfile::tempdir().unwrap();
    let index = open_or_create(dir.path()).unwrap();
    let mut writer =
        IndexWriter::open_with_threads(&index, index::DEFAULT_HEAP_BYTES / 4, 2).unwrap();
    let text = "“The harbour stays open,” came the word.";
    for batch in 0..3 {
        let mut ids: Vec<(String, usize)> =
            (0..200).map(|n| (format!("m{batch}-{n}"), n)).collect();
        if batch == 1 {
            // Deletes that reach batch 0's segments while they merge.
            ids.extend((0..50).map(|n| (format!("m0-{n}"), n)));
        }
        for (id, n) in ids {
            let speaker = if n % 2 == 0 { "Ann Lee" } else { "Tom Baker" };
            writer
                .replace_article(
                    &id,
                    &[Made {
                        article: &id,
                        n: 1,
                        speaker: Some(speaker),
                        date: Some("2024-05-01"),
                        text,
                        ..Made::default()
                    }
                    .statement()],
                )
                .unwrap();
        }
        writer.commit_and_merge().unwrap();
    }
    writer.finish().unwrap();
    let segments = index.tantivy().searchable_segment_metas().unwrap();
    // One per batch: too few for `finish` to merge further.
    assert_eq!(segments.len(), 3);
    assert_eq!(segments.iter().map(|m| m.num_docs()).sum::<u32>(), 600);
    assert_eq!(total(&index, "\"harbour stays open\"", &none()), 600);
    let w = who(&index, "harbour stays open", &none()).unwrap();
    let counts: Vec<_> =
        w.speakers.iter().map(|s| (s.speaker.as_deref(), s.statements, s.articles)).collect();
    assert_eq!(counts, vec![(Some("Ann Lee"), 300, 300), (Some("Tom Baker"), 300, 300)]);
}

/// The statement with the speaker's type set to `ty`.
fn typed(mut s: Statement, ty: Option<SpeakerType>) -> Statement {
    s.speaker_type = ty;
    s
}

/// Speakers who share a surname, a bare surname the articles use for one of them,
/// and the unnamed "analysts" beside a person the extractor called "Analysts".
/// Every statement but two says "prices will fall".
fn trumps_and_analysts(with_bare_surname: bool) -> Vec<(String, Vec<Statement>)> {
    use SpeakerType::*;
    let fall = "Prices will fall next year.";
    let mut speakers: Vec<(&str, Option<SpeakerType>, &str)> = Vec::new();
    speakers.extend(std::iter::repeat_n(("Donald Trump", Some(Person), fall), 9));
    speakers.push(("Donald Trump", Some(Person), "The wall will be built."));
    if with_bare_surname {
        speakers.push(("Trump", Some(Person), fall));
    }
    speakers.extend(std::iter::repeat_n(("Donald Trump Jr.", Some(Person), fall), 2));
    speakers.push(("Ivanka Trump", Some(Person), fall));
    speakers.extend(std::iter::repeat_n(("analysts", Some(Unnamed), fall), 3));
    speakers.push(("Analysts", Some(Person), fall));
    speakers.push(("Reuters", Some(Organization), fall));
    // The extractor may call one name an organization in one article and a person
    // in another: one speaker, shown as what most statements say.
    speakers.push(("Reuters", Some(Person), "Markets closed early."));
    speakers.push(("", None, fall));
    speakers
        .into_iter()
        .enumerate()
        .map(|(n, (speaker, ty, text))| {
            let id = format!("t{n:02}");
            let day = format!("2025-03-{:02}", 1 + n % 28);
            let speaker = Some(speaker).filter(|s| !s.is_empty());
            let statement = typed(
                Made {
                    article: &id,
                    n: 1,
                    speaker,
                    date: Some(&day),
                    source: Some("Wire"),
                    text,
                    ..Made::default()
                }
                .statement(),
                ty,
            );
            (id, vec![statement])
        })
        .collect()
}

fn build_from(dir: &Path, articles: Vec<(String, Vec<Statement>)>) -> Index {
    let index = open_or_create(dir).unwrap();
    let mut writer = IndexWriter::open(&index, index::DEFAULT_HEAP_BYTES / 4).unwrap();
    for (id, statements) in &articles {
        writer.replace_article(id, statements).unwrap();
    }
    writer.commit().unwrap();
    drop(writer);
    index::speaker_table::rebuild(&index).unwrap();
    index
}

fn by(names: &[&str]) -> Filters {
    Filters { speakers: names.iter().map(|s| s.to_string()).collect(), ..Filters::default() }
}

#[test]
fn a_speaker_filter_never_matches_another_full_name() {
    let dir = tempfile::tempdir().unwrap();
    let index = build_from(dir.path(), trumps_and_analysts(true));
    // "Trump" alone is merged into Donald Trump (he has 10 of the 11 statements of
    // the two people it fits; Donald Trump Jr.'s suffix does not fit it).
    assert_eq!(total(&index, "*", &by(&["Donald Trump"])), 11);
    assert_eq!(total(&index, "*", &by(&["Trump"])), 11);
    assert_eq!(total(&index, "*", &by(&["Donald Trump Jr."])), 2);
    assert_eq!(total(&index, "*", &by(&["donald trump jr"])), 2);
    assert_eq!(total(&index, "*", &by(&["Ivanka Trump"])), 1);
    assert_eq!(total(&index, "*", &by(&["ivanka"])), 0, "a first name selects nobody");
    assert_eq!(total(&index, "*", &by(&["Donald Trump", "Ivanka Trump"])), 12);
    let who_fall = who(&index, "prices will fall", &by(&["Donald Trump"])).unwrap();
    let names: Vec<_> =
        who_fall.speakers.iter().map(|s| (s.speaker.clone(), s.statements)).collect();
    assert_eq!(names, [(Some("Donald Trump".to_string()), 10)]);

    // Without the bare surname in the articles, "Trump" could be any of three.
    let dir = tempfile::tempdir().unwrap();
    let index = build_from(dir.path(), trumps_and_analysts(false));
    let err = query(&index, "*", &by(&["trump"]), 1).unwrap_err();
    let Error::AmbiguousSpeaker(ambiguous) = err else { panic!("{err:#}") };
    assert_eq!(ambiguous.candidates, ["Donald Trump", "Donald Trump Jr.", "Ivanka Trump"]);
    assert!(who(&index, "prices", &by(&["trump"])).is_err());
    assert_eq!(total(&index, "*", &by(&["Donald Trump"])), 10);
}

#[test]
fn unnamed_speakers_are_counted_and_shown_apart_from_people() {
    let dir = tempfile::tempdir().unwrap();
    let index = build_from(dir.path(), trumps_and_analysts(true));
    let w = who(&index, "prices will fall", &none()).unwrap();
    let rows: Vec<_> = w
        .speakers
        .iter()
        .map(|s| (s.label.clone(), s.speaker.clone(), s.speaker_type, s.statements))
        .collect();
    use SpeakerType::*;
    let row = |label: &str, speaker: &str, ty, n| {
        (Some(label.to_string()), Some(speaker.to_string()), Some(ty), n)
    };
    assert_eq!(
        rows,
        [
            row("Donald Trump", "Donald Trump", Person, 10),
            row("unnamed: analysts", "analysts", Unnamed, 3),
            row("Donald Trump Jr.", "Donald Trump Jr.", Person, 2),
            row("Analysts", "Analysts", Person, 1),
            row("Ivanka Trump", "Ivanka Trump", Person, 1),
            row("Reuters", "Reuters", Organization, 1),
            (None, None, None, 1),
        ]
    );

    let facets = query(&index, "*", &none(), 0).unwrap().facets;
    let analysts: Vec<_> = facets
        .speaker
        .iter()
        .filter(|c| c.value.eq_ignore_ascii_case("analysts"))
        .map(|c| (c.label.as_str(), c.count))
        .collect();
    assert_eq!(analysts, [("unnamed: analysts", 3), ("Analysts", 1)]);
    let reuters = facets.speaker.iter().find(|c| c.value == "Reuters").unwrap();
    assert_eq!(
        (reuters.count, reuters.speaker_type),
        (2, Some(Person)),
        "one speaker, person on a 1–1 tie"
    );
    let types: Vec<_> = facets.speaker_type.iter().map(|c| (c.value.as_str(), c.count)).collect();
    assert_eq!(types, [("person", 16), ("unnamed", 3), ("organization", 1)]);

    let s = stats(&index).unwrap();
    assert_eq!(
        (s.speakers, s.unnamed_speakers),
        (5, 1),
        "Donald Trump (with Trump), Jr., Ivanka, Analysts, Reuters"
    );
    assert!(s.top_speakers.iter().any(|c| c.label == "unnamed: analysts" && c.count == 3));

    // "unnamed: NAME" selects the unnamed one; the name alone selects the named one
    // when there is one.
    assert_eq!(total(&index, "*", &by(&["unnamed: analysts"])), 3);
    assert_eq!(total(&index, "*", &by(&["Analysts"])), 1);
    assert_eq!(total(&index, "*", &by(&["unnamed: Donald Trump"])), 0);
    let only = |ty: &str| Filters { speaker_type: Some(ty.to_string()), ..Filters::default() };
    assert_eq!(total(&index, "*", &only("unnamed")), 3);
    assert_eq!(total(&index, "*", &only("Organization")), 1);
    assert_eq!(total(&index, "speaker_type:unnamed", &none()), 3);

    let t = index::timeline(
        &index,
        Some("unnamed: analysts"),
        "*",
        &none(),
        whosaid::statement::Precision::Month,
    )
    .unwrap();
    assert_eq!(
        (t.label.as_deref(), t.speaker.as_deref(), t.speaker_type, t.total),
        (Some("unnamed: analysts"), Some("analysts"), Some(Unnamed), 3)
    );
    let list = index::speaker_table::load(&index).unwrap().list("unnamed", 0);
    let labels: Vec<_> = list.speakers.iter().map(|e| e.label.as_str()).collect();
    assert_eq!(labels, ["unnamed: analysts"]);
}

/// Issue 15: for a phrase, the count `who` gives a speaker, the speaker facet's count
/// for it, and the total of the query with `--speaker` set to its label are one
/// number; the unknown speaker's statements are what the facet leaves out.
#[test]
fn who_counts_agree_with_the_speaker_facet_and_the_speaker_filter() {
    let dir = tempfile::tempdir().unwrap();
    let mut articles = trumps_and_analysts(true);
    articles.extend(articles_owned());
    let index = build_from(dir.path(), articles);
    for phrase in ["prices will fall", "they'll regret", "sanctions", "the wall"] {
        let w = who(&index, phrase, &none()).unwrap();
        assert_eq!(w.matched, MatchKind::Exact, "{phrase}");
        let quoted = format!("\"{phrase}\"");
        let all = query(&index, &quoted, &none(), 0).unwrap();
        let mut named = 0;
        for s in &w.speakers {
            let Some(label) = &s.label else {
                let in_facets: u64 = all.facets.speaker.iter().map(|c| c.count).sum();
                assert_eq!(s.statements, all.total - in_facets, "{phrase}: the unknown speaker");
                continue;
            };
            let facet = all.facets.speaker.iter().find(|c| &c.label == label).map(|c| c.count);
            let filtered = query(&index, &quoted, &by(&[label]), 0).unwrap().total;
            assert_eq!((Some(s.statements), filtered), (facet, s.statements), "{phrase}: {label}");
            named += 1;
        }
        assert_eq!(named, all.facets.speaker.len(), "{phrase}: the same speakers");
    }
}

/// [`articles`] with owned ids, to add to another corpus.
fn articles_owned() -> Vec<(String, Vec<Statement>)> {
    articles().into_iter().map(|(id, st)| (id.to_string(), st)).collect()
}

#[test]
fn speaker_types_round_trip_through_the_stored_statements() {
    let dir = tempfile::tempdir().unwrap();
    let written = trumps_and_analysts(true);
    let index = build_from(dir.path(), written.clone());
    let types_written: std::collections::BTreeMap<String, Option<SpeakerType>> = written
        .iter()
        .flat_map(|(_, sts)| sts.iter().map(|s| (s.id.clone(), s.speaker_type)))
        .collect();
    let mut read = std::collections::BTreeMap::new();
    index::for_each_statement(&index, "*", &none(), |s| {
        read.insert(s.id.clone(), s.speaker_type);
        Ok(())
    })
    .unwrap();
    assert_eq!(read, types_written);
    let hits = query(&index, "*", &by(&["unnamed: analysts"]), 10).unwrap().hits;
    let json = serde_json::to_value(&hits).unwrap();
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .all(|h| h["speaker_type"] == "unnamed" && h["speaker"] == "analysts"),
        "{json}"
    );
}

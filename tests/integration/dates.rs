//! Acceptance: the date expressions of tests/data/dates.tsv, each in a sentence
//! with an article date, read to the expected period and precision; the same
//! reader end to end through `extract`, where dates also come from datelines; and
//! the invented stories of tests/data/story-dates.tsv, where dates come from the
//! story's own timeline (lede, paragraph, continuation, tense, breaks, bounds).

use whosaid::article::Article;
use whosaid::extract::extract;
use whosaid::extract::time_expressions::{read, When};

/// Runs `check` on every row of a tab-separated table (comments and blank lines
/// skipped), each of `width` columns; `check` returns a failure's description.
/// Fails with every failing row, and when the table has fewer than 60 rows.
fn check_table(table: &str, width: usize, mut check: impl FnMut(&[&str]) -> Option<String>) {
    let mut rows = 0;
    let mut failures = Vec::new();
    for line in table.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), width, "bad row: {line:?}");
        rows += 1;
        failures.extend(check(&cols));
    }
    assert!(rows >= 60, "only {rows} rows");
    assert!(
        failures.is_empty(),
        "{} of {rows} rows fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_date_expression_in_the_table_resolves() {
    check_table(include_str!("../data/dates.tsv"), 4, |cols| {
        let (article, sentence, period, precision) = (cols[0], cols[1], cols[2], cols[3]);
        let got = match read(sentence, article.parse().ok()) {
            When::At(p) => (p.label(), p.precision.as_str().to_string()),
            When::Vague => ("past".to_string(), "-".to_string()),
            When::Unknown => ("-".to_string(), "-".to_string()),
        };
        (got != (period.to_string(), precision.to_string())).then(|| {
            format!("{article} {sentence:?}: want {period} {precision}, got {} {}", got.0, got.1)
        })
    });
}

fn article(body: &str, date: Option<&str>, dateline: Option<&str>) -> Article {
    Article {
        id: "t".into(),
        path: "t".into(),
        title: None,
        date: date.and_then(|d| d.parse().ok()),
        source: None,
        url: None,
        author: None,
        dateline: dateline.map(str::to_string),
        body: body.into(),
    }
}

/// (date, precision, source, period) of the first statement.
fn first(
    a: &Article,
) -> (Option<String>, Option<&'static str>, Option<&'static str>, Option<String>) {
    let st = extract(a).into_iter().next().expect("a statement");
    (st.date, st.date_precision.map(|p| p.as_str()), st.date_source.map(|s| s.as_str()), st.period)
}

#[test]
fn statements_take_their_dates_from_text_dateline_or_article() {
    let s = |x: &str| Some(x.to_string());
    // Text beats the dateline, which beats the article.
    let a = article(
        "Ann Lee said on Tuesday that taxes would rise.",
        Some("1987-02-27"),
        Some("SALVADOR, Feb 26 -"),
    );
    assert_eq!(first(&a), (s("1987-02-24"), Some("day"), Some("text"), s("1987-02-24")));
    let a = article(
        "Ann Lee said that taxes would rise.",
        Some("1987-02-27"),
        Some("SALVADOR, Feb 26 -"),
    );
    assert_eq!(first(&a), (s("1987-02-26"), Some("day"), Some("dateline"), s("1987-02-26")));
    let a =
        article("MOSCOW (Reuters) - Ann Lee said that taxes would rise.", Some("2025-03-13"), None);
    assert_eq!(first(&a), (s("2025-03-13"), Some("day"), Some("article"), s("2025-03-13")));
    // A dateline with a year dates an article that has no date of its own.
    let a = article(
        "KYIV, Ukraine, March 3, 2025 — Ann Lee said yesterday that taxes would rise.",
        None,
        None,
    );
    assert_eq!(first(&a), (s("2025-03-02"), Some("day"), Some("text"), s("2025-03-02")));
    // No year anywhere: no date.
    let a = article("KYIV, Ukraine, March 3 — Ann Lee said that taxes would rise.", None, None);
    assert_eq!(first(&a), (None, None, None, None));
    // Week precision: a period, no day.
    let a = article("Ann Lee said last week that taxes would rise.", Some("2025-03-13"), None);
    assert_eq!(first(&a), (None, Some("week"), Some("text"), s("2025-W10")));
}

/// Every row of tests/data/story-dates.tsv: the statement holding the row's phrase
/// has the expected period and `date_source`.
#[test]
fn every_story_in_the_table_dates_its_statement() {
    check_table(include_str!("../data/story-dates.tsv"), 6, |cols| {
        let (date, dateline, body, phrase, period, source) =
            (cols[0], cols[1], cols[2], cols[3], cols[4], cols[5]);
        let body = body.replace(" ¶ ", "\n\n");
        let a = article(&body, Some(date), (dateline != "-").then_some(dateline));
        let statements = extract(&a);
        let Some(st) = statements.iter().find(|s| s.text.contains(phrase)) else {
            let texts: Vec<_> = statements.iter().map(|s| s.text.as_str()).collect();
            return Some(format!("{body:?}: no statement holds {phrase:?}; got {texts:?}"));
        };
        let got = (
            st.period.clone().unwrap_or_else(|| "-".into()),
            st.date_source.map_or("-", |s| s.as_str()).to_string(),
        );
        (got != (period.to_string(), source.to_string())).then(|| {
            format!("{date} {body:?} [{phrase}]: want {period} {source}, got {} {}", got.0, got.1)
        })
    });
}

//! Reading articles from every supported format through the public entry point,
//! on small files shaped like the real corpora (written here, not copied).

use crate::common::Dir;
use jiff::civil::{date, Date};
use std::path::PathBuf;
use whosaid::article::{read_paths, Article, ReadOptions, ReadSummary, Warning};

struct Run {
    articles: Vec<Article>,
    warnings: Vec<Warning>,
    summary: ReadSummary,
}

fn read(paths: &[PathBuf], default_date: Option<Date>) -> Run {
    let (mut articles, mut warnings) = (Vec::new(), Vec::new());
    let opts = ReadOptions { default_date, ..ReadOptions::default() };
    let summary = read_paths(
        paths,
        &opts,
        &mut |a| {
            articles.push(a);
            Ok(())
        },
        &mut |w| warnings.push(w.clone()),
    )
    .unwrap();
    Run { articles, warnings, summary }
}

fn by_id<'a>(run: &'a Run, id: &str) -> &'a Article {
    run.articles.iter().find(|a| a.id == id).unwrap_or_else(|| panic!("no article {id}"))
}

#[test]
fn txt_body_exact_and_date_from_path_or_default() {
    let dir = Dir::new();
    let body = "  \"We will win,\" she said.\r\n\nSecond paragraph.\n";
    dir.write("polnear/breitbart_2016-10-12_slug.txt", body);
    dir.write("polnear/nodate.TXT", "Text.");
    dir.write("polnear/bad_2016-02-30_x.txt", "Text.");
    let run = read(&[dir.path("polnear")], Some(date(2000, 1, 2)));

    let a = by_id(&run, "breitbart_2016-10-12_slug.txt");
    assert_eq!(a.body, body);
    assert_eq!(a.date, Some(date(2016, 10, 12)));
    assert_eq!(
        a.path,
        dir.root().join("polnear/breitbart_2016-10-12_slug.txt").display().to_string()
    );
    assert_eq!(a.title, None);
    assert_eq!(by_id(&run, "nodate.TXT").date, Some(date(2000, 1, 2)));
    // Not a real day, so the default applies.
    assert_eq!(by_id(&run, "bad_2016-02-30_x.txt").date, Some(date(2000, 1, 2)));
    assert_eq!(run.summary, ReadSummary { files: 3, articles: 3, ..Default::default() });
    assert!(run.warnings.is_empty());
}

#[test]
fn folders_sorted_hidden_skipped_unknown_counted() {
    let dir = Dir::new();
    dir.write("b/2.txt", "two");
    dir.write("a/1.txt", "one");
    dir.write("a/0.md", "zero");
    dir.write(".hidden/x.txt", "hidden dir");
    dir.write("a/.secret.txt", "hidden file");
    dir.write("a/page.pdf", "%PDF no");
    dir.write("README", "no extension");
    let run = read(&[dir.root().to_path_buf()], None);
    let ids: Vec<&str> = run.articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["a/0.md", "a/1.txt", "b/2.txt"]);
    assert_eq!(run.summary.unknown_extension, 2);
    assert_eq!(run.summary.files, 3);
    assert!(run.warnings.is_empty(), "{:?}", run.warnings);
}

#[test]
fn missing_path_warns_and_continues() {
    let dir = Dir::new();
    let file = dir.write("a.txt", "text");
    let missing = dir.path("nope");
    let run = read(&[missing.clone(), file], None);
    assert_eq!(run.articles.len(), 1);
    assert_eq!(run.articles[0].id, "a.txt");
    assert_eq!(run.warnings.len(), 1);
    assert_eq!(run.warnings[0].path, missing);
    assert!(run.warnings[0].file_skipped);
    assert_eq!(run.summary.bad_files, 1);
}

#[test]
fn unknown_extension_named_directly_is_reported() {
    let dir = Dir::new();
    let file = dir.write("page.pdf", "%PDF x");
    let run = read(&[file], None);
    assert_eq!(run.summary.unknown_extension, 1);
    assert_eq!(run.warnings.len(), 1);
}

#[test]
fn markdown_front_matter() {
    let dir = Dir::new();
    let md = "---\ntitle: \"Vote: a tie\"\ndate: 2017-02-07\nsource: 'ABC News'\nurl: http://x/y\nauthor: Jo Doe\nid: abc-1\n---\n\n\nPence cast the vote.\n";
    dir.write("n/2001-01-01_story.md", md);
    dir.write("n/plain.markdown", "\n\nJust text, no front matter.\n");
    let run = read(&[dir.path("n")], None);
    let a = by_id(&run, "abc-1");
    assert_eq!(a.title.as_deref(), Some("Vote: a tie"));
    // The record's own date wins over the one in the file name.
    assert_eq!(a.date, Some(date(2017, 2, 7)));
    assert_eq!(a.source.as_deref(), Some("ABC News"));
    assert_eq!(a.url.as_deref(), Some("http://x/y"));
    assert_eq!(a.author.as_deref(), Some("Jo Doe"));
    assert_eq!(a.body, "Pence cast the vote.\n");
    assert_eq!(by_id(&run, "plain.markdown").body, "Just text, no front matter.\n");
}

#[test]
fn jsonl_reuters_shape_with_a_bad_line() {
    let dir = Dir::new();
    let lines = [
        r#"{"id": "5", "date": "1987-02-26", "title": "COCOA", "dateline": "SALVADOR, Feb 26 -", "source": "reuters", "text": "Showers continued,\n    Comissaria Smith said."}"#,
        "",
        r#"{"id": "6", "date": "1987-02-26", "title": "BROKEN", "text": "unterminated"#,
        r#"{"date": "1987-03-01", "text": "No id here."}"#,
        r#"{"id": 8, "text": 42}"#,
        r#"{"id": 9, "title": "no body"}"#,
        r#"["not", "an", "object"]"#,
        r#"{"text": "Last one."}"#,
    ];
    dir.write("reuters.jsonl", lines.join("\n") + "\n");
    let run = read(&[dir.path("reuters.jsonl")], None);

    let a = by_id(&run, "reuters.jsonl#5");
    assert_eq!(a.title.as_deref(), Some("COCOA"));
    assert_eq!(a.date, Some(date(1987, 2, 26)));
    // A publisher's known name is shown as the publishers file writes it.
    assert_eq!(a.source.as_deref(), Some("Reuters"));
    assert_eq!(a.body, "Showers continued,\n    Comissaria Smith said.");
    // Records count from 1 and the blank line is not a record.
    assert_eq!(by_id(&run, "reuters.jsonl#3").date, Some(date(1987, 3, 1)));
    assert_eq!(by_id(&run, "reuters.jsonl#7").body, "Last one.");
    assert_eq!(run.articles.len(), 3);

    let lines_warned: Vec<Option<u64>> = run.warnings.iter().map(|w| w.line).collect();
    assert_eq!(lines_warned, [Some(3), Some(5), Some(6), Some(7)]);
    assert!(run.warnings.iter().all(|w| !w.file_skipped));
    assert!(run.warnings[1].reason.contains("`text` is a number"), "{}", run.warnings[1]);
    assert_eq!(
        run.summary,
        ReadSummary { files: 1, articles: 3, bad_records: 4, ..Default::default() }
    );
}

#[test]
fn csv_news_shape_with_ragged_and_bad_rows() {
    let dir = Dir::new();
    let csv = concat!(
        "article_id,publish_date,article_source_link,title,subtitle,text\n",
        "1,2017/2/7,http://abc/1,\"DeVos Confirmed, With Pence\",,\"The Senate voted.\n\n",
        "\"\"It is hard to imagine a worse choice,\"\"?Sen. Warren said.\"\n",
        "2,2017/2/8,http://abc/2,ragged\n",
        "3,2017/2/9,http://abc/3,Title,Sub,\"BYTE invalid utf-8\"\n",
        "4,,http://abc/4,No date,,Body four.\n",
        "5,2017/2/10,http://abc/5,Empty,,\n",
    );
    // A byte that is not UTF-8, which a &str literal cannot hold.
    let csv =
        csv.replace("BYTE", "\u{0}")
            .into_bytes()
            .into_iter()
            .map(|b| if b == 0 { 0xff } else { b });
    dir.write("2001-01-01/news.csv", csv.collect::<Vec<u8>>());
    let run = read(&[dir.path("2001-01-01")], None);

    let a = by_id(&run, "news.csv#1");
    assert_eq!(a.date, Some(date(2017, 2, 7)));
    assert_eq!(a.url.as_deref(), Some("http://abc/1"));
    assert_eq!(a.title.as_deref(), Some("DeVos Confirmed, With Pence"));
    assert_eq!(
        a.body,
        // The `"?` left where a curly quote and a space were lost is repaired.
        "The Senate voted.\n\n\"It is hard to imagine a worse choice,\" Sen. Warren said."
    );
    // No date in the row: the folder name's date applies.
    assert_eq!(by_id(&run, "news.csv#4").date, Some(date(2001, 1, 1)));
    assert_eq!(run.articles.len(), 2);

    let lines_warned: Vec<Option<u64>> = run.warnings.iter().map(|w| w.line).collect();
    assert_eq!(lines_warned, [Some(5), Some(6), Some(8)], "{:?}", run.warnings);
    assert_eq!(
        run.summary,
        ReadSummary { files: 1, articles: 2, bad_records: 3, repaired: 1, ..Default::default() }
    );
}

#[test]
fn csv_without_ids_numbers_rows() {
    let dir = Dir::new();
    dir.write("wiki.csv", "URL,Date,Title,Text\nhttp://w/1,2019-01-04,T1,\"Body\none\"\nhttp://w/2,2019-01-05,T2,Body two\n");
    let run = read(&[dir.path("wiki.csv")], None);
    let ids: Vec<&str> = run.articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["wiki.csv#1", "wiki.csv#2"]);
    assert_eq!(run.articles[1].date, Some(date(2019, 1, 5)));
}

#[test]
fn json_object_health_news_shape_and_epoch_dates() {
    let dir = Dir::new();
    dir.write(
        "HealthStory/story_00000.json",
        r#"{"url": "https://x/a", "title": "VR and Alzheimer\u2019s", "text": "\u201cIt is usually thought,\u201d he said.", "authors": ["Robin McKie", "Ann Lee"], "publish_date": "1500000000", "source": "guardian", "images": []}"#,
    );
    dir.write(
        "HealthStory/story_00001.json",
        r#"{"url": "https://x/b", "text": "Body.", "authors": [], "publish_date": ""}"#,
    );
    dir.write("HealthStory/story_00002.json", r#"{"text": "Body.", "publish_date": 1500000000.0}"#);
    dir.write("HealthStory/story_00003.json", r#"{"url": "https://x/c", "text": ""}"#);
    dir.write("HealthStory/story_00004.json", r#"{"text": "unterminated"#);
    let run = read(&[dir.path("HealthStory")], Some(date(1999, 9, 9)));

    let a = by_id(&run, "story_00000.json");
    assert_eq!(a.title.as_deref(), Some("VR and Alzheimer\u{2019}s"));
    assert_eq!(a.author.as_deref(), Some("Robin McKie, Ann Lee"));
    assert_eq!(a.date, Some(date(2017, 7, 14)));
    assert_eq!(a.source.as_deref(), Some("The Guardian"));
    assert_eq!(a.body, "\u{201c}It is usually thought,\u{201d} he said.");
    let b = by_id(&run, "story_00001.json");
    assert_eq!((b.date, b.author.as_deref()), (Some(date(1999, 9, 9)), None));
    assert_eq!(by_id(&run, "story_00002.json").date, Some(date(2017, 7, 14)));
    assert_eq!(run.articles.len(), 3);
    assert_eq!(
        run.summary,
        ReadSummary { files: 4, articles: 3, bad_files: 1, bad_records: 1, ..Default::default() }
    );
    assert!(run.warnings.iter().any(|w| w.file_skipped && w.reason.contains("invalid JSON")));
}

#[test]
fn json_array_numbers_elements() {
    let dir = Dir::new();
    dir.write(
        "all.json",
        r#"[{"text": "one"}, {"title": "no text"}, {"text": "three", "id": 33}, 4]"#,
    );
    let run = read(&[dir.path("all.json")], None);
    let ids: Vec<&str> = run.articles.iter().map(|a| a.id.as_str()).collect();
    // A record id is qualified by its file, so ids never collide across files.
    assert_eq!(ids, ["all.json#1", "all.json#33"]);
    assert_eq!(run.summary.bad_records, 2);
    assert!(run.warnings[0].reason.starts_with("element 2"));
}

#[test]
fn binary_and_invalid_utf8_text() {
    let dir = Dir::new();
    dir.write("img.txt", b"GIF89a\0\0\x01");
    dir.write("latin1.txt", b"caf\xe9 society");
    dir.write("empty.txt", "  \n");
    let run = read(&[dir.root().to_path_buf()], None);
    assert_eq!(run.articles.len(), 1);
    assert_eq!(run.articles[0].body, "caf\u{fffd} society");
    assert_eq!(
        run.summary,
        ReadSummary { files: 2, articles: 1, bad_files: 1, bad_records: 1, ..Default::default() }
    );
    let binary = run.warnings.iter().find(|w| w.reason.contains("binary")).unwrap();
    assert!(binary.file_skipped);
    assert!(run.warnings.iter().any(|w| w.reason.contains("UTF-8") && !w.file_skipped));
}

#[test]
fn overlong_jsonl_line_is_skipped_alone() {
    let dir = Dir::new();
    let huge = format!(r#"{{"text": "{}"}}"#, "x".repeat(17 * 1024 * 1024));
    let contents = format!("{{\"text\": \"one\"}}\n{huge}\n{{\"text\": \"three\"}}\n");
    dir.write("big.ndjson", contents);
    let run = read(&[dir.root().to_path_buf()], None);
    let ids: Vec<&str> = run.articles.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["big.ndjson#1", "big.ndjson#3"]);
    assert_eq!(run.warnings.len(), 1);
    assert_eq!(run.warnings[0].line, Some(2));
    assert!(run.warnings[0].reason.contains("16 MiB"));
}

#[test]
fn caller_error_aborts_the_run() {
    let dir = Dir::new();
    dir.write("a.txt", "one");
    dir.write("b.txt", "two");
    let mut seen = 0;
    let result = read_paths(
        &[dir.root().to_path_buf()],
        &ReadOptions::default(),
        &mut |_| {
            seen += 1;
            anyhow::bail!("disk full")
        },
        &mut |_| {},
    );
    assert_eq!(result.unwrap_err().to_string(), "disk full");
    assert_eq!(seen, 1);
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_a_warning() {
    let dir = Dir::new();
    dir.write("d/a.txt", "one");
    std::os::unix::fs::symlink(dir.path("d"), dir.path("d/loop")).unwrap();
    let run = read(&[dir.path("d")], None);
    assert_eq!(run.articles.len(), 1);
    assert!(run.warnings.iter().any(|w| w.reason.contains("loop")), "{:?}", run.warnings);
}

/// Reads the real corpora when `WHOSAID_CORPORA` names their folder; they are not
/// part of the project, so without it this test only says it was skipped.
#[test]
fn real_corpora_if_available() {
    let Some(root) = std::env::var_os("WHOSAID_CORPORA") else {
        eprintln!("WHOSAID_CORPORA not set: real-corpora test skipped");
        return;
    };
    let root = PathBuf::from(root);
    let mut counts = Vec::new();
    for part in [
        "reuters21578.jsonl",
        "news-articles-2017.csv",
        "health-news",
        "wikinews",
        "polnear/dev/text",
    ] {
        let run = read(&[root.join(part)], None);
        let dated = run.articles.iter().filter(|a| a.date.is_some()).count();
        eprintln!("{part}: {:?}, {} dated, {} warnings", run.summary, dated, run.warnings.len());
        for w in run.warnings.iter().take(5) {
            eprintln!("  {w}");
        }
        assert!(run.summary.files > 0 && run.summary.articles > 0, "{part}");
        counts.push(run.summary.articles);
    }
    assert!(counts.iter().all(|&n| n > 0));
}

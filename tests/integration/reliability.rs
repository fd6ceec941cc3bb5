//! Issue 6: an archive built over weeks by scripts and cron jobs. Through the real
//! binary: incremental ingest (unchanged files skipped, changed ones replaced, gone
//! ones pruned), SIGKILL at several moments of an ingest then a resumed run equal to a
//! clean one, queries during an ingest and a second ingest refused, malformed and huge
//! queries refused with exit 2, and indexes of another schema version refused.
//!
//! The corpus is generated here (invented people, real-looking reports); with
//! `WHOSAID_CORPORA` set, real articles are added to it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Output};
use std::time::{Duration, Instant};

use crate::common::{stderr, stdout, Cmd, Dir};

/// Runs whosaid on the index at `index`; any exit code.
fn run(index: &Path, args: &[&str]) -> Output {
    Cmd::new().index(index).args(args).output()
}

/// Starts whosaid on the index at `index`, stderr piped.
fn spawn(index: &Path, args: &[&str]) -> Child {
    Cmd::new().index(index).args(args).spawn()
}

fn ingest(index: &Path, corpus: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["ingest", corpus.to_str().unwrap(), "--threads", "2"];
    args.extend_from_slice(extra);
    let out = run(index, &args);
    assert!(out.status.success(), "ingest failed: {}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    out
}

/// Every statement of the index as `id article text`, sorted: equal dumps mean equal
/// indexes for every query. Panics if the index holds a statement twice, or one
/// whose article is not in the article store.
fn dump(index: &Path) -> Vec<String> {
    let out = run(index, &["query", "*", "--limit", "100000000", "--json"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "query failed: {}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("query --json");
    // A hit has no context when its article is not stored, or (killed between the
    // article commit and the statement commit of a changed file) is stored with its
    // new text already: then `show` must still find the article.
    let without: BTreeSet<&str> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| !h["context"].is_object())
        .map(|h| h["article"].as_str().unwrap())
        .collect();
    for article in without {
        let shown = run(index, &["show", article, "--json"]);
        assert_eq!(
            shown.status.code(),
            Some(0),
            "a statement without its stored article: {}",
            stderr(&shown)
        );
    }
    let mut lines: Vec<String> = v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            format!(
                "{} {} {}",
                h["id"].as_str().unwrap(),
                h["article"].as_str().unwrap(),
                h["text"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(v["total"].as_u64(), Some(lines.len() as u64));
    lines.sort();
    let distinct: BTreeSet<&String> = lines.iter().collect();
    assert_eq!(distinct.len(), lines.len(), "a statement is indexed twice");
    lines
}

// ---------------------------------------------------------------------------------
// A generated corpus: deterministic, a few MB, every input format.

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*: enough to vary sentences, the same on every run.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const PEOPLE: &[&str] = &[
    "Ann Lee",
    "Tom Baker",
    "Ivan Petrov",
    "Maria Ortega",
    "Kwame Mensah",
    "Hana Sato",
    "Olek Brandt",
    "Ruth Adler",
    "Pablo Reyes",
    "Nadia Karim",
];
const TITLES: &[&str] = &["Mayor", "Senator", "Councilwoman", "Minister", "Dr.", "Judge"];
const SUBJECTS: &[&str] = &[
    "the council",
    "the new bridge",
    "the budget",
    "the water plant",
    "the school board",
    "the harbour project",
    "the tram line",
    "the hospital wing",
    "the tax plan",
    "the flood barrier",
];
const PREDICATES: &[&str] = &[
    "will be finished before the winter",
    "is running far over budget",
    "needs another vote next month",
    "has the support of most residents",
    "cannot wait any longer",
    "was approved after a long debate",
    "will cost less than expected",
    "is a mistake we will regret",
    "must be reviewed by an independent panel",
    "will create hundreds of jobs",
];
const FILLER: &[&str] = &[
    "The meeting lasted nearly four hours.",
    "Residents filled the hall and lined the corridor outside.",
    "Work crews were seen at the site on Monday morning.",
    "The proposal was first presented in the spring.",
    "Several amendments were withdrawn before the vote.",
    "Local businesses have followed the debate closely.",
];
const DAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

fn paragraph(rng: &mut Rng) -> String {
    let who = rng.pick(PEOPLE);
    let claim = format!("{} {}", rng.pick(SUBJECTS), rng.pick(PREDICATES));
    let filler = rng.pick(FILLER);
    let n = rng.next() % 1000;
    match rng.next() % 5 {
        0 => format!(
            "“{}{} (item {n}),” {who} said on {}. {filler}",
            claim[..1].to_uppercase(),
            &claim[1..],
            rng.pick(DAYS)
        ),
        1 => format!(
            "{} {who} told reporters that {claim}, citing report {n}. {filler}",
            rng.pick(TITLES)
        ),
        2 => format!("{filler} According to {who}, {claim} (case {n})."),
        3 => format!(
            "“We have waited long enough for {n} days,” said {who}. “{}{}.”",
            claim[..1].to_uppercase(),
            &claim[1..]
        ),
        _ => format!("{who} said {claim}, in remarks number {n}. {filler}"),
    }
}

fn article(rng: &mut Rng) -> String {
    let paragraphs = 6 + rng.next() % 8;
    (0..paragraphs).map(|_| paragraph(rng)).collect::<Vec<_>>().join("\n\n")
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// About `articles` articles over .txt, .md, .jsonl and .csv files under `dir`.
fn generate(dir: &Path, articles: usize) {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    std::fs::create_dir_all(dir).unwrap();
    let (txt, md, lines) = (articles * 4 / 10, articles / 10, articles * 4 / 10);
    for i in 0..txt {
        let month = 1 + i % 12;
        let sub = dir.join(format!("2024-{month:02}"));
        std::fs::create_dir_all(&sub).unwrap();
        std::fs::write(
            sub.join(format!("report-2024-{month:02}-{:02}-{i:05}.txt", 1 + i % 28)),
            article(&mut rng),
        )
        .unwrap();
    }
    for i in 0..md {
        let body = format!(
            "---\ntitle: Council notes {i}\ndate: 2023-{:02}-{:02}\nsource: Gazette\n---\n\n{}",
            1 + i % 12,
            1 + i % 28,
            article(&mut rng)
        );
        std::fs::write(dir.join(format!("notes-{i:04}.md")), body).unwrap();
    }
    // Two JSON Lines files, so that one spans several commits.
    for (part, range) in [(1, 0..lines / 4), (2, lines / 4..lines)] {
        let mut out = String::new();
        for i in range {
            out.push_str(&format!(
                "{{\"id\": \"wire-{i}\", \"date\": \"2022-{:02}-{:02}\", \"title\": \"Wire {i}\", \"source\": \"Wire\", \"text\": {}}}\n",
                1 + i % 12,
                1 + i % 28,
                json_str(&article(&mut rng))
            ));
        }
        std::fs::write(dir.join(format!("wire-{part}.jsonl")), out).unwrap();
    }
    let mut csv = String::from("article_id,publish_date,title,text\n");
    for i in 0..articles - txt - md - lines {
        let text = article(&mut rng).replace('"', "\"\"");
        csv.push_str(&format!("{i},2021/{}/{},Digest {i},\"{text}\"\n", 1 + i % 12, 1 + i % 28));
    }
    std::fs::write(dir.join("digest.csv"), csv).unwrap();
    // Real articles too when the corpora are at hand: PolNeAR's dev texts and the
    // first Reuters records.
    if let Some(corpora) =
        std::env::var_os("WHOSAID_CORPORA").map(PathBuf::from).filter(|d| d.is_dir())
    {
        let texts = corpora.join("polnear/dev/text");
        if let Ok(entries) = std::fs::read_dir(&texts) {
            let real = dir.join("real");
            std::fs::create_dir_all(&real).unwrap();
            for e in entries.flatten() {
                std::fs::copy(e.path(), real.join(e.file_name())).unwrap();
            }
        }
        if let Ok(reuters) = std::fs::read_to_string(corpora.join("reuters21578.jsonl")) {
            let head: Vec<&str> = reuters.lines().take(2000).collect();
            std::fs::write(dir.join("real-reuters.jsonl"), head.join("\n") + "\n").unwrap();
        }
    }
}

// ---------------------------------------------------------------------------------
// Incremental ingest.

/// The corpus of the incremental tests: small, one file of each kind.
fn small_corpus(dir: &Path) {
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("a.txt"), "“The bridge will open in May,” Ann Lee said on Tuesday.\n\nTom Baker said that the budget was too small.\n").unwrap();
    std::fs::write(
        dir.join("sub/b.md"),
        "---\ntitle: B\ndate: 2024-05-02\n---\n\n“Taxes will not rise,” Ivan Petrov said.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("wire.jsonl"),
        concat!(
            "{\"id\": \"1\", \"date\": \"2024-01-02\", \"text\": \"“The harbour stays open,” Maria Ortega said.\"}\n",
            "{\"id\": \"2\", \"date\": \"2024-01-03\", \"text\": \"“The tram line is late,” Kwame Mensah said.\"}\n",
            "{\"id\": \"3\", \"date\": \"2024-01-04\", \"text\": \"“The school will expand,” Hana Sato said.\"}\n",
        ),
    )
    .unwrap();
}

/// A temporary folder with the small corpus ingested: (folder, corpus, index).
fn small_index() -> (Dir, PathBuf, PathBuf) {
    let tmp = Dir::new();
    let (corpus, index) = (tmp.path("corpus"), tmp.path("index"));
    small_corpus(&corpus);
    ingest(&index, &corpus, &[]);
    (tmp, corpus, index)
}

fn who_code(index: &Path, phrase: &str) -> Option<i32> {
    run(index, &["who", phrase]).status.code()
}

#[test]
fn unchanged_files_are_skipped_and_changed_ones_replaced() {
    let tmp = Dir::new();
    let (corpus, index) = (tmp.path("corpus"), tmp.path("index"));
    small_corpus(&corpus);
    let first = ingest(&index, &corpus, &[]);
    assert!(stderr(&first).contains("whosaid: 3 files, 5 articles read, "), "{}", stderr(&first));
    let full = dump(&index);

    // Nothing changed: nothing is read, the index is the same, and the run succeeds.
    let again = ingest(&index, &corpus, &[]);
    let err = stderr(&again);
    assert!(
        err.contains("3 files unchanged since the last ingest, not read again (5 articles"),
        "{err}"
    );
    assert!(
        err.contains("whosaid: 0 files, 0 articles read, 0 with statements, 0 statements"),
        "{err}"
    );
    assert_eq!(dump(&index), full);

    // Touched (new time, same bytes): the checksum says unchanged.
    let a = corpus.join("a.txt");
    let later = std::time::SystemTime::now() + Duration::from_secs(3600);
    std::fs::File::options().write(true).open(&a).unwrap().set_modified(later).unwrap();
    let touched = ingest(&index, &corpus, &[]);
    assert!(stderr(&touched).contains("3 files unchanged"), "{}", stderr(&touched));
    // ...and the new time is recorded, so the next run does not even checksum it.
    assert!(stderr(&ingest(&index, &corpus, &[])).contains("3 files unchanged"));

    // A changed text file: only it is read, its old statements go.
    std::fs::write(&a, "“The bridge will close in June,” Ann Lee said on Tuesday.\n").unwrap();
    let changed = ingest(&index, &corpus, &[]);
    assert!(
        stderr(&changed)
            .contains("whosaid: 1 files, 1 articles read, 1 with statements, 1 statements"),
        "{}",
        stderr(&changed)
    );
    assert_eq!(who_code(&index, "will open in May"), Some(1));
    assert_eq!(who_code(&index, "will close in June"), Some(0));
    assert_eq!(who_code(&index, "budget was too small"), Some(1));

    // A record removed from a JSON Lines file: its article goes too, the others stay.
    let wire = corpus.join("wire.jsonl");
    let kept: Vec<String> = std::fs::read_to_string(&wire)
        .unwrap()
        .lines()
        .filter(|l| !l.contains("\"id\": \"2\""))
        .map(String::from)
        .collect();
    std::fs::write(&wire, kept.join("\n") + "\n").unwrap();
    ingest(&index, &corpus, &[]);
    assert_eq!(who_code(&index, "tram line is late"), Some(1));
    assert_eq!(who_code(&index, "harbour stays open"), Some(0));
    assert_eq!(who_code(&index, "school will expand"), Some(0));

    // The same as a clean ingest of the corpus as it is now.
    let clean = tmp.path("clean");
    ingest(&clean, &corpus, &[]);
    assert_eq!(dump(&index), dump(&clean));

    // Another --date is another reading: every file is read again.
    let dated = ingest(&index, &corpus, &["--date", "2020-01-01"]);
    assert!(stderr(&dated).contains("whosaid: 3 files, "), "{}", stderr(&dated));
}

#[test]
fn gone_files_are_reported_and_removed_with_prune_under_the_given_paths_only() {
    let tmp = Dir::new();
    let (corpus, other, index) = (tmp.path("corpus"), tmp.path("other"), tmp.path("index"));
    small_corpus(&corpus);
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("c.txt"), "“The flood barrier holds,” Ruth Adler said.\n").unwrap();
    ingest(&index, &corpus, &[]);
    ingest(&index, &other, &[]);
    assert_eq!(who_code(&index, "flood barrier holds"), Some(0));

    std::fs::remove_file(corpus.join("sub/b.md")).unwrap();
    let kept = ingest(&index, &corpus, &[]);
    assert!(stderr(&kept).contains("1 files ingested before are gone; their 1 statements stay in the index (--prune removes them)"), "{}", stderr(&kept));
    assert_eq!(who_code(&index, "Taxes will not rise"), Some(0));

    // --prune on one folder removes what is gone from it, nothing from the other.
    let pruned = ingest(&index, &corpus, &["--prune"]);
    assert!(
        stderr(&pruned).contains(
            "1 files gone since the last ingest: their 1 articles and 1 statements removed"
        ),
        "{}",
        stderr(&pruned)
    );
    assert_eq!(who_code(&index, "Taxes will not rise"), Some(1));
    assert_eq!(who_code(&index, "flood barrier holds"), Some(0));
    assert_eq!(who_code(&index, "harbour stays open"), Some(0));
    // Pruned once: the next run has nothing gone to report.
    assert!(!stderr(&ingest(&index, &corpus, &["--prune"])).contains("gone"));

    // A renamed file is a gone file and a new one: with --prune, no statement twice.
    std::fs::rename(other.join("c.txt"), other.join("d.txt")).unwrap();
    ingest(&index, &other, &["--prune"]);
    let hits = run(&index, &["query", "\"flood barrier holds\"", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&hits.stdout).unwrap();
    assert_eq!(v["total"], 1, "{v}");
    assert_eq!(v["hits"][0]["article"], "d.txt");
}

#[test]
fn a_lost_file_list_or_another_build_means_reading_everything_again_without_duplicates() {
    let (_tmp, corpus, index) = small_index();
    let full = dump(&index);
    let list = index.join("ingest-files.json");

    // Entries written by another build: read again.
    let text = std::fs::read_to_string(&list).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let build = v["files"].as_object().unwrap().values().next().unwrap()["build"]
        .as_str()
        .unwrap()
        .to_string();
    std::fs::write(&list, text.replace(&build, "0000000000000000")).unwrap();
    let rebuilt = ingest(&index, &corpus, &[]);
    assert!(stderr(&rebuilt).contains("whosaid: 3 files, 5 articles"), "{}", stderr(&rebuilt));
    assert_eq!(dump(&index), full);

    // No list at all beside a full index: said, and everything is read again.
    std::fs::remove_file(&list).unwrap();
    let lost = ingest(&index, &corpus, &[]);
    assert!(
        stderr(&lost).contains(
            "ingest-files.json: missing: every file is read again and its statements replaced"
        ),
        "{}",
        stderr(&lost)
    );
    assert_eq!(dump(&index), full);

    // A damaged list: the same.
    std::fs::write(&list, "{\"format\": 1, \"files\": {\"/x\"").unwrap();
    let damaged = ingest(&index, &corpus, &[]);
    assert!(stderr(&damaged).contains("ingest-files.json: unreadable ("), "{}", stderr(&damaged));
    assert_eq!(dump(&index), full);
    assert!(stderr(&ingest(&index, &corpus, &[])).contains("3 files unchanged"));
}

#[test]
fn a_file_list_whose_index_commit_is_gone_is_not_trusted() {
    // Tantivy's meta.json deleted: the next ingest made a new, empty index, the old
    // segments were collected, and the list said every file was unchanged, so the index
    // stayed empty for good. The list is stamped with the commit it describes.
    let (_tmp, corpus, index) = small_index();
    let full = dump(&index);
    std::fs::remove_file(index.join("meta.json")).unwrap();
    let redone = ingest(&index, &corpus, &[]);
    let err = stderr(&redone);
    assert!(
        err.contains(
            "ingest-files.json: does not match the index (its commit is gone): every file is \
             read again and its statements replaced"
        ),
        "{err}"
    );
    assert!(err.contains("whosaid: 3 files, 5 articles read"), "{err}");
    assert_eq!(dump(&index), full);
    // Said once: the list is true again, and unchanged files are skipped again.
    let again = stderr(&ingest(&index, &corpus, &[]));
    assert!(again.contains("3 files unchanged") && !again.contains("warning"), "{again}");

    // The whole index gone but its list: the same.
    for entry in std::fs::read_dir(&index).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            std::fs::remove_dir_all(&path).unwrap();
        } else if !path.ends_with("ingest-files.json") {
            std::fs::remove_file(&path).unwrap();
        }
    }
    let redone = stderr(&ingest(&index, &corpus, &[]));
    assert!(redone.contains("does not match the index (its commit is gone)"), "{redone}");
    assert_eq!(dump(&index), full);
}

#[test]
fn a_file_list_whose_article_store_commit_is_gone_is_not_trusted() {
    // The statements stay, but their articles (contexts, `show`) were lost: every file
    // is read again to store them, without doubling a statement (`dump` checks both).
    let (_tmp, corpus, index) = small_index();
    let full = dump(&index);
    std::fs::remove_file(index.join("articles").join("meta.json")).unwrap();
    let redone = stderr(&ingest(&index, &corpus, &[]));
    assert!(
        redone.contains("ingest-files.json: does not match the article store (its commit is gone)"),
        "{redone}"
    );
    assert!(redone.contains("whosaid: 3 files, 5 articles read"), "{redone}");
    assert_eq!(dump(&index), full);
    let shown = run(&index, &["show", "a.txt", "--json"]);
    assert_eq!(shown.status.code(), Some(0), "{}", stderr(&shown));

    // With --prune, the files of a list that is not trusted are still known: a file
    // removed meanwhile has its statements removed.
    std::fs::remove_file(index.join("meta.json")).unwrap();
    std::fs::remove_file(corpus.join("a.txt")).unwrap();
    let pruned = stderr(&ingest(&index, &corpus, &["--prune"]));
    assert!(!pruned.contains("--prune cannot tell"), "{pruned}");
    let list = std::fs::read_to_string(index.join("ingest-files.json")).unwrap();
    assert!(!list.contains("a.txt"), "{list}");
    assert_eq!(who_code(&index, "bridge will open"), Some(1));
    // ...and its stored article with them (the article store was not lost this time).
    assert_ne!(run(&index, &["show", "a.txt"]).status.code(), Some(0));
}

// ---------------------------------------------------------------------------------
// Crash safety.

/// Commits every 200 KB of article text: seven or eight commits in the generated corpus.
const BATCH_MB: &str = "0.2";

/// Starts an ingest and kills it with SIGKILL after `after`, unless it ends first.
fn ingest_killed(index: &Path, corpus: &Path, extra: &[&str], after: Duration) -> bool {
    let mut args =
        vec!["ingest", corpus.to_str().unwrap(), "--threads", "2", "--commit-mb", BATCH_MB];
    args.extend_from_slice(extra);
    let mut child = spawn(index, &args);
    let start = Instant::now();
    while start.elapsed() < after {
        if child.try_wait().expect("wait").is_some() {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", stderr(&out));
            // A kill never loses a commit the file list describes.
            assert!(!stderr(&out).contains("does not match the"), "{}", stderr(&out));
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    // Child::kill sends SIGKILL to the pid we started.
    child.kill().expect("kill");
    let out = child.wait_with_output().unwrap();
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    true
}

/// After a kill: the index opens and answers, holds no statement twice, and holds
/// only statements of the finished ingest (`reference`), and `who` answers.
fn check_after_kill(index: &Path, reference: &[String]) {
    if !index.join("meta.json").exists() {
        // Killed before the index was created: nothing to open yet.
        return;
    }
    let seen = dump(index);
    let all: BTreeSet<&String> = reference.iter().collect();
    let foreign: Vec<&String> = seen.iter().filter(|s| !all.contains(s)).take(3).collect();
    assert!(foreign.is_empty(), "statements no clean ingest has: {foreign:?}");
    assert!(matches!(who_code(index, "the budget"), Some(0 | 1)));
}

/// A temporary folder with the generated corpus, and its clean ingest's dump and time.
fn generated() -> (Dir, PathBuf, Vec<String>, Duration) {
    let tmp = Dir::new();
    let corpus = tmp.path("corpus");
    generate(&corpus, 1000);
    let (reference, took) = clean_ingest(&tmp.path("clean"), &corpus, &[]);
    assert!(reference.len() > 2000, "{}", reference.len());
    (tmp, corpus, reference, took)
}

fn clean_ingest(index: &Path, corpus: &Path, extra: &[&str]) -> (Vec<String>, Duration) {
    let start = Instant::now();
    ingest(index, corpus, &[&["--commit-mb", BATCH_MB], extra].concat());
    let took = start.elapsed();
    (dump(index), took)
}

#[test]
fn sigkill_at_any_moment_then_resume_equals_a_clean_ingest() {
    let (tmp, corpus, reference, took) = generated();

    // One index, killed again and again at spread moments, each run resuming the last;
    // a run that ends before its kill must equal the clean ingest, and the series
    // starts again from nothing, until six runs were killed.
    let index = tmp.path("killed");
    let fractions = [0.05, 0.3, 0.15, 0.45, 0.1, 0.6, 0.25, 0.8];
    let (mut kills, mut attempts) = (0, 0);
    while kills < 6 && attempts < 24 {
        if ingest_killed(&index, &corpus, &[], took.mul_f64(fractions[attempts % fractions.len()]))
        {
            kills += 1;
            check_after_kill(&index, &reference);
        } else {
            assert_eq!(dump(&index), reference);
            std::fs::remove_dir_all(&index).unwrap();
        }
        attempts += 1;
    }
    eprintln!("{kills} of {attempts} runs killed before they ended (clean ingest of {} statements: {took:?})", reference.len());
    assert!(kills >= 6, "only {kills} of {attempts} runs were killed before they ended");
    ingest(&index, &corpus, &["--commit-mb", BATCH_MB]);
    assert_eq!(dump(&index), reference);

    // Killed near the end of a full run (last commit, merges, speaker table).
    let late = tmp.path("late");
    for fraction in [0.93, 0.99] {
        let _ = std::fs::remove_dir_all(&late);
        ingest_killed(&late, &corpus, &[], took.mul_f64(fraction));
        check_after_kill(&late, &reference);
        let resumed = ingest(&late, &corpus, &["--commit-mb", BATCH_MB]);
        // The warning names the list by its full path: no warning about it at all.
        assert!(!stderr(&resumed).contains("ingest-files.json:"), "{}", stderr(&resumed));
        assert_eq!(dump(&late), reference);
    }

    // Killed while re-ingesting a changed corpus with --prune: records removed from
    // a JSON Lines file, a text file rewritten, files deleted.
    let wire = corpus.join("wire-2.jsonl");
    let lines: Vec<String> = std::fs::read_to_string(&wire)
        .unwrap()
        .lines()
        .enumerate()
        .filter(|(i, _)| i % 3 != 0)
        .map(|(_, l)| l.to_string())
        .collect();
    std::fs::write(&wire, lines.join("\n") + "\n").unwrap();
    std::fs::remove_file(corpus.join("digest.csv")).unwrap();
    let month = corpus.join("2024-03");
    let mut texts: Vec<PathBuf> =
        std::fs::read_dir(&month).unwrap().flatten().map(|e| e.path()).collect();
    texts.sort();
    std::fs::write(&texts[0], "“Everything is different now,” Nadia Karim said.\n").unwrap();
    std::fs::remove_file(&texts[1]).unwrap();
    let (changed_reference, changed_took) = clean_ingest(&tmp.path("clean-changed"), &corpus, &[]);
    assert!(changed_reference.len() < reference.len());
    for fraction in [0.1, 0.3, 0.6] {
        ingest_killed(&index, &corpus, &["--prune"], changed_took.mul_f64(fraction));
        check_after_kill_mixed(&index, &reference, &changed_reference);
    }
    ingest(&index, &corpus, &["--commit-mb", BATCH_MB, "--prune"]);
    assert_eq!(dump(&index), changed_reference);
}

/// During a re-ingest of a changed corpus the index holds statements of the old
/// corpus or the new one, never any other, and none twice.
fn check_after_kill_mixed(index: &Path, old: &[String], new: &[String]) {
    let both: BTreeSet<&String> = old.iter().chain(new).collect();
    let seen = dump(index);
    assert!(seen.iter().all(|s| both.contains(s)));
}

#[test]
fn a_file_list_older_than_the_index_or_with_dirty_entries_is_repaired_by_the_next_run() {
    // The two windows a kill rarely hits: after a commit, before the list is written
    // (the list is one commit behind), and after the list marked a batch dirty, before
    // the commit (the list has dirty entries the index does not need).
    let tmp = Dir::new();
    let corpus = tmp.path("corpus");
    small_corpus(&corpus);
    std::fs::write(corpus.join("late.txt"), "“It came later,” Pablo Reyes said.\n").unwrap();
    let (reference, _) = clean_ingest(&tmp.path("clean"), &corpus, &[]);

    let index = tmp.path("index");
    let late = std::fs::read(corpus.join("late.txt")).unwrap();
    std::fs::remove_file(corpus.join("late.txt")).unwrap();
    std::fs::write(
        corpus.join("wire.jsonl"),
        "{\"id\": \"1\", \"text\": \"“Old words,” Maria Ortega said.\"}\n",
    )
    .unwrap();
    ingest(&index, &corpus, &[]);
    let older_list = std::fs::read(index.join("ingest-files.json")).unwrap();
    small_corpus(&corpus);
    std::fs::write(corpus.join("late.txt"), &late).unwrap();
    ingest(&index, &corpus, &[]);
    std::fs::write(index.join("ingest-files.json"), &older_list).unwrap();
    ingest(&index, &corpus, &[]);
    assert_eq!(dump(&index), reference);

    let list = std::fs::read_to_string(index.join("ingest-files.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&list).unwrap();
    for (_, entry) in v["files"].as_object_mut().unwrap().iter_mut() {
        *entry = serde_json::Value::Null;
    }
    std::fs::write(index.join("ingest-files.json"), v.to_string()).unwrap();
    let redone = ingest(&index, &corpus, &[]);
    assert!(stderr(&redone).contains("whosaid: 4 files, 6 articles"), "{}", stderr(&redone));
    assert_eq!(dump(&index), reference);
}

// ---------------------------------------------------------------------------------
// Concurrency.

#[test]
fn queries_answer_during_an_ingest_and_a_second_ingest_is_refused_at_once() {
    let (tmp, corpus, reference, _) = generated();

    let index = tmp.path("index");
    let c = corpus.to_str().unwrap();
    let mut first = spawn(&index, &["ingest", c, "--threads", "2", "--commit-mb", BATCH_MB]);
    // The index is created after the lock is taken (the lock file itself exists a
    // moment before it is locked).
    while !index.join("meta.json").exists() {
        assert!(
            first.try_wait().unwrap().is_none(),
            "the first ingest ended before it took the lock"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    let second = run(&index, &["ingest", c]);
    assert_eq!(second.status.code(), Some(2), "{}", stderr(&second));
    let err = stderr(&second);
    assert!(
        err.contains("another ingest is running") && err.contains("whosaid-ingest.lock"),
        "{err}"
    );
    // The first was still running: the second failed on the lock, not after waiting.
    assert!(first.try_wait().unwrap().is_none(), "the second ingest waited for the first");

    // Queries see the last commit: never an error once the index exists, and never
    // fewer statements than before.
    let (mut last, mut answered) = (0u64, 0);
    while first.try_wait().unwrap().is_none() {
        let stats = run(&index, &["stats", "--json"]);
        match stats.status.code() {
            Some(0 | 1) => {
                let v: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
                let n = v["statements"].as_u64().unwrap();
                assert!(n >= last, "{n} statements after {last}");
                last = n;
                answered += 1;
            }
            _ => assert!(stderr(&stats).contains("no index at"), "{}", stderr(&stats)),
        }
        let who = run(&index, &["who", "will be finished before the winter"]);
        let code = who.status.code();
        assert!(
            matches!(code, Some(0 | 1)) || stderr(&who).contains("no index at"),
            "{}",
            stderr(&who)
        );
    }
    let out = first.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(answered > 0);
    assert_eq!(dump(&index), reference);
}

// ---------------------------------------------------------------------------------
// Queries.

#[test]
fn malformed_huge_and_out_of_range_queries_exit_2_with_a_message() {
    let env = Dir::new();
    small_corpus(&env.path("corpus"));
    let out = env.run(&["ingest", env.path("corpus").to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Each of these overflowed the stack (an abort) before the depth limit.
    let deep = format!("{}bridge{}", "(".repeat(5000), ")".repeat(5000));
    let nots = format!("{}bridge", "NOT ".repeat(2500));
    let or_nest = format!("{}b{}", "(a OR ".repeat(1200), ")".repeat(1200));
    let huge_nest = format!("{}b{}", "(a OR ".repeat(3000), ")".repeat(3000));
    let long = "harbour ".repeat(1500);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        // An unknown field ("foo:bar"), an unclosed quote, "(((" and a lone "AND"
        // are words or nothing now, never an error (tests/data/odd-queries.tsv).
        (vec!["query", "text:*"], "'text:*' cannot be searched"),
        (vec!["query", "date:2020"], "dates in a query are RFC 3339"),
        (vec!["query", &deep], "nests parentheses and NOTs more than 32 deep"),
        (vec!["query", &nots], "nests parentheses and NOTs more than 32 deep"),
        (vec!["query", &or_nest], "nests parentheses and NOTs more than 32 deep"),
        (vec!["query", &huge_nest], "bad query: the query is 21001 bytes long; at most 10240"),
        (vec!["query", &long], "the query is 11999 bytes long; at most 10240"),
        (vec!["who", &long], "the phrase is 12000 bytes long"),
        (vec!["query", "harbour", "--speaker", &long], "the filter value is 12000 bytes long"),
        (vec!["timeline", "lee", &deep], "nests parentheses"),
        (vec!["query", "harbour", "--since", "99999"], "--since \"99999\": not a date"),
        (vec!["query", "harbour", "--until", "2025-13"], "--until \"2025-13\": not a date"),
        (vec!["query", "harbour", "--since", "2025-02-30"], "not a date"),
        (
            vec!["query", "harbour", "--since", "2025-06", "--until", "2025-01"],
            "--since 2025-06 is after --until 2025-01",
        ),
        (vec!["who", "harbour", "--since", "March"], "not a date"),
        (vec!["query", "harbour", "--limit", "-1"], "error"),
        (vec!["query", "harbour", "--limit", "99999999999999999999999"], "error"),
        (vec!["query", "harbour", "--by", "century"], "error"),
        (vec!["speakers", "--limit", "x"], "error"),
    ];
    for (args, expected) in cases {
        let out = env.run(&args);
        let err = stderr(&out);
        let shown: Vec<String> = args.iter().map(|a| a.chars().take(40).collect()).collect();
        assert_eq!(out.status.code(), Some(2), "{shown:?}: {err}");
        assert!(err.contains(expected), "{shown:?}: expected {expected:?} in {err}");
        assert!(!err.contains("panicked"), "{shown:?}: {err}");
        assert!(stdout(&out).is_empty(), "{shown:?}");
    }
    // Extreme but valid: answered.
    for args in [
        vec!["query", "harbour", "--since", "0001", "--until", "9999"],
        vec!["query", "harbour", "--limit", "18446744073709551615"],
    ] {
        let out = env.run(&args);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn random_queries_never_crash() {
    // Queries drawn from the grammar's own characters and words: every one is
    // answered (0 or 1) or refused with a message (2), never a panic or a signal.
    let env = Dir::new();
    small_corpus(&env.path("corpus"));
    env.run(&["ingest", env.path("corpus").to_str().unwrap()]);
    let pieces = [
        "harbour",
        "talks",
        "\"",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ":",
        "*",
        "~",
        "^",
        "-",
        "+",
        "AND",
        "OR",
        "NOT",
        "IN",
        "speaker:",
        "title:",
        "date:",
        "kind:",
        "source:",
        "text:",
        "2025-03-01T00:00:00Z",
        " TO ",
        "\\",
        "'",
        "’",
        "“",
        "/",
        "?",
        "!",
        "0",
        "1e309",
        "-1",
        " ",
        "é",
        "\u{7}",
        "𝄞",
    ];
    let mut rng = Rng(0xdead_beef_1234_5678);
    for _ in 0..120 {
        let n = 1 + rng.next() % 12;
        let q: String = (0..n).map(|_| rng.pick(&pieces)).collect();
        for cmd in ["query", "who"] {
            let out = env.run(&[cmd, "--", &q]);
            let err = stderr(&out);
            assert!(
                matches!(out.status.code(), Some(0..=2)),
                "{cmd} {q:?}: {:?} {err}",
                out.status
            );
            assert!(!err.contains("panicked"), "{cmd} {q:?}: {err}");
            if out.status.code() == Some(2) {
                assert!(
                    err.starts_with("whosaid: error: ") || err.starts_with("error: "),
                    "{cmd} {q:?}: {err}"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// Index versions.

#[test]
fn an_index_of_another_schema_version_says_to_re_ingest() {
    let (_tmp, corpus, index) = small_index();
    let stamp = index.join("whosaid-version.json");
    let current: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&stamp).unwrap()).unwrap();
    assert_eq!(current["schema"], whosaid::index::SCHEMA_VERSION);
    for (body, expected) in [
        (
            r#"{"schema": 2}"#.to_string(),
            format!(
                "has schema version 2, this whosaid needs version {}",
                whosaid::index::SCHEMA_VERSION
            ),
        ),
        ("garbage".to_string(), "has no readable whosaid-version.json".to_string()),
    ] {
        std::fs::write(&stamp, &body).unwrap();
        for args in [
            vec!["query", "bridge"],
            vec!["who", "bridge"],
            vec!["stats"],
            vec!["speakers"],
            vec!["timeline", "lee"],
            vec!["ingest", corpus.to_str().unwrap()],
        ] {
            let out = run(&index, &args);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
            assert!(err.contains(&expected) && err.contains("re-ingest"), "{args:?}: {err}");
        }
    }
    // Refused without a change: the old index is still there to be deleted by hand.
    assert_eq!(std::fs::read_to_string(&stamp).unwrap(), "garbage");
    std::fs::remove_file(&stamp).unwrap();
    let out = run(&index, &["stats"]);
    assert!(
        stderr(&out).contains("has no readable whosaid-version.json (made by an older whosaid?)"),
        "{}",
        stderr(&out)
    );
}

/// Issue 19: unreadable is not gone. `ingest --prune` while a folder could not be
/// read (no permission) or a linked folder was away removed their files' statements,
/// and a changed file that could not be opened lost its statements without a word.
/// Now only a file whose name is really missing from a folder that could be read is
/// pruned; the others keep their statements and are counted apart, as are files
/// left out by `--exclude`. Permissions mean nothing to root, so as root the runs are
/// made as `nobody` through setpriv when it can (else the link and exclude cases
/// still run).
#[test]
fn prune_removes_only_what_is_gone_and_unreadable_files_keep_their_statements() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = Dir::new();
    let (corpus, index, away) = (tmp.path("corpus"), tmp.path("index"), tmp.path("away"));
    let write = |rel: &str, who: &str| {
        let path = corpus.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, format!("“The {rel} report is ready,” {who} said.\n")).unwrap();
    };
    write("gone/a.txt", "Ann Lee");
    write("locked/b.txt", "Tom Baker");
    write("changed/d.txt", "Ada Brunn");
    write("excluded/e.txt", "Ann Lee");
    std::fs::create_dir_all(&away).unwrap();
    std::fs::write(away.join("c.txt"), "“The far report is ready,” Tom Baker said.\n").unwrap();
    std::os::unix::fs::symlink(&away, corpus.join("linked")).unwrap();
    for dir in [tmp.root(), corpus.as_path(), away.as_path()] {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    }
    let root = is_root();
    let nobody = ["--reuid=65534", "--regid=65534", "--clear-groups"];
    let as_nobody = root
        && Cmd::via("setpriv", &nobody)
            .arg("--version")
            .try_output()
            .is_ok_and(|o| o.status.success());
    let whosaid = |args: &[&str]| {
        let cmd = if as_nobody { Cmd::via("setpriv", &nobody) } else { Cmd::new() };
        cmd.index(&index).args(args).output()
    };
    let first = whosaid(&["ingest", corpus.to_str().unwrap()]);
    assert!(first.status.success(), "{}", stderr(&first));
    let statements = || whosaid(&["stats", "--json"]).stdout;
    let count = || {
        serde_json::from_slice::<serde_json::Value>(&statements()).unwrap()["statements"].as_u64()
    };
    assert_eq!(count(), Some(5));

    std::fs::remove_file(corpus.join("gone/a.txt")).unwrap();
    std::fs::rename(&away, tmp.path("away2")).unwrap();
    // Changed, then unreadable (to nobody); locked: a folder nobody may list.
    std::fs::write(corpus.join("changed/d.txt"), "“Changed,” Ada Brunn said.\n").unwrap();
    std::fs::set_permissions(corpus.join("changed/d.txt"), std::fs::Permissions::from_mode(0o000))
        .unwrap();
    std::fs::set_permissions(corpus.join("locked"), std::fs::Permissions::from_mode(0o000))
        .unwrap();
    let unreadable = !root || as_nobody;

    let out = whosaid(&["ingest", corpus.to_str().unwrap(), "--prune", "--exclude", "excluded/"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains(
            "1 files gone since the last ingest: their 1 articles and 1 statements removed"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "were left out this time (--exclude, .whosaidignore); their 1 statements stay"
        ),
        "{err}"
    );
    if unreadable {
        assert!(err.contains("changed/d.txt: cannot open: Permission denied"), "{err}");
        assert!(err.contains("not read again, its statements from the last ingest stay"), "{err}");
        assert!(err.contains("3 files ingested before could not be reached or opened (see the warnings); their 3 statements stay"), "{err}");
    } else {
        eprintln!("running as root without setpriv: only the link, exclude and gone cases checked");
        assert!(err.contains("could not be reached or opened"), "{err}");
    }
    // Old code: 1 (everything not walked was pruned).
    assert_eq!(count(), Some(4), "{err}");
    for dir in ["changed/d.txt", "locked"] {
        std::fs::set_permissions(corpus.join(dir), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// Whether this process runs as root (uid 0), read from /proc without libc.
fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|s| {
        s.lines().any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
    })
}

/// Issue 19: a full disk during indexing said "An index writer was killed" (Tantivy's
/// words for a thread that failed). Now the error names the cause, "No space left on
/// device", with what to do, and the commits before it stay. The disk is a 3 MB
/// tmpfs in a mount namespace of its own (`unshare -m`): root only, else skipped.
#[test]
fn a_full_disk_is_said_in_words_and_loses_nothing_committed() {
    let tmp = Dir::new();
    let (small, big, index) = (tmp.path("small"), tmp.path("big"), tmp.path("index"));
    small_corpus(&small);
    // Far more than 3 MB of index: varied words, so nothing compresses it away.
    let mut body = String::new();
    for i in 0..40_000 {
        body.push_str(&format!(
            "“Ward {i} needs {} new pumps by {},” Ann Lee said.\n",
            i * 7,
            i * 13
        ));
    }
    std::fs::create_dir_all(&big).unwrap();
    for n in 0..8 {
        std::fs::write(big.join(format!("big-{n}.txt")), format!("{n} {body}")).unwrap();
    }
    std::fs::create_dir_all(&index).unwrap();
    let bin = env!("CARGO_BIN_EXE_whosaid");
    let mount = format!("mount -t tmpfs -o size=3m tmpfs '{}'", index.display());
    let can_mount = std::process::Command::new("unshare")
        .args(["-m", "sh", "-c", &mount])
        .output()
        .is_ok_and(|o| o.status.success());
    if !can_mount {
        eprintln!("cannot mount a small tmpfs here (needs root and unshare): skipped");
        return;
    }
    let script = format!(
        "{mount} && '{bin}' --index '{i}' ingest '{s}' --threads 2 >/dev/null 2>&1; \
         '{bin}' --index '{i}' ingest '{b}' --threads 2; echo \"exit $?\" >&2; \
         '{bin}' --index '{i}' stats --json",
        i = index.display(),
        s = small.display(),
        b = big.display()
    );
    let out =
        std::process::Command::new("unshare").args(["-m", "sh", "-c", &script]).output().unwrap();
    let err = stderr(&out);
    assert!(err.contains("No space left on device"), "{err}");
    assert!(!err.contains("index writer was killed"), "{err}");
    assert!(err.contains("exit 2"), "{err}");
    assert!(err.contains("whosaid: the disk is full"), "{err}");
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(stats["articles"], 5, "what was committed before stays: {stats} {err}");
}

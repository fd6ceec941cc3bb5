//! Command-line definitions: every subcommand, flag and help text in one place.

use std::path::PathBuf;

use clap::{Args, ColorChoice, Parser, Subcommand, ValueEnum};

const EXIT_CODES: &str = "Exit codes:\n  0  results (statements found; articles ingested or already up to date)\n  1  no results\n  2  error (bad arguments, bad query, missing, locked or unreadable index)";

/// whosaid: who said what, and when, in a folder of news articles.
#[derive(Debug, Parser)]
#[command(name = "whosaid", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    /// Index folder [default: $WHOSAID_INDEX, else ./whosaid-index].
    #[arg(long, global = true, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// Colour and bold in human output: auto (when stdout is a terminal and NO_COLOR
    /// is unset), always, never.
    #[arg(long, global = true, value_name = "WHEN", value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// No progress and no summaries on stderr; warnings and errors still print.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Every warning on a line of its own as it comes (ingest, extract); without it,
    /// one line per reason at the end with a count and the first few paths.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read articles, find their statements and add them to the index.
    ///
    /// Formats by extension: .txt, .md/.markdown (front matter), .json, .jsonl/.ndjson,
    /// .csv, .html/.htm (the article's main text). Files unchanged since they were last
    /// ingested are not read again; a changed file's statements are replaced. Work is
    /// committed in batches: after a crash or a kill the index answers with its last
    /// commit, and running the same ingest again completes it. One ingest at a time per
    /// index; queries work meanwhile. Progress goes to stderr: a bar on a terminal, else
    /// a line every 5 seconds ($WHOSAID_PROGRESS_SECONDS); none with --quiet.
    #[command(after_help = EXIT_CODES)]
    Ingest {
        /// Files or folders (walked recursively; hidden entries, README, LICENSE and
        /// the like skipped; see --exclude). A path that cannot be read is an error.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        read: ReadArgs,
        /// Index writer memory budget in MB, 16 to 1048576: a bound on the writer
        /// whatever --threads says (each indexing thread needs 16, so a small budget
        /// indexes on fewer threads).
        #[arg(long, default_value_t = (whosaid::index::DEFAULT_HEAP_BYTES >> 20) as u64, value_name = "MB", value_parser = clap::value_parser!(u64).range(16..=1_048_576))]
        memory: u64,
        /// Remove the statements of files under PATH that were ingested before and
        /// are gone (deleted, renamed, moved).
        #[arg(long)]
        prune: bool,
        /// Commit after this much article text (decimals allowed): a crash loses at most
        /// this much work, which the next run redoes.
        #[arg(long, default_value_t = (whosaid::ingest::DEFAULT_COMMIT_BYTES >> 20) as f64, value_name = "MB", value_parser = positive_mb)]
        commit_mb: f64,
        #[command(flatten)]
        threads: ThreadArgs,
        /// Send the statements to an OpenSearch (or Elasticsearch) index,
        /// http://HOST:PORT/INDEX, instead of the local index: the index is created
        /// with whosaid's mapping if missing, and each statement is stored under its
        /// id, so a second run replaces rather than duplicates. https and a user
        /// (https://USER@HOST:PORT/INDEX, the password in WHOSAID_CLUSTER_PASSWORD,
        /// a CA file in WHOSAID_CLUSTER_CA) work too. See docs/cluster.md.
        #[arg(long, value_name = "URL", conflicts_with = "prune")]
        to: Option<String>,
    },
    /// Print the statements of articles as JSON Lines, without an index.
    #[command(after_help = EXIT_CODES)]
    Extract {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        read: ReadArgs,
        /// JSON Lines output, one statement per line (the only format; accepted for clarity).
        #[arg(long)]
        json: bool,
        /// Before each article's statements, one line with the text their offsets
        /// point into: {"article", "path", "title", "source", "url", "author",
        /// "article_date", "body"}. For HTML, the extracted main text.
        #[arg(long)]
        with_body: bool,
        #[command(flatten)]
        threads: ThreadArgs,
    },
    /// Full-text search over statements, with facet counts over all matches.
    ///
    /// Words (any form: agree finds agreed, the form typed ranked first), "exact
    /// phrases" and "quoted words" (as written), AND / OR / NOT, -word, (groups),
    /// word*, and field:value for speaker_name, speaker, speaker_type, title, kind,
    /// source. Anything else is read as words, never an error: Ann's wall, re: trade,
    /// a stray quote or operator. An empty query or * matches all. Statements of a
    /// few words rank below longer ones. Facets count every match (all the words), speakers as
    /// `who` does (name variants merged; an unnamed speaker shown as "unnamed:
    /// analysts", apart from named ones), and statements per speaker type.
    #[command(after_help = EXIT_CODES)]
    Query {
        /// A query that starts with - (an exclusion: "-tax vote") is read as the query,
        /// not as a flag.
        #[arg(value_name = "QUERY", default_value = "*", allow_hyphen_values = true)]
        query: String,
        #[command(flatten)]
        filters: FilterArgs,
        /// Hits to show.
        #[arg(long, default_value_t = 10, value_name = "N")]
        limit: usize,
        /// Skip this many hits first (the next page: --offset 10 with --limit 10).
        #[arg(long, default_value_t = 0, value_name = "N")]
        offset: usize,
        /// relevance; date: oldest first; -date: newest first (undated last either way).
        #[arg(long, default_value = "relevance", value_parser = whosaid::api::QUERY_SORTS, allow_hyphen_values = true)]
        sort: String,
        /// Also count the date facet per day, week or year (facets."day" / "week" /
        /// "year"; facets."month" is always there).
        #[arg(long, value_name = "PERIOD", value_parser = ["year", "month", "week", "day"])]
        by: Option<String>,
        /// Ask an OpenSearch (or Elasticsearch) index, http[s]://[USER@]HOST:PORT/INDEX,
        /// filled by ingest --to, instead of the local index; the answer prints alike
        /// (see docs/cluster.md for what differs).
        #[arg(long, value_name = "URL")]
        engine: Option<String>,
        /// One JSON object: {"query", "total", "offset", "hits", "facets"}; facets."speaker" values
        /// are {"value", "count", "speaker_type", "label"}.
        #[arg(long)]
        json: bool,
    },
    /// Who said it: speakers ranked by the number of statements matching a phrase.
    ///
    /// Exact phrase first (ignoring case, punctuation and straight vs curly quotes),
    /// then a sloppy phrase, then all words. An unnamed speaker (a description such as
    /// "analysts") is ranked apart from named ones and shown as "unnamed: analysts".
    #[command(after_help = EXIT_CODES)]
    Who {
        #[arg(value_name = "PHRASE")]
        phrase: String,
        #[command(flatten)]
        filters: FilterArgs,
        /// Speakers to show (and statements, with --sort date).
        #[arg(long, default_value_t = 10, value_name = "N")]
        limit: usize,
        /// count: speakers by matching statements; date: the matching statements
        /// oldest first, and speakers by their first date ("who said it first?").
        #[arg(long, default_value = "count", value_parser = ["count", "date"])]
        sort: String,
        /// Ask an OpenSearch (or Elasticsearch) index, http[s]://[USER@]HOST:PORT/INDEX,
        /// filled by ingest --to, instead of the local index; the answer prints alike
        /// (see docs/cluster.md for what differs).
        #[arg(long, value_name = "URL")]
        engine: Option<String>,
        /// One JSON object: {"query", "match", "total", "speakers"} (+ "statements" with
        /// --sort date); "total" counts the statements matched as "match" says;
        /// each speaker has "speaker" (the name), "speaker_type" and "label".
        #[arg(long)]
        json: bool,
    },
    /// How often a speaker was quoted per week or month, drawn as bars.
    ///
    /// Counts statements dated to the day; coarser and undated ones are reported
    /// as "undated". A run of more than three periods with no statement is one
    /// line ("… 347 empty months (1987-04 – 2016-02)"); --json keeps every period.
    #[command(after_help = EXIT_CODES)]
    Timeline {
        /// Speaker, chosen as --speaker chooses: a name or variant, "unnamed: NAME", or
        /// a surname only one person has ("petrov").
        #[arg(value_name = "SPEAKER")]
        speaker: String,
        /// Only statements matching this query (same syntax as `query`).
        #[arg(value_name = "QUERY", default_value = "*")]
        query: String,
        #[command(flatten)]
        filters: FilterArgs,
        /// Period per bar.
        #[arg(long, default_value = "month", value_name = "PERIOD", value_parser = ["year", "month", "week", "day"])]
        by: String,
        /// Ask an OpenSearch (or Elasticsearch) index, http[s]://[USER@]HOST:PORT/INDEX,
        /// filled by ingest --to, instead of the local index; the answer prints alike
        /// (see docs/cluster.md for what differs).
        #[arg(long, value_name = "URL")]
        engine: Option<String>,
        /// One JSON object: {"speaker", "query", "by", "total", "undated", "periods"}.
        #[arg(long)]
        json: bool,
    },
    /// Speakers with the name variants merged into each, most statements first.
    ///
    /// Variants of one person's name across articles are merged (Brovarsky /
    /// Brovarskyy, "Harriet Quill Dawson" / "Harriet Dawson"); people who share
    /// only a surname stay apart. Unnamed speakers are listed as "unnamed: analysts"
    /// (PREFIX "unnamed" lists them all).
    #[command(after_help = EXIT_CODES)]
    Speakers {
        /// Only speakers with a name, or a word of one, starting with this.
        #[arg(value_name = "PREFIX", default_value = "")]
        prefix: String,
        /// Speakers to show (0: all).
        #[arg(long, default_value_t = 50, value_name = "N")]
        limit: usize,
        /// Ask an OpenSearch (or Elasticsearch) index, http[s]://[USER@]HOST:PORT/INDEX,
        /// filled by ingest --to, instead of the local index; the answer prints alike
        /// (see docs/cluster.md for what differs).
        #[arg(long, value_name = "URL")]
        engine: Option<String>,
        /// One JSON object: {"speakers": [{"speaker", "speaker_type", "aliases",
        /// "statements", "articles", "label"}]}.
        #[arg(long)]
        json: bool,
    },
    /// A local web app over the index: a search page and a JSON API.
    ///
    /// The page: a search box, speaker, speaker type, source and kind facets that filter
    /// on click (an unnamed speaker shown as "unnamed: analysts"; the speaker and source
    /// lists have a filter box), a date histogram, and the matching statements in pages,
    /// by relevance or date, each with its sentence and a link to its article's view
    /// (/article/ID: the whole text, statements highlighted). The API (GET): /api/search,
    /// /api/who, /api/timeline, /api/speakers, /api/stats, /api/article, answering with
    /// the JSON of query, who, timeline, speakers, stats and show --json. Runs until
    /// stopped (Ctrl-C).
    #[command(after_help = "Exit codes:\n  2  error (no index, address in use or not valid)")]
    Serve {
        /// Address to listen on. Port 0 picks a free port; the address is printed on
        /// stderr. Anything but a loopback address lets other machines read the index.
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
        addr: String,
        /// Serve an OpenSearch (or Elasticsearch) index,
        /// http[s]://[USER@]HOST:PORT/INDEX, filled by ingest --to, instead of the
        /// local index; its hits have no article view (see docs/cluster.md).
        #[arg(long, value_name = "URL")]
        engine: Option<String>,
    },
    /// Benchmarks: build a scaled corpus from a real one (for scripts/bench).
    #[command(hide = true, name = "bench-corpus")]
    BenchCorpus {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Folder for the copies (copy-NNNN.jsonl).
        #[arg(long, value_name = "DIR", default_value = "/tmp/whosaid-scaled")]
        out: PathBuf,
        /// Copies to write (0: only print the source's size).
        #[arg(long, default_value_t = 0)]
        copies: usize,
        /// Days each copy's dates move past the previous copy's.
        #[arg(long, default_value_t = 7)]
        shift_days: i64,
    },
    /// Benchmarks: time the queries of a file inside one process (for scripts/bench).
    #[command(hide = true, name = "bench-query")]
    BenchQuery {
        /// Tab-separated lines: phrase|word|who|facets TEXT, or speaker NAME SINCE UNTIL.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Models: train data/models/ from PolNeAR (for scripts/train).
    #[command(hide = true)]
    Train {
        /// The shared corpora folder; PolNeAR is read from polnear/train.
        #[arg(long, value_name = "DIR")]
        corpora: PathBuf,
        /// Write the model files here.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Cross-validate with this many folds; writes --fold-predictions.
        #[arg(long, default_value_t = 0)]
        folds: usize,
        /// Statements of the training split, each from models trained without its fold.
        #[arg(long, value_name = "FILE")]
        fold_predictions: Option<PathBuf>,
        /// A split to extract with the new models (e.g. polnear/dev)...
        #[arg(long, value_name = "DIR", requires = "dev_predictions")]
        dev: Option<PathBuf>,
        /// ...and where to write its statements.
        #[arg(long, value_name = "FILE")]
        dev_predictions: Option<PathBuf>,
        /// Leave a model untrained (rules only), for ablations; repeatable.
        #[arg(long, value_name = "MODEL")]
        without: Vec<String>,
        /// Only learn the word clusters (clusters.tsv in --out) from the unlabelled
        /// corpora; the models read them after a rebuild (scripts/train does both).
        #[arg(long, requires = "out")]
        clusters: bool,
    },
    /// Totals: statements, articles, speakers (named; unnamed ones counted apart), date
    /// range, top speakers.
    #[command(after_help = EXIT_CODES)]
    Stats {
        /// Ask an OpenSearch (or Elasticsearch) index, http[s]://[USER@]HOST:PORT/INDEX,
        /// filled by ingest --to, instead of the local index; the answer prints alike
        /// (see docs/cluster.md for what differs).
        #[arg(long, value_name = "URL")]
        engine: Option<String>,
        /// One JSON object.
        #[arg(long)]
        json: bool,
    },
    /// An article with its statements marked: title, source, date, URL, path, id,
    /// the text, and each statement's speaker, cue, date and kind.
    ///
    /// ID is the article id exactly as hits print it ("article ID" under each hit,
    /// "article" in --json), e.g. reuters21578.jsonl#832. An unknown id exits 1 and
    /// names ids that start with it.
    #[command(after_help = EXIT_CODES)]
    Show {
        /// The article id.
        #[arg(value_name = "ID")]
        id: String,
        /// One JSON object: {"article": {id, path, title, source, url, author, date,
        /// body}, "statements": [...]} (offsets are bytes into body).
        #[arg(long)]
        json: bool,
    },
    /// Write every matching statement for another search engine or a spreadsheet.
    ///
    /// ndjson: one statement per line (Quickwit's ingest). es-bulk: the bulk API of
    /// OpenSearch and Elasticsearch (and Quickwit's _elastic/_bulk), an action line
    /// {"create": {"_index": NAME, "_id": ID}} before each statement. Dates are RFC 3339;
    /// the _id is the statement id, the same on every export. csv: for spreadsheets,
    /// columns id, date (the date at its precision: 2025-03-12, 2025-W11, 2025-03),
    /// date_precision, date_source, speaker, speaker_canonical, speaker_type, kind,
    /// text, cue, title, source, url, article, article_date, path.
    #[command(after_help = EXIT_CODES)]
    Export {
        /// Only statements matching this query (same syntax as `query`).
        #[arg(value_name = "QUERY", default_value = "*")]
        query: String,
        #[command(flatten)]
        filters: FilterArgs,
        #[arg(long, value_enum, default_value_t = ExportFormat::Ndjson)]
        format: ExportFormat,
        /// The _index of each es-bulk action.
        #[arg(long, value_name = "NAME", default_value = "whosaid")]
        index_name: String,
        /// es-bulk action: create (a statement already in the cluster is refused)
        /// or index (it is replaced). Quickwit reads only create.
        #[arg(long, value_enum, default_value_t = BulkAction::Create)]
        action: BulkAction,
    },
    /// Read every file of the index and say what is damaged and how to repair it.
    ///
    /// Checks each file's checksum (Tantivy ends every file with one), meta.json
    /// against the segments it names (their files present, their document counts),
    /// and the files beside the index (the version stamp, the speaker table, the list
    /// of ingested files). With --repair: a wrong count is written right; a segment
    /// with a damaged or missing file is dropped and the files whose statements it
    /// held are read again, from the folders and with the --date and --source they
    /// were ingested with; the speaker table is rebuilt.
    #[command(
        after_help = "Exit codes:\n  0  no damage (after the repair, with --repair)\n  1  damage found (and not all repaired)\n  2  error (no index, unreadable folder, index locked by an ingest)"
    )]
    Check {
        /// Repair what can be repaired, then check again.
        #[arg(long)]
        repair: bool,
        /// One JSON object: {"index", "statements", "articles", "problems": [{"part",
        /// "file", "what", "fix", ...}]} (+ "repaired" with --repair).
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        threads: ThreadArgs,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the man page, whosaid(1), or a subcommand's, whosaid-COMMAND(1).
    Man {
        /// A subcommand whose page to print.
        #[arg(value_name = "COMMAND")]
        command: Option<String>,
        /// Write every page into this folder (whosaid.1, whosaid-query.1, ...) instead.
        #[arg(long, value_name = "DIR", conflicts_with = "command")]
        dir: Option<PathBuf>,
    },
}

/// What `export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One statement per line.
    Ndjson,
    /// Bulk API lines: an action, then the statement.
    EsBulk,
    /// A spreadsheet: one row per statement (RFC 4180, UTF-8 with a byte-order mark;
    /// a cell that would run as a formula gets a leading ').
    Csv,
}

/// The action of each es-bulk line pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BulkAction {
    Create,
    Index,
}

/// A size in MB above zero; decimals let tests commit every few hundred KB.
fn positive_mb(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(mb) if mb.is_finite() && mb > 0.0 && mb < 1e9 => Ok(mb),
        _ => Err(format!("{value:?} is not a size in MB above 0")),
    }
}

#[derive(Debug, Args)]
pub struct ThreadArgs {
    /// Worker threads for extraction and indexing [default: available cores; at most
    /// 4 per core].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
}

impl ThreadArgs {
    /// The threads to use: the cores by default; a larger `--threads` is cut to
    /// `MAX_THREADS_PER_CORE` per core, with a warning on stderr.
    pub fn get(&self) -> usize {
        use whosaid::ingest::pipeline::{bounded_threads, default_threads};
        let Some(requested) = self.threads else { return default_threads() };
        let (threads, warning) = bounded_threads(usize::from(requested), default_threads());
        if let Some(warning) = warning {
            eprintln!("whosaid: warning: {warning}");
        }
        threads
    }
}

#[derive(Debug, Args)]
pub struct ReadArgs {
    /// Article date for articles with none in their metadata or path (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<String>,
    /// Publisher for articles whose record names none (no source, publication,
    /// site_name, … field; no og:site_name). It does not override a record's own
    /// source (a file that names its publisher knows best), but it wins over the site
    /// of the article's URL. Folded like every source: "reuters.com" is Reuters.
    #[arg(long, value_name = "NAME")]
    pub source: Option<String>,
    /// Leave out files and folders below PATH matching GLOB, a .gitignore pattern:
    /// "*.csv" and "drafts/" match a name at any depth, "2019/raw" the path below
    /// PATH; repeatable. A .whosaidignore file in a folder adds patterns for that
    /// folder (# comments, ! re-includes). README, LICENSE and the like are
    /// skipped too. A file named as a PATH is always read.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
}

#[derive(Debug, Args)]
pub struct FilterArgs {
    /// Only statements by this speaker; repeat for any of several. NAME selects exactly
    /// one speaker (case, accents and punctuation aside): the one with that name or a
    /// variant merged into it (see `whosaid speakers`); else the unnamed speaker of that
    /// name ("unnamed: analysts" asks for that one only); else the one person with that
    /// surname. "Jo Baker" never matches "Jo Baker Jr." or "Ann Baker"; a
    /// surname several people share is an error that lists them.
    #[arg(long, value_name = "NAME")]
    pub speaker: Vec<String>,
    /// Only statements made on or after this day, or from the start of this month
    /// or year (YYYY-MM-DD, YYYY-MM, YYYY).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only statements made on or before this day, or until the end of this month
    /// or year (YYYY-MM-DD, YYYY-MM, YYYY).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only direct, indirect or mixed statements.
    #[arg(long, value_name = "KIND", value_parser = ["direct", "indirect", "mixed"])]
    pub kind: Option<String>,
    /// Only statements from this source (publisher): a name or a site, case aside
    /// ("Reuters", "reuters.com" and "http://www.reuters.com" are one source). An
    /// unknown source is an error that lists the nearest ones.
    #[arg(long, value_name = "SOURCE")]
    pub source: Option<String>,
    /// Only statements whose speaker is a person, an organization, or unnamed (a group
    /// or description the article never names: "analysts", "officials").
    #[arg(long, value_name = "TYPE", value_parser = ["person", "organization", "unnamed"])]
    pub speaker_type: Option<String>,
}

impl From<&FilterArgs> for whosaid::api::FilterParams {
    fn from(f: &FilterArgs) -> whosaid::api::FilterParams {
        whosaid::api::FilterParams {
            speaker: f.speaker.clone(),
            since: f.since.clone(),
            until: f.until.clone(),
            kind: f.kind.clone(),
            source: f.source.clone(),
            speaker_type: f.speaker_type.clone(),
        }
    }
}

//! Which entries a folder walk leaves out: `--exclude` patterns, `.whosaidignore`
//! files, and project files (README, LICENSE, … from `data/rules/project-files.txt`).
//!
//! Patterns are .gitignore patterns (the `ignore` crate's matcher): a pattern without
//! a `/` matches a name at any depth, one with a `/` is anchored to the folder it
//! belongs to (the root given for `--exclude`, the file's own folder for a
//! `.whosaidignore`), `!` re-includes, a trailing `/` matches folders only. `--exclude`
//! decides first; then the `.whosaidignore` files from the deepest folder up, the
//! first that has a say deciding, as in git. A path named on the command line is
//! never left out.
//!
//! Known limits: as in git, a file inside an excluded folder cannot be re-included
//! (the folder is not walked); `.whosaidignore` files above the path given are not
//! read; a project file is told by its name only.

use std::path::Path;
use std::sync::OnceLock;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;

/// The name of the per-folder ignore file.
pub const IGNORE_FILE: &str = ".whosaidignore";
/// The file every whosaid index folder holds (`index::schema::VERSION_FILE`, which a
/// test holds equal): a folder with it is an index, never articles (`ingest .` once
/// read its own index's JSON files as articles).
pub const INDEX_MARKER: &str = "whosaid-version.json";

const PROJECT_FILES: &str = include_str!("../../data/rules/project-files.txt");

/// What the rules say about one entry below a root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Read,
    /// `--exclude` or a `.whosaidignore` leaves it out.
    Excluded,
    /// A README, LICENSE, …: not an article.
    ProjectFile,
    /// A whosaid index folder.
    WhosaidIndex,
}

/// The rules in force at one point of a walk below one root.
pub struct Rules {
    exclude: Gitignore,
    /// `.whosaidignore` matchers of the folders above the current entry, with the
    /// depth of their folder, outermost first.
    folders: Vec<(usize, Gitignore)>,
}

impl Rules {
    /// The `--exclude` patterns, anchored at `root`. A pattern that is not a valid
    /// glob is an error naming it.
    pub fn new(root: &Path, exclude: &[String]) -> anyhow::Result<Rules> {
        let mut b = GitignoreBuilder::new(root);
        for pattern in exclude {
            b.add_line(None, pattern).map_err(|e| {
                anyhow::anyhow!("--exclude {pattern:?} is not a valid pattern: {e}")
            })?;
        }
        let exclude = b.build().map_err(|e| anyhow::anyhow!("--exclude: {e}"))?;
        Ok(Rules { exclude, folders: Vec::new() })
    }

    /// The verdict on an entry at `depth` (1 or more) below the root. Entries come
    /// in walk order, so the folders left behind are dropped here.
    pub fn check(&mut self, path: &Path, depth: usize, is_dir: bool) -> Verdict {
        while self.folders.last().is_some_and(|(d, _)| *d >= depth) {
            self.folders.pop();
        }
        if is_dir && is_index(path) {
            return Verdict::WhosaidIndex;
        }
        let decided = match self.exclude.matched(path, is_dir) {
            Match::None => self
                .folders
                .iter()
                .rev()
                .map(|(_, g)| g.matched(path, is_dir))
                .find(|m| !m.is_none()),
            m => Some(m),
        };
        match decided {
            Some(Match::Ignore(_)) => Verdict::Excluded,
            // Re-included by name: read even if it looks like a project file.
            Some(Match::Whitelist(_)) => Verdict::Read,
            _ if !is_dir && is_project_file(path) => Verdict::ProjectFile,
            _ => Verdict::Read,
        }
    }

    /// Entering the folder `dir` at `depth`: its `.whosaidignore`, if any, applies
    /// below it. A file that cannot be read or holds a bad pattern is the error
    /// returned (as a warning for the caller to report); the good lines still apply.
    pub fn enter(&mut self, dir: &Path, depth: usize) -> Option<String> {
        while self.folders.last().is_some_and(|(d, _)| *d >= depth) {
            self.folders.pop();
        }
        let file = dir.join(IGNORE_FILE);
        if !file.is_file() {
            return None;
        }
        let mut b = GitignoreBuilder::new(dir);
        let problem = b.add(&file).map(|e| e.to_string());
        match b.build() {
            Ok(g) => {
                self.folders.push((depth, g));
                problem
            }
            Err(e) => Some(e.to_string()),
        }
    }
}

/// True for a whosaid index folder.
pub fn is_index(dir: &Path) -> bool {
    dir.join(INDEX_MARKER).is_file()
}

/// True for README, LICENSE and the other names of `data/rules/project-files.txt`
/// (see there for how a name is matched).
pub fn is_project_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return false };
    let names = project_names();
    let first = name.split('.').next().unwrap_or(name);
    if names.iter().any(|n| n.eq_ignore_ascii_case(first)) {
        return true;
    }
    name.split(['.', '-', '_']).any(|part| names.iter().any(|n| n == part))
}

fn project_names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        PROJECT_FILES
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("test:"))
            .map(str::to_string)
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_file_examples_hold() {
        let mut n = 0;
        for line in PROJECT_FILES.lines().filter_map(|l| l.strip_prefix("test:")) {
            let (name, want) = line.split_once("=>").expect("test: NAME => skip|read");
            let (name, want) = (name.trim(), want.trim());
            assert!(want == "skip" || want == "read", "{line}");
            assert_eq!(is_project_file(Path::new(name)), want == "skip", "{name} => {want}");
            n += 1;
        }
        assert!(n >= 10);
    }

    #[test]
    fn exclude_then_ignore_files_deepest_first() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        std::fs::write(root.join(IGNORE_FILE), "# drafts\n*.csv\ndrafts/\n").unwrap();
        std::fs::write(root.join("a/b").join(IGNORE_FILE), "!keep.csv\n").unwrap();
        let mut rules = Rules::new(root, &["old/*.txt".to_string()]).unwrap();
        assert_eq!(rules.enter(root, 0), None);
        assert_eq!(rules.check(&root.join("x.csv"), 1, false), Verdict::Excluded);
        assert_eq!(rules.check(&root.join("drafts"), 1, true), Verdict::Excluded);
        assert_eq!(rules.check(&root.join("old/y.txt"), 2, false), Verdict::Excluded);
        assert_eq!(rules.check(&root.join("a/old/y.txt"), 3, false), Verdict::Read);
        assert_eq!(rules.check(&root.join("a"), 1, true), Verdict::Read);
        rules.enter(&root.join("a"), 1);
        assert_eq!(rules.check(&root.join("a/b"), 2, true), Verdict::Read);
        rules.enter(&root.join("a/b"), 2);
        assert_eq!(rules.check(&root.join("a/b/keep.csv"), 3, false), Verdict::Read);
        assert_eq!(rules.check(&root.join("a/b/other.csv"), 3, false), Verdict::Excluded);
        assert_eq!(rules.check(&root.join("a/b/README.md"), 3, false), Verdict::ProjectFile);
        // Back up: a/b's rules no longer apply.
        assert_eq!(rules.check(&root.join("a/keep.csv"), 2, false), Verdict::Excluded);
    }

    #[test]
    fn bad_exclude_pattern_is_an_error() {
        let err = Rules::new(Path::new("/x"), &["a{b".to_string()]).err().unwrap();
        assert!(err.to_string().contains("a{b"), "{err}");
    }
}

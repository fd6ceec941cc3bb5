//! `completions` and `man`: shell completion scripts and man pages, generated from
//! the clap definitions in `cli.rs`, so they say what `--help` says.
//!
//! Known limits: completions know the subcommands and flags, not values from the
//! index (speaker names, sources); the hidden bench commands are left out of both.

use std::io::{self, Write};
use std::path::Path;

use anyhow::{bail, Context, Result};
use clap::CommandFactory;
use clap_complete::Shell;

use super::args::Cli;
use super::Outcome;

/// The command tree with its hidden subcommands left out. clap_complete offers
/// hidden subcommands too (clap_mangen does not), and clap cannot remove one, so
/// the root is assembled anew from the derived one's arguments and visible
/// subcommands: nothing of the interface is restated here.
fn visible_tree() -> clap::Command {
    let full = Cli::command();
    clap::Command::new("whosaid")
        .version(env!("CARGO_PKG_VERSION"))
        .args(full.get_arguments().cloned())
        .subcommands(full.get_subcommands().filter(|s| !s.is_hide_set()).cloned())
}

/// The tree as the man pages show it: built (so subcommands carry their inherited
/// global flags and names like `whosaid-query`), without `help`.
fn man_tree() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// A page, its footer naming whosaid and its version (a subcommand has none).
fn page(cmd: clap::Command) -> clap_mangen::Man {
    clap_mangen::Man::new(cmd).source(format!("whosaid {}", env!("CARGO_PKG_VERSION")))
}

/// `whosaid completions SHELL`
pub fn completions(shell: Shell) -> Result<Outcome> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut visible_tree(), "whosaid", &mut script);
    write_stdout(&script)
}

/// `whosaid man [COMMAND]`, or `whosaid man --dir DIR` for every page.
pub fn man(subcommand: Option<&str>, dir: Option<&Path>) -> Result<Outcome> {
    let cmd = man_tree();
    let visible = || cmd.get_subcommands().filter(|s| !s.is_hide_set());
    if let Some(dir) = dir {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let pages: Vec<clap::Command> =
            std::iter::once(cmd.clone()).chain(visible().cloned()).collect();
        for p in &pages {
            page(p.clone())
                .generate_to(dir)
                .with_context(|| format!("writing man pages to {}", dir.display()))?;
        }
        eprintln!("whosaid: wrote {} man pages to {}", pages.len(), dir.display());
        return Ok(Outcome::Results);
    }
    let chosen = match subcommand {
        None => cmd.clone(),
        Some(name) => match visible().find(|s| s.get_name() == name) {
            Some(sub) => sub.clone(),
            None => {
                let names: Vec<&str> = visible().map(|s| s.get_name()).collect();
                bail!("no subcommand {name:?}; one of: {}", names.join(", "))
            }
        },
    };
    let mut roff = Vec::new();
    page(chosen).render(&mut roff)?;
    write_stdout(&roff)
}

fn write_stdout(bytes: &[u8]) -> Result<Outcome> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(Outcome::Results)
}

#!/usr/bin/env python3
"""Tests of scripts/check-modules on tiny fake crates built in temporary folders.

Run from the repository root: python3 scripts/test_check_modules.py
"""
import subprocess
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "check-modules"


def layers(*lines):
    return "# Architecture\n\n```layers\n" + "\n".join(lines) + "\n```\n"


class CheckModules(unittest.TestCase):
    def run_on(self, files, edges=False):
        """Write files (path -> text) into a temporary root; return (status, stdout, stderr)."""
        with tempfile.TemporaryDirectory() as root:
            for rel, text in files.items():
                path = Path(root, rel)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(textwrap.dedent(text).lstrip("\n"))
            args = [sys.executable, str(SCRIPT), "--root", root] + (["--edges"] if edges else [])
            p = subprocess.run(args, capture_output=True, text=True)
            self.assertNotIn("Traceback", p.stderr)
            return p.returncode, p.stdout, p.stderr

    def test_clean_layered_crate_passes(self):
        status, out, err = self.run_on({
            "src/lib.rs": "pub mod app;\npub mod store;\npub mod util;\n",
            "src/app.rs": "use crate::store::{self, Db};\npub fn run() { store::open(); crate::util::f(); }\n",
            "src/store.rs": "use crate::util::f;\npub struct Db;\npub fn open() { f() }\n",
            "src/util.rs": "pub fn f() {}\n",
            "ARCHITECTURE.md": layers("app", "store", "util"),
        })
        self.assertEqual((status, err), (0, ""))
        self.assertEqual(out, "check-modules: 4 files, 3 edges, no cycles, layers hold\n")

    def test_two_file_cycle_via_super_reports_both_lines(self):
        status, _, err = self.run_on({
            "src/lib.rs": "pub mod m;\n",
            "src/m/mod.rs": "pub mod x;\npub mod y;\n",
            "src/m/x.rs": "// x needs Y\nuse super::y::Y;\npub struct X;\n",
            "src/m/y.rs": "use std::fmt;\n\nuse super::x::X;\npub struct Y;\n",
            "ARCHITECTURE.md": layers("m"),
        })
        self.assertEqual(status, 1)
        self.assertIn("check-modules: src/m/x.rs: cycle: src/m/x.rs:2 -> src/m/y.rs:3 -> src/m/x.rs\n", err)
        self.assertNotIn("module cycle", err)   # single files: already reported as a file cycle

    def test_cycle_via_inline_crate_path(self):
        status, _, err = self.run_on({
            "src/lib.rs": "pub mod a;\npub mod b;\n",
            "src/a.rs": "pub fn f() {\n    let _ = 1;\n    crate::b::g()\n}\n",
            "src/b.rs": "pub fn g() {\n    crate::a::f();\n}\n",
            "ARCHITECTURE.md": layers("b", "a"),
        })
        self.assertEqual(status, 1)
        self.assertIn("cycle: src/a.rs:3 -> src/b.rs:2 -> src/a.rs", err)

    def test_reexport_is_followed_and_is_no_edge(self):
        status, out, err = self.run_on({
            "src/lib.rs": "pub mod m;\n",
            "src/m/mod.rs": """
                mod handle;
                mod search;
                pub mod user;
                pub use handle::Index;
                pub(crate) use search::*;
                pub struct Config;
            """,
            "src/m/handle.rs": "use super::Config;\npub struct Index(Config);\n",
            "src/m/search.rs": "pub fn query() {}\n",
            "src/m/user.rs": "use super::Index;\nuse super::query;\npub fn f(_: Index) { query() }\n",
            "ARCHITECTURE.md": layers("m"),
        }, edges=True)
        self.assertEqual((status, err), (0, ""), out)
        self.assertIn("src/m/user.rs:1 -> src/m/handle.rs\n", out)
        self.assertIn("src/m/user.rs:2 -> src/m/search.rs\n", out)
        self.assertIn("src/m/handle.rs:1 -> src/m/mod.rs\n", out)
        self.assertNotIn("src/m/mod.rs:", out)

    def test_sibling_module_cycle_without_file_cycle(self):
        status, _, err = self.run_on({
            "src/lib.rs": "pub mod a;\npub mod b;\n",
            "src/a/mod.rs": "pub mod w;\npub mod x;\n",
            "src/a/w.rs": "pub struct W;\n",
            "src/a/x.rs": "use crate::b::y::Y;\n",
            "src/b/mod.rs": "pub mod y;\npub mod z;\n",
            "src/b/y.rs": "pub struct Y;\n",
            "src/b/z.rs": "use std::io;\nuse crate::a::w::W;\n",
            "ARCHITECTURE.md": layers("a b"),
        })
        self.assertEqual(status, 1)
        self.assertIn("check-modules: src/lib.rs: module cycle: a -> b -> a "
                      "(src/a/x.rs:1 -> src/b/y.rs; src/b/z.rs:2 -> src/a/w.rs)\n", err)
        self.assertNotIn(": cycle:", err)

    def test_layer_violation(self):
        files = {
            "src/lib.rs": "pub mod app;\npub mod store;\n",
            "src/app.rs": "pub fn run() {}\n",
            "src/store.rs": "use std::io;\n\npub fn save() { crate::app::run() }\n",
        }
        status, _, err = self.run_on(files | {"ARCHITECTURE.md": layers("app", "store")})
        self.assertEqual(status, 1)
        self.assertIn("check-modules: src/store.rs: layer: src/store.rs:3: store imports app "
                      "(app is not below store in ARCHITECTURE.md)\n", err)
        status, _, err = self.run_on(files | {"ARCHITECTURE.md": layers("app store")})
        self.assertIn("store imports app", err)   # the same line is not below
        status, _, _ = self.run_on(files | {"ARCHITECTURE.md": layers("store", "app")})
        self.assertEqual(status, 0)

    def test_missing_module_and_stale_name_and_missing_block(self):
        files = {
            "src/lib.rs": "pub mod a;\npub mod b;\npub mod c;\n",
            "src/a.rs": "", "src/b.rs": "", "src/c/mod.rs": "",
        }
        status, _, err = self.run_on(files | {"ARCHITECTURE.md": layers("a", "b", "foo")})
        self.assertEqual(status, 1)
        self.assertIn("check-modules: ARCHITECTURE.md: module 'c' (src/c/mod.rs) is missing", err)
        self.assertIn("check-modules: ARCHITECTURE.md: layer 'foo' names no module under src/\n", err)
        status, _, err = self.run_on(files | {"ARCHITECTURE.md": "# no block\n```text\na\n```\n"})
        self.assertEqual(status, 1)
        self.assertIn("ARCHITECTURE.md has 0 ```layers code blocks", err)
        status, _, err = self.run_on(files)
        self.assertIn("ARCHITECTURE.md is missing", err)

    def test_tests_comments_and_strings_are_ignored(self):
        status, out, err = self.run_on({
            "src/lib.rs": "pub mod a;\npub mod b;\npub mod c;\n",
            "src/a.rs": '''
                //! Uses crate::b::B in docs only.
                // use crate::b::B;
                /* crate::b::f() /* nested */ crate::b::g() */
                /// See [`crate::b::B`].
                pub fn f() -> usize {
                    let s = "crate::b::f() \\" use crate::b::B;";
                    let r = r#"use crate::b::B; "quoted" crate::b::f()"#;
                    let q = '"';
                    crate::c::C::new();
                    s.len() + r.len() + q.len_utf8()
                }

                #[cfg(test)]
                mod tests {
                    use crate::b::*;
                    #[test]
                    fn t() { crate::b::g(); }
                }
            ''',
            "src/b.rs": "use crate::a::f;\npub fn g() { f(); }\n",
            "src/c.rs": "pub struct C;\nimpl C { pub fn new() {} }\n",
            "ARCHITECTURE.md": layers("b", "a", "c"),
        }, edges=True)
        self.assertEqual((status, err), (0, ""))
        self.assertIn("src/a.rs:9 -> src/c.rs\n", out)   # code after the char literal '"' is read
        self.assertNotIn("src/a.rs:1 -> src/b.rs", out)
        self.assertFalse([l for l in out.splitlines() if l.startswith("src/a.rs") and "src/b.rs" in l])

    def test_binary_paths_to_the_library(self):
        status, out, err = self.run_on({
            "src/lib.rs": "pub mod index;\npub mod render;\n",
            "src/index.rs": "pub struct Index;\n",
            "src/render.rs": "pub fn show() {}\n",
            "src/main.rs": """
                mod cli;
                use whosaid::index::Index;
                fn main() {
                    cli::parse();
                    whosaid::render::show();
                }
            """,
            "src/cli.rs": "use whosaid::index;\npub fn parse() { let _ = index::Index; }\n",
            "ARCHITECTURE.md": layers("binary: main", "binary: cli", "render", "index"),
        }, edges=True)
        self.assertEqual((status, err), (0, ""))
        for edge in ("src/main.rs:2 -> src/index.rs", "src/main.rs:4 -> src/cli.rs",
                     "src/main.rs:5 -> src/render.rs", "src/cli.rs:1 -> src/index.rs"):
            self.assertIn(edge + "\n", out)
        status, _, err = self.run_on({
            "src/lib.rs": "pub mod index;\n", "src/index.rs": "",
            "src/main.rs": "mod cli;\nfn main() {}\n", "src/cli.rs": "",
            "ARCHITECTURE.md": layers("binary: main index", "cli"),
        })
        self.assertIn("layer 'index' is on a binary: line but src/index.rs belongs to the library crate", err)
        self.assertIn("layer 'cli' is on a line without binary: but src/cli.rs belongs to the binary crate", err)


if __name__ == "__main__":
    unittest.main()

#!/usr/bin/env python3
"""Self-test for scripts/eval-whosaid on synthetic questions and articles.

Run: python3 scripts/test_eval_whosaid.py

Needs neither the corpora nor the binary, except `RealBinary`, which runs
target/release/whosaid (or $WHOSAID_BIN) on a tiny invented CSV when it exists and
skips otherwise.
"""

import contextlib
import csv
import importlib.machinery
import importlib.util
import io
import json
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
_loader = importlib.machinery.SourceFileLoader("eval_whosaid", os.path.join(HERE, "eval-whosaid"))
_spec = importlib.util.spec_from_loader("eval_whosaid", _loader)
ev = importlib.util.module_from_spec(_spec)
_loader.exec_module(ev)

# --------------------------------------------------------------------------
# synthetic data

ARTICLES = [
    ("https://example.org/bridge", "2019-03-14", "Town plans new bridge",
     "Riverton, a small town, lost its bridge in a flood last year.\n"
     "\u201cWe will rebuild the bridge by spring,\u201d Mayor Ann Lee said on Tuesday.\n"
     "Engineer Paul Okafor said the new design would survive a hundred-year flood."),
    ("https://example.org/orchard", "2019-05-02", "Orchard opens to visitors",
     "The Greenvale orchard opened its gates to visitors on Wednesday.\n"
     "\u201cThe apples this year are the sweetest we have ever grown,\u201d owner Maria Santos "
     "told reporters.\nShe added that the orchard would stay open until October."),
    ("https://example.org/summit", "2019-06-07", "Leaders meet",
     "Turkish President Recep Tayyip Erdo\u011fan said on Thursday the talks had gone well. "
     "Analysts said the deal was fragile. The ministry said the border would reopen. "
     "Senator Tom Reed Jr. said the vote would come soon."),
]


def question(url, phrase, speaker, aliases=(), kind="indirect", date=None, hard=""):
    text = next(a[3] for a in ARTICLES if a[0] == url)
    start = text.index(phrase)
    return {"url": url, "start": start, "end": start + len(phrase), "phrase": phrase,
            "speaker": speaker, "aliases": list(aliases), "kind": kind, "date": date,
            "hard": hard}


B, O, S = (a[0] for a in ARTICLES)
QUESTIONS = [
    question(B, "We will rebuild the bridge by spring", "Ann Lee", ["Lee"], "direct", "2019-03-12"),
    question(B, "the new design would survive", "Paul Okafor", ["Okafor"], date="2019-03-14"),
    question(O, "the sweetest we have ever grown", "Maria Santos", ["Santos"], "direct",
             hard="speaker-after"),
    question(O, "the orchard would stay open until October", "Maria Santos", ["Santos"],
             date="2019-05-02", hard="pronoun"),
    question(S, "the talks had gone well", "Recep Tayyip Erdo\u011fan", ["Erdogan"],
             date="2019-06-06"),
    question(S, "the deal was fragile", "analysts", hard="description"),
    question(S, "the border would reopen", "Ministry of the Interior", ["the ministry"],
             hard="organization"),
    question(S, "the vote would come soon", "Tom Reed Jr.", ["Reed"]),
]


def statement(speaker, date=None, source=None, precision="day", mention=None, cue="said"):
    return {"id": "x", "text": "...", "kind": "indirect", "speaker": speaker,
            "speaker_mention": mention, "cue": cue, "date": date,
            "date_precision": precision if date else None, "date_source": source,
            "span": [0, 3], "some_future_field": {"a": 1}}


def who(*entries, match="exact"):
    """A who --json object; entries are (speaker, statements, example statement)."""
    return {"query": "q", "match": match, "speakers": [
        {"speaker": sp, "statements": n, "articles": 1, "first_date": None,
         "last_date": None, "example": ex, "quotes": n}
        for sp, n, ex in entries]}


# Answers for QUESTIONS, in order: 5 right, 3 misses of different kinds.
ANSWERS = [
    # right, date from the text, right
    who(("Ann Lee", 1, statement("Ann Lee", "2019-03-12", "text", mention="Mayor Ann Lee"))),
    # right ("Engineer Paul Okafor" ends in Okafor), date from the article, right
    who(("Engineer Paul Okafor", 1, statement("Engineer Paul Okafor", "2019-03-14T00:00:00Z",
                                              "article"))),
    # no speaker: a statement found, its speaker unknown
    who((None, 1, statement(None))),
    # right; two matching statements; the example's date is a week, not a day
    who(("Maria Santos", 2, statement("Maria Santos", "2019-04-29", "context",
                                      precision="week", mention="She"))),
    # right only through the alias "Erdogan"; date wrong (the article's day)
    who(("Erdogan", 1, statement("Erdogan", "2019-06-07", "article")),
        ("Recep Tayyip Erdo\u011fan", 1, statement("x"))),
    # right: a labelled unnamed speaker, by its last word
    who(("unnamed: analysts", 1, statement("unnamed: analysts"))),
    # wrong speaker, even though the right one is second
    who(("Tom Reed Jr.", 1, statement("Tom Reed Jr.")), ("Ministry", 3, statement("Ministry"))),
    # nothing found
    {"query": "q", "match": "none", "speakers": []},
]


def write_corpus(folder, questions=QUESTIONS, articles=ARTICLES):
    qpath = os.path.join(folder, "questions.jsonl")
    with open(qpath, "w", encoding="utf-8") as f:
        for q in questions:
            f.write(json.dumps(q, ensure_ascii=False) + "\n")
    with open(os.path.join(folder, ev.CSV_NAME), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["url", "date", "title", "text"])
        w.writerows(articles)
    return qpath


def write_answers(path, questions, results):
    with open(path, "w", encoding="utf-8") as f:
        for q, r in zip(questions, results):
            f.write(json.dumps({"phrase": q["phrase"], "url": q["url"], "result": r}) + "\n")


def run_main(*args):
    """-> (exit code, stdout)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            rc = ev.main(list(args))
        except SystemExit as e:
            rc = e.code
    return rc, out.getvalue()


# --------------------------------------------------------------------------
# the last-word rule


class LastWord(unittest.TestCase):
    def test_last_name_word(self):
        self.assertEqual(ev.last_name_word("Mike Pompeo"), "pompeo")
        self.assertEqual(ev.last_name_word("Mr. Pompeo"), "pompeo")
        self.assertEqual(ev.last_name_word("Martin Luther King Jr."), "king")
        self.assertEqual(ev.last_name_word("Henry Ford III"), "ford")
        self.assertEqual(ev.last_name_word("unnamed: analysts"), "analysts")
        self.assertEqual(ev.last_name_word("Recep Tayyip Erdo\u011fan"), "erdo\u011fan")
        self.assertEqual(ev.last_name_word("Jr"), "jr")  # a lone suffix stays
        self.assertIsNone(ev.last_name_word(""))
        self.assertIsNone(ev.last_name_word(None))

    def test_speaker_matches(self):
        pompeo = {"speaker": "Mike Pompeo", "aliases": []}
        self.assertTrue(ev.speaker_matches("Mr. Pompeo", pompeo))
        self.assertTrue(ev.speaker_matches("MIKE POMPEO", pompeo))
        self.assertFalse(ev.speaker_matches("Mike Pence", pompeo))
        self.assertFalse(ev.speaker_matches(None, pompeo))
        self.assertFalse(ev.speaker_matches("", pompeo))
        # accents count: Erdogan matches only through the alias
        erdogan = {"speaker": "Recep Tayyip Erdo\u011fan", "aliases": []}
        self.assertFalse(ev.speaker_matches("Erdogan", erdogan))
        erdogan["aliases"] = ["Erdogan"]
        self.assertTrue(ev.speaker_matches("Erdogan", erdogan))
        self.assertTrue(ev.speaker_matches("President Erdo\u011fan", erdogan))
        # suffixes on either side
        self.assertTrue(ev.speaker_matches("Senator King", {"speaker": "Angus King Jr.", "aliases": []}))
        self.assertTrue(ev.speaker_matches("Angus King Jr", {"speaker": "Angus King", "aliases": []}))
        # any alias's last word: role, acronym
        police = {"speaker": "Thames Valley Police", "aliases": ["TVP", "the force"]}
        self.assertTrue(ev.speaker_matches("the police", police))
        self.assertTrue(ev.speaker_matches("TVP", police))
        self.assertTrue(ev.speaker_matches("force", police))
        # a labelled unnamed speaker is judged by its last word
        self.assertTrue(ev.speaker_matches("unnamed: analysts", {"speaker": "analysts", "aliases": []}))
        self.assertFalse(ev.speaker_matches("unnamed: analysts", pompeo))


# --------------------------------------------------------------------------
# scoring


class Scoring(unittest.TestCase):
    Q = {"speaker": "Ann Lee", "aliases": ["Lee"], "kind": "direct", "hard": "", "date": None,
         "phrase": "p", "url": "u"}

    def outcome(self, result, error=None):
        return ev.classify(self.Q, {"result": result, "error": error})

    def test_miss_categories(self):
        self.assertTrue(self.outcome(who(("Lee", 1, statement("Lee"))))["right"])
        self.assertEqual(self.outcome(who(("Bob Smith", 1, {})))["miss"], "wrong_speaker")
        self.assertEqual(self.outcome(who((None, 2, {})))["miss"], "no_speaker")
        self.assertEqual(self.outcome({"match": "none", "speakers": []})["miss"], "not_extracted")
        self.assertEqual(self.outcome(None, "exit 2: no index")["miss"], "error")
        self.assertEqual(self.outcome("not an object")["miss"], "error")

    def test_strictly_the_top_speaker(self):
        # a null top speaker is a miss even when the right one follows
        o = self.outcome(who((None, 3, {}), ("Ann Lee", 1, {})))
        self.assertEqual(o["miss"], "no_speaker")
        o = self.outcome(who(("Bob Smith", 3, {}), ("Ann Lee", 1, {})))
        self.assertEqual(o["miss"], "wrong_speaker")

    def test_defensive_parsing(self):
        self.assertEqual(self.outcome({})["miss"], "not_extracted")               # no speakers key
        self.assertEqual(self.outcome({"speakers": None})["miss"], "not_extracted")
        self.assertEqual(self.outcome({"speakers": ["junk"]})["miss"], "no_speaker")
        self.assertEqual(self.outcome({"speakers": [{}]})["miss"], "no_speaker")  # missing keys
        self.assertEqual(self.outcome({"speakers": [{"speaker": "  "}]})["miss"], "no_speaker")
        o = self.outcome({"speakers": [{"speaker": "Ann Lee", "new": [1], "example": "?"}],
                          "extra": True})
        self.assertTrue(o["right"])
        self.assertEqual(o["example"], {})
        self.assertTrue(self.outcome({"speakers": [{"speaker": {"name": "Ann Lee"}}]})["right"])

    def test_statement_day(self):
        self.assertEqual(ev.statement_day({"date": "2019-03-12", "date_precision": "day"}),
                         ("2019-03-12", None))
        self.assertEqual(ev.statement_day({"date": "2019-03-12T00:00:00Z"}), ("2019-03-12", None))
        self.assertEqual(ev.statement_day({"date": "2019-03-11", "date_precision": "week"}),
                         (None, "not_day"))
        self.assertEqual(ev.statement_day({"date": None}), (None, None))
        self.assertEqual(ev.statement_day({}), (None, None))

    def test_evaluate(self):
        answers = [{"result": r, "error": None} for r in ANSWERS]
        f, misses, wrong_dates = ev.evaluate(QUESTIONS, answers)
        self.assertEqual((f["right"], f["total"]), (5, 8))
        self.assertAlmostEqual(f["top1"], 5 / 8)
        self.assertEqual(f["misses"], {"wrong_speaker": 1, "no_speaker": 1,
                                       "not_extracted": 1, "error": 0})
        self.assertEqual([o["q"]["phrase"] for o in misses],
                         ["the sweetest we have ever grown", "the border would reopen",
                          "the vote would come soon"])
        self.assertEqual(f["by_kind"]["direct"], {"right": 1, "total": 2, "top1": 1 / 2})
        self.assertEqual(f["by_kind"]["indirect"], {"right": 4, "total": 6, "top1": 4 / 6})
        self.assertEqual(f["by_hard"]["plain"], {"right": 3, "total": 4, "top1": 3 / 4})
        self.assertEqual(f["by_hard"]["description"]["right"], 1)
        self.assertEqual(f["by_hard"]["organization"]["right"], 0)
        self.assertEqual(f["by_hard"]["multi-speaker"], {"right": 0, "total": 0, "top1": None})
        self.assertEqual(f["by_match"]["exact"]["total"], 7)
        self.assertEqual(f["by_match"]["none"]["total"], 1)
        # dates: 4 dated questions, all with the right speaker
        d = f["dates"]
        self.assertEqual((d["right"], d["total"], d["dated_questions"]), (2, 4, 4))
        self.assertEqual(d["right_any_speaker"], 2)
        self.assertEqual(d["several_statements"], 1)
        self.assertEqual(d["not_day"], 1)
        ds = f["date_sources"]
        self.assertEqual(ds["text"], {"given": 1, "right": 1})
        self.assertEqual(ds["article"], {"given": 2, "right": 1})
        self.assertEqual(ds["context"], {"given": 1, "right": 0})
        self.assertEqual(ds["dateline"], {"given": 0, "right": 0})
        self.assertEqual(ds["null"], {"given": 0, "right": 0})
        self.assertEqual(len(wrong_dates), 2)

    def test_dates_only_for_right_speakers(self):
        q = dict(self.Q, date="2019-03-12")
        right = {"result": who(("Lee", 1, statement("Lee", "2019-03-12", None))), "error": None}
        wrong = {"result": who(("Bob", 1, statement("Bob", "2019-03-12", "text"))), "error": None}
        f, _, _ = ev.evaluate([q, q], [right, wrong])
        self.assertEqual((f["dates"]["right"], f["dates"]["total"]), (1, 1))
        self.assertEqual(f["dates"]["right_any_speaker"], 2)
        self.assertEqual(f["date_sources"]["null"], {"given": 1, "right": 1})
        self.assertEqual(f["date_sources"]["text"], {"given": 0, "right": 0})

    def test_context(self):
        texts = {a[0]: a[3] for a in ARTICLES}
        ctx = ev.phrase_context(texts, QUESTIONS[1], before=30, after=10)
        self.assertEqual(ctx, "\u2026ay. \u00b6 Engineer Paul Okafor said [[the new design would survive]]"
                              " a hundred\u2026")
        # wrong offsets fall back to finding the phrase
        q = dict(QUESTIONS[1], start=0, end=5)
        self.assertIn("[[the new design would survive]]", ev.phrase_context(texts, q))
        self.assertIsNone(ev.phrase_context(texts, dict(q, url="https://nowhere")))
        self.assertIsNone(ev.phrase_context(None, q))


# --------------------------------------------------------------------------
# end to end through --answers: no corpora, no binary


class AnswersFile(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name
        self.qpath = write_corpus(self.dir)
        self.apath = os.path.join(self.dir, "answers.jsonl")
        write_answers(self.apath, QUESTIONS, ANSWERS)

    def tearDown(self):
        self.tmp.cleanup()

    def test_json(self):
        rc, out = run_main(self.qpath, "--answers", self.apath, "--json")
        self.assertEqual(rc, 0)
        f = json.loads(out)
        for key in ("top1", "right", "total", "by_kind", "by_hard", "misses", "dates",
                    "date_sources", "ingest_seconds"):
            self.assertIn(key, f)
        self.assertEqual((f["right"], f["total"]), (5, 8))
        self.assertEqual(f["dates"]["right"], 2)
        self.assertIsNone(f["ingest_seconds"])
        self.assertTrue(f["csv"].endswith(ev.CSV_NAME))  # found beside the questions

    def test_table_and_errors(self):
        rc, out = run_main(self.qpath, "--answers", self.apath, "--errors", "2")
        self.assertEqual(rc, 0)
        self.assertIn("right/total = 5/8 = 0.625", out)
        self.assertIn("wrong speaker", out)
        self.assertIn("== misses (3; showing 2)", out)
        self.assertIn("[[the sweetest we have ever grown]]", out)
        self.assertIn("[[the border would reopen]]", out)
        self.assertNotIn("[[the vote would come soon]]", out)  # the third miss: over N
        self.assertIn("Tom Reed Jr. (1), Ministry (3)", out)   # top speakers with counts
        self.assertIn("== wrong dates (2; showing 2)", out)
        self.assertIn("gold 2019-06-06, answered 2019-06-07 (article)", out)
        self.assertIn("speaker_mention 'She'", out)

    def test_missing_and_null_answers(self):
        # the first answer missing (an error), the last one null (nothing found)
        write_answers(self.apath, QUESTIONS[1:], ANSWERS[1:-1] + [None])
        warnings = io.StringIO()
        with contextlib.redirect_stderr(warnings):
            rc, out = run_main(self.qpath, "--answers", self.apath, "--json")
        self.assertIn("1 questions have no answer", warnings.getvalue())
        f = json.loads(out)
        self.assertEqual(f["misses"]["error"], 1)
        self.assertEqual(f["misses"]["not_extracted"], 1)
        self.assertEqual(f["right"], 4)

    def test_save_answers_round_trip(self):
        again = os.path.join(self.dir, "again.jsonl")
        _, first = run_main(self.qpath, "--answers", self.apath, "--save-answers", again, "--json")
        _, second = run_main(self.qpath, "--answers", again, "--json")
        self.assertEqual(json.loads(first)["misses"], json.loads(second)["misses"])
        with open(again, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f]
        self.assertEqual([r["phrase"] for r in rows], [q["phrase"] for q in QUESTIONS])

    def test_missing_questions_skip(self):
        rc, out = run_main(os.path.join(self.dir, "nope.jsonl"))
        self.assertEqual(rc, 0)
        self.assertIn("does not exist: skipped", out)

    def test_errors_exit_2(self):
        bad = os.path.join(self.dir, "bad.jsonl")
        with open(bad, "w") as f:
            f.write("{not json\n")
        with contextlib.redirect_stderr(io.StringIO()):
            self.assertEqual(run_main(bad, "--answers", self.apath)[0], 2)
            self.assertEqual(run_main(self.qpath, "--answers", os.path.join(self.dir, "none"))[0], 2)
            self.assertEqual(run_main(self.qpath, "--csv", os.path.join(self.dir, "none.csv"),
                                      "--answers", self.apath)[0], 2)


# --------------------------------------------------------------------------
# end to end with the real binary


def real_binary():
    path = os.environ.get("WHOSAID_BIN") or os.path.join(
        os.path.dirname(HERE), "target", "release", "whosaid")
    return path if os.path.exists(path) else None


class RealBinary(unittest.TestCase):
    def setUp(self):
        self.binary = real_binary()
        if self.binary is None:
            msg = "no target/release/whosaid (run cargo build --release)"
            print("test_eval_whosaid: RealBinary skipped: " + msg, file=sys.stderr)
            self.skipTest(msg)

    def test_ingest_and_who(self):
        with tempfile.TemporaryDirectory() as d:
            qs = QUESTIONS[:2] + [question(B, "lost its bridge in a flood", "Riverton", [])]
            qpath = write_corpus(d, qs, ARTICLES[:2])
            saved = os.path.join(d, "answers.jsonl")
            with contextlib.redirect_stderr(io.StringIO()):
                rc, out = run_main(qpath, "--bin", self.binary, "--json", "--save-answers", saved)
            self.assertEqual(rc, 0)
            f = json.loads(out)
            self.assertEqual(f["total"], 3)
            self.assertEqual(f["misses"]["error"], 0)
            self.assertIsNotNone(f["ingest_seconds"])
            self.assertIsNone(f["index"])  # a temporary index, deleted
            with open(saved, encoding="utf-8") as fh:
                rows = [json.loads(line) for line in fh]
            # Mayor Ann Lee's quote and Paul Okafor's reported speech: right speakers,
            # and Ann Lee's "on Tuesday" is the Tuesday before the article's Thursday.
            for q, row in zip(qs[:2], rows[:2]):
                self.assertTrue(ev.classify(q, {"result": row["result"], "error": None})["right"],
                                row)
            self.assertEqual(rows[0]["result"]["speakers"][0]["example"]["date"][:10], "2019-03-12")
            # narration is no statement: nothing found (exit 1 is not an error)
            self.assertEqual(ev.classify(qs[2], {"result": rows[2]["result"], "error": None})["miss"],
                             "not_extracted")
            # --index: a new folder is ingested into and kept, then reused
            idx = os.path.join(d, "idx")
            with contextlib.redirect_stderr(io.StringIO()):
                rc, out = run_main(qpath, "--bin", self.binary, "--json", "--index", idx)
                self.assertTrue(os.path.isdir(idx))
                rc2, out2 = run_main(qpath, "--bin", self.binary, "--json", "--index", idx)
            self.assertEqual(json.loads(out)["misses"], json.loads(out2)["misses"])
            self.assertIsNone(json.loads(out2)["ingest_seconds"])


if __name__ == "__main__":
    unittest.main()

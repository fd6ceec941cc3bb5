#!/usr/bin/env python3
"""Self-test for scripts/eval-polnear on a synthetic PolNeAR-like split.

Run: python3 scripts/test_eval_polnear.py
"""

import contextlib
import importlib.machinery
import importlib.util
import io
import json
import os
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
_loader = importlib.machinery.SourceFileLoader("eval_polnear", os.path.join(HERE, "eval-polnear"))
_spec = importlib.util.spec_from_loader("eval_polnear", _loader)
ev = importlib.util.module_from_spec(_spec)
_loader.exec_module(ev)

TEXT = (
    "Donald Trump spoke in Ohio.\n"
    "\u201cWe will win,\u201d he told reporters.\n"
    "Clinton said the plan would fail.\n"
    "Voters believe the economy is weak.\n"
    "Smith said nothing mattered.\n"
    "\u201cIt is over,\u201d he said, \u201cand we know it.\u201d\n"
    "Intro line.\n"
)
STEM = "nyt_2016-09-20_synthetic"


def c(sub, nth=0):
    """Char span of the nth occurrence of sub in TEXT."""
    i = -1
    for _ in range(nth + 1):
        i = TEXT.index(sub, i + 1)
    return i, i + len(sub)


def b(sub, nth=0):
    """Byte span of the nth occurrence of sub in TEXT."""
    s, e = c(sub, nth)
    return [len(TEXT[:s].encode()), len(TEXT[:e].encode())]


def tline(tid, typ, segs):
    return "T%d\t%s %s\t%s" % (tid, typ, ";".join("%d %d" % s for s in segs),
                               " ".join(TEXT[s:e] for s, e in segs))


def build_ann():
    lines = []
    n = [0]

    def t(typ, segs):
        n[0] += 1
        lines.append(tline(n[0], typ, segs))
        return "T%d" % n[0]

    def attr(eid, source, cue, content):
        ids = []
        if source:
            ids.append("Source:" + t("Source", [source]))
        ids.append("Cue:" + t("Cue", [cue]))
        ids.append("Content:" + t("Content", content))
        a = t("Attribution", [cue])
        lines.append("E%d\tAttribution:%s %s" % (eid, a, " ".join(ids)))

    attr(1, c("he"), c("told"), [c("\u201cWe will win,\u201d")])
    attr(2, c("Clinton"), c("said"), [c("the plan would fail")])
    attr(3, c("Voters"), c("believe"), [c("the economy is weak")])
    attr(4, c("Smith"), c("said", 1), [c("nothing mattered")])
    # discontinuous content
    attr(5, c("he", 3), c("said", 2), [c("\u201cIt is over,\u201d"), c("\u201cand we know it.\u201d")])
    lines.append("#1\tAnnotatorNotes T1\ta note")
    return "\n".join(lines) + "\n"


def preds():
    he1, he2 = b("he", 0), b("he", 3)
    assert TEXT[c("he", 0)[0]:c("he", 0)[1]] == "he" and TEXT[c("he", 3)[0]:c("he", 3)[0] + 4] == "he s"
    return [
        {"article": STEM + ".txt", "kind": "direct", "span": b("\u201cWe will win,\u201d"),
         "speaker": "Donald Trump", "speaker_mention": "he", "speaker_span": he1},
        {"article": STEM + ".txt", "kind": "indirect", "span": b("Clinton said the plan would fail."),
         "speaker": "Hillary Clinton", "speaker_span": b("Clinton")},
        {"article": STEM + ".txt", "kind": "indirect", "span": b("Voters believe the economy is weak"),
         "speaker": None, "speaker_span": None},
        {"article": STEM + ".txt", "kind": "indirect", "span": b("Intro line."),
         "speaker": "Nobody", "speaker_span": None},
        {"article": STEM + ".txt", "kind": "direct",
         "span": b("\u201cIt is over,\u201d he said, \u201cand we know it.\u201d"),
         "speaker": "Mike Pence", "speaker_span": he2},
    ]


class Synthetic(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        root = self.root = self.tmp.name
        for d in ("text", "attributions", "coref"):
            os.makedirs(os.path.join(root, d))
        with open(os.path.join(root, "text", STEM + ".txt"), "w", encoding="utf-8") as f:
            f.write(TEXT)
        with open(os.path.join(root, "attributions", STEM + "_4b22.ann"), "w", encoding="utf-8") as f:
            f.write(build_ann())
        # a second annotator's file must be ignored (first by file name wins)
        with open(os.path.join(root, "attributions", STEM + "_ef2d.ann"), "w", encoding="utf-8") as f:
            f.write(tline(1, "Content", [c("Intro line.")]) + "\n" + tline(2, "Cue", [c("spoke")])
                    + "\nE1\tAttribution-no-source:T2 Content:T1 Cue:T2\n")
        with open(os.path.join(root, "coref", STEM + ".json"), "w", encoding="utf-8") as f:
            json.dump({"chains": [
                {"representative": "Donald Trump",
                 "mentions": [list(c("Donald Trump")), list(c("he")), list(c("he", 3))]},
                {"representative": "the plan", "mentions": [list(c("the plan"))]},
            ]}, f)
        self.pred_file = os.path.join(root, "preds.jsonl")
        with open(self.pred_file, "w", encoding="utf-8") as f:
            for p in preds():
                f.write(json.dumps(p) + "\n")

    def tearDown(self):
        self.tmp.cleanup()

    def run_json(self, *extra):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            rc = ev.main([self.root, "--predictions", self.pred_file, "--json"] + list(extra))
        self.assertEqual(rc, 0)
        return json.loads(out.getvalue())

    def test_byte_to_char(self):
        art = ev.Article(STEM, TEXT.encode("utf-8"))
        bs = b("\u201cWe will win,\u201d")
        self.assertNotEqual(tuple(bs), c("\u201cWe will win,\u201d"))  # multi-byte quotes shift offsets
        self.assertEqual(art.char_span(bs), c("\u201cWe will win,\u201d"))
        self.assertEqual(art.char_span(b("he", 3)), c("he", 3))
        # an end inside a multi-byte char rounds up to include it
        s, e = bs
        self.assertEqual(art.char_span([s, s + 1]), (c("\u201cWe")[0], c("\u201cWe")[0] + 1))
        self.assertIsNone(art.char_span(None))

    def test_dice_and_greedy(self):
        self.assertAlmostEqual(ev.dice({1, 2, 3, 4}, {3, 4}), 2 * 2 / 6)
        G = type("G", (), {})
        g = G()
        g.toks = {0, 1, 2, 3}
        far = {"toks": set(range(0, 12))}    # dice 8/16 = 0.5 -> matches
        near = {"toks": {0, 1, 2, 3, 4}}     # dice 8/9
        tiny = {"toks": {0}}                 # dice 2/5 < 0.5
        self.assertEqual(ev.match([far, near, tiny], [g]), {1: 0})
        self.assertEqual(ev.match([far], [g]), {0: 0})
        self.assertEqual(ev.match([tiny], [g]), {})

    def test_gold_parsing(self):
        arts, total = ev.load_split(self.root)
        self.assertEqual(total, len(TEXT.encode()))
        golds = arts[STEM].golds
        self.assertEqual(len(golds), 5)  # from the _4b22 file, not _ef2d
        by_src = {g.id: g for g in golds}
        self.assertTrue(by_src["E1"].direct and by_src["E1"].speech and by_src["E1"].pronoun)
        self.assertTrue(by_src["E2"].speech and not by_src["E2"].direct)
        self.assertFalse(by_src["E3"].speech)
        self.assertEqual(len(by_src["E5"].content), 2)
        self.assertTrue(by_src["E5"].direct)

    def test_speech_cues(self):
        for cue in ("said", "says", "told", "according to", "added", "quipped", "replied",
                    "noted", "pointed out", "said in a statement", ":", "is arguing", "denies"):
            self.assertTrue(ev.is_speech_cue(cue), cue)
        for cue in ("believe", "shows", "found", "wants", "is expected", "cited", "in"):
            self.assertFalse(ev.is_speech_cue(cue), cue)

    def test_figures(self):
        f = self.run_json()
        self.assertEqual(f["predictions"], 5)
        self.assertEqual(f["matched_predictions"], 4)       # all but "Intro line."
        self.assertEqual(f["all_golds"], 5)
        self.assertEqual(f["speech_golds"], 4)               # E3 is a belief
        self.assertEqual(f["matched_speech_golds"], 3)       # E4 (Smith) missed
        self.assertAlmostEqual(f["statement_precision"], 4 / 5)
        self.assertAlmostEqual(f["statement_recall"], 3 / 4)
        # speaker: E1 right via coref (Donald Trump), E2 right (Clinton),
        # E3 wrong (null speaker), E5 wrong: "Mike Pence"'s span overlaps "he"
        # but the coref chain says Trump.
        self.assertEqual(f["speaker_pairs"], 4)
        self.assertAlmostEqual(f["speaker_accuracy"], 2 / 4)
        self.assertEqual(f["pronoun_pairs"], 2)
        self.assertAlmostEqual(f["pronoun_source_accuracy"], 1 / 2)
        self.assertAlmostEqual(f["e2e_precision"], 2 / 5)
        self.assertAlmostEqual(f["e2e_recall"], 2 / 4)
        self.assertAlmostEqual(f["direct_quote_recall"], 1.0)
        self.assertIsNone(f["mb_per_s"])

    def test_pronoun_falls_back_to_overlap_without_coref(self):
        os.remove(os.path.join(self.root, "coref", STEM + ".json"))
        f = self.run_json()
        # without a chain, speaker spans on "he" count: E1 and E5 both right
        self.assertAlmostEqual(f["pronoun_source_accuracy"], 1.0)

    def test_errors_output(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            ev.main([self.root, "--predictions", self.pred_file, "--errors", "5"])
        text = out.getvalue()
        self.assertIn("nothing mattered", text)   # missed
        self.assertIn("Intro line.", text)        # false positive
        self.assertIn("Mike Pence", text)         # wrong speaker

    def test_missing_folder_skips(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            rc = ev.main([os.path.join(self.root, "nope")])
        self.assertEqual(rc, 0)
        self.assertIn("skipped", out.getvalue())


if __name__ == "__main__":
    unittest.main()

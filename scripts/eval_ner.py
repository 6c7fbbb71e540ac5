"""Span-level P/R/F1 of warta's entity step on public Indonesian NER corpora (conlleval-style).

    .venv/bin/python scripts/eval_ner.py [--corpus idner|nerugm|nergrit|all] [--split test] [--limit N]
                                         [--join K] [--errors N] [--json]

Corpora (in ../shared/data/ner, evaluation only: nothing derived from them is shipped):

* idner-news-2k (MIT): ``token POS TAG`` lines, IOB2 tags PER/ORG/LOC; splits train/dev/test.
* NER-UGM (IndoLEM copy, licence not stated there): ``token<TAB>TAG``, IOB2 tags PERSON/ORGANIZATION/
  LOCATION/QUANTITY/TIME; split ``test.01.tsv`` (IndoLEM's fold 1).
* NERGrit (IndoNLU, Apache-2.0 repository): ``token<TAB>TAG``, PERSON/ORGANISATION/PLACE; ``test_preprocess``.

Label mapping to warta's types (warta has no GPE: countries, provinces and cities are all LOC):
PER/PERSON -> PER, ORG/ORGANIZATION/ORGANISATION -> ORG, LOC/LOCATION/PLACE -> LOC; QUANTITY and TIME are
not entities in warta and are dropped from the gold. warta's MISC (demonyms) is never scored.

Each sentence is detokenised (no space before , . ) etc.), run through ``find_entities`` (language "id", no
date) and the predicted character spans are mapped back to tokens. ``--join K`` runs K consecutive sentences
as one text (the corpora keep article order, so later short forms can resolve to a name met earlier).

* exact: same type and the same first and last token (conlleval);
* partial: same type and at least one shared token, each gold and each predicted span matched at most once.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # scripts/ is no package: reuse eval_entities.prf
from eval_entities import prf

from warta.extract.entities import find_entities

ROOT = Path(__file__).resolve().parents[1]
NER = ROOT.parent / "shared" / "data" / "ner"
TYPES = ("PER", "ORG", "LOC")
LABELS = {"PER": "PER", "PERSON": "PER", "ORG": "ORG", "ORGANIZATION": "ORG", "ORGANISATION": "ORG",
          "LOC": "LOC", "LOCATION": "LOC", "PLACE": "LOC"}
CORPORA = {
    "idner": {"test": "idner-news-2k/test.txt", "dev": "idner-news-2k/dev.txt", "train": "idner-news-2k/train.txt"},
    "nerugm": {"test": "nerugm/test.01.tsv", "dev": "nerugm/dev.01.tsv", "train": "nerugm/train.01.tsv"},
    "nergrit": {"test": "indonlu/nergrit_ner-grit/test_preprocess.txt",
                "dev": "indonlu/nergrit_ner-grit/valid_preprocess.txt",
                "train": "indonlu/nergrit_ner-grit/train_preprocess.txt"},
}
_NO_SPACE_BEFORE = frozenset(",.;:!?)]}%")
_NO_SPACE_AFTER = frozenset("([{")

Span = tuple[str, int, int]  # (type, first token, one past the last token)


@dataclass
class Sentence:
    tokens: list[str]
    gold: list[Span]


def read_conll(text: str) -> list[Sentence]:
    """Sentences of a CoNLL-style file: one token per line, the tag in the last column, blank line between
    sentences. IOB2 or IOB1 tags; labels outside ``LABELS`` (QUANTITY, TIME) become O."""
    out: list[Sentence] = []
    toks: list[str] = []
    tags: list[str] = []
    for line in [*text.splitlines(), ""]:
        line = line.strip("\r\n")
        if not line.strip():
            if toks:
                out.append(Sentence(toks, spans_from_tags(tags)))
            toks, tags = [], []
            continue
        cols = line.split("\t") if "\t" in line else line.split()
        toks.append(cols[0])
        tags.append(cols[-1])
    return out


def spans_from_tags(tags: list[str]) -> list[Span]:
    spans: list[Span] = []
    cur: list | None = None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        typ = LABELS.get(label) if label else None
        if cur is not None and (typ is None or prefix == "B" or typ != cur[0]):
            spans.append((cur[0], cur[1], i))
            cur = None
        if typ is not None and cur is None:
            cur = [typ, i]
    return spans


def detokenize(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Text with news-like spacing and each token's character span in it."""
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    pos = 0
    quotes_open = False
    for i, t in enumerate(tokens):
        space = i > 0
        if (t[0] in _NO_SPACE_BEFORE and len(t) == 1) or (i > 0 and tokens[i - 1] in _NO_SPACE_AFTER):
            space = False
        if t == '"':
            space = i > 0 and quotes_open is False
            quotes_open = not quotes_open
        elif i > 0 and tokens[i - 1] == '"' and quotes_open:
            space = False
        if space:
            parts.append(" ")
            pos += 1
        offsets.append((pos, pos + len(t)))
        parts.append(t)
        pos += len(t)
    return "".join(parts), offsets


def predict(sentences: list[Sentence], join: int = 1) -> list[list[Span]]:
    """warta's entity spans per sentence, in token indexes (spans not on token boundaries are widened)."""
    preds: list[list[Span]] = []
    for k in range(0, len(sentences), join):
        group = sentences[k:k + join]
        texts, offs, base = [], [], 0
        for s in group:
            t, o = detokenize(s.tokens)
            texts.append(t)
            offs.append([(a + base, b + base) for a, b in o])
            base += len(t) + 1
        ents, _ = find_entities(" ".join(texts), language="id")
        for o in offs:
            lo, hi = o[0][0], o[-1][1]
            spans = []
            for e in ents:
                if e.type not in TYPES or e.end <= lo or e.start >= hi:
                    continue
                covered = [i for i, (a, b) in enumerate(o) if a < e.end and b > e.start]
                if covered:
                    spans.append((e.type, covered[0], covered[-1] + 1))
            preds.append(spans)
    return preds


@dataclass
class Counts:
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)

    def add(self, typ: str, tp: int, fp: int, fn: int) -> None:
        self.tp[typ] += tp
        self.fp[typ] += fp
        self.fn[typ] += fn

    def report(self) -> dict[str, dict[str, float | int]]:
        out = {}
        for typ in (*TYPES, "ALL"):
            keys = TYPES if typ == "ALL" else (typ,)
            tp, fp, fn = (sum(c[k] for k in keys) for c in (self.tp, self.fp, self.fn))
            p, r, f = prf(tp, fp, fn)
            out[typ] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
                        "gold": tp + fn, "predicted": tp + fp}
        return out


def score(gold: list[list[Span]], pred: list[list[Span]]) -> tuple[Counts, Counts]:
    """(exact, partial) counts over aligned sentences."""
    exact, partial = Counts(), Counts()
    for g, p in zip(gold, pred, strict=True):
        gs, ps = set(g), set(p)
        for typ in TYPES:
            gt = {s for s in gs if s[0] == typ}
            pt = {s for s in ps if s[0] == typ}
            hit = len(gt & pt)
            exact.add(typ, hit, len(pt) - hit, len(gt) - hit)
            used: set[Span] = set()
            m = 0
            for s in sorted(gt, key=lambda x: x[1]):
                q = next((x for x in sorted(pt - used, key=lambda x: x[1]) if x[1] < s[2] and s[1] < x[2]), None)
                if q is not None:
                    used.add(q)
                    m += 1
            partial.add(typ, m, len(pt) - m, len(gt) - m)
    return exact, partial


def evaluate(corpus: str, split: str = "test", limit: int | None = None, join: int = 1,
             root: Path = NER) -> dict:
    sents = read_conll((root / CORPORA[corpus][split]).read_text(encoding="utf-8"))[:limit]
    pred = predict(sents, join)
    exact, partial = score([s.gold for s in sents], pred)
    return {"corpus": corpus, "split": split, "sentences": len(sents), "join": join,
            "exact": exact.report(), "partial": partial.report(), "_sents": sents, "_pred": pred}


def errors(res: dict, n: int) -> list[str]:
    lines = []
    for s, p in zip(res["_sents"], res["_pred"], strict=True):
        g, q = set(s.gold), set(p)
        for kind, spans in (("FN", g - q), ("FP", q - g)):
            for typ, a, b in sorted(spans, key=lambda x: x[1]):
                lines.append(f"{kind} {typ} {' '.join(s.tokens[a:b])!r} | {' '.join(s.tokens)[:160]}")
    return lines[:n]


def format_table(res: dict) -> str:
    rows = [f"{res['corpus']} {res['split']} ({res['sentences']} sentences, join {res['join']})",
            f"{'type':<5}{'gold':>6}{'pred':>6}   exact P/R/F1        partial P/R/F1"]
    for typ in (*TYPES, "ALL"):
        e, p = res["exact"][typ], res["partial"][typ]
        rows.append(f"{typ:<5}{e['gold']:>6}{e['predicted']:>6}   "
                    f"{e['precision']:.3f} {e['recall']:.3f} {e['f1']:.3f}   "
                    f"{p['precision']:.3f} {p['recall']:.3f} {p['f1']:.3f}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", choices=[*CORPORA, "all"], default="all")
    ap.add_argument("--split", choices=["test", "dev", "train"], default="test")
    ap.add_argument("--limit", type=int, help="first N sentences only")
    ap.add_argument("--join", type=int, default=1, help="sentences per warta text (default 1)")
    ap.add_argument("--errors", type=int, default=0, help="print the first N false negatives/positives")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    if not NER.is_dir():
        print(f"eval_ner: {NER} not found", file=sys.stderr)
        return 2
    results = []
    for corpus in (CORPORA if a.corpus == "all" else [a.corpus]):
        res = evaluate(corpus, a.split, a.limit, a.join)
        results.append(res)
        if not a.json:
            print(format_table(res) + "\n")
            for line in errors(res, a.errors):
                print("  " + line)
    if a.json:
        print(json.dumps([{k: v for k, v in r.items() if not k.startswith("_")} for r in results], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

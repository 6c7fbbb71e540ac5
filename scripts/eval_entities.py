"""Entity P/R/F1 over a gold folder with the SPEC rules (article level, micro-averaged).

    .venv/bin/python scripts/eval_entities.py [../shared/gold/dev/id] [-v]

Per article: predictions are the distinct (type, canonical-or-text) names of PER/ORG/LOC entities; a gold
entity is found when a prediction of the same type has the same canonical (case-folded) or its text equals
the gold text or one of its aliases; predictions that match no gold entity are false positives.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from warta.extract.entities import find_entities


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 (0.0 where undefined)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_article(gold: list[dict], pred: list) -> tuple[int, int, int, list, list]:
    names: dict[tuple[str, str], list] = {}
    for e in pred:
        if e.type in ("PER", "ORG", "LOC"):
            names.setdefault((e.type, (e.canonical or e.text).casefold()), []).append(e)
    used: set[tuple[str, str]] = set()
    tp, missed = 0, []
    for g in gold:
        forms = {g["text"].casefold(), *(a.casefold() for a in g.get("aliases") or [])}
        hit = None
        for key, es in names.items():
            if key[0] != g["type"]:
                continue
            if (g.get("canonical") or "").casefold() == key[1] or any(e.text.casefold() in forms for e in es):
                hit = key
                break
        if hit:
            tp += 1
            for key, es in names.items():  # every prediction naming this gold entity is correct
                if key[0] == g["type"] and ((g.get("canonical") or "").casefold() == key[1]
                                            or any(e.text.casefold() in forms for e in es)):
                    used.add(key)
        else:
            missed.append(g)
    fps = [(k, es[0].text) for k, es in names.items() if k not in used]
    return tp, len(fps), len(gold) - tp, missed, fps


def main(argv: list[str]) -> None:
    folder = Path(next((a for a in argv if not a.startswith("-")), "../shared/gold/dev/id"))
    verbose = "-v" in argv
    TP = FP = FN = 0
    for gf in sorted(folder.glob("*.gold.json")):
        gold = json.loads(gf.read_text(encoding="utf-8"))
        if "entities" not in gold:
            continue
        text = (gf.parent / gold["file"]).read_text(encoding="utf-8")
        ents, warns = find_entities(text, language=gold.get("language", "id"), date=gold.get("published"))
        tp, fp, fn, missed, fps = score_article(gold["entities"], ents)
        TP, FP, FN = TP + tp, FP + fp, FN + fn
        if verbose:
            print(f"== {gf.name}: tp={tp} fp={fp} fn={fn}")
            for g in missed:
                print("   MISS", g["type"], g["text"], "|", g.get("canonical"))
            for k, t in fps:
                print("   FP  ", k[0], t, "|", k[1])
            for w in warns:
                print("   WARN", w)
    p, r, f = prf(TP, FP, FN)
    print(f"entities: P={p:.3f} R={r:.3f} F1={f:.3f} (tp={TP} fp={FP} fn={FN})")


if __name__ == "__main__":
    main(sys.argv[1:])

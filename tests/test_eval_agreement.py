"""warta's scorer must give exactly the reference scorer's numbers.

The reference (shared/eval/score.py) is imported from its own path, never
copied. Records are fabricated from the gold files themselves with seeded
random perturbations (dropped, swapped, retyped and invented items), so both
scorers see hits, misses and false alarms of every kind.
"""

from __future__ import annotations

import contextlib
import copy
import importlib.util
import io
import json
import random
from pathlib import Path
from types import ModuleType

import pytest

from warta.eval import evaluate, format_report, load_gold, score

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REFERENCE = SHARED / "eval" / "score.py"
GOLD_SETS = [SHARED / "gold" / "dev", SHARED / "gold" / "seed.gold.json", SHARED / "gold" / "html"]
REFERENCE_KEYS = ["documents", "body", "cleaning", "published", "entities", "events", "event_dates", "quotes", "per_document"]
SEEDS = range(6)


@pytest.fixture(scope="module")
def reference() -> ModuleType:
    if not REFERENCE.is_file() or not all(p.exists() for p in GOLD_SETS):
        pytest.skip("shared reference scorer or gold files not available")
    spec = importlib.util.spec_from_file_location("warta_reference_score", REFERENCE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gold() -> list[tuple[Path, dict]]:
    if not all(p.exists() for p in GOLD_SETS):
        pytest.skip("shared gold files not available")
    return load_gold(GOLD_SETS)


# --------------------------------------------------------------------------- fabrication


def _mangle_case(rng: random.Random, s: str) -> str:
    return rng.choice([s, s.upper(), s.lower(), "  " + s.replace(" ", "  ")])


def fake_text(rng: random.Random, g: dict) -> str:
    if "body" in g:
        lines = [ln for ln in g["body"].splitlines() if rng.random() > 0.3]
        if rng.random() < 0.5:
            lines.insert(0, "Baca juga: berita lain yang tidak relevan sama sekali")
        return "\n".join(lines)
    lines = [s for s in g.get("body_must_contain", []) if rng.random() > 0.15]
    lines = [_mangle_case(rng, s) for s in lines]
    for b in g.get("boilerplate", []):
        r = rng.random()
        if r < 0.1:
            lines.append(b)  # a whole boilerplate line
        elif r < 0.2 and lines:
            lines[-1] += " " + b  # boilerplate inside a line
    return "\n".join(lines)


def fake_entities(rng: random.Random, gold_entities: list[dict]) -> list[dict]:
    out = []
    for e in gold_entities:
        r = rng.random()
        if r < 0.2:
            continue
        names = [e.get("text"), *e.get("aliases", [])]
        pe = {"text": rng.choice(names), "type": e["type"], "canonical": None}
        if r < 0.4:
            pe["canonical"] = (e.get("canonical") or "").upper()
        elif r < 0.5:
            pe["type"] = rng.choice(["PER", "ORG", "LOC", "MISC"])
        out.append(pe)
        if rng.random() < 0.3:  # a second mention under another name
            out.append({"text": rng.choice(names), "type": e["type"], "canonical": e.get("canonical")})
    out += [{"text": f"Noise {i}", "type": rng.choice(["PER", "ORG", "LOC", "MISC"])} for i in range(rng.randint(0, 3))]
    # unmatched names sharing one canonical form: counted once, not per spelling
    out += [{"text": f"Orang {i}", "type": "PER", "canonical": "Orang Tak Dikenal"} for i in range(rng.randint(0, 2))]
    rng.shuffle(out)
    return out


def _perturb_actor(rng: random.Random, a: dict | None) -> dict | None:
    if a is None:
        return {"text": "x", "actor": "USAGOV", "country": "USA"}
    a = dict(a)
    r = rng.random()
    if r < 0.15:
        a["country"] = None  # compare by actor code only
    elif r < 0.25 and a.get("actor"):
        a["actor"] = a["actor"][:3] if rng.random() < 0.5 else a["actor"] + "SEC"
        a["country"] = None if rng.random() < 0.5 else a.get("country")
    elif r < 0.3:
        a["country"] = "FRA"
    elif r < 0.35:
        a["actor"] = (a.get("actor") or "").lower()
    return a


def fake_events(rng: random.Random, gold_events: list[dict]) -> list[dict]:
    types = ["ACCUSE", "CONSULT", "AGREE", "SUPPORT", "REJECT", "ASSAULT", "COOPERATE", "REQUEST"]
    out = []
    for e in gold_events:
        if rng.random() < 0.25:
            continue
        pe = {k: copy.deepcopy(e.get(k)) for k in ("type", "source", "target", "date")}
        r = rng.random()
        if r < 0.2:
            pe["source"], pe["target"] = pe["target"], pe["source"]
        elif r < 0.3:
            pe["type"] = rng.choice(e.get("accept_types") or types)
        elif r < 0.4:
            pe["type"] = rng.choice(types)
        pe["source"] = _perturb_actor(rng, pe["source"])
        if rng.random() < 0.7 or pe["target"] is not None:
            pe["target"] = _perturb_actor(rng, pe["target"])
        if pe["date"] and rng.random() < 0.3:
            pe["date"] = "1999-01-01"
        elif not pe["date"] and rng.random() < 0.2:
            pe["date"] = "2017-07-04"
        out.append(pe)
    for _ in range(rng.randint(0, 2)):
        out.append({"type": rng.choice(types), "source": {"country": rng.choice(["IRN", "RUS", "USA", "IDN"])},
                    "target": {"actor": rng.choice(["IGOUNO", "IGOUNOSEC", "IGO", "SYRMIL"]), "country": None}})
    rng.shuffle(out)
    return out


def fake_quotes(rng: random.Random, gold_quotes: list[dict]) -> list[dict]:
    out = []
    for q in gold_quotes:
        if rng.random() < 0.2:
            continue
        canonical = (q.get("speaker") or {}).get("canonical") or ""
        speaker = rng.choice([canonical, canonical.split()[-1] if canonical.split() else "", canonical.upper(), "Someone Else", None])
        start = q["text_starts"]
        text = rng.choice([f"“{start} lalu seterusnya,”", f"\"{start}", start.replace(" ", "  "), "Kata pembuka " + start])
        out.append({"text": text, "kind": q.get("kind", "direct"), "speaker": {"text": speaker, "canonical": speaker}})
    if rng.random() < 0.5:
        out.append({"text": "Sesuatu yang lain", "speaker": {"canonical": "Anon"}})
    rng.shuffle(out)
    return out


def fabricate(rng: random.Random, path: Path, g: dict) -> dict:
    rec: dict = {"source": {"path": f"/somewhere/else/{path.name}"}, "text": fake_text(rng, g)}
    if "published" in g:
        rec["published"] = g["published"] if rng.random() < 0.7 else "2000-01-01"
    if "entities" in g:
        rec["entities"] = fake_entities(rng, g["entities"])
    if "events" in g:
        rec["events"] = fake_events(rng, g["events"])
    if "quotes" in g:
        rec["quotes"] = fake_quotes(rng, g["quotes"])
    return rec


def ours(pairs: list[tuple[dict, dict | None]]) -> dict:
    return {k: v for k, v in score(pairs).items() if k != "by_language"}


# --------------------------------------------------------------------------- tests


@pytest.mark.parametrize("seed", SEEDS)
def test_agrees_on_fabricated_records(reference: ModuleType, gold: list[tuple[Path, dict]], seed: int):
    rng = random.Random(seed)
    pairs = [(g, fabricate(rng, p, g)) for p, g in gold]
    expected = reference.score(pairs)
    got = ours(pairs)
    assert list(got) == REFERENCE_KEYS == list(expected)
    assert got == expected
    for pair in pairs:  # per document too, so that errors cannot cancel out
        assert ours([pair]) == reference.score([pair]), pair[0]["file"]
    # the fabrication must exercise hits, misses and false alarms
    for k in ("entities", "events", "quotes"):
        assert got[k]["tp"] > 0 and got[k]["fp"] > 0 and got[k]["fn"] > 0, k
    assert 0 < got["body"]["f1"] < 1 and 0 < got["cleaning"]["accuracy"] < 1


@pytest.mark.parametrize("empty", [None, {}])
def test_agrees_on_empty_records(reference: ModuleType, gold: list[tuple[Path, dict]], empty: dict | None):
    pairs = [(g, empty) for _, g in gold]
    assert ours(pairs) == reference.score(pairs)


def test_loading_agrees(reference: ModuleType, gold: list[tuple[Path, dict]]):
    assert reference.load_gold([str(p) for p in GOLD_SETS]) == gold


def test_evaluate_and_report_agree_with_reference_cli(reference: ModuleType, gold: list[tuple[Path, dict]], tmp_path: Path):
    rng = random.Random(42)
    # some articles have no record; one record has a blank line before it
    records = [fabricate(rng, p, g) for p, g in gold if rng.random() < 0.8]
    jsonl = tmp_path / "records.jsonl"
    jsonl.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n\n", encoding="utf-8")
    args = [*(str(p) for p in GOLD_SETS), "--records", str(jsonl)]

    def run_reference(extra: list[str]) -> str:
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            assert reference.main(args + extra) == 0
        return buf.getvalue()

    result = evaluate(GOLD_SETS, records)
    assert result.pop("by_language")
    assert result["missing_records"] > 0
    assert json.dumps(result, indent=2) + "\n" == run_reference(["--json"])
    result["by_language"] = {}
    assert format_report(result) + "\n" == run_reference([])

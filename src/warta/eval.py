"""Scoring warta document records against gold files (``shared/gold/SPEC.md``).

The numbers must be the same as those of the project's reference scorer on
the same records (same rules, same rounding, same result keys), so that a
score printed by ``warta eval`` can be compared with one printed anywhere
else. Each rule of SPEC.md is one small function below; the counters are
dataclasses that turn into the reference's result dictionaries.

Result keys: ``documents``, ``body``, ``cleaning``, ``published``,
``entities``, ``events``, ``event_dates``, ``quotes``, ``per_document`` (and
``missing_records`` from :func:`evaluate`). ``by_language`` is an extra
breakdown per gold ``language``; it never changes the keys above.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# PLOVER types whose two sides play the same part ("A and B met"), so the
# order in which a system lists them carries no meaning.
SYMMETRIC_TYPES = frozenset({"CONSULT", "COOPERATE", "AGREE"})
QUOTE_MARKS = frozenset("\"'“”‘’«»„‟")
SCORED_ENTITY_TYPES = frozenset({"PER", "ORG", "LOC"})
SHINGLE_SIZE = 4
_WORD = re.compile(r"\w+")

# The keys that the reference scorer reports, in its order.
SUMMARY_KEYS = ("body", "cleaning", "published", "event_dates")
PRF_KEYS = ("entities", "events", "quotes")


# --------------------------------------------------------------------------- normalisation


def norm(s: str | None) -> str:
    """NFKC + casefold + collapsed whitespace: annotators and pages differ in
    width forms, case and spacing, none of which is an extraction error."""
    s = unicodedata.normalize("NFKC", s or "").casefold()
    return " ".join(s.replace("\u00a0", " ").split())


def strip_quote_marks(s: str | None) -> str:
    """Normalised text without quote marks: whether a quote span includes its
    opening mark is a convention, not a mistake. Marks go before NFKC, as in
    the reference, so full-width marks that NFKC would create are kept."""
    return norm("".join(ch for ch in (s or "") if ch not in QUOTE_MARKS))


# --------------------------------------------------------------------------- counters


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class PRF:
    """Micro-averaged precision/recall/F1 counts over documents."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, n_pred: int, n_gold: int) -> None:
        self.tp += tp
        self.fp += n_pred - tp
        self.fn += n_gold - tp

    def as_dict(self) -> dict[str, Any]:
        p = _ratio(self.tp, self.tp + self.fp)
        r = _ratio(self.tp, self.tp + self.fn)
        return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(_f1(p, r), 3),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass(slots=True)
class Accuracy:
    """Share of checks passed; ``None`` when nothing was checked (not 0)."""

    ok: int = 0
    n: int = 0

    def add(self, ok: bool) -> None:
        self.ok += bool(ok)
        self.n += 1

    def as_dict(self) -> dict[str, Any]:
        return {"accuracy": round(self.ok / self.n, 3) if self.n else None, "n": self.n}


@dataclass(slots=True)
class BodyOverlap:
    """Main-text extraction quality: 4-word shingle overlap per page, each page
    weighted equally (macro), because pages differ a lot in length and a long
    page should not hide a failed short one."""

    precisions: list[float] = field(default_factory=list)
    recalls: list[float] = field(default_factory=list)

    def add(self, gold: str, pred: str) -> None:
        g, p = shingles(gold), shingles(pred)
        tp = sum((g & p).values())
        n_pred, n_gold = sum(p.values()), sum(g.values())
        if n_pred:
            self.precisions.append(tp / n_pred)
        if n_gold:
            self.recalls.append(tp / n_gold)

    def as_dict(self) -> dict[str, Any]:
        if not self.recalls:
            return {"f1": None, "n": 0}
        # dividing by the number of gold pages makes a page with no output count as precision 0
        n = len(self.recalls)
        p, r = sum(self.precisions) / n, sum(self.recalls) / n
        return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(_f1(p, r), 3), "n": n}


def shingles(text: str | None, n: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Multiset of n-word windows (a text shorter than n is one window)."""
    toks = _WORD.findall((text or "").casefold())
    return Counter(tuple(toks[i:i + n]) for i in range(max(1, len(toks) - n + 1)) if toks[i:i + n])


@dataclass(slots=True)
class Tally:
    """All counters for one set of documents."""

    documents: int = 0
    body: BodyOverlap = field(default_factory=BodyOverlap)
    cleaning: Accuracy = field(default_factory=Accuracy)
    published: Accuracy = field(default_factory=Accuracy)
    entities: PRF = field(default_factory=PRF)
    events: PRF = field(default_factory=PRF)
    event_dates: Accuracy = field(default_factory=Accuracy)
    quotes: PRF = field(default_factory=PRF)
    per_document: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "body": self.body.as_dict(), "cleaning": self.cleaning.as_dict(),
                "published": self.published.as_dict(), "entities": self.entities.as_dict(),
                "events": self.events.as_dict(), "event_dates": self.event_dates.as_dict(),
                "quotes": self.quotes.as_dict(), "per_document": self.per_document}


# --------------------------------------------------------------------------- matching rules


def greedy_pairs(gold: list[dict], pred: list[dict], match: Callable[[dict, dict], bool]) -> list[tuple[int, int]]:
    """Pair each gold item, in order, with the first unused prediction that
    matches it: every gold item and every prediction counts at most once."""
    used: set[int] = set()
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if j not in used and match(g, p):
                used.add(j)
                pairs.append((i, j))
                break
    return pairs


def _actor_key(a: dict | None) -> tuple[str | None, str | None]:
    a = a or {}
    return (a.get("country") or None, (a.get("actor") or "").upper() or None)


def same_actor(gold: dict | None, pred: dict | None) -> bool:
    """Compare actors by country when both sides have one; a gold actor without
    a country (an international organisation) by actor code, either being a
    prefix of the other (``IGOUNO`` ~ ``IGOUNOSEC``). A missing gold actor
    (no target marked) accepts anything."""
    if gold is None:
        return True
    (gc, ga), (pc, pa) = _actor_key(gold), _actor_key(pred)
    if gc and pc:
        return gc == pc
    if gc is None and ga:
        return bool(pa) and (pa.startswith(ga) or ga.startswith(pa))
    return False


def is_symmetric(gold_event: dict) -> bool:
    return bool(gold_event.get("symmetric", gold_event["type"] in SYMMETRIC_TYPES))


def event_matches(gold: dict, pred: dict) -> bool:
    """Same type (or an accepted alternative) and same actors, in either
    direction for symmetric events."""
    ptype = pred.get("type")
    if ptype != gold["type"] and ptype not in gold.get("accept_types", ()):
        return False
    gs, gt = gold.get("source"), gold.get("target")
    if same_actor(gs, pred.get("source")) and same_actor(gt, pred.get("target")):
        return True
    return is_symmetric(gold) and same_actor(gs, pred.get("target")) and same_actor(gt, pred.get("source"))


def entity_matches(gold: dict, pred: dict) -> bool:
    """Same type, and the same canonical name or a surface form the annotator
    listed (text or alias): linking and recognition each earn the match."""
    if gold.get("type") != pred.get("type"):
        return False
    if gold.get("canonical") and norm(gold["canonical"]) == norm(pred.get("canonical")):
        return True
    names = {norm(gold.get("text"))} | {norm(a) for a in gold.get("aliases", [])}
    return norm(pred.get("text")) in names


def quote_matches(gold: dict, pred: dict) -> bool:
    """The predicted quote starts with the gold opening words and is given to
    the same speaker; the last name alone is enough ("Lavrov")."""
    if not strip_quote_marks(pred.get("text")).startswith(strip_quote_marks(gold["text_starts"])):
        return False
    gs = norm((gold.get("speaker") or {}).get("canonical"))
    ps = norm((pred.get("speaker") or {}).get("canonical"))
    return bool(gs) and bool(ps) and (gs == ps or gs.split()[-1] == ps.split()[-1])


# --------------------------------------------------------------------------- per-field scoring


def cleaning_ok(gold: dict, text: str | None) -> bool:
    """Every must-keep sentence survived and no boilerplate line did. Short
    boilerplate ("SHARE THIS:") only counts as a whole line, since such words
    may legitimately appear inside a sentence; longer ones count anywhere."""
    flat = norm(text)
    lines = {norm(line) for line in (text or "").splitlines()}
    kept = all(norm(s) in flat for s in gold.get("body_must_contain", []))
    left = any(norm(b) in lines or (len(b) > 12 and norm(b) in flat) for b in gold.get("boilerplate", []))
    return kept and not left


def unique_entities(entities: Iterable[dict]) -> list[dict]:
    """Scored entities, each distinct (type, name) once: gold lists every
    entity once, however often the article mentions it."""
    seen: set[tuple[Any, str]] = set()
    out = []
    for e in entities:
        if e.get("type") not in SCORED_ENTITY_TYPES:
            continue
        key = (e.get("type"), norm(e.get("canonical") or e.get("text")))
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def score_entities(tally: Tally, gold: list[dict], pred: list[dict]) -> None:
    uniq = unique_entities(pred)
    tp = len(greedy_pairs(gold, uniq, entity_matches))
    # another name of an entity already found (an alias) is not a false alarm
    extra = [e for e in uniq if not any(entity_matches(g, e) for g in gold)]
    tally.entities.add(tp, tp + len(extra), len(gold))


def score_events(tally: Tally, gold: dict, pred: list[dict]) -> None:
    """Optional gold events are neither missed nor false alarms: they leave the
    gold side, and predictions matching them leave the predicted side."""
    required = [e for e in gold["events"] if not e.get("optional")]
    optional = [e for e in gold["events"] if e.get("optional")]
    matched = greedy_pairs(required, pred, event_matches)
    taken = {j for _, j in matched}
    extra = [p for j, p in enumerate(pred)
             if j not in taken and not any(event_matches(o, p) for o in optional)]
    tally.events.add(len(matched), len(matched) + len(extra), len(required))
    for i, j in matched:
        if required[i].get("date"):
            tally.event_dates.add(pred[j].get("date") == required[i]["date"])
    tally.per_document.append({"file": gold["file"], "events_gold": len(required),
                               "events_found": len(matched), "events_extra": len(extra)})


def score_document(tally: Tally, gold: dict, record: dict | None) -> None:
    """Add one article; only the fields the gold file holds are scored."""
    rec = record or {}
    text = rec.get("text")
    tally.documents += 1
    if "body_must_contain" in gold or "boilerplate" in gold:
        tally.cleaning.add(cleaning_ok(gold, text))
    if "body" in gold:
        tally.body.add(gold["body"], text or "")
    if "published" in gold:
        tally.published.add(rec.get("published") == gold["published"])
    if "entities" in gold:
        score_entities(tally, gold["entities"], rec.get("entities") or [])
    if "events" in gold:
        score_events(tally, gold, list(rec.get("events") or []))
    if "quotes" in gold:
        quotes = rec.get("quotes") or []
        tp = len(greedy_pairs(gold["quotes"], quotes, quote_matches))
        tally.quotes.add(tp, len(quotes), len(gold["quotes"]))


# --------------------------------------------------------------------------- public API


def _tally(pairs: Iterable[tuple[dict, dict | None]]) -> Tally:
    tally = Tally()
    for gold, record in pairs:
        score_document(tally, gold, record)
    return tally


def score(pairs: list[tuple[dict, dict | None]], *, by_language: bool = True) -> dict[str, Any]:
    """Score (gold, record) pairs; a ``None`` record scores as an empty one.

    ``by_language`` adds a breakdown per gold ``language`` (``"und"`` when the
    gold file has none) under its own key, because Indonesian and English are
    reported separately; the reference keys are unchanged by it.
    """
    result = _tally(pairs).as_dict()
    if by_language:
        groups: dict[str, list[tuple[dict, dict | None]]] = {}
        for gold, record in pairs:
            groups.setdefault(gold.get("language") or "und", []).append((gold, record))
        result["by_language"] = {
            lang: {k: v for k, v in _tally(group).as_dict().items() if k != "per_document"}
            for lang, group in sorted(groups.items())
        }
    return result


def load_gold(paths: Iterable[str | Path]) -> list[tuple[Path, dict]]:
    """(article path, gold dict) for each gold file; a folder means every
    ``*.gold.json`` below it. The gold ``file`` is relative to the gold file."""
    out = []
    for p in map(Path, paths):
        files = sorted(p.rglob("*.gold.json")) if p.is_dir() else [p]
        for f in files:
            gold = json.loads(f.read_text(encoding="utf-8"))
            out.append(((f.parent / gold["file"]).resolve(), gold))
    return out


def read_records(path: str | Path) -> Iterator[dict]:
    """Document records from a JSON Lines file (blank lines skipped)."""
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def record_name(record: dict) -> str:
    """The basename a record is matched on: gold and records may live in
    different folders, but the article file keeps its name."""
    return Path((record.get("source") or {}).get("path") or "").name


def evaluate(gold_paths: Iterable[str | Path], records: Iterable[dict], *, by_language: bool = True) -> dict[str, Any]:
    """Score records against the gold files found under ``gold_paths``.

    Records are matched by the basename of ``source.path`` (a later record
    with the same name replaces an earlier one); gold files without a record
    score as empty and are counted in ``missing_records``.
    """
    gold = load_gold(gold_paths)
    by_name = {record_name(r): r for r in records}
    result = score([(g, by_name.get(p.name)) for p, g in gold], by_language=by_language)
    missing = sum(p.name not in by_name for p, _ in gold)
    # keep missing_records right after the reference keys, before the extras
    extras = {k: result.pop(k) for k in list(result) if k == "by_language"}
    result["missing_records"] = missing
    result.update(extras)
    return result


def format_report(result: dict[str, Any]) -> str:
    """The reference scorer's text report, then one line per language and
    field when the breakdown is present."""
    lines = [f"{k:12} {result[k]}" for k in (*SUMMARY_KEYS, *PRF_KEYS)]
    lines.append(f"documents {result['documents']}, without a record {result.get('missing_records', 0)}")
    for lang, part in (result.get("by_language") or {}).items():
        lines.append(f"[{lang}] documents {part['documents']}")
        for k in ("cleaning", "published", *PRF_KEYS):
            if _scored(part[k]):  # English gold has no entities: print no empty line for them
                lines.append(f"[{lang}] {k:12} {_brief(part[k])}")
    return "\n".join(lines)


def _scored(d: dict[str, Any]) -> bool:
    return bool(d["n"] if "n" in d else d["tp"] + d["fp"] + d["fn"])


def _brief(d: dict[str, Any]) -> str:
    if "accuracy" in d:
        return f"accuracy={d['accuracy']} n={d['n']}"
    return f"P={d['precision']} R={d['recall']} F1={d['f1']} (tp={d['tp']} fp={d['fp']} fn={d['fn']})"

"""Run warta's English coder on PETRARCH's unit-test records with the validation dictionaries imported.

    .venv/bin/python scripts/petrarch_unittest.py [--petrarch DIR] [--json FILE] [--misses N] [--keep DIR]
                                                  [--triggers shipped+overlay|overlay]

A regression number to raise over time, not a gate (issue 5). ``DIR`` (default ``../shared/data/petrarch2``)
holds ``PETR.UnitTest.records.xml`` and the dictionaries it names: ``PETR.Validate.verbs.txt``,
``PETR.Validate.actors.txt``, ``PETR.Validate.agents.txt``.

1. An overlay folder (a temporary one, or ``--keep DIR``) gets the validation dictionaries through the
   importers: actors with ``warta.kb.petrarch.convert`` (persons with dated roles, organisations) plus the
   country entries the actor importer leaves out (``warta.kb.petrarch_agents.convert_countries``: the
   suite's invented countries, ARN for Arnor, GON for Gondor ...), agents with ``convert_agents``, verbs
   with ``warta.extract.petrarch_verbs`` keeping the suite's codes as written (``raw_codes``: 064, 903, 174K).
2. A child process with ``WARTA_DATA_PATH`` set to that folder (so no cache of this process can hide the
   overlay; ``PYTHONHASHSEED=0`` so ties between equally long triggers fall the same way every run) runs
   warta's steps on each ``<Sentence>`` as an English document published on the sentence's date (the
   language and near-duplicate steps are left out: the records are short variations of one sentence).
3. warta's events are compared with the expected ``<EventCoding>`` items.

The file has 385 ``<EventCoding>`` items in 284 sentences: 359 codings (source, target, event code),
19 ``noevents`` and 7 ``error`` markers (a dateline, two broken parses, four discards), each of the last
two kinds saying "this sentence codes nothing".

Comparison rule for actor codes. A PETRARCH code is country + agent codes (``GONGOV``); warta's actor is
``Actor(actor, country)`` with ``actor`` built the same way (country + sector). An expected code is compared
with warta's ``actor`` (its ``country`` when ``actor`` is empty) as upper-case strings, after two
normalisations on the PETRARCH side: ``---GOV`` (an agent with no country) becomes ``GOV``, the way warta
writes a bare agent, and ``---`` (no actor) matches an absent warta actor. Quoted codes
(``"INJURY TOLL"``) are PETRARCH's text actors: no warta code equals them, they stay counted as misses.

Scores: (a) exact: source, target and event code equal; (b) the same with the event code's two-digit root;
(c) PLOVER type (warta.ontology's map of each side's code) with the source and target countries (a PETRARCH
code's first three letters when they are a country code of the overlay KB); (d) warta events that match no
expected coding exactly (false extras); plus the 26 nothing-expected items reproduced when warta codes
nothing. Each expected coding warta misses gets one reason (the first that applies), see ``REASONS``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PETRARCH = ROOT.parent / "shared" / "data" / "petrarch2"
RECORDS = "PETR.UnitTest.records.xml"
VERBS, ACTORS, AGENTS = "PETR.Validate.verbs.txt", "PETR.Validate.actors.txt", "PETR.Validate.agents.txt"

REASONS = {
    "text_actor": "expected actor is a PETRARCH text actor (quoted); no code can match",
    "paired": "reverse event of a paired code ([032:033]); warta codes one event per trigger",
    "no_trigger": "no trigger matched in the sentence",
    "source_actor": "expected source actor not among warta's actor mentions",
    "target_actor": "expected target actor not among warta's actor mentions",
    "other_code": "same source and target, other event code",
    "roles": "same event code, other or swapped actors",
    "not_coded": "trigger and both actors found, but no event with them",
}


@dataclass
class Sentence:
    id: str
    category: str
    date: str | None
    text: str
    expected: list[tuple[str, str, str]] = field(default_factory=list)
    nothing: list[str] = field(default_factory=list)  # "noevents" / "error:<kind>" markers


def read_records(path: Path) -> list[Sentence]:
    out = []
    for s in ET.parse(path).getroot().iter("Sentence"):
        raw = (s.get("date") or "").strip()
        date = None
        if len(raw) == 8 and raw.isdigit():
            date = dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:])).isoformat()
        text = " ".join((s.findtext("Text") or "").split())
        sent = Sentence(s.get("id", ""), s.get("category", ""), date, text)
        for e in s.findall("EventCoding"):
            if "eventcode" in e.attrib:
                sent.expected.append((e.get("sourcecode", "").strip(), e.get("targetcode", "").strip(),
                                      e.get("eventcode", "").strip()))
            elif "noevents" in e.attrib:
                sent.nothing.append("noevents")
            else:
                sent.nothing.append("error:" + e.get("error", ""))
        out.append(sent)
    return out


# ----------------------------------------------------------------------------------- overlay
def build_overlay(folder: Path, petrarch: Path) -> dict[str, dict]:
    """Write the validation dictionaries into ``folder`` as warta overlays; returns what each importer did."""
    from warta.extract.petrarch_verbs import import_verbs, write_triggers, write_tsv
    from warta.kb import load_kb
    from warta.kb.overlay import append_rows
    from warta.kb.petrarch import convert as convert_actors
    from warta.kb.petrarch_agents import convert_agents, convert_countries, kb_names

    kb = load_kb()
    actors_text = (petrarch / ACTORS).read_text(encoding="utf-8", errors="replace")
    countries = convert_countries(actors_text, countries={k: c.name_en for k, c in kb.countries.items()},
                                  known_names=kb_names(kb.index))
    known_names = {" ".join(k) for k, es in kb.index.items() if any(e.kind in ("person", "org") for e in es)}
    actors = convert_actors(actors_text, known_names=known_names, known_ids=set(kb.persons) | set(kb.orgs),
                            countries=set(kb.countries) | countries.codes, orgs=True, single_word_aliases=True)
    agents = convert_agents((petrarch / AGENTS).read_text(encoding="utf-8", errors="replace"), known=kb.agents)
    verbs = import_verbs(petrarch / VERBS, raw_codes=True)
    # generated rows, written without `warta kb add`'s checks: those refuse country codes the KB lacks
    if countries.rows:
        append_rows(folder, "countries", countries.rows)
    for table, rows in actors.batch().items():
        if rows:
            append_rows(folder, table, rows)
    write_tsv(folder / "kb" / "agents.tsv", ("word", "language", "sector"), agents.rows,
              [f"agents imported from {AGENTS}"], key="word")
    write_triggers(folder, verbs.rows, VERBS)
    return {
        "countries": {"rows": len(countries.rows), "skipped": dict(countries.skipped), "notes": dict(countries.notes)},
        "actors": {"persons": len(actors.persons), "roles": len(actors.roles), "orgs": len(actors.orgs),
                   "skipped": dict(actors.skipped)},
        "agents": {"rows": len(agents.rows), "skipped": dict(agents.skipped), "notes": dict(agents.notes)},
        "verbs": {"rows": len(verbs.rows), "skipped": dict(verbs.skipped), "notes": dict(verbs.notes)},
    }


# ----------------------------------------------------------------------------------- coding (child)
def _actor(a: object) -> dict | None:
    if a is None:
        return None
    return {"text": a.text, "actor": a.actor, "country": a.country}  # type: ignore[attr-defined]


def code_sentences(sentences: list[Sentence], overlay_only: bool = False) -> list[dict]:
    """warta's events, actor mentions and trigger matches per sentence (run with the overlay in place)."""
    from warta.document import Document, sha1_hex
    from warta.extract import events as ev
    from warta.pipeline import Failure, Pipeline
    from warta.steps import default_steps

    if overlay_only:
        import warta.resources as res

        shipped = res.data_dir() / "triggers" / "en.tsv"
        plain = res.table_paths
        res.table_paths = lambda name: [p for p in plain(name) if p != shipped] or plain(name)  # type: ignore[assignment]
        ev.read_table = res.read_table  # events.py imported the name; same function, new table_paths
    pipe = Pipeline([s for s in default_steps(("en",)) if s.name not in ("language", "dedup")])
    out = []
    for s in sentences:
        doc = Document(id=sha1_hex(s.id.encode()), text=s.text, language="en", published=s.date)
        res_doc = pipe.process(doc)
        if isinstance(res_doc, Failure):
            out.append({"id": s.id, "failure": f"{res_doc.step}: {res_doc.reason}", "events": [], "mentions": [],
                        "triggers": []})
            continue
        d = res_doc
        trig = [(t.pattern, t.cameo) for a, b in d.sentences for t, *_ in ev.find_triggers(d.text, a, b, "en")]
        mentions = [_actor(m.actor) for m in ev.build_mentions(d, "en")]
        events = [{"cameo": e.cameo, "type": e.type, "source": _actor(e.source), "target": _actor(e.target),
                   "trigger": e.trigger.text} for e in d.events]
        out.append({"id": s.id, "events": events, "mentions": mentions, "triggers": trig})
    return out


# ----------------------------------------------------------------------------------- comparing
def norm(code: str) -> str:
    """A PETRARCH actor code in warta's spelling: '---GOV' -> 'GOV', '---' -> ''."""
    c = code.strip().upper()
    return c[3:] if c.startswith("---") else c


def warta_code(a: dict | None) -> str:
    return "" if not a else (a.get("actor") or a.get("country") or "").upper()


def plover_of(code: str) -> str:
    from warta import ontology

    c = ontology.cameo(code) if code else None
    return c.plover if c else ""


def country_of(code: str, countries: set[str]) -> str:
    c = norm(code)
    return c[:3] if c[:3] in countries else ""


def _reason(exp: tuple[str, str, str], sent: Sentence, got: dict) -> str:
    src, tgt, code = exp
    if src.startswith('"') or tgt.startswith('"'):
        return "text_actor"
    if any((s, t) == (tgt, src) for s, t, _ in sent.expected[: sent.expected.index(exp)]):
        return "paired"  # the later of two codings with swapped actors: the reverse event of a pair
    if not got.get("triggers"):
        return "no_trigger"
    seen = {warta_code(m) for m in got.get("mentions", [])} | {(m or {}).get("country") or "" for m in got.get("mentions", [])}
    if norm(src) and norm(src) not in seen:
        return "source_actor"
    if norm(tgt) and norm(tgt) not in seen:
        return "target_actor"
    pairs = [(warta_code(e["source"]), warta_code(e["target"]), e["cameo"]) for e in got["events"]]
    if any((s, t) == (norm(src), norm(tgt)) for s, t, _ in pairs):
        return "other_code"
    if any(c == code for _, _, c in pairs):
        return "roles"
    return "not_coded"


def _take(free: list[int], events: list[dict], ok: Callable[[dict], bool]) -> bool:
    """Use up the first still unmatched event that ``ok`` accepts."""
    for i in free:
        if ok(events[i]):
            free.remove(i)
            return True
    return False


def compare(sentences: list[Sentence], coded: list[dict], countries: set[str]) -> dict:
    by_id = {c["id"]: c for c in coded}
    n_exp = exact = root = plover_n = plover_ok = extras = nothing_ok = nothing_n = 0
    reasons: Counter = Counter()
    per_category: dict[str, list[int]] = {}
    misses: list[dict] = []
    for s in sentences:
        got = by_id.get(s.id, {"events": [], "mentions": [], "triggers": []})
        events = got["events"]
        cat = per_category.setdefault(s.category, [0, 0])
        if s.nothing:
            nothing_n += len(s.nothing)
            nothing_ok += len(s.nothing) * (not events)
        free_exact = list(range(len(events)))
        free_root, free_plover = list(free_exact), list(free_exact)

        for exp in s.expected:
            src, tgt, code = norm(exp[0]), norm(exp[1]), exp[2]
            n_exp += 1
            cat[1] += 1

            def same_actors(e: dict, src: str = src, tgt: str = tgt) -> bool:
                return (warta_code(e["source"]), warta_code(e["target"])) == (src, tgt)

            if _take(free_exact, events, lambda e, code=code, f=same_actors: f(e) and e["cameo"] == code):
                exact += 1
                cat[0] += 1
            else:
                r = _reason(exp, s, got)
                reasons[r] += 1
                misses.append({"id": s.id, "expected": exp, "reason": r, "text": s.text,
                               "warta": [(warta_code(e["source"]), warta_code(e["target"]), e["cameo"], e["trigger"])
                                         for e in events]})
            if _take(free_root, events, lambda e, code=code, f=same_actors: f(e) and e["cameo"][:2] == code[:2]):
                root += 1
            p = plover_of(code)
            if p:
                plover_n += 1
                sc, tc = country_of(exp[0], countries), country_of(exp[1], countries)
                if _take(free_plover, events, lambda e, p=p, sc=sc, tc=tc: plover_of(e["cameo"]) == p
                        and ((e["source"] or {}).get("country") or "") == sc
                        and ((e["target"] or {}).get("country") or "") == tc):
                    plover_ok += 1
        extras += len(free_exact)
    return {
        "codings": n_exp, "exact": exact, "root": root, "plover_expected": plover_n, "plover": plover_ok,
        "false_extras": extras, "warta_events": sum(len(c["events"]) for c in coded),
        "nothing_expected": nothing_n, "nothing_reproduced": nothing_ok,
        "items": n_exp + nothing_n, "items_reproduced": exact + nothing_ok,
        "miss_reasons": dict(reasons.most_common()),
        "per_category": {k: {"exact": v[0], "codings": v[1]} for k, v in sorted(per_category.items())},
        "misses": misses,
    }


# ----------------------------------------------------------------------------------- main
def _git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def run(petrarch: Path, keep: Path | None = None, overlay_only: bool = False) -> dict:
    sentences = read_records(petrarch / RECORDS)
    with tempfile.TemporaryDirectory(prefix="warta-petrarch-") as tmp:
        folder = keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if any(folder.iterdir()):
            raise SystemExit(f"{folder} is not empty: the overlay must hold only the validation dictionaries")
        imported = build_overlay(folder, petrarch)
        env = {**os.environ, "WARTA_DATA_PATH": str(folder), "PYTHONHASHSEED": "0"}
        cmd = [sys.executable, __file__, "--child", "--petrarch", str(petrarch)]
        if overlay_only:
            cmd.append("--overlay-only")
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        if proc.returncode:
            raise SystemExit(f"coding failed:\n{proc.stderr[-3000:]}")
        coded = json.loads(proc.stdout)
        from warta.kb import load_kb
        from warta.resources import parse_tsv

        countries = set(load_kb().countries)  # the shipped KB's, plus the overlay's invented ones
        countries_file = folder / "kb" / "countries.tsv"
        if countries_file.is_file():
            countries |= {r["iso3"] for r in parse_tsv(countries_file.read_text(encoding="utf-8"))}
    result = compare(sentences, coded, countries)
    result["imported"] = imported
    result["sentences"] = len(sentences)
    result["failed_documents"] = [c["id"] for c in coded if c.get("failure")]
    result["meta"] = {"date": dt.date.today().isoformat(), "commit": _git_commit(),
                      "triggers": "overlay only" if overlay_only else "shipped en.tsv + overlay",
                      "python": sys.version.split()[0], "cpus": os.cpu_count()}
    return result


def summary(r: dict) -> str:
    def pct(a: int, b: int) -> str:
        return f"{a}/{b} ({a / b:.1%})" if b else f"{a}/0"

    lines = [
        f"PETRARCH unit-test records: {r['sentences']} sentences, {r['items']} <EventCoding> items "
        f"({r['codings']} codings, {r['nothing_expected']} nothing-expected)  [{r['meta']['triggers']}]",
        f"(a) exact (source, target, event code):  {pct(r['exact'], r['codings'])}",
        f"(b) CAMEO root (first two digits):       {pct(r['root'], r['codings'])}",
        f"(c) PLOVER type + source/target country: {pct(r['plover'], r['plover_expected'])} "
        f"(codings whose code has a PLOVER type)",
        f"(d) false extras: {r['false_extras']} of {r['warta_events']} warta events",
        f"nothing-expected items reproduced (no warta event): {pct(r['nothing_reproduced'], r['nothing_expected'])}",
        f"all items reproduced: {pct(r['items_reproduced'], r['items'])}",
        "misses by first reason:",
    ]
    lines += [f"  {n:4d}  {REASONS[k]}" for k, n in r["miss_reasons"].items()]
    lines.append("exact by category: " + ", ".join(f"{k} {v['exact']}/{v['codings']}"
                                                   for k, v in r["per_category"].items() if v["codings"]))
    if r["failed_documents"]:
        lines.append(f"documents that failed a step: {', '.join(r['failed_documents'])}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--petrarch", type=Path, default=PETRARCH, help="folder with the records and dictionaries")
    ap.add_argument("--json", type=Path, help="write the full result (with every miss) here")
    ap.add_argument("--misses", type=int, default=0, help="print this many misses")
    ap.add_argument("--keep", type=Path, help="write the overlay here (an empty or new folder) and keep it")
    ap.add_argument("--triggers", choices=["shipped+overlay", "overlay"], default="shipped+overlay",
                    help="overlay: leave the shipped triggers/en.tsv out (the validation verbs alone)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--overlay-only", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        sents = read_records(a.petrarch / RECORDS)
        json.dump(code_sentences(sents, overlay_only=a.overlay_only), sys.stdout)
        return 0
    if not (a.petrarch / RECORDS).is_file():
        print(f"no {RECORDS} in {a.petrarch}", file=sys.stderr)
        return 2
    r = run(a.petrarch, a.keep, overlay_only=a.triggers == "overlay")
    print(summary(r))
    for m in r["misses"][: a.misses]:
        print(f"- {m['id']} [{m['reason']}] expected {m['expected']} warta {m['warta']}\n    {m['text'][:160]}")
    if a.json:
        a.json.write_text(json.dumps(r, indent=1, default=list) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

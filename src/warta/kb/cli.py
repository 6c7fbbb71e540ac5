"""``warta kb``: search, show and extend the knowledge base.

    warta kb search NAME [--date D] [--limit N] [--format table|jsonl]
    warta kb show KB_ID [--date D] [--format text|json]
    warta kb add person ID --name NAME --country ISO3 [--actor CODE] [--alias A ...]
    warta kb add org ID --name NAME [--actor CODE] [--country ISO3] [--alias A ...] [--type ORG|LOC]
    warta kb add role PERSON_ID --role TEXT --actor CODE --from DATE [--to DATE] [--country ISO3]
    warta kb add alias KB_ID ALIAS [ALIAS ...] [--lang id|en]
    warta kb add file FILE [--table NAME]          (TSV, CSV or YAML rows)
    warta kb import-petrarch DICT [--since DATE] [--open-until DATE] [--orgs] [--prefix P] [--dry-run]

Every ``add``/``import`` writes to ``DIR/kb/<table>.tsv`` of the overlay folder (``--data-dir``, else the
first ``WARTA_DATA_PATH`` entry), never into the installed package. Only argparse is imported at parser
build time, so ``warta --help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from warta.kb.knowledge import KnowledgeBase

_TYPES = {"country": "LOC", "place": "LOC", "person": "PER", "demonym": "MISC"}


def _kb() -> KnowledgeBase:
    from warta.kb import load_kb

    return load_kb()


def _today() -> str:
    import datetime as dt

    return dt.date.today().isoformat()


def _describe(kb: KnowledgeBase, kind: str, ref: str, date: str | None) -> dict[str, Any]:
    """canonical, type, country, actor (and role for persons at ``date``) of one KB record."""
    if kind in ("country", "demonym"):
        c = kb.countries[ref]
        return {"canonical": c.name_en, "type": _TYPES[kind], "country": c.iso3, "actor": c.iso3, "kb_id": c.iso3}
    if kind == "place":
        p = kb.places[ref]
        return {"canonical": p.name, "type": "LOC", "country": p.country, "actor": None, "kb_id": p.id}
    if kind == "org":
        o = kb.orgs[ref]
        return {"canonical": o.canonical, "type": o.type, "country": o.country, "actor": o.actor, "kb_id": o.id}
    p = kb.persons[ref]
    actor, role = kb.person_actor(ref, date or _today())
    country = role.country if role else p.country
    return {"canonical": p.canonical, "type": "PER", "country": None if country == "IGO" else country,
            "actor": actor, "kb_id": p.id, "role": role.role if role else None}


def cmd_search(a: argparse.Namespace) -> int:
    from warta.cli import _print_table

    kb = _kb()
    rows = []
    for h in kb.search(a.name, limit=a.limit):
        d = _describe(kb, h.kind, h.id, a.date)
        rows.append((round(h.score, 1), d["canonical"], d["type"], d["country"], d["actor"], d["kb_id"], h.alias))
    _print_table(["score", "canonical", "type", "country", "actor", "kb_id", "alias"], rows, a.format)
    return 0 if rows else 1


def _find(kb: KnowledgeBase, kb_id: str) -> tuple[str, str] | None:
    for kind, table in (("person", kb.persons), ("org", kb.orgs), ("place", kb.places)):
        if kb_id in table:
            return kind, kb_id
    if kb_id.upper() in kb.countries:
        return "country", kb_id.upper()
    return None


def _aliases(kb: KnowledgeBase, kind: str, ref: str) -> list[str]:
    if kind == "country":
        c = kb.countries[ref]
        return [*c.names_id, *c.names_en, *(f"{d} (demonym)" for d in c.demonyms)]
    return list({"person": kb.persons, "org": kb.orgs, "place": kb.places}[kind][ref].aliases)


def cmd_show(a: argparse.Namespace) -> int:
    kb = _kb()
    hit = _find(kb, a.kb_id)
    if hit is None:
        print(f"warta: no KB record with id {a.kb_id!r}", file=sys.stderr)
        near = kb.search(a.kb_id.replace("_", " "), limit=3)
        if near:
            print("did you mean: " + ", ".join(f"{h.id} ({h.name})" for h in near), file=sys.stderr)
        return 1
    kind, ref = hit
    rec = {"kind": kind, **_describe(kb, kind, ref, a.date), "aliases": _aliases(kb, kind, ref)}
    if kind == "person":
        rec["default_actor"] = kb.persons[ref].actor
        rec["roles"] = [{"role": r.role, "country": r.country, "actor": r.actor, "start": r.start, "end": r.end}
                        for r in kb.roles.get(ref, [])]
    if kind == "place":
        p = kb.places[ref]
        rec.update(kind_of_place=p.kind, lat=p.lat, lon=p.lon)
    if a.format == "json":
        print(json.dumps(rec, ensure_ascii=False, indent=2))
        return 0
    for key in ("kind", "kb_id", "canonical", "type", "country", "actor", "role", "default_actor",
                "kind_of_place", "lat", "lon"):
        if key in rec and rec[key] is not None:
            print(f"{key:<14}{rec[key]}")
    print(f"{'aliases':<14}" + (" | ".join(rec["aliases"]) or "-"))
    if kind == "person":
        print("roles" if rec["roles"] else "roles         -")
        for r in rec["roles"]:
            span = f"{r['start'] or '…'} – {r['end'] or 'now'}"
            print(f"  {span:<25} {r['role']}  [{r['actor'] or '-'}, {r['country'] or '-'}]")
    return 0


# ---------------------------------------------------------------------------- adding
def _write(a: argparse.Namespace, batch: dict[str, list[dict[str, str]]]) -> int:
    from warta.kb.overlay import OverlayError, add_rows, overlay_dir

    kb = _kb()
    known = {"persons": set(kb.persons), "orgs": set(kb.orgs), "places": set(kb.places),
             "countries": set(kb.countries), "roles": set()}
    try:
        folder = overlay_dir(a.data_dir)
        written = add_rows(folder, batch, known, set(kb.countries))
    except OverlayError as exc:
        print(f"warta: {exc}", file=sys.stderr)
        return 2
    for path, n in written:
        print(f"appended {n} row{'s' if n != 1 else ''} to {path}")
    return 0


def _exists(kb_id: str) -> bool:
    kb = _kb()
    return kb_id in kb.persons or kb_id in kb.orgs or kb_id in kb.places


def cmd_add_person(a: argparse.Namespace) -> int:
    from warta.kb.overlay import split_aliases

    if _exists(a.id):
        print(f"warta: {a.id!r} is already in the KB; use `warta kb add alias {a.id} ...`", file=sys.stderr)
        return 2
    batch = {"persons": [{"id": a.id, "canonical": a.name, "aliases": split_aliases(a.alias),
                          "country": a.country.upper(), "actor": (a.actor or "").upper()}]}
    if a.role:
        if not a.start:
            print("warta: --role needs --from DATE", file=sys.stderr)
            return 2
        batch["roles"] = [{"person_id": a.id, "role": a.role, "country": a.country.upper(),
                           "actor": (a.actor or "").upper(), "start": a.start or "", "end": a.end or ""}]
    return _write(a, batch)


def cmd_add_org(a: argparse.Namespace) -> int:
    from warta.kb.overlay import split_aliases

    if _exists(a.id):
        print(f"warta: {a.id!r} is already in the KB; use `warta kb add alias {a.id} ...`", file=sys.stderr)
        return 2
    return _write(a, {"orgs": [{"id": a.id, "canonical": a.name, "actor": (a.actor or "").upper(),
                                "country": (a.country or "").upper(), "aliases": split_aliases(a.alias),
                                "type": a.type}]})


def cmd_add_role(a: argparse.Namespace) -> int:
    return _write(a, {"roles": [{"person_id": a.person_id, "role": a.role, "country": (a.country or "").upper(),
                                 "actor": a.actor.upper(), "start": a.start, "end": a.end or ""}]})


def cmd_add_alias(a: argparse.Namespace) -> int:
    kb = _kb()
    hit = _find(kb, a.kb_id)
    if hit is None:
        print(f"warta: no KB record with id {a.kb_id!r} (see `warta kb search`)", file=sys.stderr)
        return 2
    kind, ref = hit
    names = [n + (f"@{a.lang}" if a.lang else "") for n in a.aliases]
    if kind == "country":
        column = "names_id" if a.lang == "id" else "names_en"
        return _write(a, {"countries": [{"iso3": ref, column: "|".join(names)}]})
    table = {"person": "persons", "org": "orgs", "place": "places"}[kind]
    return _write(a, {table: [{"id": ref, "aliases": "|".join(names)}]})


def cmd_add_file(a: argparse.Namespace) -> int:
    from warta.kb.overlay import OverlayError, read_rows

    try:
        batch = read_rows(Path(a.file), a.table)
    except (OverlayError, OSError, ValueError) as exc:
        print(f"warta: {exc}", file=sys.stderr)
        return 2
    return _write(a, batch)


def cmd_import_petrarch(a: argparse.Namespace) -> int:
    from warta.kb.petrarch import convert

    kb = _kb()
    # index keys are petrarch.name_key()s: folded tokens joined by spaces
    known_names = {" ".join(k) for k, es in kb.index.items() if any(e.kind in ("person", "org") for e in es)}
    try:
        text = Path(a.dict).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        print(f"warta: {exc}", file=sys.stderr)
        return 2
    res = convert(text, known_names=known_names, known_ids=set(kb.persons) | set(kb.orgs),
                  countries=set(kb.countries), prefix=a.prefix, since=a.since, orgs=a.orgs,
                  single_word_aliases=a.single_word_aliases, open_until=a.open_until)
    print(f"{a.dict}: {len(res.persons)} persons, {len(res.roles)} dated roles, {len(res.orgs)} organisations",
          file=sys.stderr)
    for why, n in sorted(res.skipped.items()):
        print(f"  skipped {n}: {why}", file=sys.stderr)
    for p in res.problems[:20]:
        print(f"  unreadable code, {p}", file=sys.stderr)
    if len(res.problems) > 20:
        print(f"  ... {len(res.problems) - 20} more unreadable codes", file=sys.stderr)
    if a.dry_run:
        for row in res.persons[:10]:
            roles = [r for r in res.roles if r["person_id"] == row["id"]]
            print(f"{row['id']}\t{row['canonical']}\t{row['actor']}\t"
                  + "; ".join(f"{r['actor']} {r['start'] or '…'}–{r['end'] or 'now'}" for r in roles))
        return 0
    batch = {k: v for k, v in res.batch().items() if v}
    if not batch:
        print("nothing to import", file=sys.stderr)
        return 0
    return _write(a, batch)


# ---------------------------------------------------------------------------- parser
def register(sub: Any) -> None:
    """Add ``warta kb ...`` to the main parser's subcommands."""
    k = sub.add_parser("kb", help="search, show and extend the knowledge base (user overlays)")
    ks = k.add_subparsers(dest="kb_command", required=True)

    s = ks.add_parser("search", help="fuzzy search over every name and alias")
    s.add_argument("name")
    s.add_argument("--limit", type=int, default=10)
    s.add_argument("--date", help="ISO date for persons' roles (default: today)")
    s.add_argument("--format", choices=["table", "csv", "jsonl"], default="table")
    s.set_defaults(fn=cmd_search)

    w = ks.add_parser("show", help="one record: aliases and (for persons) every dated role")
    w.add_argument("kb_id", help="person/org/place id, or a country's ISO3 code")
    w.add_argument("--date", help="ISO date for the person's actor and role (default: today)")
    w.add_argument("--format", choices=["text", "json"], default="text")
    w.set_defaults(fn=cmd_show)

    data = argparse.ArgumentParser(add_help=False)
    data.add_argument("--data-dir", help="overlay folder (default: first WARTA_DATA_PATH entry); "
                                         "rows go to DIR/kb/<table>.tsv")
    add = ks.add_parser("add", help="append rows to a user overlay of the KB")
    adds = add.add_subparsers(dest="kb_add", required=True)

    p = adds.add_parser("person", parents=[data], help="a new person (optionally with one dated role)")
    p.add_argument("id", help="unique id, e.g. budi_santoso")
    p.add_argument("--name", required=True, help="canonical name")
    p.add_argument("--country", required=True, help="ISO3 of nationality")
    p.add_argument("--actor", help="default CAMEO actor code, e.g. IDNGOV")
    p.add_argument("--alias", action="append", default=[], help="another name (repeatable)")
    p.add_argument("--role", help="a role to add with the person (uses --actor, --country)")
    p.add_argument("--from", dest="start", help="role start, YYYY[-MM[-DD]]")
    p.add_argument("--to", dest="end", help="role end (exclusive), YYYY[-MM[-DD]]")
    p.set_defaults(fn=cmd_add_person)

    o = adds.add_parser("org", parents=[data], help="a new organisation")
    o.add_argument("id")
    o.add_argument("--name", required=True)
    o.add_argument("--actor", help="CAMEO actor code, e.g. IDNJUD or IGOUNO")
    o.add_argument("--country", help="ISO3 (empty for international bodies)")
    o.add_argument("--alias", action="append", default=[])
    o.add_argument("--type", choices=["ORG", "LOC"], default="ORG")
    o.set_defaults(fn=cmd_add_org)

    r = adds.add_parser("role", parents=[data], help="a dated role of a known person")
    r.add_argument("person_id")
    r.add_argument("--role", required=True, help="English office name")
    r.add_argument("--actor", required=True)
    r.add_argument("--country", help="ISO3, or IGO")
    r.add_argument("--from", dest="start", required=True)
    r.add_argument("--to", dest="end")
    r.set_defaults(fn=cmd_add_role)

    al = adds.add_parser("alias", parents=[data], help="more names for a known person/org/place/country")
    al.add_argument("kb_id")
    al.add_argument("aliases", nargs="+")
    al.add_argument("--lang", choices=["id", "en"], help="match the alias only in text of this language")
    al.set_defaults(fn=cmd_add_alias)

    f = adds.add_parser("file", parents=[data], help="rows from a TSV/CSV/YAML file (validated, then appended)")
    f.add_argument("file", help="persons.csv, roles.tsv ...; YAML may map table names to row lists")
    f.add_argument("--table", help="table of a TSV/CSV file not named after it")
    f.set_defaults(fn=cmd_add_file)

    i = ks.add_parser("import-petrarch", parents=[data],
                      help="persons with dated roles (and optionally organisations) from a PETRARCH actor dictionary")
    i.add_argument("dict", help="a PETRARCH/TABARI *.actors.txt file")
    i.add_argument("--since", help="keep only persons with a role lasting until this ISO date or later")
    i.add_argument("--open-until", help="end open-ended roles on this ISO date (e.g. the dictionary's date: "
                                        "Phoenix.Countries.actors.txt was generated 2014-01-30)")
    i.add_argument("--orgs", action="store_true", help="also import undated non-country entries as organisations")
    i.add_argument("--prefix", default="petr_", help="id prefix for imported records (default petr_)")
    i.add_argument("--single-word-aliases", action="store_true",
                   help="keep one-word synonyms (ambiguous surnames are dropped by default)")
    i.add_argument("--dry-run", action="store_true", help="report what would be imported; write nothing")
    i.set_defaults(fn=cmd_import_petrarch)

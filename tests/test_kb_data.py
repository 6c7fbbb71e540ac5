"""Schema and consistency of every knowledge-base data file."""

from __future__ import annotations

import re

import pytest

from warta.resources import read_table, split_list

ISO3 = {r["iso3"] for r in read_table("kb/countries.tsv")}
SECTORS = {"GOV", "MIL", "REB", "OPP", "SPY", "COP", "JUD", "LEG", "BUS", "MED", "CVL", "TER", "PTY", "REL",
           "EDU", "HLH", "REF", "NGO", ""}
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _actor_ok(actor: str) -> bool:
    if not actor:
        return True
    if actor.startswith("IGO") or actor in ("NGO", "TER"):
        return True
    return actor[:3] in ISO3 and actor[3:] in SECTORS


def test_kb_countries_schema() -> None:
    rows = read_table("kb/countries.tsv")
    assert len(rows) > 240
    assert len({r["iso3"] for r in rows}) == len(rows)
    for r in rows:
        assert re.fullmatch(r"[A-Z]{3}", r["iso3"]) and re.fullmatch(r"[A-Z]{2}", r["iso2"]), r
        assert r["name_en"]
    by = {r["iso3"]: r for r in rows}
    assert "AS@id" in split_list(by["USA"]["names_id"])
    assert "Suriah" in split_list(by["SYR"]["names_id"])


def test_kb_places_schema() -> None:
    rows = read_table("kb/places.tsv")
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["country"] == "" or r["country"] in ISO3, r
        assert r["kind"] in {"city", "region", "site", "province"}, r
        lat, lon = float(r["lat"]), float(r["lon"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180


def test_kb_orgs_schema() -> None:
    rows = read_table("kb/orgs.tsv")
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["type"] in {"ORG", "LOC"}, r
        assert r["country"] == "" or r["country"] in ISO3, r
        assert _actor_ok(r["actor"]), r
        if r["actor"].startswith("IGO"):
            assert r["country"] == "", r  # international organisations have no country


def test_kb_persons_and_roles_schema() -> None:
    persons = read_table("kb/persons.tsv")
    ids = [p["id"] for p in persons]
    assert len(ids) >= 300 and len(set(ids)) == len(ids)
    for p in persons:
        assert p["country"] in ISO3, p
        assert _actor_ok(p["actor"]), p
    roles = read_table("kb/roles.tsv")
    assert len(roles) >= 300
    for r in roles:
        assert r["person_id"] in set(ids), r
        assert r["country"] in ISO3 or r["country"] == "IGO", r
        assert _actor_ok(r["actor"]), r
        assert DATE_RE.match(r["start"]), r
        assert r["end"] == "" or DATE_RE.match(r["end"]), r
        if r["end"]:
            assert r["start"] <= r["end"], r  # ISO dates order as strings


def test_kb_org_patterns_schema() -> None:
    rows = read_table("kb/org_patterns.tsv")
    for r in rows:
        slots = re.findall(r"\{\w+\}", r["pattern"])
        assert len(slots) == 1 and slots[0] in {"{country}", "{place}", "{name}", "{num}"}, r
        assert r["sector"] in SECTORS, r
        assert r["language"] in {"id", "en"} and r["type"] in {"ORG", "LOC"}, r
        assert r["country"] == "" or r["country"] in ISO3, r


@pytest.mark.parametrize("name", ["kb/titles.tsv", "kb/agents.tsv"])
def test_kb_word_lists_schema(name: str) -> None:
    rows = read_table(name)
    seen = set()
    for r in rows:
        assert r["language"] in {"id", "en"}, r
        assert r["sector"] in SECTORS, r
        key = (r["word"], r["language"], r.get("kind"))
        assert key not in seen, r
        seen.add(key)
    if name == "kb/titles.tsv":
        assert {r["kind"] for r in rows} <= {"title", "rank", "role", "cue", "cue_after"}


def test_kb_not_names_schema() -> None:
    rows = read_table("kb/not_names.tsv")
    assert all(r["language"] in {"id", "en"} and r["word"][:1].isupper() for r in rows)
    assert {"Selasa", "Juli"} <= {r["word"] for r in rows}

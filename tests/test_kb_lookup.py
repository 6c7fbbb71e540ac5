"""KnowledgeBase lookups: names, places, agents, titles, dated roles, search, user overlays."""

from __future__ import annotations

from pathlib import Path

from warta.kb import load_kb


def test_kb_country_by_name_case_rules() -> None:
    kb = load_kb()
    assert kb.country_by_name("AS").iso3 == "USA"
    assert kb.country_by_name("as") is None  # short all-caps forms only as written
    assert kb.country_by_name("Amerika Serikat").iso3 == "USA"
    assert kb.country_by_name("Tiongkok").iso3 == "CHN"
    assert kb.country_by_name("Korut").iso3 == "PRK"
    assert kb.country("rus").name_en == "Russia"


def test_kb_place_exonyms_and_countries() -> None:
    kb = load_kb()
    assert kb.place("Teheran").name == "Tehran"
    assert kb.place("Moskow").country == "RUS"
    assert kb.place("Tepi Barat").name == "West Bank"
    assert kb.place("Jawa Barat").name == "West Java"
    syria = kb.place("Suriah")
    assert syria.name == "Syria" and syria.lat is not None  # country: placed at its capital
    assert kb.place("Nowhereville") is None


def test_kb_agent_and_title() -> None:
    kb = load_kb()
    assert kb.agent("tentara", "id") == "MIL"
    assert kb.agent("oposisi", "id") == "OPP"
    assert kb.agent("police", "en") == "COP"
    assert kb.agent("meja", "id") is None
    assert kb.title("Laksamana") == "MIL"
    assert kb.title("Menlu") == "GOV"
    assert kb.title("Kapolri") == "COP"
    assert kb.title("kata") is None  # a speech cue, not a title


def test_kb_person_role_at_date() -> None:
    kb = load_kb()
    assert kb.person_role("nikolai_patrushev", "2017-07-05").actor == "RUSGOV"
    assert kb.person_role("nikolai_patrushev", "2005-01-01").actor == "RUSSPY"
    assert kb.person_role("ali_shamkhani", "2017-07-05").role.startswith("Secretary of the Supreme National")
    assert kb.person_role("ali_shamkhani", "2024-01-01") is None
    assert kb.person_role("donald_trump", "2019-06-01").actor == "USAGOV"
    assert kb.person_role("donald_trump", "2022-06-01") is None
    assert kb.person_role("prabowo_subianto", "2020-01-01").role == "Minister of Defence"
    assert kb.person_role("prabowo_subianto", "2025-01-01").role == "President of Indonesia"
    # actor falls back to the person's default when no role is valid (a former president)
    actor, role = kb.person_actor("joe_biden", "2025-10-01")
    assert actor == "USAGOV" and role is None


def test_kb_search_fuzzy() -> None:
    hits = load_kb().search("Samkhani", limit=3)
    assert hits[0].id == "ali_shamkhani"
    assert load_kb().search("Vladmir Putn", limit=1)[0].name == "Vladimir Putin"


def test_kb_user_overlay(tmp_path: Path) -> None:
    (tmp_path / "persons.tsv").write_text("id\tcanonical\taliases\tcountry\tactor\n"
                                          "x_budi\tBudi Contoh\tBudi C.\tIDN\tIDNGOV\n", encoding="utf-8")
    kb = load_kb(extra=[tmp_path])
    assert "x_budi" in kb.persons and "x_budi" not in load_kb().persons

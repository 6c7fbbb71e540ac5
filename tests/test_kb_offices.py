"""Offices named without a person: the data file and who held an office on a date."""

from __future__ import annotations

import pytest

from warta.kb.knowledge import load_kb
from warta.kb.offices import held_by, holder_by_first_name, office_holder, split_office
from warta.resources import read_table, split_list


@pytest.mark.parametrize("phrase,date,who", [
    ("Presiden Iran", "2017-07-04", "Hassan Rouhani"),
    ("Presiden Iran", "2024-10-01", "Masoud Pezeshkian"),
    ("Menlu AS", "2019-01-01", "Mike Pompeo"),
    ("Menteri Luar Negeri Rusia", "2020-01-01", "Sergei Lavrov"),
    ("President of", "2020-01-01", None),
])
def test_office_holder(phrase: str, date: str, who: str | None) -> None:
    h = office_holder(load_kb(), phrase, date)
    assert (h.person.canonical if h else None) == who


def test_no_date_no_holder_and_no_country_no_holder() -> None:
    kb = load_kb()
    assert office_holder(kb, "Presiden Iran", None) is None
    assert office_holder(kb, "Presiden", "2020-01-01") is None


def test_vice_president_is_not_president() -> None:
    kb = load_kb()
    assert held_by(kb, "joe_biden", "Presiden AS", "2015-01-01") is None
    assert held_by(kb, "joe_biden", "Wakil Presiden AS", "2015-01-01") is not None
    assert held_by(kb, "joe_biden", "Presiden AS") is not None  # ever held


def test_every_office_row_names_roles_the_kb_uses() -> None:
    kb = load_kb()
    used = {r.role.split(" of ")[0].split(" for ")[0] for roles in kb.roles.values() for r in roles} | {
        r.role for roles in kb.roles.values() for r in roles}
    rows = read_table("kb/offices.tsv")
    assert rows
    for row in rows:
        assert row["language"] in ("id", "en")
        assert split_office(row["word"] + " Iran") is not None
        names = split_list(row["roles"])
        assert names and any(n in used for n in names), row


def test_first_name_after_an_office_names_the_one_holder() -> None:
    kb = load_kb()
    p = holder_by_first_name(kb, "Bashar", "Presiden", "2017-04-01")
    assert p is not None and p.canonical == "Bashar al-Assad"
    assert holder_by_first_name(kb, "Bashar", "Presiden Suriah", None) is not None
    assert holder_by_first_name(kb, "Bashar", "Presiden Iran", None) is None  # wrong country
    assert holder_by_first_name(kb, "Bashar", "Menlu", None) is None  # never held that office


def test_entity_step_links_a_first_name_after_an_office() -> None:
    from warta.extract.entities import find_entities

    ents, _ = find_entities("Kremlin mengucapkan selamat kepada Presiden Bashar atas kemenangan itu.",
                            language="id", date="2016-03-28")
    bashar = next(e for e in ents if e.text == "Bashar")
    assert bashar.canonical == "Bashar al-Assad" and bashar.country == "SYR" and bashar.method == "title-first-name"

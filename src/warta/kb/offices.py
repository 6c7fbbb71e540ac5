"""Who held an office on a date: "Presiden Iran" on 2017-07-04 is Hassan Rouhani.

Offices named without a person are common in news ("kata Presiden Iran", "imbuh presiden Iran"). The
office words come from ``kb/offices.tsv``, the country from the KB's country names, and the holder from the
dated roles of ``kb/roles.tsv``. No date, no answer: the current holder is not a guess worth making about
an old article.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from warta.kb.knowledge import KnowledgeBase, Person, Role, alias_tokens, fold
from warta.resources import read_table, split_list

__all__ = ["Holder", "held_by", "holder_by_first_name", "office_holder", "split_office"]


@dataclass(frozen=True, slots=True)
class Holder:
    person: Person
    role: Role


@lru_cache(maxsize=1)
def _offices() -> tuple[dict[tuple[str, ...], tuple[str, ...]], int]:
    table: dict[tuple[str, ...], tuple[str, ...]] = {}
    for row in read_table("kb/offices.tsv"):
        key = tuple(fold(t) for t in alias_tokens(row["word"]))
        table[key] = tuple(dict.fromkeys(table.get(key, ()) + tuple(split_list(row["roles"]))))
    return table, max((len(k) for k in table), default=1)


def split_office(phrase: str) -> tuple[tuple[str, ...], str] | None:
    """(role names, rest of the phrase) when ``phrase`` opens with office words ("Presiden Iran")."""
    toks = alias_tokens(phrase)
    table, longest = _offices()
    for n in range(min(longest, len(toks)), 0, -1):
        roles = table.get(tuple(fold(t) for t in toks[:n]))
        if roles:
            return roles, " ".join(toks[n:])
    return None


def _holds(role: Role, names: tuple[str, ...]) -> bool:
    r = role.role
    return any(r == n or (r.startswith(n + " ") and r[len(n) + 1:].split(" ", 1)[0] in ("of", "for", "to"))
               for n in names)


@lru_cache(maxsize=4)
def _roles_by_country(kb: KnowledgeBase) -> dict[str, list[Role]]:
    out: dict[str, list[Role]] = {}
    for roles in kb.roles.values():
        for r in roles:
            if r.country:
                out.setdefault(r.country, []).append(r)
    return out


def _office(kb: KnowledgeBase, phrase: str) -> tuple[tuple[str, ...], str] | None:
    """(role names, ISO3) of an office phrase with its country."""
    split = split_office(phrase)
    if split is None or not split[1]:
        return None
    country = kb.country_by_name(split[1])
    return (split[0], country.iso3) if country else None


def held_by(kb: KnowledgeBase, person_id: str, phrase: str, date: str | None = None) -> Role | None:
    """The role by which ``person_id`` holds the office ``phrase`` names: on ``date``, or ever when None."""
    office = _office(kb, phrase)
    if office is None:
        return None
    names, iso3 = office
    for r in kb.roles.get(person_id, []):
        if r.country == iso3 and _holds(r, names) and (date is None or r.valid_on(date[:10])):
            return r
    return None


def office_holder(kb: KnowledgeBase, phrase: str, date: str | None) -> Holder | None:
    """The person holding the office ``phrase`` names ("Presiden Iran", "Menlu AS") on ISO ``date``."""
    if not date:
        return None
    office = _office(kb, phrase)
    if office is None:
        return None
    names, iso3 = office
    valid = [r for r in _roles_by_country(kb).get(iso3, []) if _holds(r, names) and r.valid_on(date[:10])]
    if not valid:
        return None
    role = max(valid, key=lambda r: r.start)
    person = kb.persons.get(role.person_id)
    return Holder(person, role) if person else None


@lru_cache(maxsize=4)
def _first_names(kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for pid, p in kb.persons.items():
        toks = alias_tokens(p.canonical)
        if len(toks) >= 2:
            out.setdefault(fold(toks[0]), []).append(pid)
    return {k: tuple(v) for k, v in out.items()}


def holder_by_first_name(kb: KnowledgeBase, word: str, office_phrase: str, date: str | None) -> Person | None:
    """"Presiden Bashar": the one KB person with that first name who held the office (on ``date`` when
    given, else ever); the country too when the phrase names one. None when no one or several do."""
    split = split_office(office_phrase)
    if split is None:
        return None
    names, rest = split
    country = kb.country_by_name(rest) if rest else None
    if rest and country is None:
        return None
    found = [pid for pid in _first_names(kb).get(fold(word), ())
             if any(_holds(r, names) and (country is None or r.country == country.iso3)
                    and (date is None or r.valid_on(date[:10])) for r in kb.roles.get(pid, []))]
    return kb.persons[found[0]] if len(found) == 1 else None

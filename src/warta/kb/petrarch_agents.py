"""PETRARCH agent dictionaries -> ``kb/agents.tsv`` overlay rows; actor-dictionary country entries ->
``kb/countries.tsv`` overlay rows (the part :mod:`warta.kb.petrarch`, the actor importer, leaves out).

Agent dictionaries (``PETR.Validate.agents.txt``, ``Phoenix.agents.txt``), as PETRARCH's
``read_agent_dictionary`` reads them:

* comments as in the other dictionaries (``#``, ``<!-- ... -->``);
* ``!PERSON! = MAN, MEN, WOMAN`` defines a substitution: ``CONGRESS!PERSON!`` stands for
  CONGRESSMAN, CONGRESSMEN, CONGRESSWOMAN ...;
* ``FOREIGN_MINISTER {FOREIGN_MINISTERS} [~GOVFRM]``: the phrase, optional plurals in braces (``{}``:
  none), and the code; ``~GOV`` goes after the country code (Arnor's minister -> ARNGOV), ``NGO~``
  before it (NGOARN).

warta's ``agents.tsv`` rows are ``word, language, sector`` and the event coder builds ``country + sector``,
so ``~XXX`` agents become rows (language ``en``; regular plurals are left to the coder, which strips
-s/-ies), prefix agents (``XXX~``) are skipped and counted. Multi-word agents are written too, and counted:
the coder looks agents up one word at a time, so today only their one-word forms act.

Country entries (``ARNOR_ [ARN]``, ``GONDOR [GON] +MINAS_TIRITH``) are skipped by the actor importer because
real dictionaries list cities as synonyms of a country. For a dictionary of invented countries (PETRARCH's
validation suite) they are what codes every actor, so :func:`convert_countries` makes overlay country rows:
a code unknown to the KB becomes a new country named after the entry, its synonyms its English names; a code
the KB knows gets the entry's names that the KB does not know yet; an entry that names a KB country under
another code (``EGYPT [UAR]``) is skipped. Several codes (``LORIEN [ELR/GAL]``): the first is kept.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from warta.extract.petrarch_verbs import dictionary_lines
from warta.kb.petrarch import display_name, name_key, parse_actor_dictionary

_MACRO_RE = re.compile(r"^\s*(![A-Z0-9_]+!)\s*=\s*(.+)$")
_ISO_RE = re.compile(r"^[A-Z]{3}$")


@dataclass
class AgentResult:
    rows: list[dict[str, str]] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    notes: Counter = field(default_factory=Counter)


def _phrase(s: str) -> str:
    return " ".join(w for w in re.split(r"[_\s]+", s.strip()) if w).casefold()


def _substitute(phrase: str, macros: dict[str, list[str]]) -> list[str]:
    m = re.search(r"![A-Z0-9_]+!", phrase)
    if m is None:
        return [phrase]
    alts = macros.get(m.group())
    if alts is None:
        return []
    return [x for a in alts for x in _substitute(phrase[: m.start()] + a + phrase[m.end():], macros)]


def convert_agents(text: str, *, known: dict[tuple[str, str], str] | None = None,
                   language: str = "en") -> AgentResult:
    """``agents.tsv`` rows (word, language, sector) for an agent dictionary. ``known`` maps (word, language)
    to the KB's sector: a row the KB already has with the same sector is not written again."""
    res = AgentResult()
    known = known or {}
    macros: dict[str, list[str]] = {}
    seen: set[str] = set()
    for _, line in dictionary_lines(text):
        line = line.strip()
        mm = _MACRO_RE.match(line)
        if mm:
            macros[mm.group(1)] = [x.strip() for x in mm.group(2).split(",") if x.strip()]
            continue
        codes = re.findall(r"\[([^\]]*)\]", line)
        head = line.split("[", 1)[0]
        plurals = ""
        if "{" in head:
            head, _, rest = head.partition("{")
            plurals = rest.split("}", 1)[0]
        if not codes:
            res.skipped["no code"] += 1
            continue
        code = codes[0].replace(" ", "").upper()
        if code.startswith("~") and len(code) > 1 and code[1:].isalpha():
            sector = code[1:]
        elif code.endswith("~"):
            res.skipped["prefix agent (XXX~): its code goes before the country"] += 1
            continue
        else:
            res.skipped["unreadable code"] += 1
            continue
        phrases = _substitute(head.strip().upper(), macros) + [p for x in plurals.split() for p in _substitute(x, macros)]
        if not phrases:
            res.skipped["undefined substitution (!X!)"] += 1
            continue
        for p in phrases:
            word = _phrase(p)
            if not word or word in seen:
                continue
            seen.add(word)
            if known.get((word, language)) == sector:
                res.skipped["already in the KB"] += 1
                continue
            if " " in word:
                res.notes["multi-word agent (the coder matches one-word agents only)"] += 1
            res.rows.append({"word": word, "language": language, "sector": sector})
    return res


# ----------------------------------------------------------------------------------- country entries
@dataclass
class CountryResult:
    rows: list[dict[str, str]] = field(default_factory=list)
    codes: set[str] = field(default_factory=set)  # the country codes the rows define or extend
    skipped: Counter = field(default_factory=Counter)
    notes: Counter = field(default_factory=Counter)


def convert_countries(text: str, *, countries: dict[str, str], known_names: set[str]) -> CountryResult:
    """``countries.tsv`` overlay rows for the undated bare-country-code entries of an actor dictionary.

    ``countries`` maps every KB country code to its English name; ``known_names`` holds the ``name_key``s of
    every name the KB already has (countries, places, organisations, persons)."""
    res = CountryResult()
    by_code: dict[str, dict[str, str]] = {}
    for e in parse_actor_dictionary(text):
        if not e.codes or any(c.dated for c in e.codes):
            continue  # persons and dated entries are the actor importer's
        code = e.default or ""
        if "/" in code:
            res.notes["several codes (first kept)"] += 1
            code = code.split("/", 1)[0]
        if not _ISO_RE.match(code):
            continue  # agents and organisations (ISRMIL, IGOUNO) are the actor importer's
        names = [n for n in (display_name(x) for x in (e.phrase, *e.synonyms)) if n]
        if not names:
            res.skipped["empty"] += 1
            continue
        if code not in countries and code not in by_code and name_key(names[0]) in known_names:
            res.skipped["names a KB record under another code"] += 1
            continue
        fresh = [n for n in names if name_key(n) not in known_names]
        if not fresh:
            res.skipped["already in the KB"] += 1
            continue
        row = by_code.get(code)
        if row is None:
            new = code not in countries
            row = {"iso3": code, "iso2": "", "name_en": fresh[0] if new else "",
                   "names_id": "", "names_en": "|".join(fresh[1:] if new else fresh), "demonyms": "", "capital": ""}
            by_code[code] = row
            res.rows.append(row)
            res.codes.add(code)
            res.notes["new country code" if new else "names added to a KB country"] += 1
        else:
            row["names_en"] = "|".join(dict.fromkeys([*filter(None, row["names_en"].split("|")), *fresh]))
        known_names.update(name_key(n) for n in fresh)
    return res


def kb_names(index_keys: Iterable[tuple[str, ...]]) -> set[str]:
    """``name_key``s of every name in a KB alias index (its keys are folded token tuples)."""
    return {" ".join(k) for k in index_keys}

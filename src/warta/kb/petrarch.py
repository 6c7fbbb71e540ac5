"""Read PETRARCH/TABARI actor dictionaries (``*.actors.txt``) into KB overlay rows with dated roles.

The format, as PETRARCH2's ``read_actor_dictionary`` reads it (and as the Phoenix files are written):

* lines starting with ``#`` or ``<!`` are comments, as is everything after a ``#``; ``<!-- ... -->`` may
  span lines; ``---STOP---`` ends the file;
* a primary phrase starts a line (``ABDUL_QADIR_``); words are joined by ``_`` or spaces, a trailing
  ``_`` is a word boundary; ``+PHRASE`` lines that follow are synonyms;
* codes are bracketed, on the phrase line or on the following tab-indented lines: ``[AFGGOV]`` is the
  default code, ``[AFGGOV 780427-780430]`` an interval (both days included), ``[AFGGOV >031104]`` from
  a day on, ``[USRARM <900823]`` before a day; ``[---]`` means "no code";
* dates are ``YYMMDD`` (00-30 = 20YY, else 19YY) or ``YYYYMMDD``.

PETRARCH2 itself only reads dates on the indented lines; the International file also writes them on the
phrase line (``JAVIER_DE_CUELLAR_ [IGOUNO 820101-911231] [ELI]``), which is read here the same way.

An entry with a dated code, or marked as coming from CountryInfo/IGOrulers, is a person: it becomes a
``persons.tsv`` row (default actor = its undated code) and one ``roles.tsv`` row per dated code, with
warta's exclusive end (PETRARCH's last day + 1). An entry with only an undated code longer than a bare
country code can become an ``orgs.tsv`` row. Country entries (``AFGHANISTAN_ [AFG]``) are skipped:
their synonyms include cities (Kabul -> AFG), which would break warta's place linking.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from warta.kb.knowledge import alias_tokens, fold

_BRACKET_RE = re.compile(r"\[([^\]]*)\]")
_PERSON_SOURCES = ("countryinfo", "igorulers")
_ROMAN_RE = re.compile(r"^(?:[IVX]+)$")


@dataclass(slots=True)
class Code:
    code: str
    start: str = ""  # ISO date, "" = open
    end: str = ""  # ISO date, exclusive; "" = open

    @property
    def dated(self) -> bool:
        return bool(self.start or self.end)


@dataclass(slots=True)
class Entry:
    phrase: str
    line: int
    synonyms: list[str] = field(default_factory=list)
    codes: list[Code] = field(default_factory=list)
    comment: str = ""

    @property
    def default(self) -> str | None:
        return next((c.code for c in reversed(self.codes) if not c.dated), None)


def petr_date(s: str) -> dt.date:
    """PETRARCH date string (YYMMDD or YYYYMMDD) -> date; ValueError when invalid."""
    s = s.strip()
    if not s.isdigit() or len(s) not in (6, 8):
        raise ValueError(f"bad PETRARCH date {s!r}")
    if len(s) == 6:
        yy = int(s[:2])
        year, rest = (2000 + yy if yy <= 30 else 1900 + yy), s[2:]
    else:
        year, rest = int(s[:4]), s[4:]
    return dt.date(year, int(rest[:2]), int(rest[2:4]))


def parse_code(inner: str) -> Code | None:
    """The inside of one ``[...]``: ``CODE``, ``CODE >date``, ``CODE <date``, ``CODE d1-d2``; None for ``---``."""
    parts = inner.strip().split(None, 1)
    if not parts or set(parts[0]) <= set("-+#"):
        return None
    code, rest = parts[0].upper(), (parts[1].strip() if len(parts) > 1 else "")
    if not rest:
        return Code(code)
    if rest[0] in "<>":
        day = petr_date(rest[1:])
        return Code(code, end=day.isoformat()) if rest[0] == "<" else Code(code, start=day.isoformat())
    a, sep, b = rest.partition("-")
    if not sep:
        # a lone date ("[USAGOV 19820101] # entered Foreign Service"): PETRARCH ignores it; read as a start
        return Code(code, start=petr_date(a).isoformat())
    d1, d2 = petr_date(a), petr_date(b)
    if d2 < d1:
        raise ValueError(f"interval ends before it starts: {inner!r}")
    return Code(code, d1.isoformat(), (d2 + dt.timedelta(days=1)).isoformat())


def _strip_comment(line: str) -> tuple[str, str]:
    i = line.find("#")
    return (line, "") if i < 0 else (line[:i], line[i + 1:].strip())


def parse_actor_dictionary(text: str, problems: list[str] | None = None) -> Iterator[Entry]:
    """Entries of an actor dictionary; unreadable codes are skipped and described in ``problems``."""
    entry: Entry | None = None
    in_comment = False
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if in_comment:
            if "-->" in line:
                in_comment = False
            continue
        if "---STOP---" in line:
            break
        if line.lstrip().startswith("<!--"):
            in_comment = "-->" not in line
            continue
        if not line.strip() or line.lstrip().startswith(("#", "<!")):
            continue
        body, comment = _strip_comment(line)
        if not body.strip():
            continue
        indented = line[0] in " \t"
        stripped = body.strip()
        if stripped.startswith("+"):
            if entry is not None:
                entry.synonyms.append(_BRACKET_RE.sub("", stripped[1:]).strip())
            continue
        if not (indented and stripped.startswith("[")):
            if entry is not None:
                yield entry
            phrase = stripped.split("[", 1)[0].strip()
            entry = Entry(phrase, n, comment=comment)
        elif entry is None:
            continue
        elif comment:
            entry.comment = (entry.comment + " " + comment).strip()
        for inner in _BRACKET_RE.findall(body):
            try:
                code = parse_code(inner)
            except ValueError as exc:
                if problems is not None:
                    problems.append(f"line {n}: {exc}")
                continue
            if code is not None:
                entry.codes.append(code)
    if entry is not None:
        yield entry


def display_name(phrase: str) -> str:
    """``MOHAMMAD_ZAHIR_SHAH_`` -> ``Mohammad Zahir Shah``; ``B._LYNN_PASCOE_`` -> ``B. Lynn Pascoe``."""
    words = [w for w in re.split(r"[_\s]+", phrase.strip()) if w]
    out = []
    for w in words:
        if _ROMAN_RE.match(w) and len(w) <= 4:
            out.append(w)
            continue
        out.append(re.sub(r"[^\W\d_]+", lambda m: m.group().capitalize(), w.lower()))
    return " ".join(out)


def name_key(name: str) -> str:
    """The KB's index key of a name, space-joined ("Ban Ki-moon" -> "ban ki moon")."""
    return " ".join(fold(t) for t in alias_tokens(name))


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_")


def _is_person(e: Entry) -> bool:
    return any(c.dated for c in e.codes) or any(s in e.comment.casefold() for s in _PERSON_SOURCES)


@dataclass
class ImportResult:
    persons: list[dict[str, str]] = field(default_factory=list)
    roles: list[dict[str, str]] = field(default_factory=list)
    orgs: list[dict[str, str]] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def batch(self) -> dict[str, list[dict[str, str]]]:
        return {"persons": self.persons, "roles": self.roles, "orgs": self.orgs}


def _close(start: str, open_until: str | None) -> str:
    if not open_until or (start and start >= open_until):
        return ""
    return open_until


def _country_of(code: str, countries: set[str]) -> str:
    if code.startswith("IGO"):
        return "IGO"
    return code[:3] if code[:3] in countries else ""


def convert(text: str, *, known_names: set[str], known_ids: set[str], countries: set[str],
            prefix: str = "petr_", since: str | None = None, orgs: bool = False,
            single_word_aliases: bool = False, open_until: str | None = None) -> ImportResult:
    """Overlay rows for the entries of one actor dictionary.

    ``known_names`` are the ``name_key``s of person/org names already in the KB: entries whose name or a
    synonym is among them are skipped (so a re-import adds nothing). ``since`` (ISO date) keeps only persons
    with a role that lasts until that day or later. Single-word synonyms ("ABBAS") are dropped unless
    ``single_word_aliases``: alone, most surnames are ambiguous in news text. ``open_until`` ends open roles
    (``>date``) on that day: a dictionary only knows who held an office up to when it was written (the
    Phoenix files: 2014), so "still in office" is a claim about that day, not about today.
    """
    res = ImportResult()
    by_id: dict[str, dict[str, str]] = {}
    for e in parse_actor_dictionary(text, res.problems):
        name = display_name(e.phrase)
        if not name or not e.codes:
            res.skipped["no code" if name else "empty"] += 1
            continue
        names = [name] + [display_name(s) for s in e.synonyms]
        if any(name_key(n) in known_names for n in names if n):
            res.skipped["already in the KB"] += 1
            continue
        aliases = [n for n in names[1:] if n and n != name and (single_word_aliases or " " in n)]
        if _is_person(e):
            roles = [c for c in e.codes if c.dated]
            if since and not any(not c.end or c.end > since for c in roles):
                res.skipped["no role since " + since] += 1
                continue
            pid = prefix + slug(name)
            if pid in known_ids:
                res.skipped["already in the KB"] += 1
                continue
            latest = max(roles, key=lambda c: c.start or "0000") if roles else None
            actor = e.default or (latest.code if latest else "")
            row = by_id.get(pid)
            if row is None:
                country = _country_of(actor, countries)
                row = {"id": pid, "canonical": name, "aliases": "|".join(dict.fromkeys(aliases)),
                       "country": "" if country == "IGO" else country, "actor": actor}
                by_id[pid] = row
                res.persons.append(row)
            else:  # the same name listed twice (under two countries, or IGO and national): one person
                row["aliases"] = "|".join(a for a in dict.fromkeys([*row["aliases"].split("|"), *aliases]) if a)
            for c in roles:
                res.roles.append({"person_id": pid, "role": f"PETRARCH {c.code}",
                                  "country": _country_of(c.code, countries), "actor": c.code,
                                  "start": c.start, "end": c.end or _close(c.start, open_until)})
            continue
        code = e.default or ""
        if len(code) <= 3:
            res.skipped["country entry"] += 1
            continue
        if not orgs:
            res.skipped["organisation (use --orgs)"] += 1
            continue
        oid = prefix + slug(name)
        if oid in known_ids or oid in by_id:
            res.skipped["duplicate organisation"] += 1
            continue
        country = _country_of(code, countries)
        row = {"id": oid, "canonical": name, "actor": code, "country": "" if country == "IGO" else country,
               "aliases": "|".join(dict.fromkeys(aliases)), "type": "ORG"}
        by_id[oid] = row
        res.orgs.append(row)
    return res

"""Datelines: "Teheran, LiputanIslam.com –", "Jakarta (ANTARA) -", "TEMPO.CO, Jakarta -".

The forms are data (``data/clean/datelines.tsv``, known agency names in
``data/clean/sites.tsv``); this module expands their placeholders into
regexes and reports the place words as written, with offsets into the given
text, the site and a date when the dateline carries one with a year. The
dateline stays in the text; linking the place to the gazetteer is the
caller's job.

Only the start of the article is searched: forms with scope ``first`` must
begin the first non-blank line; forms with scope ``lead`` (those that carry a
site or an upper-case place and a dash, so they cannot be ordinary prose) may
begin any of the first ``LEAD_LINES`` non-blank lines, because extracted pages
often put the title or a photo caption above the dateline. A ``fallback`` form
(a first line holding only a place name, "Moscow") counts only when no other
form matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from warta.resources import read_table

DATELINES_FILE = "clean/datelines.tsv"
SITES_FILE = "clean/sites.tsv"
LEAD_LINES = 6

_UP = "A-ZÀ-ÖØ-Þ"
_WORD = rf"[{_UP}][\w'’]*"
# lower-case particles inside place names: "Rio de Janeiro", "Bandar Seri Begawan"
_PLACE_NAME = rf"{_WORD}(?:[ -](?:(?:de|da|del|di|la|el|al|van|von|upon)\s)?{_WORD}){{0,3}}"
_CAPS_WORD = rf"[{_UP}][{_UP}'’.]+"
# a lone upper-case word of 2-3 letters before a dash is an acronym ("RNA -",
# "AS -"), not a city; upper-case places need 4+ letters or a second word
_CAPS_PLACE = rf"(?:{_CAPS_WORD}(?: {_CAPS_WORD}){{1,3}}|[{_UP}][{_UP}'’.]{{3,}})"
_MONTH_WORD = r"[A-Z][a-z]{2,8}\.?"
_DATE = (
    rf"(?:{_MONTH_WORD} \d{{1,2}}(?:,? \d{{4}})?"
    rf"|\d{{1,2}} {_MONTH_WORD}(?: \d{{4}})?"
    r"|\d{1,2}/\d{1,2}(?:/\d{2,4})?)"
)
_DOMAIN = r"[A-Za-z][\w-]*(?:\.[A-Za-z]{2,6}){1,3}"
_CAMEL = r"(?:[a-z]+|[A-Z][a-z]+)[A-Z]\w*"
_DASH = r"(?:--|[-–—])(?=\s|$)"


@dataclass(slots=True)
class DatelineMatch:
    text: str
    start: int
    end: int
    site: str | None = None
    date: str | None = None
    form: str | None = None


@dataclass(frozen=True, slots=True)
class _Form:
    name: str
    scope: str
    regex: re.Pattern[str]


def _known_sites() -> str:
    names = sorted({r["name"] for r in read_table(SITES_FILE) if r.get("name")}, key=len, reverse=True)
    return "|".join(re.escape(n) + r"\b" for n in names) or r"(?!)"


def expand(pattern: str) -> str:
    """A form's pattern with its placeholders replaced by regexes."""
    site = rf"(?P<site>{_DOMAIN}|{_CAMEL}|{_known_sites()})"
    repl = {
        "{PLACE}": rf"(?P<place>{_PLACE_NAME}(?:, {_PLACE_NAME})?)",
        "{CAPS}": rf"(?P<place>{_CAPS_PLACE})",
        "{SITE}": site,
        "{BARE}": rf"(?P<place>{_WORD}(?: {_WORD}){{0,2}})",
        "{NAME}": rf"(?P<site>{_WORD}(?: {_WORD}){{0,2}})",
        "{DATE}": rf"(?P<date>{_DATE})",
        "{DASH}": _DASH,
    }
    for key, value in repl.items():
        pattern = pattern.replace(key, value)
    return pattern


@lru_cache(maxsize=1)
def _forms() -> tuple[_Form, ...]:
    out = []
    for row in read_table(DATELINES_FILE):
        scope = row.get("scope") or "first"
        if scope not in {"first", "lead", "fallback"}:
            raise ValueError(f"{DATELINES_FILE}: bad scope {scope!r} in row {row['name']!r}")
        out.append(_Form(row["name"], scope, re.compile(expand(row["pattern"]))))
    return tuple(out)


def _iso_date(text: str) -> str | None:
    """ISO date of a dateline date; only when it names a year (a bare "Jan 5" is ambiguous)."""
    if not re.search(r"\d{4}|/\d{2}$", text):
        return None
    import dateparser

    parsed = dateparser.parse(
        text,
        languages=["id", "en"],
        settings={"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"]},
    )
    return parsed.date().isoformat() if parsed else None


def _lead_lines(text: str) -> list[tuple[int, str]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, line))
            if len(out) >= LEAD_LINES:
                break
        pos += len(line) + 1
    return out


def find_dateline(text: str) -> DatelineMatch | None:
    """The dateline at the start of ``text`` (see the module docstring), or None."""
    lines = _lead_lines(text)
    for fallback in (False, True):
        for i, (offset, line) in enumerate(lines):
            indent = len(line) - len(line.lstrip())
            body = line[indent:].rstrip()
            for form in _forms():
                if (form.scope == "fallback") != fallback or (form.scope != "lead" and i > 0):
                    continue
                m = form.regex.match(body)
                if m is None:
                    continue
                start = offset + indent + m.start("place")
                end = offset + indent + m.end("place")
                groups = m.groupdict()
                date = _iso_date(groups["date"]) if groups.get("date") else None
                return DatelineMatch(text[start:end], start, end, groups.get("site"), date, form.name)
    return None

"""Date mentions: find candidates with patterns built from ``data/lang/calendar.tsv``,
normalise them, and infer the publication date when the page does not give one.

Why not ``dateparser.search_dates``: it is slow (≈ 60 docs/s) and, given
Indonesian and English together, picks English. Candidates are found here;
textual forms ("27 Januari 2025", "Oct. 25, 2019") are normalised by
``dateparser.parse`` against the publication date; numeric and relative
forms ("Selasa (4/7/2017)", "Selasa kemarin", "hari ini") are plain arithmetic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from warta.document import DateMention
from warta.resources import read_table


@dataclass(frozen=True, slots=True)
class Calendar:
    weekdays: dict[str, int]
    months: dict[str, int]
    relative: dict[str, int]
    direction: dict[str, int]
    pattern: re.Pattern[str]


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def calendar() -> Calendar:
    rows = read_table("lang/calendar.tsv")
    by_kind: dict[str, dict[str, int]] = {"weekday": {}, "month": {}, "relative": {}, "direction": {}}
    for r in rows:
        by_kind[r["kind"]][r["word"].casefold()] = int(r["value"])
    wd = _alt(list(by_kind["weekday"]))
    mo = _alt(list(by_kind["month"]))
    rel = _alt(list(by_kind["relative"]))
    dirw = _alt(list(by_kind["direction"]))
    year = r"(?:19|20)\d\d"
    # Ordered by specificity: the regex engine takes the first alternative that matches at a position.
    # every match starts at a word's first character or at "(": the guard lets the engine skip
    # other positions without trying the five alternatives there (scan was ~9 ms per article)
    pat = rf"""
      (?:(?<!\w)(?=\w)|(?=\())
      (?:
      (?P<wd>\b(?:{wd})\b)?[ ,]*(?:\(\s*)?
        (?P<num>\b(?P<nd>\d{{1,2}})/(?P<nm>\d{{1,2}})(?:/(?P<ny>\d{{4}}|\d{{2}}))?\b)
      (?:\s*\))?
    | (?P<wd2>\b(?:{wd})\b)?[ ,]*
        (?P<dmy>\b(?P<td>\d{{1,2}})\s+(?P<tm>{mo})\.?(?:\s+(?P<ty>{year}))?\b)
    | (?P<wd3>\b(?:{wd})\b)?[ ,]*
        (?P<mdy>\b(?P<em>{mo})\.?\s+(?P<ed>\d{{1,2}})\b(?:,?\s+(?P<ey>{year})\b)?)
    | (?P<wdir>\b(?P<wd4>{wd})\b(?:\s+(?P<dir>{dirw})\b)?)
    | (?P<rel>\b(?:{rel})\b)
      )
    """
    return Calendar(by_kind["weekday"], by_kind["month"], by_kind["relative"], by_kind["direction"],
                    re.compile(pat, re.IGNORECASE | re.VERBOSE))


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _year(y: str | None) -> int | None:
    if not y:
        return None
    n = int(y)
    return n + 2000 if n < 100 else n


def _nearest_year(m: int, d: int, base: date | None, direction: int = -1) -> date | None:
    """A day and month without a year, read as the nearest one on the side of ``base`` news usually means."""
    if base is None:
        return None
    cand = _safe_date(base.year, m, d)
    if cand is None:
        return None
    # news reports the recent past far more than the future; allow a few weeks ahead for announcements
    if direction < 0 and cand > base + timedelta(days=31):
        cand = _safe_date(base.year - 1, m, d)
    elif direction > 0 and cand < base:
        cand = _safe_date(base.year + 1, m, d)
    return cand


def _weekday_near(base: date, weekday: int, direction: int) -> date:
    """The weekday on or before base (direction -1, "Selasa lalu" = strictly before) or after it."""
    delta = (base.isoweekday() - weekday) % 7
    if direction < 0:
        return base - timedelta(days=delta or 7)
    if direction > 0:
        return base + timedelta(days=(weekday - base.isoweekday()) % 7 or 7)
    # no direction word: news means the most recent such day, today included
    return base - timedelta(days=delta)


@dataclass(slots=True)
class _Raw:
    start: int
    end: int
    kind: str  # full | partial | weekday | relative
    value: date | None = None
    weekday: int | None = None
    month: int | None = None
    day: int | None = None
    offset: int = 0
    direction: int = 0


@lru_cache(maxsize=4096)  # dateparser takes ~1 ms a call; an article repeats its dates, a dump repeats them a lot
def _textual(s: str, base: date | None, languages: tuple[str, ...]) -> date | None:
    import dateparser  # imported lazily: it costs ~0.3 s at start-up

    settings = {"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"],
                "RETURN_AS_TIMEZONE_AWARE": False}
    got = dateparser.parse(s, languages=list(languages), settings=settings)
    return got.date() if got else None


def scan(text: str, language: str | None = None) -> list[_Raw]:
    """Candidate date mentions with what each says, before resolution against a base date."""
    cal = calendar()
    langs = ("id", "en") if language not in ("id", "en") else (language,)
    out: list[_Raw] = []
    for m in cal.pattern.finditer(text):
        g = m.groupdict()
        s, e = m.span()
        wd = g.get("wd") or g.get("wd2") or g.get("wd3")
        weekday = cal.weekdays.get(wd.casefold()) if wd else None
        if g["num"]:
            d, mo, y = int(g["nd"]), int(g["nm"]), _year(g["ny"])
            if not (1 <= d <= 31 and 1 <= mo <= 12):
                continue
            if weekday is None and y is None:
                continue  # "3/4" alone is a fraction or a score as often as a date
            if y is not None:
                out.append(_Raw(s, e, "full", _safe_date(y, mo, d), weekday))
            else:
                out.append(_Raw(s, e, "partial", None, weekday, mo, d))
        elif g["dmy"] or g["mdy"]:
            if g["dmy"]:
                d, mon, y = int(g["td"]), cal.months[g["tm"].casefold()], _year(g["ty"])
                core = g["dmy"]
            else:
                d, mon, y = int(g["ed"]), cal.months[g["em"].casefold()], _year(g["ey"])
                core = g["mdy"]
            if not 1 <= d <= 31:
                continue
            if y is not None:
                val = _textual(core, None, langs) or _safe_date(y, mon, d)
                out.append(_Raw(s, e, "full", val, weekday))
            else:
                out.append(_Raw(s, e, "partial", None, weekday, mon, d))
        elif g["wdir"]:
            wk = cal.weekdays[g["wd4"].casefold()]
            direction = cal.direction.get((g.get("dir") or "").casefold(), 0)
            out.append(_Raw(s, e, "weekday", None, wk, direction=direction))
        elif g["rel"]:
            out.append(_Raw(s, e, "relative", offset=cal.relative[g["rel"].casefold()]))
    # trim trailing spaces/commas/open brackets the optional parts may have taken
    for r in out:
        while r.end > r.start and text[r.end - 1] in " ,(":
            r.end -= 1
        while r.start < r.end and text[r.start] in " ,)":
            r.start += 1
    return out


def infer_published(raws: list[_Raw], today: date | None = None) -> tuple[date | None, bool]:
    """The publication date the text implies, and whether it was inferred from relative mentions.

    1. A past weekday ("Selasa kemarin", "last Tuesday") that matches the weekday of an explicit
       date means the article was written after that date: the day after it when the word is
       "kemarin"/"yesterday"-like, which is what Indonesian news uses for the previous day.
    2. Else the latest explicit date written with its weekday ("Rabu (22/10/2025)"): the
       Indonesian wire style stamps the reporting day this way.
    """
    full = [r for r in raws if r.kind == "full" and r.value]
    for r in raws:
        if r.kind == "weekday" and r.direction < 0:
            for f in full:
                if f.value and f.value.isoweekday() == r.weekday:
                    return f.value + timedelta(days=1), True
    # the weekday is not required to agree with the date: reporters get one of the two wrong, and
    # the stamp is still the reporting day
    stamped = [f.value for f in full if f.weekday and f.value]
    if stamped:
        return max(stamped), False
    # 3. A stamp without its year ("Jumat (15/08)"): the weekday fixes the year within 28; take the
    #    latest such year that is not in the future
    years = [d for r in raws if r.kind == "partial" and r.weekday and r.month and r.day
             for d in [_year_of_weekday(r.month, r.day, r.weekday, today or date.today())] if d]
    if years:
        return max(years), True
    return None, False


def _year_of_weekday(month: int, day: int, weekday: int, today: date) -> date | None:
    """The latest date on or before ``today`` that is ``day``/``month`` and falls on ISO ``weekday``."""
    for y in range(today.year, today.year - 29, -1):
        d = _safe_date(y, month, day)
        if d is not None and d <= today and d.isoweekday() == weekday:
            return d
    return None


def resolve(raw: _Raw, base: date | None) -> date | None:
    if raw.kind == "full":
        return raw.value
    if raw.kind == "partial" and raw.month and raw.day:
        return _nearest_year(raw.month, raw.day, base)
    if base is None:
        return None
    if raw.kind == "relative":
        return base + timedelta(days=raw.offset)
    if raw.kind == "weekday" and raw.weekday:
        return _weekday_near(base, raw.weekday, raw.direction)
    return None


def find_dates(text: str, language: str | None = None, published: str | None = None
               ) -> tuple[list[DateMention], str | None, bool]:
    """Date mentions with ISO values, the publication date (given or inferred), and whether it was inferred."""
    raws = scan(text, language)
    inferred = False
    base: date | None = None
    if published:
        try:
            base = date.fromisoformat(published[:10])
        except ValueError:
            base = None
    if base is None:
        base, inferred = infer_published(raws)
    mentions = [
        DateMention(r.start, r.end, text[r.start:r.end], _iso(resolve(r, base)), relative=r.kind != "full")
        for r in raws if r.end > r.start
    ]
    return mentions, _iso(base), inferred

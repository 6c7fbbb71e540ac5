"""The knowledge base: countries, places, organisations, persons with dated roles, titles, agents.

Everything comes from the TSV files in ``warta/data/kb/`` (plus user overlays via
``WARTA_DATA_PATH`` or ``load_kb(extra=[...])``). Loading builds one alias index:
a dict from a normalised token tuple to the entries it names, which the entity
finder walks with a longest-match scan.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from warta.document import Place
from warta.resources import extra_dirs, parse_tsv, read_table, split_list

# Word tokens and single punctuation marks; hyphens are dropped from keys so "Bangsa-Bangsa" and
# "Bangsa Bangsa", "al-Assad" and "al Assad" share one key.
TOKEN_RE = re.compile(r"\w+|[^\w\s]", re.UNICODE)
_SKIP_TOKENS = frozenset("-‐‑–")
_APOS = str.maketrans({"’": "'", "‘": "'", "`": "'"})


def fold(s: str) -> str:
    """Case- and accent-insensitive form of a token ("Erdoğan" -> "erdogan")."""
    if s.isascii():  # most tokens: nothing to decompose, and casefold is lower for ASCII
        return s.lower()
    return _fold_unicode(s)


@lru_cache(maxsize=1 << 16)
def _fold_unicode(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.translate(_APOS))
    return "".join(c for c in s if not unicodedata.combining(c)).casefold()


def alias_tokens(alias: str) -> list[str]:
    return [t for t in TOKEN_RE.findall(alias.translate(_APOS)) if t not in _SKIP_TOKENS]


def is_case_sensitive(alias: str) -> bool:
    """Short all-caps forms (AS, RI, PBB, KPK, NATO) must match exactly as written."""
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and len(letters) <= 5 and all(c.isupper() for c in letters)


@dataclass(frozen=True, slots=True)
class Country:
    iso3: str
    iso2: str
    name_en: str
    names_id: tuple[str, ...]
    names_en: tuple[str, ...]
    demonyms: tuple[str, ...]
    capital: str


@dataclass(frozen=True, slots=True)
class PlaceEntry:
    id: str
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    kind: str
    aliases: tuple[str, ...]

    def to_place(self) -> Place:
        return Place(self.name, self.country, self.lat, self.lon)


@dataclass(frozen=True, slots=True)
class Org:
    id: str
    canonical: str
    actor: str | None
    country: str | None
    aliases: tuple[str, ...]
    type: str = "ORG"


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    canonical: str
    aliases: tuple[str, ...]
    country: str | None
    actor: str | None


@dataclass(frozen=True, slots=True)
class Role:
    person_id: str
    role: str
    country: str | None
    actor: str | None
    start: str
    end: str | None

    def valid_on(self, date: str) -> bool:
        return _date_key(self.start, False) <= date and (not self.end or date < _date_key(self.end, False))


@dataclass(frozen=True, slots=True)
class OrgPattern:
    tokens: tuple[str, ...]  # head tokens and one slot token "{country}", "{place}", "{name}" or "{num}"
    canonical: str
    sector: str
    country: str | None
    bare_canonical: str
    bare_actor: str | None
    language: str
    type: str

    @property
    def slot(self) -> str:
        return next(t for t in self.tokens if t.startswith("{"))


@dataclass(frozen=True, slots=True)
class GazEntry:
    """One alias of one KB record, as stored in the index."""

    kind: str  # country | place | org | person | demonym
    ref: str  # iso3 / place id / org id / person id
    alias: str
    tokens: tuple[str, ...]  # the alias' tokens as written (for case checks)
    case_sensitive: bool
    language: str | None  # None = any language


@dataclass(frozen=True, slots=True)
class SearchHit:
    kind: str
    id: str
    name: str
    alias: str
    score: float


def _date_key(d: str, end: bool) -> str:
    """Pad YYYY / YYYY-MM to a comparable ISO date (start of the period)."""
    d = d.strip()
    if len(d) == 4:
        return f"{d}-01-01"
    if len(d) == 7:
        return f"{d}-01"
    return d


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*a, *b)))


def _float(v: str) -> float | None:
    try:
        return float(v)
    except ValueError:
        return None


@dataclass
class KnowledgeBase:
    countries: dict[str, Country] = field(default_factory=dict)
    places: dict[str, PlaceEntry] = field(default_factory=dict)
    orgs: dict[str, Org] = field(default_factory=dict)
    persons: dict[str, Person] = field(default_factory=dict)
    roles: dict[str, list[Role]] = field(default_factory=lambda: defaultdict(list))
    patterns: list[OrgPattern] = field(default_factory=list)
    titles: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # (folded, lang) -> (sector, kind)
    agents: dict[tuple[str, str], str] = field(default_factory=dict)
    not_names: dict[str, frozenset[str]] = field(default_factory=dict)  # language -> words
    index: dict[tuple[str, ...], list[GazEntry]] = field(default_factory=lambda: defaultdict(list))
    max_alias_len: int = 1
    title_max_len: int = 1
    # every leading part of an index key / a title key: a longest-match scan stops as soon as its tokens
    # are no prefix of any name (most tokens end the scan after one lookup)
    alias_prefixes: set[tuple[str, ...]] = field(default_factory=set)
    title_prefixes: set[tuple[str, ...]] = field(default_factory=set)
    _country_names: dict[str, str] = field(default_factory=dict)  # folded name -> iso3
    _place_names: dict[str, str] = field(default_factory=dict)  # folded name -> place id

    # ------------------------------------------------------------------ building
    def add_alias(self, kind: str, ref: str, alias: str) -> None:
        language = None
        if alias.endswith("@id") or alias.endswith("@en"):
            alias, language = alias[:-3], alias[-2:]
        toks = tuple(alias_tokens(alias))
        if not toks:
            return
        key = tuple(fold(t) for t in toks)
        entry = GazEntry(kind, ref, alias, toks, is_case_sensitive(alias), language)
        bucket = self.index[key]
        if any(e.kind == kind and e.ref == ref and e.language == language for e in bucket):
            return
        bucket.append(entry)
        self.max_alias_len = max(self.max_alias_len, len(key))
        self.alias_prefixes.update(key[:i] for i in range(1, len(key) + 1))

    def _load_countries(self, rows: Iterable[dict[str, str]]) -> None:
        for r in rows:
            c = Country(r["iso3"], r["iso2"], r["name_en"], tuple(split_list(r["names_id"])),
                        tuple(split_list(r["names_en"])), tuple(split_list(r["demonyms"])), r.get("capital", ""))
            old = self.countries.get(c.iso3)
            if old is not None:  # an overlay row for a shipped country adds names, keeps the rest
                c = Country(c.iso3, c.iso2 or old.iso2, c.name_en or old.name_en, _union(old.names_id, c.names_id),
                            _union(old.names_en, c.names_en), _union(old.demonyms, c.demonyms),
                            c.capital or old.capital)
            self.countries[c.iso3] = c
            for name in (c.name_en, *c.names_id, *c.names_en):
                self.add_alias("country", c.iso3, name)
                self._country_names.setdefault(fold(name.split("@")[0]), c.iso3)
            for d in c.demonyms:
                self.add_alias("demonym", c.iso3, d + "@en")

    def _load_places(self, rows: Iterable[dict[str, str]]) -> None:
        for r in rows:
            p = PlaceEntry(r["id"], r["name"], r["country"] or None, _float(r["lat"]), _float(r["lon"]),
                           r["kind"], tuple(split_list(r["aliases"])))
            old = self.places.get(p.id)
            if old is not None:
                p = PlaceEntry(p.id, p.name or old.name, p.country or old.country,
                               old.lat if p.lat is None else p.lat, old.lon if p.lon is None else p.lon,
                               p.kind or old.kind, _union(old.aliases, p.aliases))
            self.places[p.id] = p
            for name in (p.name, *p.aliases):
                self.add_alias("place", p.id, name)
                self._place_names.setdefault(fold(name.split("@")[0]), p.id)

    def _load_orgs(self, rows: Iterable[dict[str, str]]) -> None:
        for r in rows:
            o = Org(r["id"], r["canonical"], r["actor"] or None, r["country"] or None,
                    tuple(split_list(r["aliases"])), r.get("type") or "ORG")
            old = self.orgs.get(o.id)
            if old is not None:
                o = Org(o.id, o.canonical or old.canonical, o.actor or old.actor, o.country or old.country,
                        _union(old.aliases, o.aliases), r.get("type") or old.type)
            self.orgs[o.id] = o
            for name in (o.canonical, *o.aliases):
                self.add_alias("org", o.id, name)

    def _load_persons(self, rows: Iterable[dict[str, str]], role_rows: Iterable[dict[str, str]]) -> None:
        for r in rows:
            p = Person(r["id"], r["canonical"], tuple(split_list(r["aliases"])), r["country"] or None,
                       r["actor"] or None)
            old = self.persons.get(p.id)
            if old is not None:
                p = Person(p.id, p.canonical or old.canonical, _union(old.aliases, p.aliases),
                           p.country or old.country, p.actor or old.actor)
            self.persons[p.id] = p
            for name in (p.canonical, *p.aliases):
                self.add_alias("person", p.id, name)
        for r in role_rows:
            self.roles[r["person_id"]].append(Role(r["person_id"], r["role"], r["country"] or None,
                                                   r["actor"] or None, r["start"], r["end"] or None))
        for rs in self.roles.values():
            rs.sort(key=lambda x: _date_key(x.start, False))

    def _load_misc(self, patterns: Iterable[dict[str, str]], titles: Iterable[dict[str, str]],
                   agents: Iterable[dict[str, str]], not_names: Iterable[dict[str, str]]) -> None:
        for r in patterns:
            self.patterns.append(OrgPattern(tuple(r["pattern"].split()), r["canonical"], r["sector"],
                                            r["country"] or None, r["bare_canonical"], r["bare_actor"] or None,
                                            r["language"] or "id", r.get("type") or "ORG"))
        for r in titles:
            key = tuple(fold(t) for t in alias_tokens(r["word"]))
            # a capitalised title row and a lower-case role row fold alike: the first row (the title) wins
            self.titles.setdefault((" ".join(key), r["language"]), (r["sector"], r["kind"]))
            self.title_max_len = max(self.title_max_len, len(key))
            self.title_prefixes.update(key[:i] for i in range(1, len(key) + 1))
        for r in agents:
            self.agents[(fold(r["word"]), r["language"])] = r["sector"]
        # first words of multi-word agents ("penegak hukum"): only these start a phrase worth looking up
        self.agent_heads = frozenset(w.split()[0] for w, _ in self.agents if " " in w)
        by_lang: dict[str, set[str]] = defaultdict(set)
        for r in not_names:
            by_lang[r["language"]].add(r["word"])
        self.not_names = {lang: frozenset(ws) for lang, ws in by_lang.items()}

    # ------------------------------------------------------------------ lookups
    def country(self, iso3: str) -> Country | None:
        return self.countries.get(iso3.upper()) if iso3 else None

    def country_by_name(self, name: str) -> Country | None:
        """Indonesian or English country name; short all-caps forms ("AS", "RI") only as written."""
        for e in self.index.get(tuple(fold(t) for t in alias_tokens(name)), ()):
            if e.kind != "country":
                continue
            if e.case_sensitive and tuple(alias_tokens(name)) != e.tokens:
                continue
            return self.countries.get(e.ref)
        return None

    def place(self, name: str) -> Place | None:
        """A place (city, region, site) or a country, by any of its names."""
        key = tuple(fold(t) for t in alias_tokens(name))
        entries = self.index.get(key, ())
        for kind in ("place", "country"):
            for e in entries:
                if e.kind != kind or (e.case_sensitive and tuple(alias_tokens(name)) != e.tokens):
                    continue
                if kind == "place":
                    return self.places[e.ref].to_place()
                c = self.countries[e.ref]
                cap = self.places.get(self._place_names.get(fold(c.capital), ""))
                return Place(c.name_en, c.iso3, cap.lat if cap else None, cap.lon if cap else None)
        return None

    def not_names_for(self, language: str) -> frozenset[str]:
        """Capitalised words that never are (or start) a name in ``language``."""
        return self.not_names.get(language, frozenset())

    def agent(self, word: str, language: str = "id") -> str | None:
        key = fold(word)
        return self.agents.get((key, language)) or self.agents.get((key, "*"))

    def title(self, word: str, language: str | None = None) -> str | None:
        """Sector of a title or role word ("Laksamana" -> "MIL"); None when unknown or a speech cue."""
        key = " ".join(fold(t) for t in alias_tokens(word))
        for lang in ((language,) if language else ("id", "en")):
            hit = self.titles.get((key, lang))
            if hit and hit[1] in ("title", "rank", "role"):
                return hit[0] or None
        return None

    def title_kind(self, key: str, language: str) -> tuple[str, str] | None:
        """(sector, kind) for an already folded, space-joined title key."""
        return self.titles.get((key, language))

    def person_role(self, person_id: str, date: str | None) -> Role | None:
        """The role valid at ISO ``date`` (the latest-starting one when several overlap); with no date, the
        current role (open-ended), else the most recent."""
        roles = self.roles.get(person_id) or []
        if not roles:
            return None
        if date is None:
            current = [r for r in roles if not r.end]
            return (current or roles)[-1]
        valid = [r for r in roles if r.valid_on(date[:10])]
        return valid[-1] if valid else None

    def person_actor(self, person_id: str, date: str | None) -> tuple[str | None, Role | None]:
        """Actor at ``date``: the valid role's, else the last role ended before it, else the person's default."""
        role = self.person_role(person_id, date)
        if role is not None:
            return role.actor, role
        p = self.persons.get(person_id)
        return (p.actor if p else None), None

    def search(self, name: str, limit: int = 10) -> list[SearchHit]:
        """Fuzzy search over every alias (for the CLI)."""
        from rapidfuzz import fuzz, process

        choices = self._search_choices()
        hits = process.extract(fold(name), [c[0] for c in choices], scorer=fuzz.WRatio, limit=limit * 5)
        out: list[SearchHit] = []
        seen: set[tuple[str, str]] = set()
        q = fold(name)
        for text, score, i in hits:
            _, kind, ref, alias = choices[i]
            if len(text) <= 3 and text != q:
                continue  # WRatio scores any short alias ("MK") high against a longer query
            if (kind, ref) in seen:
                continue
            seen.add((kind, ref))
            out.append(SearchHit(kind, ref, self.display_name(kind, ref), alias, float(score)))
            if len(out) >= limit:
                break
        return out

    @lru_cache(maxsize=1)  # noqa: B019 - one KB per process; the cache dies with it
    def _search_choices(self) -> list[tuple[str, str, str, str]]:
        return [(" ".join(k), e.kind, e.ref, e.alias) for k, es in self.index.items() for e in es]

    def display_name(self, kind: str, ref: str) -> str:
        if kind in ("country", "demonym"):
            return self.countries[ref].name_en
        if kind == "place":
            return self.places[ref].name
        if kind == "org":
            return self.orgs[ref].canonical
        return self.persons[ref].canonical

    def __hash__(self) -> int:  # identity hash so lru_cache can key on the instance
        return id(self)


_FILES = ("countries", "places", "orgs", "persons", "roles", "org_patterns", "titles", "agents", "not_names")


def build_kb(tables: dict[str, Sequence[dict[str, str]]]) -> KnowledgeBase:
    kb = KnowledgeBase()
    kb._load_countries(tables["countries"])
    kb._load_places(tables["places"])
    kb._load_orgs(tables["orgs"])
    kb._load_persons(tables["persons"], tables["roles"])
    kb._load_misc(tables["org_patterns"], tables["titles"], tables["agents"], tables["not_names"])
    return kb


@lru_cache(maxsize=8)
def _load(extra: tuple[str, ...], _stamp: tuple[tuple[str, float], ...] = ()) -> KnowledgeBase:
    tables: dict[str, list[dict[str, str]]] = {n: list(read_table(f"kb/{n}.tsv")) for n in _FILES}
    for f in _extra_files(extra):
        name = f.stem
        if name in tables:
            tables[name].extend(parse_tsv(f.read_text(encoding="utf-8"), str(f)))
    return build_kb(tables)


def _extra_files(extra: Sequence[str]) -> list[Path]:
    out: list[Path] = []
    for path in extra:
        p = Path(path)
        out.extend(sorted(p.glob("*.tsv")) if p.is_dir() else [p])
    return out


def _overlay_stamp(extra: tuple[str, ...]) -> tuple[tuple[str, float], ...]:
    """Every overlay file that feeds the KB with its mtime: a changed or new overlay (``warta kb add``,
    another ``WARTA_DATA_PATH``) gives a new cache key instead of a stale KB."""
    files = [d / "kb" / f"{n}.tsv" for d in extra_dirs() for n in _FILES]
    files += _extra_files(extra)
    return tuple((str(f), f.stat().st_mtime) for f in files if f.is_file())


def load_kb(extra: Sequence[str | Path] | None = None) -> KnowledgeBase:
    """The shipped KB plus user overlays (``WARTA_DATA_PATH`` folders' ``kb/*.tsv`` and optional ``extra`` TSV
    files named like the shipped ones, or folders of them); cached until an overlay file changes."""
    key = tuple(str(p) for p in extra or ())
    return _load(key, _overlay_stamp(key))

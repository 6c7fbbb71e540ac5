"""Named entities (PER, ORG, LOC) with KB linking, actor codes and a role check.

Stages, in order (each later stage only sees tokens the earlier ones left free):

1. gazetteer: longest match of KB aliases over tokens (countries, places, organisations, persons);
   short all-caps aliases match exactly as written, ``@id`` aliases only in Indonesian text;
   organisation patterns ("Kementerian Luar Negeri {country}", "PT {name}") compete on length.
2. titles: title and rank words ("Laksamana", "Menlu", "Kombes") are marked; they are never entities.
3. names: capitalised word runs become persons when a title chain precedes them ("Direktur Dinas
   Keamanan Federal Rusia Nikolai Patrushev"), when a speech cue frames them ("kata Rano",
   "Nasruddin mengatakan"), or when they are a spelling variant of a KB person (rapidfuzz);
   a run followed by "(ACRONYM)" is an organisation.
4. short forms: a single name word equal to a word of a person found earlier in the document.
5. guarded fuzzy countries: one unknown capitalised word (5+ letters) one edit away from a country name
   ("Surian" -> Suriah).

Every occurrence is its own Entity; ``text[start:end] == entity.text`` always holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from warta.document import Entity
from warta.kb import KnowledgeBase, load_kb
from warta.kb.knowledge import TOKEN_RE, GazEntry, OrgPattern, fold
from warta.kb.offices import holder_by_first_name
from warta.resources import read_table

_HYPHENS = frozenset("-‐‑–")
_CONNECTORS = frozenset({"bin", "binti", "al", "el", "van", "von", "der", "de", "da", "dos", "du", "la", "le", "ibn",
                         "bint", "di"})
_ROMAN_RE = re.compile(r"^(?:[IVXL]+|\d+)$")
_SENT_END = set(".!?\n\"“”:;")
_KIND_PRIORITY = {"country": 0, "org": 1, "person": 2, "place": 3, "demonym": 4}
_SOFT_SECTORS = frozenset({"CVL", "REL", ""})  # titles that do not name an office (Pengamat, Kiai)
_TITLE_KINDS = frozenset({"title", "rank", "role"})
_FORMER = frozenset({"mantan", "eks", "former", "ex"})
# Fuzzy thresholds: high on purpose, a wrong link is worse than a missed one.
_FUZZY_PERSON = 88.0
_FUZZY_SURNAME = 90.0


@dataclass(slots=True)
class _Tok:
    start: int
    end: int
    text: str
    key: str
    word: bool


@dataclass(slots=True)
class _Match:
    a: int  # first token
    b: int  # one past the last token
    entity: Entity
    entry: GazEntry | None = None


@dataclass(slots=True)
class _Doc:
    text: str
    toks: list[_Tok]
    language: str
    date: str | None
    kb: KnowledgeBase
    owner: list[int | None] = field(default_factory=list)  # token -> index into matches
    title: list[tuple[str, str] | None] = field(default_factory=list)  # token -> (sector, kind) of its title
    matches: list[_Match] = field(default_factory=list)
    stop: frozenset[str] = frozenset()  # the KB's not-a-name words for this language
    joins: list[bool] = field(default_factory=list)  # token i and i+1 are joined (see _joined)
    slots: dict[tuple[str, int], tuple[int, GazEntry | None] | None] = field(default_factory=dict)


# ---------------------------------------------------------------------------- tokens
def _tokenize(text: str) -> list[_Tok]:
    out = []
    for m in TOKEN_RE.finditer(text):
        t = m.group()
        if t in _HYPHENS:
            continue
        out.append(_Tok(m.start(), m.end(), t, fold(t), t[0].isalnum()))
    return out


def _joined(doc: _Doc, i: int) -> bool:
    """True when token i and i+1 are separated only by spaces or a hyphen (no line break, no other mark)."""
    return 0 <= i < len(doc.joins) and doc.joins[i]  # the last token is joined to nothing


def _joins(text: str, toks: list[_Tok]) -> list[bool]:
    out = []
    for t, u in pairwise(toks):
        gap = text[t.end:u.start]
        out.append("\n" not in gap and all(c.isspace() or c in _HYPHENS for c in gap))
    return out


def _cap(t: _Tok) -> bool:
    return t.word and (t.text[0].isupper() or t.text[0].isdigit())


def _sentence_start(doc: _Doc, i: int) -> bool:
    j = doc.toks[i].start - 1
    while j >= 0 and doc.text[j] in " \t":
        j -= 1
    return j < 0 or doc.text[j] in _SENT_END


# ---------------------------------------------------------------------------- gazetteer
def _entry_ok(doc: _Doc, e: GazEntry, a: int) -> bool:
    if e.language and e.language != doc.language:
        return False
    toks = doc.toks[a:a + len(e.tokens)]
    if e.case_sensitive:
        return all(t.text.replace("’", "'") == w for t, w in zip(toks, e.tokens, strict=True))
    for t, w in zip(toks, e.tokens, strict=True):
        if w[:1].isupper() and not (t.text[:1].isupper() or t.text[:1].isdigit()):
            return False
    return True


def _gaz_at(doc: _Doc, a: int, kinds: frozenset[str] | None = None) -> tuple[int, GazEntry] | None:
    kb, toks = doc.kb, doc.toks
    n = len(toks)
    if not toks[a].word:
        return None
    lengths: list[int] = []  # lengths at which the tokens spell a whole alias key
    key: tuple[str, ...] = ()
    end = a
    while end < n:
        key = (*key, toks[end].key)
        if key not in kb.alias_prefixes:
            break
        end += 1
        if key in kb.index:
            lengths.append(end - a)
        if end >= n or not _joined(doc, end - 1):
            break
    for length in reversed(lengths):
        entries = kb.index[tuple(t.key for t in toks[a:a + length])]
        ok = [e for e in entries if (kinds is None or e.kind in kinds) and _entry_ok(doc, e, a)]
        if ok:
            return length, min(ok, key=lambda e: _KIND_PRIORITY.get(e.kind, 9))
    return None


def _run(doc: _Doc, a: int, max_len: int, allow_digits: bool = False) -> int:
    """Length of the capitalised word run starting at a (0 when none)."""
    toks, n = doc.toks, len(doc.toks)
    k = 0
    while a + k < n and k < max_len:
        t = toks[a + k]
        hyphened = k > 0 and doc.text[toks[a + k - 1].end:t.start] in _HYPHENS
        good = t.word and (t.text[0].isupper() or hyphened or (allow_digits and t.text[0].isdigit()))
        if not good or (k == 0 and t.text in doc.stop):
            break
        k += 1
        if a + k >= n or not _joined(doc, a + k - 1):
            break
    return k


def _slot(doc: _Doc, slot: str, a: int) -> tuple[int, GazEntry | None] | None:
    # many patterns share a slot at the same token ("{country} Ministry", "{country} Embassy", ...)
    key = (slot, a)
    if key not in doc.slots:
        doc.slots[key] = _slot_uncached(doc, slot, a)
    return doc.slots[key]


def _slot_uncached(doc: _Doc, slot: str, a: int) -> tuple[int, GazEntry | None] | None:
    if a >= len(doc.toks):
        return None
    if slot == "{country}":
        hit = _gaz_at(doc, a, frozenset({"country"}))
        return (hit[0], hit[1]) if hit else None
    if slot == "{num}":
        return (1, None) if _ROMAN_RE.match(doc.toks[a].text) else None
    if slot == "{place}":
        hit = _gaz_at(doc, a, frozenset({"place", "country"}))
        if hit:
            return hit[0], hit[1]
        k = _run(doc, a, 3)
        return (k, None) if k else None
    k = _run(doc, a, 4, allow_digits=False)
    return (k, None) if k else None


def _head_ok(doc: _Doc, words: tuple[str, ...], a: int) -> bool:
    if a + len(words) > len(doc.toks):
        return False
    for k, w in enumerate(words):
        t = doc.toks[a + k]
        if t.key != fold(w) or (w[0].isupper() and not t.text[0].isupper()):
            return False
        if k + 1 < len(words) and not _joined(doc, a + k):
            return False
    return True


_PatIndex = tuple[dict[str, list[tuple[OrgPattern, int]]], list[tuple[OrgPattern, int]]]
# Per-KB caches are keyed by id(kb) and hold the KB itself: a new KB that reuses a dead one's id is noticed.
_PAT: dict[tuple[int, str], tuple[KnowledgeBase, _PatIndex]] = {}


def _pattern_index(kb: KnowledgeBase, language: str) -> _PatIndex:
    """Patterns of one language keyed by their first head word (plus those that open with the slot)."""
    key = (id(kb), language)
    if key not in _PAT or _PAT[key][0] is not kb:
        by_head: dict[str, list[tuple[OrgPattern, int]]] = {}
        slot_first: list[tuple[OrgPattern, int]] = []
        for p in kb.patterns:
            if p.language != language:
                continue
            si = p.tokens.index(p.slot)
            if si == 0:
                slot_first.append((p, si))
            else:
                by_head.setdefault(fold(p.tokens[0]), []).append((p, si))
        _PAT[key] = (kb, (by_head, slot_first))
    return _PAT[key][1]


def _pattern_at(doc: _Doc, a: int) -> tuple[int, OrgPattern, GazEntry | None, bool] | None:
    """Longest organisation pattern at token a: (length, pattern, slot entry, bare)."""
    best: tuple[int, OrgPattern, GazEntry | None, bool] | None = None
    by_head, slot_first = _pattern_index(doc.kb, doc.language)
    for p, si in by_head.get(doc.toks[a].key, []) + slot_first:
        head_before, head_after = p.tokens[:si], p.tokens[si + 1:]
        if not _head_ok(doc, head_before, a):
            continue
        pos = a + len(head_before)
        if head_before and _acronym_after(doc, pos):
            pos += 3
            s = _slot(doc, p.tokens[si], pos)
        else:
            s = _slot(doc, p.tokens[si], pos) if (not head_before or _joined(doc, pos - 1)) else None
        if s is None:
            if head_before and not head_after and p.bare_canonical:
                cand = (len(head_before), p, None, True)
                if best is None or cand[0] > best[0]:
                    best = cand
            continue
        end = pos + s[0]
        if head_after:
            if not _joined(doc, end - 1) or not _head_ok(doc, head_after, end):
                continue
            end += len(head_after)
        cand = (end - a, p, s[1], False)
        if best is None or cand[0] > best[0]:
            best = cand
    return best


def _entity_from_entry(doc: _Doc, e: GazEntry, a: int, b: int) -> Entity:
    kb = doc.kb
    s, t = doc.toks[a].start, doc.toks[b - 1].end
    text = doc.text[s:t]
    if e.kind == "country":
        c = kb.countries[e.ref]
        return Entity(s, t, text, "LOC", c.name_en, c.iso3, c.iso3, c.iso3, method="gazetteer")
    if e.kind == "demonym":
        c = kb.countries[e.ref]
        return Entity(s, t, text, "MISC", c.name_en, c.iso3, c.iso3, c.iso3, method="gazetteer")
    if e.kind == "place":
        p = kb.places[e.ref]
        return Entity(s, t, text, "LOC", p.name, None, p.country, p.id, method="gazetteer")
    if e.kind == "org":
        o = kb.orgs[e.ref]
        return Entity(s, t, text, o.type, o.canonical, o.actor, o.country, o.id, method="gazetteer")
    return _person_entity(doc, e.ref, s, t, text, "gazetteer")


def _person_entity(doc: _Doc, pid: str, s: int, t: int, text: str, method: str) -> Entity:
    kb = doc.kb
    p = kb.persons[pid]
    actor, role = kb.person_actor(pid, doc.date)
    country = role.country if role else p.country
    if country == "IGO" or (actor or "").startswith("IGO"):
        country = None
    return Entity(s, t, text, "PER", p.canonical, actor, country, p.id, role.role if role else None, method)


def _pattern_entity(doc: _Doc, a: int, b: int, p: OrgPattern, slot_entry: GazEntry | None, bare: bool) -> Entity:
    s, t = doc.toks[a].start, doc.toks[b - 1].end
    text = doc.text[s:t]
    if bare:
        return Entity(s, t, text, p.type, p.bare_canonical, p.bare_actor, None, None, method="pattern")
    country = p.country
    if slot_entry is not None and slot_entry.kind == "country":
        country = slot_entry.ref
    elif slot_entry is not None and slot_entry.kind == "place" and not country:
        country = doc.kb.places[slot_entry.ref].country
    canonical = p.canonical or text
    if "{num}" in canonical:
        num = next((tk.text for tk in doc.toks[a:b] if _ROMAN_RE.match(tk.text)), "")
        canonical = canonical.replace("{num}", num)
    actor = f"{country}{p.sector}" if country and p.type == "ORG" else None
    return Entity(s, t, text, p.type, canonical, actor, country, None, method="pattern")


def _gazetteer(doc: _Doc) -> None:
    i, n = 0, len(doc.toks)
    while i < n:
        tok = doc.toks[i]
        if not tok.word or not (tok.text[0].isupper() or tok.text[0].isdigit() or tok.text[0].islower()):
            i += 1
            continue
        g = _gaz_at(doc, i)
        p = _pattern_at(doc, i) if tok.text[0].isupper() else None
        # a {name} slot never outgrows a KB name at the same start: "Partai Golkar Aburizal Bakrie" is the
        # party and then a person, not one party named "Golkar Aburizal Bakrie"
        if p and (g is None or p[0] > g[0]) and not (g and p[1].slot == "{name}"):
            m = _Match(i, i + p[0], _pattern_entity(doc, i, i + p[0], p[1], p[2], p[3]))
        elif g and not _place_in_name(doc, i, g):
            m = _Match(i, i + g[0], _entity_from_entry(doc, g[1], i, i + g[0]), g[1])
        else:
            i += 1
            continue
        if (m.entity.type == "ORG" and m.entity.country == "IDN" and m.b < n and doc.toks[m.b].text == "RI"
                and _joined(doc, m.b - 1)):
            # "Mahkamah Agung RI", "Kemenpan RB RI": the trailing RI belongs to the institution's name
            m.b += 1
            m.entity.end = doc.toks[m.b - 1].end
            m.entity.text = doc.text[m.entity.start:m.entity.end]
        _add(doc, m)
        i = m.b


def _place_in_name(doc: _Doc, i: int, g: tuple[int, GazEntry]) -> bool:
    """A one-word city followed by an unknown capitalised word is a person's given name ("Aba Subagja"),
    and a one-word city that is also an everyday capitalised word ("Kita") is not a place."""
    length, e = g
    if e.kind != "place" or length != 1:
        return False
    if doc.toks[i].text in doc.stop:
        return True
    j = i + 1
    if j >= len(doc.toks) or not _joined(doc, i):
        return False
    t = doc.toks[j]
    return (t.word and t.text[0].isupper() and not t.text.isupper() and t.text not in doc.stop
            and _gaz_at(doc, j) is None and doc.kb.title_kind(t.key, doc.language) is None)


def _add(doc: _Doc, m: _Match) -> None:
    idx = len(doc.matches)
    doc.matches.append(m)
    for k in range(m.a, m.b):
        doc.owner[k] = idx


# ---------------------------------------------------------------------------- titles and names
def _mark_titles(doc: _Doc) -> None:
    kb, toks, n = doc.kb, doc.toks, len(doc.toks)
    i = 0
    while i < n:
        if doc.owner[i] is not None or not toks[i].word:
            i += 1
            continue
        hit = None
        key: tuple[str, ...] = ()
        j = i
        while j < n and doc.owner[j] is None and (j == i or _joined(doc, j - 1)):
            key = (*key, toks[j].key)
            if key not in kb.title_prefixes:
                break
            j += 1
            v = kb.title_kind(" ".join(key), doc.language)
            if v is not None:
                hit = (j - i, v)  # the longest title wins: keep extending
        if hit is None:
            i += 1
            continue
        length, v = hit
        # titles and roles count only when capitalised, cues only in lower case (a cue word
        # capitalised at a sentence start is still a cue)
        if v[1] == "title" and not toks[i].text[0].isupper():
            v = (v[0], "role")
        for k in range(i, i + length):
            doc.title[k] = v
        i += length


_CHAIN_LINKS = frozenset({"untuk", "di", "dari", "for", "to", "of", "at", "in", "the"})


def _chain(doc: _Doc, a: int) -> tuple[int, list[int], list[tuple[str, str]]]:
    """Title chain left of token a: (first token, entity match indexes nearest first, title (sector, kind)s).

    A chain is a sequence of titles, named organisations/places, unknown capitalised words between them
    and small links ("Duta Besar Aljazair untuk PBB, Amar Bendjama"); it must hold at least one title.
    """
    toks = doc.toks
    j = a - 1
    if j >= 1 and toks[j].text == ",":
        j -= 1  # apposition: "Kasi Intel Kejari Cilegon, Nasruddin"
    ents: list[int] = []
    titles: list[tuple[str, str]] = []
    first = a
    while j >= 0:
        t = toks[j]
        if t.text == "." and j >= 1 and doc.title[j - 1] is not None:
            j -= 1  # "Prof. Yohanes Surya"
            continue
        if (t.text == ")" and j == a - 2 and toks[a - 1].text == "," and toks[j - 2].text == "("
                and toks[j - 1].text[:1].isupper()):
            j -= 3  # an apposition after an acronym: "Ketua Umum Partai Persatuan Pembangunan (PPP), Suryadharma Ali"
            continue
        if j + 1 < first and not _joined(doc, j) and toks[j + 1].text not in (",", "."):
            break
        if doc.owner[j] is not None:
            m = doc.matches[doc.owner[j]]
            if m.entity.type not in ("ORG", "LOC"):
                break
            ents.append(doc.owner[j])
            first = m.a
            j = m.a - 1
            continue
        v = doc.title[j]
        if v is not None and v[1] in _TITLE_KINDS:
            titles.append(v)
            first = j
            j -= 1
            continue
        if t.word and t.text[0].isupper() and t.text not in doc.stop and not titles and ents:
            first = j  # an unknown capitalised word inside the chain ("Kasi Intel Kejari ...")
            j -= 1
            continue
        if t.key in _CHAIN_LINKS and ents and j >= 1 and (doc.owner[j - 1] is not None or doc.title[j - 1]):
            j -= 1
            continue
        break
    if not titles:
        return a, [], []
    return first, ents, titles


def _cue_before(doc: _Doc, a: int) -> bool:
    j = a - 1
    if j < 0:
        return False
    v = doc.title[j]
    return v is not None and v[1] == "cue"


def _cue_after(doc: _Doc, b: int) -> bool:
    if b >= len(doc.toks) or not _joined(doc, b - 1):
        return False
    v = doc.title[b]
    return v is not None and v[1] == "cue_after"


def _name_runs(doc: _Doc) -> list[tuple[int, int]]:
    """Maximal runs of free capitalised words (with name connectors and initials inside)."""
    toks, n = doc.toks, len(doc.toks)
    runs, i = [], 0
    while i < n:
        if not _free_name_word(doc, i, first=True):
            i += 1
            continue
        j = i + 1
        while (j < n and _joined(doc, j - 1)) or (j < n and toks[j].text == "." and len(toks[j - 1].text) == 1):
            t = toks[j]
            if t.text == "." and len(toks[j - 1].text) == 1 and toks[j - 1].text.isupper():
                j += 1  # initial "K."
                continue
            if _free_name_word(doc, j, first=False):
                j += 1
                continue
            if t.key in _CONNECTORS and j + 1 < n and _joined(doc, j) and _free_name_word(doc, j + 1, first=False):
                j += 2
                continue
            break
        runs.append((i, j))
        i = j
    return runs


def _free_name_word(doc: _Doc, i: int, first: bool) -> bool:
    t = doc.toks[i]
    if doc.owner[i] is not None or doc.title[i] is not None or not t.word or not t.text[0].isupper():
        return False
    if t.text.isupper() and len(t.text) > 1:  # acronyms are not name words
        return False
    if t.text[0].isdigit():
        return False
    return not (first and t.text in doc.stop)


def _trim(doc: _Doc, a: int, b: int) -> tuple[int, int]:
    while b > a and (doc.toks[b - 1].text in doc.stop or doc.toks[b - 1].text == "."):
        b -= 1
    while a < b and doc.toks[a].text in doc.stop:
        a += 1
    return a, b


def _acronym_after(doc: _Doc, b: int) -> bool:
    toks = doc.toks
    if b + 2 >= len(toks) or toks[b].text != "(" or toks[b + 2].text != ")":
        return False
    acr = toks[b + 1].text
    return acr[:1].isupper() and acr.isalnum() and len(acr) <= 12


def _span(doc: _Doc, a: int, b: int) -> tuple[int, int, str]:
    s, t = doc.toks[a].start, doc.toks[b - 1].end
    return s, t, doc.text[s:t]


def _title_actor(doc: _Doc, ents: list[int], titles: list[tuple[str, str]]) -> tuple[str | None, str | None]:
    """(actor, country) for an unknown person from the title chain: a national organisation's actor, else
    the named country with the title's sector, else an international organisation's actor."""
    es = [doc.matches[mi].entity for mi in ents]
    org = next((e for e in es if e.type == "ORG" and e.actor and e.country), None)
    if org is not None:
        return org.actor, org.country
    offices = [s for s, k in titles if s and k != "rank"]
    sector = next((s for s in offices if s not in _SOFT_SECTORS), None)
    sector = sector or next((s for s, k in titles if k == "rank"), None) or (offices[0] if offices else "")
    country = next((e.country for e in es if e.type == "LOC" and e.country and e.actor), None)
    if country is None:
        igo = next((e for e in es if e.type == "ORG" and e.actor), None)
        if igo is not None:
            return igo.actor, igo.country
        if doc.language == "id":
            country = "IDN"  # an Indonesian title with no country named: a domestic official
    if country is None:
        return None, None
    return (f"{country}{sector}" if sector else country), country


class _PersonIndex:
    """rapidfuzz choices for KB person names: multi-word names and single-word surnames."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.multi: list[str] = []
        self.multi_ids: list[str] = []
        self.single: list[str] = []
        self.single_ids: list[str] = []
        for key, entries in kb.index.items():
            for e in entries:
                if e.kind != "person" or e.case_sensitive:
                    continue
                if len(key) >= 2:
                    self.multi.append(" ".join(key))
                    self.multi_ids.append(e.ref)
                elif len(key[0]) >= 6:
                    self.single.append(key[0])
                    self.single_ids.append(e.ref)


_PIDX: dict[int, tuple[KnowledgeBase, _PersonIndex]] = {}
_GEO: dict[int, tuple[KnowledgeBase, dict[str, list[tuple[str, str, str]]]]] = {}


def _person_index(kb: KnowledgeBase) -> _PersonIndex:
    if id(kb) not in _PIDX or _PIDX[id(kb)][0] is not kb:
        _PIDX[id(kb)] = (kb, _PersonIndex(kb))
    return _PIDX[id(kb)][1]


def _fuzzy_person(doc: _Doc, a: int, b: int) -> str | None:
    idx = _person_index(doc.kb)
    words = [t.key for t in doc.toks[a:b] if t.word]
    q = " ".join(words)
    if len(words) >= 2:
        hit = process.extractOne(q, idx.multi, scorer=fuzz.ratio, score_cutoff=_FUZZY_PERSON)
        if hit and len(hit[0].split()) == len(words) and hit[0][0] == q[0]:
            return idx.multi_ids[hit[2]]
    elif len(q) >= 6:
        hit = process.extractOne(q, idx.single, scorer=fuzz.ratio, score_cutoff=_FUZZY_SURNAME)
        if hit and hit[0][0] == q[0]:
            return idx.single_ids[hit[2]]
    return None


def _geo_names(kb: KnowledgeBase) -> dict[str, list[tuple[str, str, str]]]:
    """One-word country names keyed by their first letter (a misspelling must keep it)."""
    if id(kb) not in _GEO or _GEO[id(kb)][0] is not kb:
        out: dict[str, list[tuple[str, str, str]]] = {}
        for key, entries in kb.index.items():
            if len(key) != 1 or len(key[0]) < 5:
                continue
            for e in entries:
                if e.kind == "country" and not e.case_sensitive and e.language is None:
                    out.setdefault(key[0][0], []).append((key[0], e.kind, e.ref))
                    break
        _GEO[id(kb)] = (kb, out)
    return _GEO[id(kb)][1]


def _fuzzy_geo(doc: _Doc, i: int) -> GazEntry | None:
    t = doc.toks[i]
    if len(t.text) < 5 or t.text in doc.stop:
        return None
    best = None
    for name, kind, ref in _geo_names(doc.kb).get(t.key[0], ()):
        if abs(len(name) - len(t.key)) > 2:
            continue
        d = Levenshtein.distance(name, t.key, score_cutoff=2)
        if d <= 1 and (best is None or d < best[0]):
            best = (d, kind, ref, name)
    if best is None:
        return None
    return GazEntry(best[1], best[2], t.text, (t.text,), False, None)


def _names(doc: _Doc, warnings: list[str]) -> None:
    found_people: dict[str, Entity] = {}  # name word -> person entity introduced in the document
    for m in doc.matches:
        if m.entity.type == "PER":
            _remember(found_people, m.entity)
    pending: list[tuple[int, int]] = []
    for a0, b0 in _name_runs(doc):
        if _acronym_org(doc, a0, b0):
            continue
        a, b = _trim(doc, a0, b0)
        if a >= b:
            continue
        _first, ents, titles = _chain(doc, a)
        s, t, text = _span(doc, a, b)
        if b - a == 1 and doc.toks[a].key in found_people and not titles:
            pending.append((a, b))  # a short form of a person already named: resolved below
            continue
        pid = _fuzzy_person(doc, a, b)
        if pid is not None:
            e = _person_entity(doc, pid, s, t, text, "fuzzy")
            _add(doc, _Match(a, b, e))
            _remember(found_people, e)
            continue
        if titles and b < len(doc.toks) and doc.owner[b] is not None and _joined(doc, b - 1):
            continue  # "Menteri Lingkungan Hidup Prancis ...": the run is the title's portfolio
        if (titles and b + 1 < len(doc.toks) and doc.toks[b].key in ("dan", "and") and _cap(doc.toks[b + 1])
                and doc.title[b + 1] is None and doc.owner[b + 1] is None):
            continue  # "Menteri Pemuda dan Olahraga": a portfolio, not a name ("... Bakrie dan Presiden SBY" is)
        if titles and any(doc.toks[k].text in doc.stop and doc.toks[k].key not in _calendar_words()
                          for k in range(a0, b0)):
            continue  # "Jaksa Agung Muda Pidana Umum", "Menteri Perumahan Rakyat": an office's portfolio
        if titles and b - a == 1:
            # "Presiden Bashar": a first name after an office is the KB person of that name who held it
            office = doc.text[doc.toks[_first].start:doc.toks[a].start].strip(" ,")
            holder = holder_by_first_name(doc.kb, doc.toks[a].text, office, doc.date)
            if holder is not None:
                e = _person_entity(doc, holder.id, s, t, text, "title-first-name")
                _add(doc, _Match(a, b, e))
                _remember(found_people, e)
                continue
        if titles or _cue_before(doc, a) or (_cue_after(doc, b) and (b - a >= 2 or a > 0)):
            if titles:
                actor, country = _title_actor(doc, ents, titles)
            else:
                actor, country = None, None
            e = Entity(s, t, text, "PER", text, actor, country, None, method="title" if titles else "cue")
            _add(doc, _Match(a, b, e))
            _remember(found_people, e)
            continue
        pending.append((a, b))
    # short forms, then guarded fuzzy places, over what is still free
    for a, b in pending:
        s, t, text = _span(doc, a, b)
        if b - a == 1 and doc.toks[a].key in found_people:
            ref = found_people[doc.toks[a].key]
            e = Entity(s, t, text, "PER", ref.canonical, ref.actor, ref.country, ref.kb_id, ref.role, "short-form")
            _add(doc, _Match(a, b, e))
            continue
        if b - a == 1:
            g = _fuzzy_geo(doc, a)
            if g is not None:
                e = _entity_from_entry(doc, g, a, b)
                e.method = "fuzzy"
                _add(doc, _Match(a, b, e))
    _role_check(doc, warnings)


@cache
def _calendar_words() -> frozenset[str]:
    """Weekday and month names: capitalised non-names that may follow a person's name ("Amanda Vanstone
    Selasa"), unlike the office nouns of not_names ("Umum", "Rakyat") that end a portfolio."""
    return frozenset(fold(r["word"]) for r in read_table("lang/calendar.tsv") if r["kind"] in ("weekday", "month"))


def _acronym_org(doc: _Doc, a: int, b: int) -> bool:
    """"Inspektorat Pengawasan Umum (Itwasum)", "Parameter Politik Indonesia (PPI)": a capitalised run of
    2+ words (a country name may end it) followed by a parenthesised acronym is an organisation."""
    end = b
    if b < len(doc.toks) and doc.owner[b] is not None and _joined(doc, b - 1):
        m = doc.matches[doc.owner[b]]
        if m.entity.type == "LOC" and m.entry is not None and m.entry.kind == "country":
            end = m.b
    if end - a < 2 or not _acronym_after(doc, end):
        return False
    if doc.toks[end + 1].text[0].casefold() != doc.toks[a].text[0].casefold():
        return False  # "(IEEPA)" after a translated name is not its acronym
    if end != b:  # the country word belongs to the organisation's name
        mi = doc.owner[b]
        for k in range(b, end):
            doc.owner[k] = None
        doc.matches[mi].entity.type = "DROP"
    s, t, text = _span(doc, a, end)
    _add(doc, _Match(a, end, Entity(s, t, text, "ORG", text, None, None, None, method="acronym")))
    return True


def _remember(found: dict[str, Entity], e: Entity) -> None:
    for w in TOKEN_RE.findall(e.text):
        if w[0].isupper() and len(w) >= 3 and fold(w) not in _CONNECTORS:
            found.setdefault(fold(w), e)
    for w in TOKEN_RE.findall(e.canonical or ""):
        if w[0].isupper() and len(w) >= 3:
            found.setdefault(fold(w), e)


# ---------------------------------------------------------------------------- role check
def _role_check(doc: _Doc, warnings: list[str]) -> None:
    if not doc.date:
        return
    seen: set[tuple[str, str]] = set()
    for m in list(doc.matches):
        e = m.entity
        if e.type != "PER" or not e.kb_id or e.method not in ("gazetteer", "fuzzy"):
            continue
        first, ents, titles = _chain(doc, m.a)
        if not titles:
            continue
        if any(doc.toks[k].key in _FORMER for k in range(max(0, first - 1), m.a)):
            continue
        role = doc.kb.person_role(e.kb_id, doc.date)
        if role is None or not role.actor:
            continue
        text_actor = None
        for mi in ents:
            o = doc.matches[mi].entity
            if o.type == "ORG" and o.actor:
                text_actor = o.actor
                break
        if text_actor is None:
            sectors = {s for s, k in titles if k != "rank" and s not in _SOFT_SECTORS}
            if not sectors or role.actor[3:] in sectors:
                continue
            text_actor = "/".join(sorted(sectors))
            if role.actor[3:] in text_actor:
                continue
        elif text_actor == role.actor:
            continue
        role_text = doc.text[doc.toks[first].start:doc.toks[m.a].start].strip(" ,")
        key = (e.kb_id, role_text)
        if key in seen:
            continue
        seen.add(key)
        warnings.append(f"role check: {e.canonical} is called '{role_text}' ({text_actor}) but on {doc.date} "
                        f"the KB role is '{role.role}' ({role.actor})")


# ---------------------------------------------------------------------------- API
def find_entities(text: str, *, language: str = "id", date: str | None = None,
                  kb: KnowledgeBase | None = None) -> tuple[list[Entity], list[str]]:
    """Every PER/ORG/LOC mention in ``text`` (plus MISC demonyms in English) and role-check warnings.

    ``date`` is the article's ISO date: persons get the actor of their KB role valid on that day.
    """
    kb = kb or load_kb()
    toks = _tokenize(text)
    doc = _Doc(text, toks, language, date[:10] if date else None, kb, [None] * len(toks), [None] * len(toks),
               stop=kb.not_names_for(language), joins=_joins(text, toks))
    warnings: list[str] = []
    _gazetteer(doc)
    _mark_titles(doc)
    _names(doc, warnings)
    ents = sorted((m.entity for m in doc.matches if m.entity.type != "DROP"), key=lambda e: (e.start, e.end))
    return ents, warnings

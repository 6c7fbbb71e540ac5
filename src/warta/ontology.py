"""The event ontology: PLOVER types, CAMEO codes, Goldstein scores, quad classes, trigger dictionaries.

Everything here is loaded lazily from data files (``data/ontology/plover.tsv``,
``data/ontology/cameo.tsv``, ``data/triggers/<lang>.tsv``) and cached.

The trigger-pattern helpers (:func:`pattern_tokens`, :func:`word_forms`,
:func:`tokens_match`, :func:`find_pattern`) state the matching contract the
trigger files are written for: pattern tokens match text tokens case-insensitively
when the surface forms are equal or when they share a root after stripping the
Indonesian affixes (meN-, di-, ber-, ter-, per-, ke-...-an, -kan, -i, -an, -nya,
-lah) or the English endings (-s, -es, -ed, -d, -ing); ``...`` in a pattern
allows up to :data:`GAP` other tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from warta.resources import read_table

GAP = 4  # how many tokens "..." may skip
GAP_TOKEN = "..."
MIN_ROOT = 3  # shorter "roots" are affix debris ("an", "i"), never a match
_VOWELS = "aeiou"
_TOKEN_RE = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]", re.UNICODE)  # same rule as warta.nlp.text


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    label: str
    goldstein: float
    quad_class: int
    plover: str  # "" when PLOVER drops the code (CAMEO 01, 02)


@dataclass(frozen=True, slots=True)
class Trigger:
    pattern: str
    tokens: tuple[str, ...]
    cameo: str
    plover: str
    example: str
    note: str
    lang: str


# ---------------------------------------------------------------- ontology tables


@lru_cache(maxsize=1)
def _plover() -> dict[str, tuple[int, str]]:
    return {r["type"]: (int(r["quad_class"]), r["description"]) for r in read_table("ontology/plover.tsv")}


@lru_cache(maxsize=1)
def _cameo() -> dict[str, CameoCode]:
    out: dict[str, CameoCode] = {}
    for r in read_table("ontology/cameo.tsv"):
        code = r["code"]
        out[code] = CameoCode(code, r["label"], float(r["goldstein"]), int(r["quad_class"]), r["plover"])
    return out


def plover_types() -> list[str]:
    """The PLOVER event types in manual order (AGREE ... ASSAULT)."""
    return list(_plover())


def quad_class(plover_type: str) -> int:
    """1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict."""
    try:
        return _plover()[plover_type.upper()][0]
    except KeyError:
        raise KeyError(f"unknown PLOVER type {plover_type!r}") from None


def root(code: str) -> str:
    """The two-digit CAMEO root of a code: '041' -> '04', '1121' -> '11'."""
    return code.strip()[:2]


def cameo(code: str) -> CameoCode | None:
    """The CAMEO code, or its nearest known parent ('0412' -> '041' -> '04'); None when even the root is unknown."""
    c = code.strip()
    table = _cameo()
    while len(c) >= 2:
        if c in table:
            return table[c]
        c = c[:-1]
    return None


def goldstein(code: str) -> float | None:
    found = cameo(code)
    return found.goldstein if found else None


def cameo_codes() -> list[CameoCode]:
    return list(_cameo().values())


# ---------------------------------------------------------------- trigger patterns


def pattern_tokens(pattern: str) -> list[str]:
    """A trigger pattern's tokens, lower-cased; ``...`` stays a token of its own (the gap marker)."""
    out: list[str] = []
    for part in pattern.split():
        out.append(GAP_TOKEN if part == GAP_TOKEN else part.casefold())
    return out


def text_words(text: str) -> list[str]:
    """Lower-cased word and punctuation tokens of a sentence, split as ``warta.nlp.text.tokens`` does."""
    return [m.group().casefold() for m in _TOKEN_RE.finditer(text)]


def _strip_meN(w: str) -> list[str]:
    """Roots of a meN- (or menge-) verb, restoring the nasalised first consonant."""
    out: list[str] = []
    if w.startswith("menge") and len(w) > 7:  # mengebom, mengecat: monosyllabic roots
        out.append(w[5:])
    if w.startswith("meny") and w[4:5] in _VOWELS:
        out.append("s" + w[4:])
    elif w.startswith("meng"):
        rest = w[4:]
        if rest[:1] in _VOWELS:
            out += [rest, "k" + rest]
        elif rest[:1] in "ghk":
            out.append(rest)
    elif w.startswith("mem"):
        rest = w[3:]
        if rest[:1] in "bpf":
            out.append(rest)
        elif rest[:1] in _VOWELS:
            out.append("p" + rest)
    elif w.startswith("men"):
        rest = w[3:]
        if rest[:1] in "cdjtsz":
            out.append(rest)
        elif rest[:1] in _VOWELS:
            out.append("t" + rest)
    elif w.startswith("me") and w[2:3] in "lmnrwy":
        out.append(w[2:])
    return out


def _id_step(w: str) -> list[str]:
    out: list[str] = []
    for suf in ("nya", "lah", "kan", "an", "i"):
        if w.endswith(suf):
            out.append(w[: -len(suf)])
    for pre in ("di", "ter", "ber", "per", "be", "ke"):
        if w.startswith(pre):
            out.append(w[len(pre):])
    if w.startswith("me"):
        out += _strip_meN(w)
    return [x for x in out if len(x) >= MIN_ROOT]


@lru_cache(maxsize=65536)
def word_forms(word: str, lang: str = "id") -> frozenset[str]:
    """The word and every candidate root the affix rules allow (a set: Indonesian stripping is ambiguous)."""
    w = word.casefold()
    if lang == "en":
        forms = {w}
        for suf in ("s", "es", "ed", "d", "ing"):
            if w.endswith(suf) and len(w) - len(suf) >= MIN_ROOT:
                forms.add(w[: -len(suf)])
        return frozenset(forms)
    if "-" in w or not w.isalpha():
        return frozenset({w})  # reduplications and compounds ("kerja-sama") match only as written
    forms = {w}
    todo = [w]
    while todo:
        for x in _id_step(todo.pop()):
            if x not in forms:
                forms.add(x)
                todo.append(x)
    return frozenset(forms)


def tokens_match(pattern_token: str, text_token: str, lang: str = "id") -> bool:
    p, t = pattern_token.casefold(), text_token.casefold()
    if p == t:
        return True
    if not (p[:1].isalnum() and t[:1].isalnum()):
        return False
    return not word_forms(p, lang).isdisjoint(word_forms(t, lang))


def find_pattern(pattern: str | list[str] | tuple[str, ...], words: list[str], lang: str = "id") -> tuple[int, int] | None:
    """Token span [i, j) of the first match of ``pattern`` in ``words`` (lower-cased tokens), or None.

    ``...`` lets up to :data:`GAP` other tokens sit between its neighbours.
    """
    toks = pattern_tokens(pattern) if isinstance(pattern, str) else list(pattern)
    if not toks or toks[0] == GAP_TOKEN:
        return None

    def walk(k: int, pos: int, gap: int) -> int | None:
        if k == len(toks):
            return pos
        if toks[k] == GAP_TOKEN:
            return walk(k + 1, pos, GAP)
        for skip in range(gap + 1):
            q = pos + skip
            if q >= len(words):
                return None
            if tokens_match(toks[k], words[q], lang):
                end = walk(k + 1, q + 1, 0)
                if end is not None:
                    return end
        return None

    for i in range(len(words)):
        if tokens_match(toks[0], words[i], lang):
            end = walk(1, i + 1, 0)
            if end is not None:
                return (i, end)
    return None


@lru_cache(maxsize=4)
def triggers(lang: str) -> tuple[Trigger, ...]:
    """The trigger dictionary of a language (``data/triggers/<lang>.tsv`` plus user overlays)."""
    return tuple(
        Trigger(r["pattern"], tuple(pattern_tokens(r["pattern"])), r["cameo"], r["plover"], r["example"], r.get("note", ""), lang)
        for r in read_table(f"triggers/{lang}.tsv")
    )

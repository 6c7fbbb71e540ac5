"""Word roots for matching triggers across affixed forms.

Indonesian: candidate roots from ``data/lang/affixes_id.tsv`` (menyerang,
diserang, serangan → serang), kept only when the root dictionary that ships
with Sastrawi (≈ 29,000 roots, MIT) knows them, so "perang" (war) never
reduces to "rang" and meets "menyerang". Two words match when their root
sets meet. Sastrawi's own stemmer is not used: ≈ 13 ms per unseen word. English: a crude suffix strip (-s, -es, -ed, -ing) that
is enough for verb triggers; irregular forms are listed in the dictionaries.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from warta.resources import read_table

MIN_ROOT = 3


@lru_cache(maxsize=1)
def _affixes() -> tuple[list[tuple[str, str]], list[str]]:
    rows = read_table("lang/affixes_id.tsv")
    prefixes = [(r["affix"], r.get("restore", "")) for r in rows if r["kind"] == "prefix"]
    suffixes = [r["affix"] for r in rows if r["kind"] == "suffix"]
    return prefixes, suffixes


def _strip_suffixes(w: str, suffixes: list[str]) -> set[str]:
    out = {w}
    frontier = {w}
    for _ in range(3):  # particle, possessive, derivational: at most three layers
        nxt = set()
        for x in frontier:
            for s in suffixes:
                if x.endswith(s) and len(x) - len(s) >= MIN_ROOT:
                    nxt.add(x[: -len(s)])
        out |= nxt
        frontier = nxt
    return out


def _strip_prefixes(w: str, prefixes: list[tuple[str, str]]) -> set[str]:
    out = {w}
    frontier = {w}
    for _ in range(2):  # di-per-, mem-per-, ber-ke- : at most two layers
        nxt = set()
        for x in frontier:
            for p, restore in prefixes:
                if x.startswith(p) and len(x) - len(p) + len(restore) >= MIN_ROOT:
                    rest = x[len(p):]
                    if restore and (not rest or rest[0] not in "aeiou"):
                        continue  # assimilation only happens before a vowel
                    nxt.add(restore + rest)
        out |= nxt
        frontier = nxt
    return out


@lru_cache(maxsize=1)
def root_lexicon() -> frozenset[str]:
    path = resources.files("Sastrawi") / "Stemmer" / "data" / "kata-dasar.txt"
    return frozenset(w.strip().casefold() for w in path.read_text(encoding="utf-8").split() if w.strip())


VERBAL_SUFFIXES = ("kan", "i")


@lru_cache(maxsize=1)
def surface_only() -> frozenset[str]:
    """Words that look like a derivation of a trigger root but are not (temuan, pukul, pertahanan)."""
    return frozenset(r["word"].casefold() for r in read_table("lang/root_exceptions_id.tsv"))


@lru_cache(maxsize=200_000)
def roots_id(word: str) -> frozenset[str]:
    """Root keys of an Indonesian word: ``root`` plus ``root+kan``/``root+i`` for the verbal suffix it allows.

    -kan and -i make different verbs from one root (menyalahkan "blame" vs menyalahi "violate"), so a
    word with one of them only meets words with the same suffix or none; nouns in -an and bare forms
    meet every form of their root (serangan ~ menyerang ~ diserang).
    """
    w = word.casefold()
    if "-" in w and not w.startswith("-"):
        # reduplication: "posisi-posisi" -> "posisi"; other compounds keep their own form
        a, _, b = w.partition("-")
        if a == b:
            w = a
    if w in surface_only():
        return frozenset({w})
    prefixes, suffixes = _affixes()
    lex = root_lexicon()
    found: dict[str, set[str]] = {}
    for stem, suffix in _strip_suffixes_tagged(w, suffixes):
        for r in _strip_prefixes(stem, prefixes):
            if len(r) >= MIN_ROOT and r in lex:
                found.setdefault(r, set()).add(suffix)
    # strip as little as the lexicon allows: "perang" is a root, so it is not pe- + "rang"
    known = {r for r in found if not any(o != r and o.endswith(r) for o in found)}
    out = {w}
    for r in known:
        sufs = found[r]
        verbal = {x for x in sufs if x in VERBAL_SUFFIXES}
        if verbal and not (sufs - verbal):
            out |= {f"{r}+{x}" for x in verbal}
        else:
            out |= {r} | {f"{r}+{x}" for x in VERBAL_SUFFIXES}
    if not known:
        out |= {x for x, _ in _strip_suffixes_tagged(w, suffixes) if x in lex}
    return frozenset(out)


def _strip_suffixes_tagged(w: str, suffixes: list[str]) -> set[tuple[str, str]]:
    """(stem, derivational suffix) pairs: particles and possessives go, -kan/-i/-an are remembered."""
    out = {(w, "")}
    frontier = {(w, "")}
    for _ in range(3):
        nxt = set()
        for x, tag in frontier:
            for s in suffixes:
                if x.endswith(s) and len(x) - len(s) >= MIN_ROOT:
                    nxt.add((x[: -len(s)], s if s in (*VERBAL_SUFFIXES, "an") and not tag else tag))
        out |= nxt
        frontier = nxt
    return out


@lru_cache(maxsize=100_000)
def roots_en(word: str) -> frozenset[str]:
    w = word.casefold()
    out = {w}
    for suf in ("ing", "ed", "es", "s", "d"):
        if w.endswith(suf) and len(w) - len(suf) >= MIN_ROOT:
            stem = w[: -len(suf)]
            out.add(stem)
            if suf in ("ing", "ed") and len(stem) > 3 and stem[-1] == stem[-2]:
                out.add(stem[:-1])  # stopped -> stop
            if suf in ("ing", "ed"):
                out.add(stem + "e")  # accused -> accuse
    if w.endswith("ies") and len(w) > 4:
        out.add(w[:-3] + "y")
    if w.endswith("ied") and len(w) > 4:
        out.add(w[:-3] + "y")
    return frozenset(out)


def roots(word: str, language: str | None) -> frozenset[str]:
    return roots_en(word) if language == "en" else roots_id(word)


def same_word(a: str, b: str, language: str | None) -> bool:
    """True when two surface forms share a root (the dictionary and text side of a trigger match)."""
    if a.casefold() == b.casefold():
        return True
    return bool(roots(a, language) & roots(b, language))

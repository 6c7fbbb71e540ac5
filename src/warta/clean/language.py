"""Language identification restricted to a configurable set (lingua).

A detector is built once per allowed set and cached. Texts shorter than
``MIN_LETTERS`` letters give ``(None, 0.0)``: too little evidence, and the
caller records the document as skipped with that reason. Long texts are
judged on their first ``SAMPLE_CHARS`` characters (the rest adds time, not
accuracy).

Indonesian and Malay share most of their vocabulary, and lingua often gives
Malay a real share on Indonesian news. Malay wins only when its confidence
beats Indonesian's by ``MALAY_MARGIN``; otherwise the answer is Indonesian.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

MIN_LETTERS = 20
SAMPLE_CHARS = 4000
MALAY_MARGIN = 0.5


def _language(code: str) -> Language:
    try:
        return Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
    except AttributeError as exc:
        raise ValueError(f"unknown ISO 639-1 language code {code!r}") from exc


@lru_cache(maxsize=8)
def _detector(codes: tuple[str, ...]) -> LanguageDetector:
    langs = [_language(c) for c in codes]
    if len(langs) == 1:
        # lingua needs two languages; English is a neutral second
        langs.append(Language.ENGLISH if langs[0] != Language.ENGLISH else Language.INDONESIAN)
    return LanguageDetectorBuilder.from_languages(*langs).build()


def detect_language(text: str, allowed: Sequence[str] = ("id", "en", "ms")) -> tuple[str | None, float]:
    """(ISO 639-1 code, confidence) of ``text`` among ``allowed``; (None, 0.0) when too short."""
    codes = tuple(sorted({c.lower() for c in allowed}))
    if not codes or sum(ch.isalpha() for ch in text[:SAMPLE_CHARS]) < MIN_LETTERS:
        return None, 0.0
    values = _detector(codes).compute_language_confidence_values(text[:SAMPLE_CHARS])
    conf = {v.language.iso_code_639_1.name.lower(): v.value for v in values}
    conf = {c: v for c, v in conf.items() if c in codes}
    if not conf:
        return None, 0.0
    best = max(conf, key=lambda c: conf[c])
    if best == "ms" and "id" in conf and conf["ms"] - conf["id"] < MALAY_MARGIN:
        best = "id"
    return best, round(conf[best], 4)

"""Sentences and tokens as character spans, never as copied strings.

The splitter is rule-based on purpose: it is linear in the input, needs no
model, and keeps offsets exact. Abbreviations that end in a period and do not
end a sentence are data (``data/lang/abbreviations.tsv``).

A "sentence" longer than ``MAX_SENTENCE`` characters is cut into pieces (after
the last comma or semicolon in its second half, else at the last space): the
longest sentence of the gold sets has 479 characters, and a run of thousands
is an unpunctuated dump, a list or a table. Later steps work sentence by
sentence and compare words within one; the cut keeps that work bounded per
sentence, so a megabyte without a period costs linear time, not quadratic.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate

from warta.resources import read_table

TOKEN_RE = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]", re.UNICODE)
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before whitespace,
# or at a line break.
_END_RE = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)|\n+")
_QUOTE_CLOSERS = "\"'”’»)]"
MAX_SENTENCE = 1000
_SOFT_BREAK = re.compile(r"[,;:](?=\s)")


@lru_cache(maxsize=1)
def abbreviations() -> frozenset[str]:
    return frozenset(r["abbreviation"].casefold() for r in read_table("lang/abbreviations.tsv"))


def tokens(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Word and punctuation tokens of ``text[start:end]`` as absolute (start, end) spans."""
    end = len(text) if end is None else end
    return [m.span() for m in TOKEN_RE.finditer(text, start, end)]  # no lookarounds: same as slicing


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the period at ``dot`` closes an abbreviation or an initial ("dr.", "H.", "No.")."""
    i = dot
    while i > 0 and (text[i - 1].isalpha()):
        i -= 1
    word = text[i:dot]
    if not word:
        return False
    if len(word) == 1 and word.isupper():
        return True
    return (word + ".").casefold() in abbreviations()


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans, stripped of surrounding whitespace; every character of text is in at most one span."""
    spans: list[tuple[int, int]] = []
    begin = 0
    for m in _END_RE.finditer(text):
        if m.group().startswith("."):
            if _is_abbreviation(text, m.start()):
                continue
            nxt = text[m.end():m.end() + 3].lstrip()
            # "3.5", "... dan" : a lowercase continuation is not a new sentence
            if nxt[:1].islower():
                continue
        stop = m.end() if not m.group().startswith("\n") else m.start()
        _add(text, begin, stop, spans)
        begin = m.end()
    _add(text, begin, len(text), spans)
    return spans


def strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    """``(s, e)`` narrowed past surrounding whitespace (empty when it was all whitespace)."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _add(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    s, e = strip_span(text, s, e)
    while e - s > MAX_SENTENCE:
        cut = _cut_point(text, s, s + MAX_SENTENCE)
        a, b = strip_span(text, s, cut)
        if b > a:
            out.append((a, b))
        s, e = strip_span(text, cut, e)
    if e > s:
        out.append((s, e))


def _cut_point(text: str, s: int, limit: int) -> int:
    """Where an overlong sentence [s, ...) is cut before ``limit``: after a clause mark, else at a space."""
    half = s + (limit - s) // 2
    last = None
    for m in _SOFT_BREAK.finditer(text, half, limit):
        last = m.end()
    if last is not None:
        return last
    space = max(text.rfind(" ", half, limit), text.rfind("\n", half, limit), text.rfind("\t", half, limit))
    return space if space > s else limit


def sentence_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int] | None:
    """The sentence span holding character ``pos`` (binary search)."""
    lo, hi = 0, len(spans)
    while lo < hi:
        mid = (lo + hi) // 2
        s, e = spans[mid]
        if pos < s:
            hi = mid
        elif pos >= e:
            lo = mid + 1
        else:
            return spans[mid]
    return None


class SpanIndex:
    """Spans indexed by start, for "which spans hold position p" in logarithmic time, not a scan per query.

    Indexes given out refer to the sequence the index was built from.
    """

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        items = list(spans)
        self.order = sorted(range(len(items)), key=lambda i: items[i][0])
        self.starts = [items[i][0] for i in self.order]
        self.ends = [items[i][1] for i in self.order]
        # running max of ends: walking back from a position stops where no earlier span reaches it
        self._reach = list(accumulate(self.ends, max))

    def holding(self, pos: int) -> list[int]:
        """Indexes of the spans with ``start <= pos < end``."""
        out = []
        i = bisect_right(self.starts, pos) - 1
        while i >= 0 and self._reach[i] > pos:
            if self.ends[i] > pos:
                out.append(self.order[i])
            i -= 1
        return out

    def covers(self, pos: int) -> bool:
        i = bisect_right(self.starts, pos) - 1
        while i >= 0 and self._reach[i] > pos:
            if self.ends[i] > pos:
                return True
            i -= 1
        return False

    def starting_in(self, start: int, end: int) -> list[int]:
        """Indexes of the spans that start in [start, end), in start order."""
        return self.order[bisect_left(self.starts, start):bisect_left(self.starts, end)]

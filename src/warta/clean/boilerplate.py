"""News-aware removal of page furniture from article text.

Works on plain text (a text dump or what the HTML extractor returned), line by
line, driven by two data files:

* ``data/clean/boilerplate.tsv``: markers (exact / prefix / regex) for lines
  such as "Baca juga: …", "SCROLL TO CONTINUE WITH CONTENT", "Leave a Reply";
  ``tail`` markers also start a trailing block (comments, share widgets,
  "Populer" lists) after which every short line goes; ``inline`` markers
  are also cut when they start in the middle of a line.
* ``data/clean/editor_codes.tsv``: desk codes like "(mm/alalam)" closing the
  last paragraph; removed from the text, the last part kept as source code.

Kept lines are never rewritten (offsets of later steps index into the
result); only whole lines, a line's tail after an inline marker and the
editor code go, and blank-line runs collapse to one blank line. Every removed
piece is reported, stripped, in ``Cleaned.boilerplate`` in text order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from warta.resources import read_table

BOILERPLATE_FILE = "clean/boilerplate.tsv"
EDITOR_CODES_FILE = "clean/editor_codes.tsv"

# A line longer than this is article prose, never trailing furniture: ends a
# tail block candidate (comment forms, headline lists and dates are shorter).
TAIL_MAX_LINE = 160
# ... and so is a shorter line that reads like a sentence: this many words and
# a sentence-final mark (headlines in "related" lists carry no final period).
PROSE_MIN_WORDS = 8
_SENTENCE_END = re.compile(r"[.!…][\"'”’»)\]]*\s*$")
# Related-link lists: lines at most this long (characters, words).
LINK_MAX_CHARS = 60
LINK_MAX_WORDS = 7
# The fixpoint loop needs at most a few rounds (a code uncovered by removing a
# trailing block, then nothing); the bound only guards against surprises.
MAX_ROUNDS = 6

_WS = re.compile(r"\s+")


@dataclass(slots=True)
class Cleaned:
    text: str
    boilerplate: list[str] = field(default_factory=list)
    source_code: str | None = None


@dataclass(frozen=True, slots=True)
class _Marker:
    kind: str
    scope: str
    pattern: str
    regex: re.Pattern[str] | None


def _norm(line: str) -> str:
    return _WS.sub(" ", line.replace("\u00a0", " ")).strip().casefold()


@lru_cache(maxsize=1)
def _markers() -> tuple[_Marker, ...]:
    out = []
    for row in read_table(BOILERPLATE_FILE):
        kind, scope, pattern = row["kind"], row["scope"] or "line", row["pattern"]
        if kind not in {"exact", "prefix", "regex"} or scope not in {"line", "tail", "inline"}:
            raise ValueError(f"{BOILERPLATE_FILE}: bad kind/scope {kind!r}/{scope!r} for {pattern!r}")
        rx = re.compile(pattern, re.IGNORECASE) if kind == "regex" else None
        out.append(_Marker(kind, scope, pattern if rx else _norm(pattern), rx))
    return tuple(out)


@lru_cache(maxsize=1)
def _inline_regex() -> re.Pattern[str] | None:
    """One regex finding any inline marker after the start of a line (preceded by space)."""
    pats = [re.escape(m.pattern).replace(r"\ ", r"\s*") for m in _markers() if m.scope == "inline" and m.kind != "regex"]
    pats += [m.pattern.lstrip("^") for m in _markers() if m.scope == "inline" and m.kind == "regex"]
    if not pats:
        return None
    return re.compile(r"(?<=\s)(?:" + "|".join(pats) + r")", re.IGNORECASE)


@lru_cache(maxsize=1)
def _editor_codes() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(r["pattern"]) for r in read_table(EDITOR_CODES_FILE))


def match_marker(line: str) -> _Marker | None:
    """The first marker matching a whole line, or None."""
    n = _norm(line)
    if not n:
        return None
    stripped = _WS.sub(" ", line.replace("\u00a0", " ")).strip()
    for m in _markers():
        if m.kind == "exact" and n == m.pattern:
            return m
        if m.kind == "prefix" and n.startswith(m.pattern):
            return m
        if m.kind == "regex" and m.regex is not None and m.regex.search(stripped):
            return m
    return None


def _is_blank(line: str) -> bool:
    return not line.strip()


def is_prose(line: str) -> bool:
    """A line that reads as article prose (long, or a full sentence), never tail furniture.

    Menus rendered as one long line ("Blog · Forum · Karir …") are not prose:
    too many of their tokens are bare separators.
    """
    s = _WS.sub(" ", line).strip()
    words = s.split()
    if len(words) < PROSE_MIN_WORDS:
        return False
    if sum(1 for w in words if not any(ch.isalnum() for ch in w)) > len(words) / 10:
        return False
    return len(s) > TAIL_MAX_LINE or bool(_SENTENCE_END.search(s))


# Each pass works on (original line number, line) pairs so removed pieces can
# be reported in text order whatever pass removed them.
_Lines = list[tuple[int, str]]


def _remove_marked(lines: _Lines, removed: _Lines) -> _Lines:
    """Drop marker lines; a tail marker with only short lines after it takes them along."""
    marks = [match_marker(line) for _, line in lines]
    # trailing block: the earliest tail marker after which no prose remains
    tail_start = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        m = marks[i]
        if m is None and is_prose(lines[i][1]):
            break
        if m is not None and m.scope == "tail":
            tail_start = i
    out = []
    for i, (n, line) in enumerate(lines):
        if i >= tail_start or marks[i] is not None:
            if not _is_blank(line):
                removed.append((n, line.strip()))
            continue
        out.append((n, line))
    return out


def _drop_link_runs(lines: _Lines, removed: _Lines) -> _Lines:
    """Drop a paragraph made only of 2+ short, unpunctuated lines: a related-links list.

    Only in texts that separate paragraphs with blank lines, where a real
    paragraph is never several short lines in a row (a subheading is one).
    """
    if sum(1 for _, ln in lines if _is_blank(ln)) < 2:
        return lines
    out: _Lines = []
    i = 0
    while i < len(lines):
        if _is_blank(lines[i][1]):
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and not _is_blank(lines[j][1]):
            j += 1
        block = lines[i:j]
        if len(block) >= 2 and all(_is_link_line(b) for _, b in block):
            removed.extend((n, b.strip()) for n, b in block)
        else:
            out.extend(block)
        i = j
    return out


def _is_link_line(line: str) -> bool:
    s = line.strip()
    return len(s) <= LINK_MAX_CHARS and len(s.split()) <= LINK_MAX_WORDS and not re.search(r"[.!?,;:\"”’]$", s)


def _cut_inline(lines: _Lines, removed: _Lines) -> _Lines:
    rx = _inline_regex()
    if rx is None:
        return lines
    out = []
    for n, line in lines:
        m = rx.search(line)
        if m and line[: m.start()].strip():
            removed.append((n, line[m.start():].strip()))
            line = line[: m.start()].rstrip()
        out.append((n, line))
    return out


def _cut_editor_code(lines: _Lines, removed: _Lines) -> tuple[_Lines, str | None]:
    idx = next((i for i in range(len(lines) - 1, -1, -1) if not _is_blank(lines[i][1])), None)
    if idx is None:
        return lines, None
    n, line = lines[idx]
    body = line.rstrip()
    for rx in _editor_codes():
        m = rx.search(body)
        if m is None:
            continue
        before = body[: m.start()]
        # a code glued to a word ("kata(ant)") is more likely part of the text
        if before and not before[-1].isspace() and before[-1] not in ".!?\"'”’)":
            continue
        code = re.split(r"\s*[/-]\s*", m.group("code"))[-1]
        removed.append((n, body[m.start():].strip()))
        lines = list(lines)
        if before.strip():
            lines[idx] = (n, before.rstrip())
        else:
            del lines[idx]
        return lines, code
    return lines, None


def _collapse_blank(lines: _Lines) -> str:
    out: list[str] = []
    for _, line in lines:
        if _is_blank(line):
            if out and out[-1] != "":
                out.append("")
        else:
            out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)


def _one_round(text: str) -> tuple[str, list[str], str | None]:
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines: _Lines = list(enumerate(raw))
    removed: _Lines = []
    lines = _remove_marked(lines, removed)
    lines = _drop_link_runs(lines, removed)
    lines = _cut_inline(lines, removed)
    lines, code = _cut_editor_code(lines, removed)
    # stable sort: pieces cut from one line (inline link, then its code) keep pass order
    pieces = [piece for _, piece in sorted(removed, key=lambda r: r[0])]
    return _collapse_blank(lines), [p for p in pieces if p], code


def clean_text(text: str, language: str | None = None) -> Cleaned:
    """Remove page furniture; idempotent, never longer than ``text``.

    ``language`` is accepted for future per-language marker sets; the shipped
    markers are matched whatever the language (furniture often mixes them).
    """
    del language
    boilerplate: list[str] = []
    source_code: str | None = None
    current = text
    for _ in range(MAX_ROUNDS):
        new, removed, code = _one_round(current)
        boilerplate.extend(removed)
        source_code = source_code or code
        if new == current:
            break
        current = new
    return Cleaned(current, boilerplate, source_code)

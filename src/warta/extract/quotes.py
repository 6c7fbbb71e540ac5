"""Quotations and their speakers: who said what, direct and indirect.

Stages, in order:

1. **Direct quotations** (``_direct_spans``): text between paired quote marks
   (“ ” " „ « » and ‘ ’ / ' when they enclose four words or more), per paragraph;
   a paragraph that opens a quote and never closes it continues into the next
   paragraph when that one opens with a quote mark (news convention); such a
   quotation is reported per paragraph, every piece with the one speaker.
2. **Attribution of direct quotes** (``_attribute_direct``): a cue right after the
   closing mark (``"…," kata X`` / ``"…," ujarnya`` / ``"…," he said``), else a cue
   that introduces the quote (``Dia menambahkan, "…"`` / ``X said: "…"``), else the
   speaker of another quote in the same paragraph (split quotes), else the lead
   paragraph ending in a colon. Quotes of one to three words without a cue are
   scare quotes and are skipped.
3. **Indirect statements** (``_indirect``): per sentence outside direct quotes,
   ``X mengatakan (bahwa) …``, ``menurut X, …``, ``kata X, …``, ``X said (that) …``,
   ``according to X, …``, ``…, X said.``.
4. **Speakers** (``_Resolver``): an entity mention next to the cue (linked to its
   canonical name, actor and country), a capitalised name when the entity step
   missed it, a definite noun ("the ministry") matched to an earlier entity, or a
   pronoun / -nya cue resolved to the most recent fitting speaker: the last
   resolved speaker or the last PER entity standing as a clause subject, skipping
   people named inside the quote itself (a speaker rarely names himself).

The cue words are data: ``data/lang/speech_cues.tsv``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from warta.document import Document, Entity, Quote, Span, Speaker
from warta.kb.knowledge import load_kb
from warta.kb.offices import held_by, office_holder, split_office
from warta.nlp.text import SpanIndex, strip_span
from warta.nlp.text import sentences as split_sentences
from warta.pipeline import check_deadline
from warta.resources import read_table

__all__ = ["Cue", "cues", "find_quotes"]


@dataclass(frozen=True, slots=True)
class Cue:
    word: str
    language: str
    kind: str  # verb | nya | prep
    position: str  # before | after | both


@lru_cache(maxsize=1)
def _all_cues() -> tuple[Cue, ...]:
    return tuple(Cue(r["cue"].casefold(), r["language"], r["kind"], r["position"])
                 for r in read_table("lang/speech_cues.tsv"))


def cues(language: str | None = None) -> dict[str, Cue]:
    """The speech cues for ``language`` (all languages when None or unknown), keyed by word."""
    rows = _all_cues()
    langs = {r.language for r in rows}
    out: dict[str, Cue] = {}
    for c in rows:
        if language is None or language not in langs or c.language == language:
            out.setdefault(c.word, c)
    return out


# ------------------------------------------------------------------- word lists
# Grammatical words, not domain knowledge: kept here because the code's logic depends on them.
PRONOUNS = {"ia", "dia", "beliau", "he", "she"}
ORG_PRONOUNS = {"it"}
DEMONSTRATIVES = {"itu", "tersebut", "ini"}
CONJUNCTIONS = {"seraya", "sambil", "sembari", "while"}
PREPOSITIONS = {"dengan", "kepada", "oleh", "dari", "untuk", "terhadap", "antara", "dan", "bersama", "atas",
                "with", "to", "by", "of", "for", "and", "between", "against", "from"}
# Words that may stand between a subject and its speech verb ("Trump juga mengatakan").
ADVERBS = {
    "juga", "pun", "kembali", "kemudian", "lalu", "sebelumnya", "selanjutnya", "telah", "sudah",
    "pernah", "sempat", "bahkan", "secara", "lantas", "turut", "langsung", "pula", "awalnya", "mulanya",
    "akhirnya", "tegas", "seperti", "sebagaimana", "dilaporkan", "dikutip", "diberitakan",
    "also", "later", "then", "previously", "has", "have", "had", "was", "further", "again",
    "earlier", "repeatedly", "reportedly", "once", "publicly", "separately",
}
# Function words that begin a clause but never a name.
STOP_CAPS = {
    "the", "a", "an", "in", "on", "at", "but", "and", "this", "that", "these", "those", "it", "its",
    "he", "she", "they", "we", "i", "you", "if", "when", "while", "as", "after", "before", "for",
    "ia", "dia", "beliau", "mereka", "kami", "kita", "saya", "ini", "itu", "namun", "sebab", "karena",
    "dalam", "di", "ke", "dari", "pada", "untuk", "dengan", "hal", "menurut", "sementara", "sedangkan",
    "selain", "meski", "meskipun", "jika", "bila", "kalau", "tapi", "tetapi", "dan", "atau", "yang",
    "para", "sang", "pihak", "there", "what", "according", "so", "however", "meanwhile",
}
# Words after a speech verb that are not yet the reported clause ("told reporters on Tuesday that").
_LEAD_IN = re.compile(
    r"""(?:\s*,)?\s*(?:
        (?:kepada|pada|di\ hadapan)\s+(?:para\s+)?(?:wartawan|awak\ media|media|jurnalis|pers)\b
      | (?:to\ )?(?:reporters|journalists|the\ press)\b
      | (?:on|late\ on|early\ on|late|early)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b
      | (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b
      | (?:in|at)\ (?:a|an|the|his|her|its)\s+(?:\w+\s+){0,2}?(?:statement|interview|conference|briefing|speech|post|tweet|letter|message)\b
      | (?:on\ )?(?:Twitter|X|Facebook|Instagram|television)\b
      | pada\s+(?:Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu)\b
      | (?:Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu)\b(?:\s*\([^)]*\))?
      | \([^)]{1,30}\)
    )""",
    re.X,
)
_THAT = re.compile(r"\s*(?:,\s*)?(?:bahwa|that)\b\s*,?\s*|\s*[,:]\s*", re.I)

OPEN_DQ = "“„«"
CLOSE_DQ = "”»"
ALL_QUOTES = "\"“”„«»‘’'"
WORD = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)
# Words that end a speaker phrase after a cue: what follows is an adjunct, not the name.
RUN_STOP = {
    "kepada", "dalam", "saat", "ketika", "yang", "seperti", "sebagaimana", "di", "pada", "usai", "seusai",
    "setelah", "dikutip", "melalui", "via", "dengan", "seraya", "sambil", "kemarin", "dari",
    "in", "at", "on", "who", "during", "after", "told", "while", "when", "as", "to", "from", "with", "and",
}


def _role_words(between: str) -> bool:
    """True when the words before a name are a title or role ("duta besar AS untuk PBB,")."""
    ws = WORD.findall(between)
    return len(ws) <= 12 and not any(w.casefold() in RUN_STOP for w in ws)


# --------------------------------------------------------------------- stage 1
@dataclass(slots=True)
class _Raw:
    open: int  # index of the opening mark
    start: int  # first quoted character
    end: int  # one past the last quoted character
    close: int  # one past the closing mark (== end when unclosed)
    para: tuple[int, int]
    parts: list[tuple[int, int]] | None = None  # per-paragraph pieces of a quote spanning paragraphs


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.split("\n"):
        s, e = strip_span(text, pos, pos + len(line))
        pos += len(line) + 1
        if e > s:
            out.append((s, e))
    return out


def _is_opener(text: str, i: int) -> bool:
    c = text[i]
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if c in OPEN_DQ:
        return not nxt.isspace() or c == "«"
    if c == '"' or c == "”":  # straight quotes and a misused right mark open when not glued to a word
        return not prev.isalnum() and not nxt.isspace()
    return False


def _is_closer(text: str, i: int, opener: str) -> bool:
    c = text[i]
    if c in CLOSE_DQ or c == '"':
        return True
    return c == "“" and (opener == "„" or not (text[i + 1:i + 2] or " ").isalnum())


def _direct_spans(text: str) -> list[_Raw]:
    paras = _paragraphs(text)
    out: list[_Raw] = []
    k = 0
    while k < len(paras):
        ps, pe = paras[k]
        i, opened, opener = ps, -1, ""
        first_para = paras[k]
        pieces: list[tuple[int, int]] = []
        piece_start = ps
        while True:
            if i >= pe:
                if opened < 0:
                    break
                # unclosed: continue into the next paragraph when it opens with a quote mark
                nxt = paras[k + 1] if k + 1 < len(paras) else None
                if nxt and text[nxt[0]] in '"“„«':
                    # the quotation goes on (and may end) in the next paragraph
                    pieces.append((piece_start, _trim_marks(text, piece_start, pe)))
                    piece_start = nxt[0] + 1
                    k += 1
                    ps, pe = nxt
                    i = ps + 1
                    continue
                end = _trim_marks(text, opened + 1, pe)
                if end - opened > 1:
                    parts = [*pieces, (piece_start, end)] if pieces else None
                    out.append(_Raw(opened, opened + 1, end, pe, (first_para[0], pe), parts))
                break
            c = text[i]
            if opened < 0:
                if c in '"“”„«' and _is_opener(text, i):
                    opened, opener, first_para = i, c, (ps, pe)
                    pieces, piece_start = [], i + 1
            elif c in '"”»“' and _is_closer(text, i, opener):
                if i > opened + 1:
                    parts = [*pieces, (piece_start, i)] if pieces else None
                    out.append(_Raw(opened, opened + 1, i, i + 1, (first_para[0], pe), parts))
                opened = -1
            i += 1
        k += 1
    out += _single_spans(text, out)
    out.sort(key=lambda r: r.open)
    return out


def _trim_marks(text: str, s: int, e: int) -> int:
    while e > s and (text[e - 1] in ALL_QUOTES or text[e - 1].isspace()):
        e -= 1
    return e


_SINGLE = re.compile(r"(?<![\w’'])[‘'](?=\w)([^\n‘’']{3,}?\w[.,!?]?)[’'](?!\w)")


def _single_spans(text: str, doubles: list[_Raw]) -> list[_Raw]:
    """Single-quoted quotations of four words or more, outside double-quoted ones."""
    out = []
    inside = SpanIndex((d.open, d.close) for d in doubles)
    for m in _SINGLE.finditer(text):
        if inside.covers(m.start()):
            continue
        if len(WORD.findall(m.group(1))) < 4:
            continue
        line_s = text.rfind("\n", 0, m.start()) + 1
        line_e = text.find("\n", m.end())
        out.append(_Raw(m.start(), m.start(1), m.end(1), m.end(), (line_s, len(text) if line_e < 0 else line_e)))
    return out


# ------------------------------------------------------------------ speakers
@dataclass(slots=True)
class _Cand:
    """A resolved speaker: the words in the text and what they stand for."""

    start: int
    end: int
    text: str
    canonical: str | None
    actor: str | None = None
    country: str | None = None
    type: str = "PER"

    def speaker(self, start: int | None = None, end: int | None = None, text: str | None = None) -> Speaker:
        s = self.start if start is None else start
        e = self.end if end is None else end
        return Speaker(self.text if text is None else text, self.canonical, self.actor, self.country, s, e)


def _last_word(s: str | None) -> str:
    w = WORD.findall((s or "").casefold())
    return w[-1] if w else ""


class _Reported:
    """The reported clauses found so far, as a union of disjoint intervals: membership in log time."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def append(self, span: tuple[int, int]) -> None:
        a, b = span
        if a >= b:
            return
        i = bisect_left(self.ends, a)  # the first interval ending at or after a: it may merge
        j = bisect_right(self.starts, b)  # intervals from j on start after b
        if i < j:
            a, b = min(a, self.starts[i]), max(b, self.ends[j - 1])
        self.starts[i:j] = [a]
        self.ends[i:j] = [b]

    def __contains__(self, pos: int) -> bool:
        i = bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]


class _Resolver:
    def __init__(self, doc: Document, language: str | None, quotes: list[_Raw]) -> None:
        self.text = doc.text
        self.lang = language
        self.cues = cues(language)
        self.ents = sorted((e for e in doc.entities if e.type in ("PER", "ORG")), key=lambda e: e.start)
        self.locs = [e for e in doc.entities if e.type == "LOC"]
        self._loc_by_name: dict[str, Entity] = {}
        for loc in self.locs:
            self._loc_by_name.setdefault(loc.text.casefold(), loc)
        self.quotes = quotes
        self.date = doc.published
        self.reported = _Reported()  # reported clauses found so far: their subjects are not speakers
        # speakers and clause subjects by position (ties in the order remembered), all and persons only
        self.history: list[tuple[int, int, _Cand]] = []
        self._persons: list[tuple[int, int, _Cand]] = []
        self._seq = 0
        # indexes instead of scans per lookup (quadratic on long texts)
        self._ent_at = SpanIndex((e.start, e.end) for e in self.ents)
        self._in_quote = SpanIndex((q.start, q.end) for q in quotes)
        self._quote_at = SpanIndex((q.open, q.close) for q in quotes)
        self._closes = sorted(q.close for q in quotes)
        self._per_at: dict[int, Entity] = {}
        for e in self.ents:
            if e.type == "PER":
                self._per_at.setdefault(e.start, e)
        self._role_seen: dict[str, tuple[list[int], list[int], list[int]]] = {}
        self._holders: dict[str, tuple[list[int], list[int]]] = {}
        self.sent_starts: list[int] = []  # set by find_quotes
        self._noun_ents: dict[str, list[int]] = {}
        self._by_last: dict[str, Entity] = {}
        self._by_name: dict[str, Entity] = {}
        for e in self.ents:
            self._by_name.setdefault(e.text.casefold(), e)
            if e.type != "PER":
                continue
            key = _last_word(e.text)
            best = self._by_last.get(key)
            if best is None or len(e.text) > len(best.text):
                self._by_last[key] = e

    # -- helpers
    def in_quote(self, pos: int) -> bool:
        return self._in_quote.covers(pos)

    def entity_at(self, start: int, end: int) -> Entity | None:
        """The first entity (by start) overlapping [start, end)."""
        hits = [i for i in self._ent_at.holding(start) + self._ent_at.starting_in(start, end)
                if self.ents[i].start < end and start < self.ents[i].end]
        return self.ents[min(hits)] if hits else None

    def ents_starting_in(self, start: int, end: int) -> list[Entity]:
        return [self.ents[i] for i in sorted(self._ent_at.starting_in(start, end))]

    def quotes_near(self, start: int, end: int) -> list[_Raw]:
        """Quotations (open mark to close mark) overlapping [start, end), in order."""
        idx = set(self._quote_at.holding(start)) | set(self._quote_at.starting_in(start, end))
        return [self.quotes[i] for i in sorted(idx) if self.quotes[i].open < end and self.quotes[i].close > start]

    def first_open(self, start: int, end: int) -> int | None:
        """Where the first quotation opening in [start, end) opens."""
        idx = self._quote_at.starting_in(start, end)
        return self.quotes[idx[0]].open if idx else None

    def last_close(self, pos: int, default: int) -> int:
        """The last closing position of a quotation at or before ``pos``."""
        i = bisect_right(self._closes, pos)
        return max(self._closes[i - 1], default) if i else default

    def _role_before(self, words: str, s: int) -> Entity | None:
        """The person right after the first "<words>, " in text[:s] (a role introducing its holder).

        The matches of one phrase are found once per document, not once per call.
        """
        if words not in self._role_seen:
            starts, ends, hits = [], [], []
            for m in re.finditer(re.escape(words) + r",?\s+", self.text):
                starts.append(m.start())
                ends.append(m.end())
                if m.end() in self._per_at:
                    hits.append(len(starts) - 1)
            self._role_seen[words] = (starts, ends, hits)
        starts, ends, hits = self._role_seen[words]
        if hits and ends[hits[0]] <= s:
            return self._per_at[ends[hits[0]]]
        # a match cut by the end of text[:s]: its run of spaces then ends at s
        i = bisect_left(starts, s) - 1
        if i >= 0 and ends[i] > s and s > starts[i] + len(words) and self.text[s - 1].isspace():
            cut = re.compile(re.escape(words) + r",?\s+").match(self.text, starts[i], s)
            if cut is not None and cut.end() == s:
                return self._per_at.get(s)
        return None

    def cand(self, e: Entity) -> _Cand:
        canonical = e.canonical
        if not canonical:
            longer = self._by_last.get(_last_word(e.text))
            canonical = (longer.canonical or longer.text) if longer else e.text
        return _Cand(e.start, e.end, e.text, canonical, e.actor, e.country, e.type)

    def name_cand(self, s: int, e: int) -> _Cand:
        """A capitalised name the entity step did not give us: link it by its last word."""
        words = self.text[s:e]
        longer = self._by_name.get(words.casefold()) or self._by_last.get(_last_word(words))
        if longer is None:
            # a role named alone ("kata Presiden Iran"): the person it introduced earlier in the text
            longer = self._role_before(words, s)
        if longer is not None:
            c = self.cand(longer)
            return _Cand(s, e, words, c.canonical, c.actor, c.country, c.type)
        office = self.office(s, e)
        if office is not None:
            return office
        loc = self._loc_by_name.get(words.casefold())  # "Rusia mengatakan": a country speaks
        if loc is not None:
            return _Cand(s, e, words, loc.canonical or loc.text, None, loc.country, "LOC")
        return _Cand(s, e, words, words)

    def office(self, s: int, e: int) -> _Cand | None:
        """An office named without a person ("Presiden Iran"): who held it on the article's date."""
        phrase = self.text[s:e]
        if split_office(phrase) is None:
            return None
        kb = load_kb()
        # a person of this article who holds (or, undated, ever held) the office, else the KB's holder;
        # who holds it is worked out once per phrase: (indexes into ents, distinct persons up to each)
        if phrase not in self._holders:
            idx, distinct, ids = [], [], set()
            for k, x in enumerate(self.ents):
                if x.type == "PER" and x.kb_id and held_by(kb, x.kb_id, phrase, self.date) is not None:
                    ids.add(x.kb_id)
                    idx.append(k)
                    distinct.append(len(ids))
            self._holders[phrase] = (idx, distinct)
        idx, distinct = self._holders[phrase]
        n = bisect_left(idx, bisect_left(self._ent_at.starts, s))  # holders named before s
        if n and distinct[n - 1] == 1:
            x = self.ents[idx[n - 1]]
            return _Cand(s, e, phrase, x.canonical, x.actor, x.country, "PER")
        h = office_holder(kb, phrase, self.date)
        if h is None:
            return None
        return _Cand(s, e, phrase, h.person.canonical, h.role.actor, h.role.country, "PER")

    def remember(self, pos: int, c: _Cand) -> None:
        # kept sorted by (position, -order): walked backwards, equal positions come in the order remembered
        self._seq += 1
        entry = (pos, -self._seq, c)
        insort(self.history, entry, key=lambda x: x[:2])
        if c.type == "PER":
            insort(self._persons, entry, key=lambda x: x[:2])

    def current(self, pos: int, quote: tuple[int, int] | None = None, org: bool = False) -> _Cand | None:
        """The most recent fitting speaker before ``pos``: a person unless ``org``, else anyone;
        speakers inside reported clauses and people named inside the quote are skipped."""
        inside = self.text[quote[0]:quote[1]].casefold() if quote else ""
        quoted = set(WORD.findall(inside))

        def latest(entries: list[tuple[int, int, _Cand]]) -> _Cand | None:
            i = bisect_left(entries, pos, key=lambda x: x[0]) - 1
            while i >= 0:
                p, _, c = entries[i]
                i -= 1
                if p in self.reported:
                    continue
                if quote and _last_word(c.canonical or c.text) in quoted and _last_word(c.text) in quoted:
                    continue
                return c
            return None

        if not org:
            person = latest(self._persons)
            if person is not None:
                return person
        return latest(self.history)

    # -- speaker phrases
    def after(self, pos: int, limit: int) -> _Cand | None:
        """The speaker named right after ``pos`` ("kata Menlu Retno", "said John Smith")."""
        text = self.text
        m = re.compile(r"\s*").match(text, pos)
        i = m.end() if m else pos
        stop = min(limit, i + 80)
        # the speaker phrase runs to the first word that opens an adjunct ("kepada wartawan", "in a")
        run_e = stop
        for m in WORD.finditer(text, i, stop):
            if m.group().casefold() in RUN_STOP or re.search(r"[.;:!?\"“”()]", text[i:m.start()]):
                run_e = min(run_e, m.start())
                break
        inside = self.ents_starting_in(i, run_e)
        if inside and _role_words(text[i:inside[0].start]):
            # "Kapuspenkum Kejagung Anang Supriatna": a person named after an organisation is the speaker
            person = [e for e in inside if e.type == "PER"]
            return self.cand(person[-1] if person else inside[0])
        w = WORD.match(text, i)
        if not w or w.start() >= limit:
            return None
        word = w.group().casefold()
        if word in PRONOUNS:
            c = self.current(i)
            return None if c is None else _Cand(w.start(), w.end(), w.group(), c.canonical, c.actor, c.country)
        if w.group()[0].isupper() and word not in STOP_CAPS:
            # "Menteri Lingkungan Kenya, Deborah Barasa": the name after the role's comma
            comma = text.find(",", i, run_e)
            if comma > 0:
                n = WORD.search(text, comma, run_e)
                if n and n.group()[0].isupper() and n.group().casefold() not in STOP_CAPS:
                    return self._cap_run(n.start(), run_e, forward=True)
            return self._cap_run(w.start(), run_e, forward=True)
        if word in {"the", "a", "an", "sang", "para"}:
            return self._noun(w.end(), limit)
        # "imbuh presiden Iran": an office in lower case, then the country
        ends = [m.end() for m in WORD.finditer(text, w.start(), run_e)][:5]
        for end in reversed(ends[1:]):
            c = self.office(w.start(), end)
            if c is not None:
                return c
        return None

    def _cap_run(self, s: int, limit: int, forward: bool) -> _Cand | None:
        """A run of capitalised words starting (forward) or ending (backward) at ``s``."""
        text = self.text
        if forward:
            e = s
            for m in WORD.finditer(text, s, limit):
                if text[e:m.start()].strip() or not (m.group()[0].isupper() or m.group() in {"bin", "al", "van", "de"}):
                    break
                e = m.end()
            run = (s, e)
        else:
            b = s
            words = list(WORD.finditer(text, max(0, s - 80), s))
            for m in reversed(words):
                if text[m.end():b].strip() or not m.group()[0].isupper():
                    break
                b = m.start()
            run = (b, s)
        if run[1] <= run[0]:
            return None
        words = WORD.findall(text[run[0]:run[1]])
        while words and words[0].casefold() in STOP_CAPS:  # "The Kremlin" → "Kremlin"
            first = WORD.search(text, run[0], run[1])
            assert first is not None
            run = (WORD.search(text, first.end(), run[1]).start() if len(words) > 1 else run[1], run[1])  # type: ignore[union-attr]
            words = words[1:]
        if not words:
            return None
        return self.name_cand(*run)

    def _noun(self, pos: int, limit: int) -> _Cand | None:
        """'the ministry' / 'the spokesman': the most recent entity whose name holds the noun."""
        m = re.compile(r"\s*((?:\w+\s+){0,2}?)(\w+)").match(self.text, pos, limit)
        if not m:
            return None
        noun = m.group(2).casefold()
        if noun not in self._noun_ents:  # entities whose names hold the noun, found once per noun
            self._noun_ents[noun] = [k for k, e in enumerate(self.ents)
                                     if noun in (e.text + " " + (e.canonical or "") + " " + (e.role or "")).casefold()]
        having = self._noun_ents[noun]
        k = bisect_left(having, bisect_left(self._ent_at.starts, pos)) - 1
        if k < 0:
            return None
        c = self.cand(self.ents[having[k]])
        return _Cand(pos, m.end(), self.text[pos:m.end()].strip(), c.canonical, c.actor, c.country, c.type)

    def before(self, pos: int, floor: int) -> _Cand | None:
        """The subject ending right before ``pos`` (a speech verb): skips adverbs and appositives."""
        text = self.text
        words = list(WORD.finditer(text, floor, pos))
        j = len(words) - 1
        while j >= 0 and words[j].group().casefold() in ADVERBS:
            j -= 1
        if j < 0:
            return None
        w = words[j]
        gap = text[w.end():pos]
        if "," in gap and j > 0:  # "John Smith, a professor at X, said": jump over the appositive
            k = text.rfind(",", floor, w.start())
            if k > floor:
                sub = self.before(k, floor)
                if sub is not None:
                    return sub
        if re.search(r"[^\w\s,]", gap):
            return None
        word = w.group().casefold()
        e = self.entity_at(w.start(), w.end())
        if e is not None:
            return self.cand(e)
        if word in DEMONSTRATIVES and j >= 1:
            # "Politisi Partai X itu menegaskan": a described person already in play
            c = self.current(w.start())
            if c is not None:
                k = next((x for x in reversed(words[:j]) if x.group()[0].isupper() or x.group().casefold() in
                          STOP_CAPS), words[j - 1])
                b = max(k.start(), floor)
                return _Cand(b, w.end(), text[b:w.end()], c.canonical, c.actor, c.country, c.type)
        if word in CONJUNCTIONS:
            # "…, seraya menegaskan bahwa …": the same speaker goes on
            c = self.current(pos)
            if c is not None:
                return c
        if word in PRONOUNS or word in ORG_PRONOUNS:
            c = self.current(w.start(), org=word in ORG_PRONOUNS)
            return None if c is None else _Cand(w.start(), w.end(), w.group(), c.canonical, c.actor, c.country, c.type)
        if w.group()[0].isupper() and word not in STOP_CAPS:
            return self._cap_run(w.end(), pos, forward=False)
        # "the ministry said": a definite noun phrase
        if j >= 1:
            det = next((x for x in reversed(words[max(0, j - 3):j]) if x.group().casefold() in {"the", "sang"}), None)
            if det is not None:
                return self._noun(det.end(), w.end())
        return None


# --------------------------------------------------------------------- stage 2-4
@dataclass(slots=True)
class _Hit:
    cue: Span
    cand: _Cand
    speaker_span: tuple[int, int, str]


def _cue_words(text: str, start: int, end: int, table: dict[str, Cue]) -> Iterable[tuple[int, int, Cue]]:
    for m in WORD.finditer(text, start, end):
        w = m.group().casefold()
        if w == "according":
            n = re.compile(r"\s+to\b", re.I).match(text, m.end())
            if n and "according to" in table:
                yield m.start(), n.end(), table["according to"]
            continue
        c = table.get(w)
        if c is not None:
            yield m.start(), m.end(), c


def find_quotes(doc: Document, *, language: str | None = None) -> list[Quote]:
    """Direct and indirect quotations of ``doc`` with their speakers; unattributable ones are skipped."""
    text = doc.text
    lang = language or doc.language
    sents = doc.sentences or split_sentences(text)
    raws = _direct_spans(text)
    r = _Resolver(doc, lang, raws)
    r.sent_starts = sorted(s for s, _ in sents)
    _subjects(r, sents)
    found: list[tuple[int, Quote]] = []
    # Explicit speakers first, so that pronouns resolve against everyone named before them.
    items: list[tuple[int, str, object]] = [(q.open, "d", q) for q in raws]
    items += [(s, "i", (s, e)) for s, e in sents]
    items.sort(key=lambda x: (x[0], x[1]))
    para_speaker: dict[tuple[int, int], _Cand] = {}
    pending: list[_Raw] = []
    for _, kind, obj in items:
        check_deadline()  # a clean stop point for the per-document time limit
        if kind == "d":
            q = obj
            assert isinstance(q, _Raw)
            hit = _attribute_direct(r, q, sents)
            if hit is None:
                pending.append(q)
                continue
            para_speaker[q.para] = hit.cand
            # a quotation over several paragraphs is reported per paragraph, all with one speaker
            for ps_, pe_ in q.parts or [(q.start, q.end)]:
                found.append((ps_, _quote(text, ps_, pe_, "direct", hit)))
        else:
            s, e = obj  # type: ignore[misc]
            for hit, (cs, ce) in _indirect(r, s, e):
                found.append((cs, _quote(text, cs, ce, "indirect", hit)))
                r.reported.append((cs, ce))
    # split quotes: another quote of the same paragraph gives the speaker
    for q in pending:
        if _words(text, q.start, q.end) < 4 and not _whole_sentence(text, q):
            continue
        c = para_speaker.get(q.para)
        if c is None:
            c = _colon_lead(r, q, sents)
        if c is not None:
            hit = _Hit(Span(q.open, q.open, ""), c, (c.start, c.end, c.text))
            for ps_, pe_ in q.parts or [(q.start, q.end)]:
                found.append((ps_, _quote(text, ps_, pe_, "direct", hit)))
    found = _embedded(text, found, pending, _embedded_style(lang))
    found.sort(key=lambda x: x[0])
    out, seen = [], set()
    for _, qt in found:
        key = (qt.start, qt.end)
        if key not in seen and qt.text.strip():
            seen.add(key)
            out.append(qt)
    return out


@lru_cache(maxsize=1)
def _conventions() -> dict[str, str]:
    return {r["language"]: r["embedded"] for r in read_table("lang/quote_conventions.tsv")}


def _embedded_style(language: str | None) -> str:
    conv = _conventions()
    return conv.get(language or "", conv.get("en", "indirect"))


def _embedded(text: str, found: list[tuple[int, Quote]], pending: list[_Raw],
              style: str) -> list[tuple[int, Quote]]:
    """Quotations inside a reported clause, per the language's convention (lang/quote_conventions.tsv):
    "indirect" folds them into the clause; "direct" also reports the fragment, with the clause's
    speaker, as a direct quotation. A fragment that opens the clause, or of fewer than three words (a scare quote), changes nothing."""
    indirect = [q for _, q in found if q.kind == "indirect"]
    inside = SpanIndex((o.start + 1, o.end) for o in indirect)

    def outer(start: int) -> Quote | None:
        if _introduced_at(text, start):
            return None
        hold = inside.holding(start)
        return indirect[min(hold)] if hold else None

    frags: dict[int, list[tuple[int, int]]] = {}  # id(outer) -> fragment spans
    kept: list[tuple[int, Quote]] = []
    for p, q in found:
        o = None if q.kind == "indirect" else outer(q.start)
        if o is None:
            kept.append((p, q))
        elif style == "direct" and _words(text, q.start, q.end) >= 3 and _words(text, o.start, q.start):
            frags.setdefault(id(o), []).append((q.start, q.end))
    if style != "direct":
        return kept
    for q in pending:
        o = outer(q.start)
        if o is not None and _words(text, q.start, q.end) >= 3 and _words(text, o.start, q.start):
            frags.setdefault(id(o), []).append((q.start, q.end))
    out = list(kept)
    for q in indirect:
        for s, e in sorted(set(frags.get(id(q), []))):
            out.append((s, Quote(s, e, text[s:e], "direct", q.speaker, q.cue)))
    return out


def _words(text: str, s: int, e: int) -> int:
    return len(WORD.findall(text, s, e))


def _char_before(text: str, floor: int, pos: int) -> str:
    """The last non-space character of text[floor:pos], or "" (read backwards, not sliced)."""
    while pos > floor and text[pos - 1].isspace():
        pos -= 1
    return text[pos - 1] if pos > floor else ""


def _whole_sentence(text: str, q: _Raw) -> bool:
    """A quotation that stands as its own sentence (after a sentence end or at paragraph start)."""
    before = _char_before(text, q.para[0], q.open)
    return not before or before in ".!?:\"”"


def _quote(text: str, s: int, e: int, kind: str, hit: _Hit) -> Quote:
    while e > s and text[e - 1].isspace():
        e -= 1
    while s < e and text[s].isspace():
        s += 1
    ss, se, st = hit.speaker_span
    sp = hit.cand.speaker(ss, se, st)
    return Quote(s, e, text[s:e], kind, sp, hit.cue)


def _hit(r: _Resolver, cs: int, ce: int, c: _Cand, remember: bool = True) -> _Hit:
    if remember:
        r.remember(c.start, c)
    return _Hit(Span(cs, ce, r.text[cs:ce]), c, (c.start, c.end, r.text[c.start:c.end]))


_VERBISH = re.compile(r"(?:me|ber)\w{3,}$")


_LEAD_MARK = re.compile(r"[\"“”,]")


def _word_before(text: str, floor: int, pos: int) -> str | None:
    """The last word of text[floor:pos] as ``WORD.findall`` gives it, read from a window before ``pos``.

    A window can cut its first word; with two words in it the last one is whole, else it widens.
    """
    width = 64
    while True:
        lo = max(floor, pos - width)
        words = WORD.findall(text, lo, pos)
        if lo == floor or len(words) >= 2:
            return words[-1] if words else None
        width *= 2


def _subjects(r: _Resolver, sents: list[tuple[int, int]]) -> None:
    """PER mentions that are clause subjects (sentence-initial, or just before a verb) are candidates
    for later pronouns: "Nikolai Patrushev juga menekankan …" makes Patrushev the one "-nya" refers to."""
    text = r.text
    for s, e in sents:
        # the lead of a name is "initial" while it holds only capitalised words and no quote mark or comma
        first_lower = next((m.start() for m in WORD.finditer(text, s, e) if not m.group()[0].isupper()), e)
        mark = _LEAD_MARK.search(text, s, e)
        first_mark = mark.start() if mark else e
        for ent in r.ents_starting_in(s, e):
            if ent.type != "PER" or r.in_quote(ent.start):
                continue
            initial = ent.start <= first_lower and ent.start <= first_mark
            prev = _word_before(text, s, ent.start)
            prep = prev is not None and prev.casefold() in PREPOSITIONS
            verb = False
            for m in islice(WORD.finditer(text, ent.end, e), 4):
                if re.search(r"[^\w\s-]", text[ent.end:m.start()]):
                    break
                w = m.group().casefold()
                if w in r.cues or _VERBISH.match(w):
                    verb = True
                    break
            if initial or (verb and not prep):
                r.remember(ent.start, r.cand(ent))


def _sentence_end(text: str, pos: int, limit: int) -> int:
    m = re.compile(r"[.;!?\n\"“”]").search(text, pos, limit)
    return m.start() if m else limit


def _attribute_direct(r: _Resolver, q: _Raw, sents: list[tuple[int, int]]) -> _Hit | None:
    text = r.text
    pe = q.para[1]
    span = (q.start, q.end)
    # (a) a cue right after the closing mark: "…," kata X / "…," ujarnya / "…," he said / "…," said X
    if q.close > q.end:
        tail_end = _sentence_end(text, q.close, pe)
        lead = text[q.close:tail_end]
        if not lead.strip() or lead.lstrip()[:1] in ",-–—" or lead[:1].isspace():
            for cs, ce, cue in _cue_words(text, q.close, min(tail_end, q.close + 80), r.cues):
                if cue.position == "before" and cue.kind != "verb":
                    continue
                between = text[q.close:cs]
                if _words(text, q.close, cs) > 8 or re.search(r"[.;!?]", between):
                    break
                if cue.kind == "nya":
                    c = r.current(cs, span)
                    if c is None:
                        return None
                    return _Hit(Span(cs, ce, text[cs:ce]), c, (cs, ce, text[cs:ce]))
                if cue.kind == "prep" or _words(text, q.close, cs) == 0:
                    c = r.after(ce, tail_end)
                else:
                    c = r.before(cs, q.close)
                    if c is not None and c.text.casefold() in PRONOUNS | ORG_PRONOUNS:
                        c2 = r.current(c.start, span, org=c.text.casefold() in ORG_PRONOUNS)
                        if c2 is not None:
                            c = _Cand(c.start, c.end, c.text, c2.canonical, c2.actor, c2.country, c2.type)
                if c is None:
                    return None
                return _hit(r, cs, ce, c, remember=c.text.casefold() not in PRONOUNS)
    # (b) a cue that introduces the quote in the same sentence: Dia menambahkan, "…" / X said: "…"
    k = bisect_right(r.sent_starts, q.open)
    ss = max(r.sent_starts[k - 1], q.para[0]) if k else q.para[0]
    prev_close = r.last_close(q.open, ss)
    frag_s = max(ss, prev_close)
    frag = text[frag_s:q.open].rstrip()
    if frag:
        intro = frag[-1] in ",:"
        short = _words(text, q.start, q.end) < 4
        if short and not intro:
            return None  # scare quote
        hits = [h for h in _cue_words(text, frag_s, q.open, r.cues) if h[2].position in ("before", "both")
                or h[2].kind == "verb"]
        for cs, ce, cue in reversed(hits):
            c = _speaker_for(r, cs, ce, cue, frag_s, q.open, span)
            if c is not None:
                return _hit(r, cs, ce, c, remember=c.text.casefold() not in PRONOUNS)
    return None


def _speaker_for(r: _Resolver, cs: int, ce: int, cue: Cue, floor: int, limit: int,
                 quote: tuple[int, int] | None) -> _Cand | None:
    if cue.kind == "nya":
        c = r.current(cs, quote)
        return None if c is None else _Cand(cs, ce, r.text[cs:ce], c.canonical, c.actor, c.country, c.type)
    if cue.kind == "prep":
        return r.after(ce, limit)
    c = r.before(cs, floor)
    if c is None and cue.position in ("after", "both"):
        c = r.after(ce, limit)
    return c


def _colon_lead(r: _Resolver, q: _Raw, sents: list[tuple[int, int]]) -> _Cand | None:
    """A quote paragraph introduced by the previous paragraph ending in a colon ("X said:")."""
    text = r.text
    if q.open != q.para[0]:
        return None
    pe = q.para[0]  # the end of the text before, trailing space aside
    while pe > 0 and text[pe - 1].isspace():
        pe -= 1
    if pe == 0 or text[pe - 1] != ":":
        return None
    ps = text.rfind("\n", 0, pe) + 1
    for cs, ce, cue in reversed(list(_cue_words(text, ps, pe, r.cues))):
        c = _speaker_for(r, cs, ce, cue, ps, pe, (q.start, q.end))
        if c is not None:
            return c
    return None


def _introduced_at(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in ALL_QUOTES:
        i -= 1
    j = i + 1  # back over the spaces of this line
    while j > 0 and text[j - 1] != "\n" and text[j - 1].isspace():
        j -= 1
    return j == 0 or text[j - 1] == "\n" or text[j - 1] in ",:.!?\"”—–-"


def _introduced(text: str, q: _Raw) -> bool:
    """A quote that stands on its own (after , : or a sentence end), not embedded in a clause."""
    before = _char_before(text, q.para[0], q.open)
    return not before or before in ",:.!?\"”—–-"


def _indirect(r: _Resolver, s: int, e: int) -> list[tuple[_Hit, tuple[int, int]]]:
    """Reported statements in sentence [s, e): one per stretch between free-standing direct quotes."""
    text = r.text
    cuts = sorted((q.open, q.close) for q in r.quotes_near(s, e) if _introduced(text, q))
    out: list[tuple[_Hit, tuple[int, int]]] = []
    pos = s
    for qo, qc in [*cuts, (e, e)]:
        if qo > pos:
            out += _indirect_segment(r, pos, qo, e, after_quote=pos > s)
        pos = max(pos, qc)
    return out


def _indirect_segment(r: _Resolver, s: int, region_e: int, e: int,
                      after_quote: bool = False) -> list[tuple[_Hit, tuple[int, int]]]:
    """The first reported statement in [s, region_e). After a quotation the cue that closes it
    ("…," kata X kepada wartawan, Rabu) is not a new statement: only 'before' verbs count there."""
    text = r.text
    while s < region_e and text[s] in " ,;:\t\"”’»":
        s += 1
    while region_e > s and text[region_e - 1] in " .,;:!?\t”\"»’":  # a closing mark ends a fragment, not the clause
        region_e -= 1
    if _words(text, s, region_e) < 3:
        return []
    # "X said in a post: "…"": the verb introduces the direct quotation, not a reported clause
    introduces = region_e < e and text[region_e:region_e + 2].lstrip()[:1] == ":"
    hits = list(_cue_words(text, s, region_e, r.cues))
    if after_quote:
        hits = [h for h in hits if h[2].kind == "verb" and h[2].position == "before"]
    for cs, ce, cue in hits:
        if cue.kind == "prep" or (cue.kind == "nya" and cue.position == "before"):
            # menurut X, … / according to X, … / menurutnya, …
            comma = text.find(",", ce, region_e)
            if comma < 0:
                # "…, according to X." : the statement comes first
                if cue.kind == "prep" and text[s:cs].rstrip().endswith(","):
                    c = r.after(ce, region_e)
                    if c is not None:
                        return [(_hit(r, cs, ce, c), (s, text[s:cs].rstrip().rfind(",") + s))]
                continue
            c = r.current(cs) if cue.kind == "nya" else r.after(ce, comma)
            if c is None:
                continue
            if cue.kind == "nya":
                c = _Cand(cs, ce, text[cs:ce], c.canonical, c.actor, c.country, c.type)
            cstart = comma + 1
            if _words(text, cstart, region_e) < 3 or not _clause_ok(r, cstart, region_e):
                continue
            return [(_hit(r, cs, ce, c, remember=cue.kind != "nya"), (cstart, region_e))]
        if cue.kind == "nya":
            continue
        if cue.kind == "verb" and cue.position in ("after", "both"):
            # inverted: "Sebab, kata Yusril, …" — the cue stands at the start of a clause
            pre = text[s:cs].rstrip()
            if (not pre or pre.endswith(",")) and _words(text, s, cs) <= 3:
                comma = text.find(",", ce, region_e)
                if comma > 0 and _words(text, ce, comma) <= 6:
                    c = r.after(ce, comma)
                    if c is not None and _words(text, comma + 1, region_e) >= 3:
                        # "Sebab, kata X, …" starts after the cue; "Presiden Y, kata X, …" at the subject
                        pre_words = WORD.findall(pre)
                        subject = any(w[0].isupper() for w in pre_words[1:]) or r.entity_at(s, cs) is not None
                        return [(_hit(r, cs, ce, c), (s if subject else comma + 1, region_e))]
            # trailing: "…, X said." / "…, said X."
            k = text.rfind(",", s, cs)
            if k > s and _words(text, ce, region_e) <= 6 and _words(text, k, cs) <= 8 and _words(text, s, k) > 4:
                if not text[k + 1:cs].strip():
                    c = r.after(ce, region_e)
                    if c is not None and c.text.casefold() in PRONOUNS:
                        c = None
                else:
                    c = r.before(cs, k + 1)
                if c is not None:
                    return [(_hit(r, cs, ce, c), (s, k))]
        if cue.kind == "verb" and cue.position in ("before", "both"):
            c = r.before(cs, s)
            if c is None or introduces:
                continue
            cstart = _clause_start(text, ce, region_e)
            if cstart is None:
                continue
            if _words(text, cstart, region_e) < 3 or not _clause_ok(r, cstart, region_e):
                continue
            return [(_hit(r, cs, ce, c, remember=c.text.casefold() not in PRONOUNS), (cstart, region_e))]
    return []


def _clause_ok(r: _Resolver, cs: int, region_e: int) -> bool:
    """The reported clause must be more than a lead-in to a quotation ("menurutnya, proses "…"")."""
    first = r.first_open(cs, region_e)
    first = region_e if first is None else first
    return _words(r.text, cs, first) >= 4


def _clause_start(text: str, pos: int, limit: int) -> int | None:
    """Where the reported clause begins after a speech verb, skipping 'told reporters on Monday that'."""
    i = pos
    for _ in range(4):
        m = _LEAD_IN.match(text, i, limit)
        if not m or m.end() == i:
            break
        i = m.end()
    m = _THAT.match(text, i, limit)
    if m:
        i = m.end()
    # "told X (that)", "mengatakan kepada X, …, bahwa": skip the addressee when a "that" follows
    that = re.compile(r"\s*(?:[\w’'.()-]+,?\s+){1,14}?(?:that|bahwa)\b\s*", re.I).match(text, i, limit)
    if that and i == pos:
        i = that.end()
    while i < limit and text[i].isspace():
        i += 1
    if i >= limit or text[i] in ALL_QUOTES:
        return None
    return i

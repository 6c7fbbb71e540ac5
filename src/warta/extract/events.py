"""Dictionary event coder: triggers from ``data/triggers/<lang>.tsv``, actors from the entity
step and agent words, roles from word order and function words (``data/lang/function_words.tsv``).

How an event is coded (one trigger match in one sentence):
1. The trigger is matched on roots (``warta.nlp.morph``), so one entry covers the affixed forms.
2. Actor mentions of the document are built once: named entities that can act, agent phrases
   ("tentara Suriah" → SYRMIL), pronouns resolved to the last fitting actor ("dia", "negara ini",
   "kedua negara"); a title chain ("Direktur Dinas … Rusia Nikolai Patrushev") is one actor, the person.
3. Source: the nearest actor before the trigger in the sentence (a coordinated pair "Iran dan Rusia"
   gives both sides of a symmetric event), the passive agent after "oleh", or the possessor of a
   "-nya" trigger. Target: "antara X dan Y", a partner after "dengan"/"terhadap"/…, or the object
   right after the trigger.
4. Date: the sentence's own date, else another mention of the same type at the same place, else the
   publication date. Location: "di <place>" in the sentence, else the dateline.
5. Inside a quotation the event is only claimed: ``claimed_by`` is the speaker, and an alleged
   hostile act (quad class 4) is also an ACCUSE from the speaker to the alleged actor.
6. One event per (type, source, target) per document; the other triggers become its mentions.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from warta import ontology
from warta.document import Actor, Document, Entity, Event, Place, Span
from warta.kb.knowledge import fold
from warta.nlp.morph import root_lexicon, roots
from warta.nlp.text import SpanIndex
from warta.nlp.text import sentences as split_sentences
from warta.nlp.text import tokens as tokenize
from warta.pipeline import check_deadline
from warta.resources import read_table

SYMMETRIC = {"CONSULT", "COOPERATE", "AGREE"}
SOURCE_WINDOW = 10  # tokens between the end of the subject and the trigger
TARGETLESS_OK = {"PROTEST", "MOBILIZE"}
NON_STATE = {"REB", "OPP", "INS", "SEP", "TER"}  # CAMEO sectors of groups that act against their own state
TRANSNATIONAL = {"IGO", "NGO", "MNC"}  # CAMEO codes of actors that belong to no country
GAP = "..."
MAX_GAP = 4
DATE_REACH = 600  # characters around an undated sentence where its date may be stated
OBJECT_WINDOW = 4  # tokens after a trigger where its direct object may start
PARTNER_REACH = 10  # tokens after a trigger where "dengan X" may start


# ----------------------------------------------------------------------------- dictionaries
@dataclass(frozen=True, slots=True)
class Trigger:
    pattern: str
    parts: tuple[tuple[str, ...], ...]  # groups of consecutive words; groups are separated by gaps
    cameo: str
    plover: str
    row: int = 0  # position in the dictionary (shipped rows, then overlays): a later row wins a tie


@dataclass(frozen=True, slots=True)
class TriggerIndex:
    language: str
    by_key: dict[str, tuple[Trigger, ...]]


@lru_cache(maxsize=4)
def trigger_index(language: str) -> TriggerIndex:
    rows = read_table(f"triggers/{language}.tsv")
    by_key: dict[str, list[Trigger]] = {}
    for n, r in enumerate(rows):
        groups: list[list[str]] = [[]]
        for tok in r["pattern"].split():
            if tok == GAP:
                groups.append([])
            else:
                groups[-1].append(tok.casefold())
        parts = tuple(tuple(g) for g in groups if g)
        if not parts:
            continue
        trig = Trigger(r["pattern"], parts, r["cameo"], r["plover"], n)
        first = parts[0][0]
        for key in {first} | set(roots(first, language)):
            by_key.setdefault(key, []).append(trig)
    return TriggerIndex(language, {k: tuple(v) for k, v in by_key.items()})


@lru_cache(maxsize=4)
def function_words(language: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r in read_table("lang/function_words.tsv"):
        if r["language"] in (language, "*"):
            out.setdefault(r["role"], set()).add(r["word"].casefold())
    return out


# ----------------------------------------------------------------------------- tokens
@dataclass(slots=True)
class Tok:
    start: int
    end: int
    low: str
    roots: frozenset[str]


def _sentence_tokens(text: str, s: int, e: int, language: str) -> list[Tok]:
    return [Tok(a, b, text[a:b].casefold(), roots(text[a:b], language)) for a, b in tokenize(text, s, e)]


def _word_matches(pat: str, tok: Tok, language: str) -> bool:
    if pat == tok.low:
        return True
    base = tok.low.partition("-")[0] if tok.low.count("-") == 1 and len(set(tok.low.split("-"))) == 1 else tok.low
    if language != "en" and base in root_lexicon() and pat not in root_lexicon():
        # a bare root in the text is rarely the verb an affixed pattern means: "tengah" (middle) is not
        # "menengahi" (mediate), "tentang" (about) not "menentang" (oppose), "sesuai" not "menyesuaikan"
        return False
    return bool(roots(pat, language) & tok.roots)


def _match_at(trig: Trigger, toks: list[Tok], i: int, language: str) -> tuple[int, int] | None:
    """Token range [i, j) covered by the trigger starting at token i, or None."""
    pos = i
    for gi, group in enumerate(trig.parts):
        if gi > 0:
            # find the group within MAX_GAP tokens
            for skip in range(MAX_GAP + 1):
                p = pos + skip
                if p + len(group) <= len(toks) and all(
                    _word_matches(w, toks[p + k], language) for k, w in enumerate(group)
                ):
                    pos = p + len(group)
                    break
            else:
                return None
        else:
            if i + len(group) > len(toks) or not all(
                _word_matches(w, toks[i + k], language) for k, w in enumerate(group)
            ):
                return None
            pos = i + len(group)
    return i, pos


def find_triggers(text: str, s: int, e: int, language: str) -> list[tuple[Trigger, int, int, list[Tok]]]:
    """Non-overlapping trigger matches in one sentence: (trigger, first token, end token, tokens)."""
    idx = trigger_index(language)
    toks = _sentence_tokens(text, s, e, language)
    found: list[tuple[Trigger, int, int]] = []
    for i, t in enumerate(toks):
        cands: set[Trigger] = set()
        for key in {t.low} | set(t.roots):
            cands.update(idx.by_key.get(key, ()))
        best: tuple[Trigger, int, int] | None = None
        for trig in sorted(cands, key=lambda x: x.row):  # a set's order would make ties random
            m = _match_at(trig, toks, i, language)
            if m and (best is None or (m[1] - m[0], len(trig.pattern)) >= (best[2] - best[1], len(best[0].pattern))):
                best = (trig, m[0], m[1])
        if best:
            found.append(best)
    # longest first, then keep those that do not overlap an already kept one
    found.sort(key=lambda x: (-(x[2] - x[1]), x[1]))
    kept: list[tuple[Trigger, int, int]] = []
    for f in found:
        if all(f[2] <= k[1] or f[1] >= k[2] for k in kept):
            kept.append(f)
    kept.sort(key=lambda x: x[1])
    return [(trig, a, b, toks) for trig, a, b in kept]


# ----------------------------------------------------------------------------- actors
@dataclass(slots=True)
class Mention:
    start: int  # where the phrase naming the actor starts (a title chain starts at its first element)
    end: int
    actor: Actor
    kind: str  # PER | ORG | LOC | AGENT | PRON
    group: int | None = None  # coordinated actors share a group id
    pair: list[Actor] = field(default_factory=list)  # for "kedua negara": both actors


def _actor_from_entity(e: Entity) -> Actor:
    return Actor(e.text, e.actor or e.country, e.country, e.canonical, e.start, e.end)


def _is_place_only(e: Entity) -> bool:
    """Cities and regions are places, not actors (a country name is both)."""
    return e.type == "LOC" and not (e.actor and e.country and e.actor == e.country)


def _gap_is_title(gap: str) -> bool:
    """Only capitalised words, parentheses or nothing between two names: one title chain."""
    words = re.findall(r"[^\W\d_][\w'’.-]*", gap)
    return len(gap) < 80 and all(w[0].isupper() for w in words) and not re.search(r"[,;:]", gap)


def _agent_sector(kb: object, word: str, language: str) -> str | None:
    w = word.casefold()
    sector = kb.agent(w, language)  # type: ignore[attr-defined]
    if sector or language != "en":
        return sector
    for suffix, repl in (("ies", "y"), ("s", "")):  # "ministries", "forces"
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            sector = kb.agent(w[: -len(suffix)] + repl, language)  # type: ignore[attr-defined]
            if sector:
                return sector
    return None


# "U.S. forces", "the Afghan government", "Iranian security forces", "China's ambassador",
# "the Russian and Syrian defense ministries": a country or demonym, then up to two modifiers, then the agent
_EN_AGENT_GAP = re.compile(r"(?:['’]s)?(?:\s+[a-z][\w-]*){0,2}\s+")


def _english_agents(doc: Document, mentions: list[Mention]) -> list[Mention]:
    text = doc.text
    named = sorted((e for e in doc.entities if e.type in ("MISC", "LOC") and e.country and e.actor == e.country),
                   key=lambda e: e.start)
    from warta.kb import load_kb

    kb = load_kb()
    out = list(mentions)
    taken = SpanIndex((x.start, x.end) for x in mentions)
    # named places by end, to find the one just before a word without scanning them all
    by_end = sorted(range(len(named)), key=lambda k: named[k].end)
    ends = [named[k].end for k in by_end]

    def owners(pos: int) -> list[int]:
        """Indexes of the named places ending at most 30 characters before ``pos`` with an agent gap."""
        got = by_end[bisect_left(ends, pos - 30):bisect_right(ends, pos)]
        return sorted(k for k in got if _EN_AGENT_GAP.fullmatch(text, named[k].end, pos)
                      and not _agent_inside(kb, text[named[k].end:pos]))

    # office words after a country are agents too ("China's ambassador", "the Iranian foreign minister")
    cands = [m for m in mentions if m.kind == "AGENT" and not m.actor.country]
    titles: dict[str, str | None] = {}  # words repeat: look each up once per document
    for a, b in tokenize(text):
        word = text[a:b]
        # cheapest test first: most words have no country or demonym just before them
        if word.islower() and bisect_left(ends, a - 30) < bisect_right(ends, a) and not taken.covers(a):
            if word not in titles:
                titles[word] = kb.title(word, "en")
            sector = titles[word]
            if sector and owners(a):
                m = Mention(a, b, Actor(word, sector, None, None, a, b), "AGENT")
                cands.append(m)
                out.append(m)
    # removals are collected and applied once (a filter per candidate would be quadratic)
    dropped: set[int] = set()
    loc_dropped: set[int] = set()
    for m in sorted(cands, key=lambda x: x.start):
        found = owners(m.start)
        if not found:
            continue
        oi = found[-1]
        owner = named[oi]
        sector = m.actor.actor
        dropped.add(id(m))
        loc_dropped.add(owner.start)
        out.append(Mention(owner.start, m.end, Actor(text[owner.start:m.end], f"{owner.country}{sector}",
                                                     owner.country, None, owner.start, m.end), "AGENT"))
        # "the Russian and Syrian defense ministries": the first demonym shares the agent
        limit = owner.start
        for k in range(oi - 1, -1, -1):
            e = named[k]
            if e.end > limit:
                continue
            if text[e.end:owner.start].strip().casefold() not in ("and", ",", ", and"):
                break
            loc_dropped.add(e.start)
            out.append(Mention(e.start, e.end, Actor(e.text, f"{e.country}{sector}", e.country, None, e.start, e.end),
                               "AGENT"))
            owner = e
    out = [x for x in out if id(x) not in dropped and not (x.kind == "LOC" and x.start in loc_dropped)]
    return sorted(out, key=lambda x: x.start)


def _agent_inside(kb: object, gap: str) -> bool:
    """"Russian police arrested students": a modifier that is itself an agent or office ends the phrase."""
    return any(_agent_sector(kb, w, "en") or kb.title(w, "en")  # type: ignore[attr-defined]
               for w in re.findall(r"[a-z][\w-]*", gap))


def _prev_words(text: str, pos: int, floor: int) -> list[str]:
    """The (at most two) words right before ``pos``, folded; punctuation between counts as a word."""
    return text[max(floor, pos - 40):pos].casefold().split()[-2:]


def build_mentions(doc: Document, language: str) -> list[Mention]:
    from warta.kb import load_kb

    kb = load_kb()
    text = doc.text
    fw = function_words(language)
    ents = sorted((e for e in doc.entities if e.type in ("PER", "ORG", "LOC")), key=lambda e: (e.start, -e.end))
    # drop entities nested in a longer one ("Iran" inside "Dewan Tinggi Keamanan Nasional Iran")
    flat: list[Entity] = []
    for e in ents:
        if flat and e.start < flat[-1].end:
            continue
        flat.append(e)

    loc_words = fw.get("location", set())
    mentions: list[Mention] = []
    in_place = False  # inside "di Astana, Kazakhstan": every name of the phrase is a place
    prev_end = -1
    for e in flat:
        before = _prev_words(text, e.start, 0)
        joined = prev_end >= 0 and text[prev_end:e.start].strip() == ","
        in_place = bool(before and before[-1] in loc_words) or (in_place and joined)
        prev_end = e.end
        if in_place:
            continue
        if _is_place_only(e):
            # a capital stands for its government's country ("Teheran mendukung Assad", "kunjungan ke Moskow")
            # other places can be what is acted on ("menggempur Gaza"), never who acts
            c = kb.country(e.country) if e.country else None
            if c is None:
                continue
            capital = bool(c.capital) and c.capital.casefold() == (e.canonical or e.text).casefold()
            mentions.append(Mention(e.start, e.end, Actor(e.text, c.iso3, c.iso3, e.canonical, e.start, e.end),
                                    e.type if capital else "PLACE"))
            continue
        mentions.append(Mention(e.start, e.end, _actor_from_entity(e), e.type))

    # agent words: "tentara Suriah" (agent + country) or a bare agent ("oposisi")
    country_at = {m.start: m for m in mentions if m.kind == "LOC"}
    # an agent phrase only grows over the name after it, so the spans taken before the loop decide
    taken = SpanIndex((m.start, m.end) for m in mentions)
    followed: set[int] = set()
    spans = list(tokenize(text))
    skip_to = 0
    heads = kb.agent_heads
    sectors: dict[str, str | None] = {}  # words repeat: look each up once per document
    for i, (a, b) in enumerate(spans):
        if a < skip_to:
            continue
        # the longest agent phrase starting here: "penegak hukum", "security forces", else one word
        sector = None
        if fold(text[a:b]) in heads:
            for n in (3, 2):
                if i + n <= len(spans) and not re.search(r"[^\w\s-]", text[a:spans[i + n - 1][1]]):
                    phrase = " ".join(text[x:y] for x, y in spans[i:i + n])
                    sector = _agent_sector(kb, phrase, language)
                    if sector:
                        b = spans[i + n - 1][1]
                        break
        word = text[a:b]
        if sector is None:
            if word not in sectors:
                sectors[word] = _agent_sector(kb, word, language)
            sector = sectors[word]
        if not sector or taken.covers(a):
            continue
        skip_to = b
        nxt = re.match(r"\s+", text[b:b + 3])
        follow = country_at.get(b + (nxt.end() if nxt else 0))
        if follow is not None:
            iso = follow.actor.country
            act = Actor(text[a:follow.end], f"{iso}{sector}", iso, None, a, follow.end)
            followed.add(id(follow))
            mentions.append(Mention(a, follow.end, act, "AGENT"))
        elif word[:1].islower() and not text[max(0, a - 3):a].strip().endswith(("di", "ke")):
            mentions.append(Mention(a, b, Actor(word, sector, None, None, a, b), "AGENT"))
    mentions = [m for m in mentions if id(m) not in followed]
    mentions.sort(key=lambda m: m.start)
    if language == "en":
        mentions = _english_agents(doc, mentions)

    # title chains: ORG/LOC immediately followed by a person in a run of capitalised words
    chained: list[Mention] = []
    for m in mentions:
        if (chained and m.kind == "PER" and chained[-1].kind in ("ORG", "LOC", "PER")
                and _gap_is_title(text[chained[-1].end:m.start])):
            head = chained[-1]
            if not (m.actor.actor or m.actor.country) and head.kind != "PER" and (head.actor.actor or head.actor.country):
                # a person the KB does not know acts for the institution that titles them ("Amnesty
                # International Director Philip Luther")
                m.actor = Actor(m.actor.text, head.actor.actor or head.actor.country, head.actor.country,
                                m.actor.canonical, m.actor.start, m.actor.end)
            m.start = head.start
            chained[-1] = m
        else:
            chained.append(m)
    mentions = _affiliated(text, chained, fw.get("affiliation", set()))

    # pronouns, resolved left to right against what came before
    pron: list[Mention] = []
    taken = SpanIndex((x.start, x.end) for x in mentions)
    for role, words in (("pron_person", fw.get("pron_person", set())),
                        ("pron_country", fw.get("pron_country", set())),
                        ("pron_pair", fw.get("pron_pair", set()))):
        for w in words:
            if w.startswith("-"):
                continue
            for mm in re.finditer(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.IGNORECASE):
                if taken.covers(mm.start()):
                    continue
                pron.append(Mention(mm.start(), mm.end(), Actor(mm.group()), role))
    # "saya"/"kami" inside a direct quotation is its speaker ("Saya ingin berterima kasih kepada …")
    first = fw.get("pron_first", set())
    for q in doc.quotes:
        sp = q.speaker
        if q.kind != "direct" or sp is None or not (sp.actor or sp.country) or not first:
            continue
        for mm in re.finditer(r"(?<!\w)(" + "|".join(re.escape(w) for w in sorted(first)) + r")(?!\w)",
                              text[q.start:q.end], re.IGNORECASE):
            a = q.start + mm.start()
            if not taken.covers(a):
                pron.append(Mention(a, a + len(mm.group()), Actor(mm.group(), sp.actor, sp.country, sp.canonical,
                                                                 a, a + len(mm.group())), "PRON"))
    allm = sorted(mentions + pron, key=lambda m: m.start)
    resolved: list[Mention] = []
    last = _Antecedents()
    for m in allm:
        if m.kind.startswith("pron_"):
            ref = last.resolve(m.kind)
            if ref is None:
                continue
            if m.kind == "pron_pair":
                m.pair = ref  # type: ignore[assignment]
                first = ref[0]  # type: ignore[index]
                m.actor = Actor(m.actor.text, first.actor, first.country, first.canonical, m.start, m.end)
            else:
                r: Actor = ref  # type: ignore[assignment]
                m.actor = Actor(m.actor.text, r.actor, r.country, r.canonical, m.start, m.end)
            m.kind = "PRON"
        resolved.append(m)
        last.add(m)

    # coordination: "Iran dan Rusia", "Rusia-Iran", "pemerintah Suriah dan oposisi"
    conj = fw.get("conj", set())
    gid = 0
    for a, b in itertools.pairwise(resolved):
        gap = " ".join(w for w in text[a.end:b.start].casefold().split() if w not in ("the", "para", "pihak"))
        if gap.startswith(",") and gap[1:].strip() in conj:
            gap = gap[1:].strip()  # "Meksiko, Kanada, dan China"
        # "Rusia-Iran" is a pair; an English dash between spaces opens an aside ("with Israel - Egypt and
        # Jordan - criticised")
        dash = gap in ("-", "–") and (language != "en" or text[a.end:b.start] == gap)
        if gap in conj or dash or gap == "," or (gap == "" and text[a.end:b.start] == ""):
            if a.group is None:
                gid += 1
                a.group = gid
            b.group = a.group
            # a bare agent inherits the country of its partner ("pemerintah Suriah dan oposisi")
            for x, y in ((a, b), (b, a)):
                if x.kind == "AGENT" and x.actor.country is None and y.actor.country:
                    x.actor.country = y.actor.country
                    x.actor.actor = f"{y.actor.country}{x.actor.actor}"
    return resolved


def _affiliated(text: str, mentions: list[Mention], words: set[str]) -> list[Mention]:
    """"Sergei Lavrov of Russia", "Philip Luther of Amnesty": a person and the country or organisation
    named right after an affiliation word are one actor (so "Zarif of Iran and Lavrov of Russia" is a
    pair of people, not "Iran and Lavrov")."""
    if not words:
        return mentions
    out: list[Mention] = []
    skip: set[int] = set()
    for i, m in enumerate(mentions):
        if i in skip:
            continue
        nxt = mentions[i + 1] if i + 1 < len(mentions) else None
        if (nxt is not None and m.kind == "PER" and nxt.kind in ("LOC", "ORG")
                and text[m.end:nxt.start].strip().casefold() in words):
            own = m.actor.country is not None
            actor = m.actor if own else nxt.actor
            m = Mention(m.start, nxt.end, Actor(text[m.start:nxt.end], actor.actor, actor.country,
                                               m.actor.canonical, m.start, nxt.end), "PER")
            skip.add(i + 1)
        out.append(m)
    return out


class _Antecedents:
    """What a pronoun can refer to, kept up to date as mentions are read left to right.

    A person pronoun refers to the last person (or pronoun resolved to a known person), a country
    pronoun to the last mention with a country, "kedua negara" to the last two mentions of different
    countries. Kept in constant time per mention: a walk back per pronoun is quadratic on a long
    text without a person in it.
    """

    def __init__(self) -> None:
        self.person: Mention | None = None  # last person, or pronoun resolved to a known person
        self.country: Mention | None = None  # last mention with a country
        self.other: Mention | None = None  # last mention whose country differs from ``country``'s

    def add(self, m: Mention) -> None:
        if m.kind == "PER" or (m.kind == "PRON" and m.actor.canonical and m.actor.country):
            self.person = m
        if m.actor.country:
            if self.country is not None and self.country.actor.country != m.actor.country:
                self.other = self.country
            self.country = m

    def resolve(self, kind: str) -> Actor | list[Actor] | None:
        if kind == "pron_person":
            return self.person.actor if self.person else None
        if kind == "pron_country":
            c = self.country
            return Actor(c.actor.text, c.actor.country, c.actor.country) if c else None
        if self.country is None or self.other is None:
            return None
        return [self.other.actor, self.country.actor]


# ----------------------------------------------------------------------------- coding
def _tok_index(toks: list[Tok], pos: int) -> int:
    """Index of the first token starting at or after ``pos``."""
    return bisect_left(toks, pos, key=lambda t: t.start)


class _MentionIndex:
    """The document's actor mentions (in text order, as :func:`build_mentions` gives them), indexed once
    so that coding one trigger looks up only what is near it instead of scanning the whole document."""

    def __init__(self, mentions: list[Mention]) -> None:
        self.all = mentions
        self.spans = SpanIndex((m.start, m.end) for m in mentions)
        self.by_group: dict[int, list[Mention]] = {}
        for m in mentions:
            if m.group is not None:
                self.by_group.setdefault(m.group, []).append(m)
        self.possessors = [m for m in mentions if m.kind in ("PER", "PRON") and m.actor.country]
        self._poss_starts = [m.start for m in self.possessors]

    def in_sentence(self, s0: int, s1: int) -> list[Mention]:
        return [self.all[i] for i in sorted(self.spans.starting_in(s0, s1)) if self.all[i].end <= s1]

    def last_possessor(self, pos: int) -> Mention | None:
        """The last person (or resolved pronoun) with a country that ends at or before ``pos``."""
        i = bisect_left(self._poss_starts, pos) - 1
        while i >= 0 and self.possessors[i].end > pos:
            i -= 1
        return self.possessors[i] if i >= 0 else None


def _copy(a: Actor) -> Actor:
    return Actor(a.text, a.actor, a.country, a.canonical, a.start, a.end)


def _other_of_pair(m: Mention, source: Actor | None) -> Actor:
    if m.pair and source is not None:
        for p in m.pair:
            if p.country != source.country:
                return Actor(m.actor.text, p.actor, p.country, p.canonical, m.actor.start, m.actor.end)
    return m.actor


def _roles(trig: Trigger, ti: int, tj: int, toks: list[Tok], sent: tuple[int, int], text: str,
           mentions: _MentionIndex, language: str) -> list[tuple[Actor | None, Actor | None]]:
    """(source, target) pairs of the trigger: one, or one per member of a coordinated side of a one-way
    event ("mengenakan tarif terhadap Meksiko, Kanada, dan China" is three SANCTIONs)."""
    fw = function_words(language)
    s0, s1 = sent
    in_sent = mentions.in_sentence(s0, s1)
    t_start, t_end = toks[ti].start, toks[tj - 1].end
    clause = fw.get("clause", set())
    # the subject is looked for back to the start of the clause ("yang" right before the verb is
    # a relative clause whose subject is the noun before it, so it does not end the clause)
    lo = s0
    speech = _speech_verbs(language)
    for k in range(ti - 1, -1, -1):
        if toks[k].low in clause and not (toks[k].low == "yang" and k == ti - 1):
            lo = toks[k].end
            break
        if toks[k].low in speech and k < ti - 1:
            # "Trump menyebut beberapa negara telah menawarkan …": a reported clause has its own subject
            lo = toks[k].end
            break
        if toks[k].low in (";", ":"):
            lo = toks[k].end
            break
    # the window counts words: a stamp like "(21/02/2016)" is seven tokens but says nothing about roles
    w, words = ti, 0
    while w > 0 and words < SOURCE_WINDOW:
        w -= 1
        if any(ch.isalpha() for ch in toks[w].low):
            words += 1
    window_start = toks[w].start
    before = [m for m in in_sent if m.end <= t_start and m.start >= lo and m.end >= window_start
              and m.kind != "PLACE"]
    after = [m for m in in_sent if m.start >= t_end]
    source = target = None
    trig_word = toks[ti].low
    passive = language == "id" and trig_word.startswith("di") and len(trig_word) > 4
    if language == "en" and ti > 0 and trig_word.endswith(("ed", "en", "wn")):
        # "was arrested by police", "were killed by Israeli forces", "has been shot down"
        prev = [t.low for t in toks[max(0, ti - 3):ti]]
        passive = any(w in ("was", "were", "been", "being", "is", "are", "be", "got") for w in prev[-2:])
    # an Indonesian event noun (serangan, kunjungan, sanksi), not a verb (meN-, di-, ber-, ter-)
    noun = language == "id" and not trig_word.startswith(("me", "di", "ber", "ter", "be"))
    after_words = [t.low for t in toks[tj:tj + max(3, PARTNER_REACH)]]  # all that is read of them

    # "antara X dan Y" right after the trigger names both parties
    between = fw.get("between", set())
    if after and any(w in between for w in after_words[:3]):
        a = after[0]
        grp = [m for m in after if a.group is not None and m.group == a.group]
        if len(grp) >= 2:
            return [(_copy(grp[0].actor), _copy(grp[1].actor))]

    src_m = tgt_m = None
    if before:
        # "China's ambassador to Britain accused": a name inside a prepositional phrase is not the subject
        modifier = fw.get("modifier_prep", set())

        def inside_phrase(m: Mention) -> bool:
            first = next((x for x in before if m.group is not None and x.group == m.group), m)
            return bool(set(_prev_words(text, first.start, s0)) & modifier)

        heads = [m for m in before if not inside_phrase(m)]
        near = heads[-1] if heads else None
        if near is not None and passive and ti >= 2 and toks[ti - 1].low == "yang" and near.end < toks[ti - 2].start:
            near = None  # "Ini yang dibahas …": what the relative clause is about is the word before "yang"
        if near is not None and passive:
            target, tgt_m = near.actor, near
        elif near is not None:
            source, src_m = near.actor, near
            grp = [m for m in before if near.group is not None and m.group == near.group]
            # "Iran dan Rusia bertemu" is one pair; "Iran and Russia met Turkey" pairs each with Turkey
            obj = any(_tok_index(toks, m.start) - tj <= 1 for m in after if m.kind != "PLACE" and m.actor.country)
            if trig.plover in SYMMETRIC and len(grp) >= 2 and not obj:
                return [(_copy(grp[0].actor), _copy(grp[-1].actor))]
            if near.kind == "PRON" and near.pair and trig.plover in SYMMETRIC:
                return [(_copy(near.pair[0]), _copy(near.pair[1]))]
    # "freed three Taliban prisoners": a name inside a gapped trigger is part of its object (a possessor,
    # "seeking Assange's extradition from the UK", is not: the object is what is asked of the party after)
    if len(trig.parts) > 1 and not passive:
        skip = fw.get("location", set()) | fw.get("partner", set())  # "celebrated Eid at X with Y"
        inside = [m for m in in_sent if m.start >= toks[ti].end and m.end <= t_end and m.kind != "PLACE"
                  and m.actor.country and not text[m.end:m.end + 2].startswith(("'s", "’s"))
                  and not set(_prev_words(text, m.start, toks[ti].end)[-1:]) & skip
                  and (source is None or (m.actor.actor or m.actor.country) != (source.actor or source.country))]
        if inside:
            target, tgt_m = _other_of_pair(inside[0], source), inside[0]
    if source is None and not passive and trig_word.endswith("nya"):
        # "kontak telefonnya": the possessor is the last person
        m = mentions.last_possessor(t_start)
        if m is not None:
            source = Actor(toks[tj - 1].low and text[toks[ti].start:toks[tj - 1].end], m.actor.actor,
                           m.actor.country, m.actor.canonical)

    partner, agent_words = fw.get("partner", set()), fw.get("passive_agent", set())
    location = fw.get("location", set())
    # "membahas kondisi di Suriah dengan mitranya Presiden Iran …": the partner word may come after the
    # object, but not past the end of the clause
    pidx = None
    nword = 0  # words (not punctuation) before the partner word
    for w in after_words[:PARTNER_REACH]:
        if w in partner:
            pidx = nword
            break
        if w in clause or w in (",", ";", ":", ".", "yang", "which", "who"):
            break
        if any(ch.isalpha() for ch in w):
            nword += 1
    quantity = fw.get("quantity", set())
    complementizers = fw.get("complementizer", set())
    k, counted = 0, tj  # counted incrementally: ``after`` is in text order
    for m in after:
        # tokens between trigger end and the mention, quantities aside ("lebih dari 37.000 warga")
        upto = _tok_index(toks, m.start)
        for t in toks[counted:upto]:
            if (t.low not in quantity and not t.low.replace(".", "").replace(",", "").isdigit()
                    and t.low not in (".", ",")):
                k += 1
        counted = max(counted, upto)
        kraw = upto - tj  # raw tokens
        kword = sum(1 for t in toks[tj:upto] if any(ch.isalpha() for ch in t.low))  # words, as pidx counts
        if k > OBJECT_WINDOW and (pidx is None or kword > pidx + 4) and not (passive and source is None):
            break
        prev = _prev_words(text, m.start, s0)
        prev_word = prev[-1] if prev else ""
        if (prev_word in complementizers and not (passive and source is None)
                and any(t.low == "," for t in toks[tj:upto])):
            # "offering concessions, for fear that he will …": past a comma, a that-clause belongs to another
            # phrase and its subject is not the trigger's object ("allowed that Mordor …", "alleging that
            # Trump …" keep theirs)
            break
        if prev_word in location or (src_m is not None and src_m.group is not None and m.group == src_m.group):
            continue
        # "diserang oleh Rusia", and with the agent right after the verb, "yang diperantarai Rusia dan Turki"
        if passive and source is None and (prev_word in agent_words or k == 0):
            source, src_m = m.actor, m
            continue
        # a noun trigger's possessor is its agent: "serangan udara AS", "kunjungan Putin ke Suriah"
        # ("bantuan udara Rusia": one modifier word may stand between the noun and its possessor)
        if (noun and (k == 0 or (kraw == 1 and prev_word.isalpha() and prev_word.islower()
                                 and prev_word not in location and prev_word not in quantity))
                and prev_word not in partner and m.kind != "PLACE"
                and not (m.group is not None and trig.plover in SYMMETRIC)):
            if source is not None and _key(source) != _key(m.actor):
                target, tgt_m = source, src_m
            source, src_m = m.actor, m
            if target is not None:
                break
            continue
        if target is None and (k <= OBJECT_WINDOW or (pidx is not None and pidx < kword <= pidx + 4)):
            target, tgt_m = _other_of_pair(m, source), m
            if m.group is not None:
                grp = [x for x in after if x.group == m.group]
                # "kerja sama Teheran-Moskow": a pair right after a symmetric noun names both parties
                if trig.plover in SYMMETRIC and len(grp) >= 2 and (source is None or (k == 0 and noun)):
                    return [(_copy(grp[0].actor), _copy(grp[1].actor))]
                if source is not None:
                    # "X … kerja sama Rusia-Iran": the partner is the member that is not X
                    other = [x for x in grp if x.actor.country != source.country]
                    if other:
                        target = other[0].actor
                        if trig.plover in SYMMETRIC and len(other) < len(grp):
                            tgt_m = None  # the source is one of the pair: the other member is the partner
        if target is not None and (source is not None or not passive):
            break
    srcs = _members(src_m, mentions) if source is not None and src_m is not None else [source]
    tgts = _members(tgt_m, mentions) if target is not None and tgt_m is not None else [target]
    pairs = [(None if a is None else _copy(a), None if b is None else _copy(b)) for a in srcs for b in tgts
             if a is None or b is None or _key(a) != _key(b)]
    return pairs or [((None if source is None else _copy(source)), (None if target is None else _copy(target)))]


@lru_cache(maxsize=4)
def event_references(language: str) -> dict[str, str]:
    """Nouns that refer back to an earlier event ("these accusations" -> ACCUSE), from lang/event_references.tsv."""
    return {r["word"].casefold(): r["refers_to"] for r in read_table("lang/event_references.tsv")
            if r["language"] == language}


def _referred_type(toks: list[Tok], tj: int, refs: dict[str, str], dets: set[str]) -> str | None:
    """The event type a noun right after the trigger refers back to ("rejected these accusations",
    "membantah tuduhan tersebut"). A determiner must mark it as known: "deny accusations of brutality"
    names new accusations."""
    for k in range(tj, min(tj + 3, len(toks))):
        t = toks[k]
        if t.low in refs:
            marked = any(x.low in dets for x in toks[tj:k]) or (k + 1 < len(toks) and toks[k + 1].low in dets)
            return refs[t.low] if marked else None
        if not t.low.isalpha():
            return None
    return None


def _resolve_references(raw: list[Event], referring: dict[int, str]) -> list[Event]:
    """Targetless events whose object refers back to an earlier event ("The Pentagon rejected these
    accusations") are directed at that event's sources: one event per source of the latest sentence
    that reported an event of the referred type."""
    latest: dict[str, list[Event]] = {}
    out: list[Event] = []
    for ev in raw:
        rt = referring.get(id(ev))
        if rt is not None and ev.target is None:
            srcs = [p.source for p in latest.get(rt, []) if p.source is not None]
            seen: set[str] = set()
            for a in srcs:
                if _key(a) in seen or (ev.source is not None and _key(a) == _key(ev.source)):
                    continue
                seen.add(_key(a))
                out.append(replace(ev, target=_copy(a), source=_copy(ev.source) if ev.source else None))
            if seen:
                continue
        out.append(ev)
        prev = latest.get(ev.type)
        if prev and prev[0].sentence.start == ev.sentence.start:
            prev.append(ev)
        else:
            latest[ev.type] = [ev]
    return out


@lru_cache(maxsize=4)
def _speech_verbs(language: str) -> frozenset[str]:
    """Speech verbs that introduce a reported clause ("mengatakan", "menyebut", "said"), and "bahwa"/"that"."""
    from warta.extract.quotes import cues

    words = {w for w, c in cues(language).items() if c.kind == "verb" and c.position in ("before", "both")}
    return frozenset(words | {"bahwa", "that"})


def _members(m: Mention, mentions: _MentionIndex) -> list[Actor]:
    """The actors coordinated with ``m`` ("Meksiko, Kanada, dan China"), one per distinct actor, in order."""
    if m.group is None:
        return [m.actor]
    out: list[Actor] = []
    for x in mentions.by_group.get(m.group, []):
        if all(_key(x.actor) != _key(o) for o in out):
            out.append(x.actor)
    return out[:4] or [m.actor]


def _location(doc: Document, sent: tuple[int, int], language: str, places: SpanIndex | None = None) -> Place | None:
    """``places``: a :class:`SpanIndex` of ``doc.entities`` (built once per document by the caller)."""
    from warta.kb import load_kb

    kb = load_kb()
    loc_words = function_words(language).get("location", set())
    best = None
    places = places or SpanIndex((e.start, e.end) for e in doc.entities)
    for i in sorted(places.starting_in(sent[0], sent[1])):
        e = doc.entities[i]
        if e.type != "LOC":
            continue
        prev = _prev_words(doc.text, e.start, sent[0])
        after_place = best is not None and doc.text[best.end:e.start].strip() == ","
        if ((prev and prev[-1] in loc_words) or after_place) and best is None:
            best = e
    if best is None:
        return doc.dateline.place if doc.dateline else None
    place = kb.place(best.canonical or best.text)
    return place or Place(best.canonical or best.text, best.country)


def _claims(doc: Document) -> list[tuple[int, int, str]]:
    out = []
    for q in doc.quotes:
        if q.speaker is not None:
            out.append((q.start, q.end, q.speaker.canonical or q.speaker.text))
    return out


def _key(a: Actor | None) -> str:
    return "" if a is None else (a.country or a.actor or a.text).upper()


def code_events(doc: Document, language: str | None = None) -> list[Event]:
    language = language or doc.language or "id"
    if language not in ("id", "en"):
        return []
    text = doc.text
    sents = doc.sentences or split_sentences(text)
    mentions = _MentionIndex(build_mentions(doc, language))
    claims = _claims(doc)
    # everything looked up per trigger is indexed once: scans per trigger are quadratic on long texts
    claim_at = SpanIndex((qs, qe) for qs, qe, _ in claims)
    places = SpanIndex((e.start, e.end) for e in doc.entities)
    fw = function_words(language)
    negation, future = fw.get("negation", set()), fw.get("future", set())
    dated = [(d.start, d.value) for d in doc.dates if d.value]
    date_at = SpanIndex((p, p + 1) for p, _ in dated)

    # words of a name are not triggers: "Tengah" in "Timur Tengah", "Pengadilan" in a court's name
    named = SpanIndex((e.start, e.end) for e in doc.entities if e.type in ("PER", "ORG", "LOC"))
    verb_conj = fw.get("verb_conj", set())
    refs = event_references(language)
    referring: dict[int, str] = {}  # id(event) -> the type of the earlier event its object refers to
    raw: list[Event] = []
    for sent in sents:
        check_deadline()  # a clean stop point for the per-document time limit
        last_source: Actor | None = None
        in_sent = date_at.starting_in(sent[0], sent[1])
        sent_date = dated[min(in_sent)][1] if in_sent else None
        for trig, ti, tj, toks in find_triggers(text, sent[0], sent[1], language):
            if named.covers(toks[ti].start):
                continue
            # "Pezeshkian memuji peran Rusia … serta mendukung integritas Suriah": the coordinated verb
            # shares the subject of the verb before it
            shared = last_source if ti > 0 and toks[ti - 1].low in verb_conj else None
            for source, target in _roles(trig, ti, tj, toks, sent, text, mentions, language):
                if shared is not None:
                    source = _copy(shared)
                    if target is not None and _key(target) == _key(source):
                        continue
                if source is not None:
                    last_source = source
                code = ontology.cameo(trig.cameo)
                t0, t1 = toks[ti].start, toks[tj - 1].end
                pre = [t.low for t in toks[max(0, ti - 3):ti]]
                ev = Event(
                    type=trig.plover, cameo=trig.cameo, trigger=Span(t0, t1, text[t0:t1]),
                    sentence=Span(sent[0], sent[1], ""), source=source, target=target,
                    goldstein=code.goldstein if code else None, quad_class=code.quad_class if code else None,
                    negated=any(w in negation for w in pre),
                    mode="future" if any(w in future for w in pre) else None,
                )
                ev.date = sent_date
                ev.location = _location(doc, sent, language, places)
                # a bare agent ("police", "pemerintah") belongs to where the event happens, else to the
                # other party's country ("Prabowo meminta para penegak hukum": Indonesia's)
                where = ev.location.country if ev.location else None
                for a, other in ((ev.source, ev.target), (ev.target, ev.source)):
                    home = where or (other.country if other is not None else None)
                    if (home and a is not None and a.country is None and a.actor and len(a.actor) == 3
                            and a.actor not in TRANSNATIONAL):
                        a.country, a.actor = home, home + a.actor
                holders = claim_at.holding(t0)
                if holders:
                    ev.claimed_by = claims[max(holders)][2]  # the last quotation holding the trigger
                if target is None:
                    rt = _referred_type(toks, tj, refs, fw.get("determiner", set()))
                    if rt is not None:
                        referring[id(ev)] = rt
                raw.append(ev)
    raw = _resolve_references(raw, referring)

    pair_words = fw.get("pron_pair", set())
    last_pair: tuple[Actor, Actor] | None = None
    for ev in raw:
        s_pair = ev.source is not None and ev.source.text.casefold() in pair_words
        t_pair = ev.target is not None and ev.target.text.casefold() in pair_words
        if last_pair and s_pair:
            ev.source, ev.target = _copy(last_pair[0]), _copy(last_pair[1])
        elif last_pair and t_pair and ev.source is not None:
            other = [a for a in last_pair if a.country != ev.source.country]
            if other:
                ev.target = Actor(ev.target.text, other[0].actor, other[0].country, other[0].canonical,
                                  ev.target.start, ev.target.end)
        if (ev.source and ev.target and ev.source.country and ev.target.country
                and ev.source.country != ev.target.country and not (s_pair or t_pair)):
            last_pair = (ev.source, ev.target)

    # a date said elsewhere for the same kind of event at the same place ("talks in Astana began Tuesday"):
    # the first dated event of that type and place
    said: dict[tuple[str, str], str] = {}
    for ev in raw:
        if ev.date and ev.location:
            said.setdefault((ev.type, ev.location.name), ev.date)
    # else the nearest date the text states around the sentence: news gives the day once, just before
    # or after the sentences about it ("Prabowo meminta … . … di Istana Negara, Senin (20/10)"); else
    # the publication date
    positions = sorted(p for p, _ in dated)
    value_at = dict(dated)
    for ev in raw:
        if ev.date is None and ev.location is not None:
            ev.date = said.get((ev.type, ev.location.name))
        if ev.date is None:
            k = bisect_left(positions, ev.sentence.start)
            near = [(abs(p - ev.sentence.start), value_at[p]) for p in positions[max(0, k - 1):k + 1]
                    if abs(p - ev.sentence.start) <= DATE_REACH]
            near = [(d, v) for d, v in near if not doc.published or v <= doc.published]
            if near:
                ev.date = min(near)[1]
        if ev.date is None:
            ev.date = doc.published

    coded = [ev for ev in raw if _codable(ev)]
    coded += list(_derived_accusations(coded, doc))
    return _merge(coded)


def _codable(ev: Event) -> bool:
    if ev.source is None or not (ev.source.actor or ev.source.country):
        return False
    if ev.target is None:
        # "media" protesting at no one says nothing; "protesters in Tehran" do
        return ev.type in TARGETLESS_OK and ev.source.country is not None
    if not (ev.target.actor or ev.target.country):
        return False
    # an actor does not act on itself; two sectors of one country may ("pemerintah" vs "oposisi")
    s, t = ev.source, ev.target
    if s.country and s.country == t.country:
        sec_s, sec_t = (s.actor or "")[3:], (t.actor or "")[3:]
        if not (sec_s and sec_t):
            # a non-state group against its own country ("Hamas mengancam Palestina") is an event
            return bool({sec_s, sec_t} & NON_STATE)
        return sec_s != sec_t
    return (s.actor or s.country) != (t.actor or t.country)


def _derived_accusations(events: list[Event], doc: Document) -> Iterable[Event]:
    """A speaker who alleges that X attacked or coerced accuses X (PLOVER ACCUSE)."""
    speakers = {e.canonical: e for e in doc.entities if e.canonical}
    for ev in events:
        if not ev.claimed_by or ev.quad_class != 4 or ev.source is None:
            continue
        who = speakers.get(ev.claimed_by)
        if who is None or not (who.actor or who.country) or who.country == ev.source.country:
            continue
        code = ontology.cameo("112")
        yield Event(
            type=code.plover if code and code.plover else "ACCUSE", cameo="112",
            trigger=ev.trigger, sentence=ev.sentence,
            source=Actor(who.text, who.actor, who.country, who.canonical),
            target=_copy(ev.source), goldstein=code.goldstein if code else None,
            quad_class=code.quad_class if code else None, date=ev.date, location=ev.location,
            mode="derived",
        )


def _merge(events: list[Event]) -> list[Event]:
    """One event per (type, source, target); symmetric types ignore direction."""
    out: dict[tuple[str, ...], Event] = {}
    for ev in events:
        a, b = _key(ev.source), _key(ev.target)
        key = (ev.type, *sorted((a, b))) if ev.type in SYMMETRIC else (ev.type, a, b)
        first = out.get(key)
        if first is None:
            out[key] = ev
        else:
            first.mentions.append(ev.trigger)
            if first.date is None:
                first.date = ev.date
    return list(out.values())

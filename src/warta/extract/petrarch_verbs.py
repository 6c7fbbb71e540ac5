"""Read PETRARCH verb dictionaries and turn what warta's flat trigger format can express into trigger rows.

Both dialects are read: PETRARCH 1 (the validation suite's ``PETR.Validate.verbs.txt``, TABARI heritage)
and PETRARCH 2 (``CAMEO.2.0.txt``). What the files hold (see PETRARCH's ``PETRreader.read_verb_dictionary``):

* comments: lines starting with ``#`` or ``<!``, ``<!-- ... -->`` over one or several lines, and
  everything after a ``#``;
* synsets: ``&LABEL`` then ``+word`` / ``+two_words`` lines; a label written ``&LABEL_`` is used as
  ``&LABEL``; a member may itself be a synset;
* verb blocks: ``--- NAME [code] ---`` (``[---]`` or no code: the bare verb codes nothing), then verb
  lines: ``BREAK {BROKE BROKEN}`` (irregular forms), ``ASK [020]`` (the verb's own code),
  ``+BREAK_DOWN {+BROKE_DOWN}`` / ``WIRE_+TAP`` (multi-word verbs, ``+`` marks the verb word);
* patterns: ``- WORDS * WORDS [code]``: ``*`` is the verb; ``_`` joins consecutive words and a space
  lets other words sit between (PETRARCH 1); ``(PREP NOUN)`` and ``{MODIFIER HEAD}`` are phrases
  (PETRARCH 2); ``$`` source, ``+`` target, ``%`` compound actor, ``^`` skip a noun phrase,
  ``&LABEL`` any member of a synset; ``[032:033]`` codes an event and its reverse; the block's
  patterns belong to every verb of the block;
* ``~`` lines (PETRARCH 2 verb transformations).

warta's trigger rows (``data/triggers/en.tsv``) are token sequences with ``...`` gaps of up to 4 tokens;
the coder finds the source before the trigger and the target after it. So a pattern becomes its words
around each form of each verb, a space (a PETRARCH gap) becomes ``...``; ``$``/``+``/``%``/``^`` in their
usual places (source before the verb, target after) become gaps. What cannot be expressed is skipped and
counted: a target before the verb or a source after it (the coder cannot swap roles), null codes
(``[---]``: a pattern that suppresses an event), reverse-only codes (``[:173]``), codes that are no
CAMEO code, undefined synsets, transformations. Of a paired code only the first event is kept (counted).
English regular inflections are not written out: warta matches on roots (``warta.nlp.morph``); an
irregular form that shares no root with its verb (``broke``) becomes rows of its own.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from warta import ontology
from warta.nlp.morph import same_word

GAP = ontology.GAP_TOKEN
COLUMNS = ("pattern", "cameo", "plover", "example", "note")
MAX_EXPANSION = 64  # synset alternatives kept per pattern and verb form
_CODE_RE = re.compile(r"^\d{2,4}[A-Za-z]?$")  # 041, 1721, and the suite's lettered variants (174K)
_BRACKET_RE = re.compile(r"\[([^\]]*)\]")
_MARKERS = {"$": "source", "+": "target", "%": "compound", "^": "skip"}


@dataclass(slots=True)
class Item:
    """One element of a pattern: a word, a synset label, the verb ``*`` or an actor marker."""

    kind: str  # word | syn | verb | source | target | compound | skip
    text: str = ""
    joined: bool = False  # True: consecutive with the item before (``_``); False: a gap may sit between


@dataclass(slots=True)
class Pattern:
    items: list[Item]
    code: str
    line: int


@dataclass(slots=True)
class Verb:
    words: tuple[str, ...]
    forms: list[tuple[str, ...]]  # irregular forms from {...}
    code: str | None  # the verb's own code, else the block's
    line: int


@dataclass(slots=True)
class Block:
    name: str
    code: str
    line: int
    verbs: list[Verb] = field(default_factory=list)
    patterns: list[Pattern] = field(default_factory=list)


@dataclass(slots=True)
class VerbDictionary:
    blocks: list[Block] = field(default_factory=list)
    synsets: dict[str, list[list[Item]]] = field(default_factory=dict)
    skipped: Counter = field(default_factory=Counter)


@dataclass
class ConvertResult:
    rows: list[dict[str, str]] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)  # reason -> patterns/verbs not converted
    notes: Counter = field(default_factory=Counter)  # kept, but something was dropped or approximated


# ----------------------------------------------------------------------------------- reading
def dictionary_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, text) of the meaningful lines of a PETRARCH dictionary, comments removed."""
    in_comment = False
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw
        if in_comment:
            if "-->" not in line:
                continue
            line = line.split("-->", 1)[1]
            in_comment = False
        while "<!--" in line:
            head, _, rest = line.partition("<!--")
            if "-->" in rest:
                line = head + rest.split("-->", 1)[1]
            else:
                line, in_comment = head, True
        if line.lstrip().startswith(("#", "<!")):
            continue
        line = line.split("#", 1)[0].rstrip()
        if line.strip():
            yield n, line


def _words(phrase: str) -> tuple[str, ...]:
    """``WIRE_+TAP`` -> ('wire', 'tap'); ``RE_+ARREST`` -> ('re-arrest',) as warta tokenises 're-arrest'."""
    parts = [p for p in re.split(r"[_\s]+", phrase.replace("+", "")) if p]
    out: list[str] = []
    for p in parts:
        if out and out[-1] == "re":
            out[-1] = "re-" + p.casefold()
            continue
        out.extend(ontology.text_words(p))
    return tuple(out)


def _pattern_items(body: str) -> list[Item]:
    body = body.replace("_ ", " ")  # PETRARCH 1: "XXXX_ " is an open match
    items: list[Item] = []
    for chunk in body.split():
        for k, part in enumerate(chunk.split("_")):
            part = part.strip("(){}")
            if not part:
                continue
            joined = k > 0 and bool(items)
            if part == "*":
                items.append(Item("verb", "*", joined))
            elif part in _MARKERS:
                items.append(Item(_MARKERS[part], part, joined))
            elif part.startswith("&"):
                items.append(Item("syn", part.rstrip("_").upper(), joined))
            else:
                items.append(Item("word", part, joined))
    return items


def _split_code(line: str) -> tuple[str, str | None]:
    """(text before the last [...], its content); content None when there is no bracket."""
    found = list(_BRACKET_RE.finditer(line))
    if not found:
        return line, None
    m = found[-1]
    return line[: m.start()], m.group(1).strip()


def parse_verb_dictionary(text: str) -> VerbDictionary:
    d = VerbDictionary()
    block: Block | None = None
    synset: str | None = None
    for n, line in dictionary_lines(text):
        s = line.strip()
        if s.startswith("---"):
            synset = None
            inner = s.strip("-").strip()
            codes = _BRACKET_RE.findall(inner)
            name = inner.split("[", 1)[0].strip()
            block = Block(name, (codes[0].strip() if codes else "") or "---", n)
            d.blocks.append(block)
        elif s.startswith("&"):
            synset = s.split()[0].rstrip("_").upper()
            d.synsets.setdefault(synset, [])
        elif s.startswith("+") and synset is not None:
            member = s[1:].strip()
            d.synsets[synset].append(_pattern_items(member.rstrip("_").replace(" ", "_")))
        elif s.startswith("~"):
            d.skipped["verb transformation (~ line)"] += 1
        elif s.startswith("-"):
            synset = None
            if block is None:
                d.skipped["pattern outside a verb block"] += 1
                continue
            body, code = _split_code(s[1:])
            block.patterns.append(Pattern(_pattern_items(body), code if code is not None else "", n))
        else:
            synset = None
            if block is None:
                d.skipped["line outside a verb block"] += 1
                continue
            body, code = _split_code(s)
            forms_text = ""
            if "{" in body:
                body, _, rest = body.partition("{")
                forms_text = rest.split("}", 1)[0]
            words = _words(body.strip())
            if not words:
                continue
            forms = [f for f in (_words(x) for x in forms_text.split()) if f]
            block.verbs.append(Verb(words, forms, code, n))
    return d


# ----------------------------------------------------------------------------------- converting
def _expand(items: list[Item], synsets: dict[str, list[list[Item]]], depth: int = 0) -> list[list[Item]] | None:
    """Every synset-free version of ``items``; None when a synset is undefined (or nests too deep)."""
    options: list[list[list[Item]]] = []
    for it in items:
        if it.kind != "syn":
            options.append([[it]])
            continue
        members = synsets.get(it.text)
        if members is None or depth > 3:
            return None
        alts: list[list[Item]] = []
        for m in members:
            sub = _expand(m, synsets, depth + 1)
            if sub is None:
                return None
            for alt in sub:
                if alt:
                    alts.append([Item(alt[0].kind, alt[0].text, it.joined), *alt[1:]])
        if not alts:
            return None
        options.append(alts)
    out: list[list[Item]] = []
    for combo in itertools.product(*options):
        out.append([x for part in combo for x in part])
        if len(out) > MAX_EXPANSION:
            break
    return out


def _tokens(items: list[Item], verb: tuple[str, ...]) -> list[str]:
    """warta pattern tokens: words in order, ``...`` where PETRARCH allows words in between."""
    out: list[str] = []
    for it in items:
        if it.kind in ("source", "target", "compound", "skip"):
            if out and out[-1] != GAP:
                out.append(GAP)
            continue
        if out and out[-1] != GAP and not it.joined:
            out.append(GAP)
        out.extend(verb if it.kind == "verb" else ontology.text_words(it.text.replace("_", " ")))
    while out and out[-1] == GAP:
        out.pop()
    while out and out[0] == GAP:
        out.pop(0)
    return out


def _verb_forms(v: Verb) -> list[tuple[str, ...]]:
    """The verb and those irregular forms warta's root matching would not find from it."""
    forms = [v.words]
    for f in v.forms:
        if len(f) == len(v.words) and all(same_word(a, b, "en") for a, b in zip(f, v.words, strict=True)):
            continue
        if f not in forms:
            forms.append(f)
    return forms


def _code(raw: str, res: ConvertResult, raw_codes: bool) -> tuple[str, str] | None:
    """(cameo, plover) for a dictionary code, or None (and a counted reason) when it codes no event."""
    first, colon, second = raw.partition(":")
    first = first.strip()
    if first in ("", "---") and not colon:
        res.skipped["null code [---] (codes no event)"] += 1
        return None
    if not first:
        res.skipped["reverse event only ([:code])"] += 1
        return None
    if not _CODE_RE.match(first):
        res.skipped["not a CAMEO code"] += 1
        return None
    known = ontology.cameo(first)
    plover = known.plover if known else ""
    if not plover and not raw_codes:
        res.skipped["no PLOVER type (CAMEO 01/02, or an unknown code)"] += 1
        return None
    if colon and second.strip() not in ("", "---"):
        res.notes["paired code: reverse event dropped"] += 1
    return (first if raw_codes or known is None else known.code), plover


def convert(d: VerbDictionary, *, source: str = "", raw_codes: bool = False,
            known_patterns: Iterable[str] = (), patterns: bool = True) -> ConvertResult:
    """Trigger rows (``pattern, cameo, plover, example, note``) for a parsed verb dictionary.

    ``raw_codes`` keeps each code as written (``174K``, the suite's WEIS-era codes) and rows without a PLOVER
    type (plover empty); otherwise codes become the nearest CAMEO code of warta's ontology and rows without a
    PLOVER type are skipped. A pattern already in ``known_patterns`` (or met earlier) is not written again:
    PETRARCH lists specific patterns first, so the first code of a pattern is kept. ``patterns=False`` writes
    the verbs alone (each with its own or its block's code).
    """
    res = ConvertResult()
    res.skipped.update(d.skipped)
    seen = {p.casefold() for p in known_patterns}

    def emit(tokens: list[str], code: tuple[str, str], block: Block, line: int) -> None:
        pattern = " ".join(tokens)
        if not tokens or any("\t" in t for t in tokens):
            res.skipped["empty pattern"] += 1
            return
        if pattern.casefold() in seen:
            res.notes["duplicate pattern (first kept)"] += 1
            return
        seen.add(pattern.casefold())
        note = f"PETRARCH {source}:{line} {block.name}".strip()
        res.rows.append({"pattern": pattern, "cameo": code[0], "plover": code[1], "example": "", "note": note})

    for block in d.blocks:
        for v in block.verbs:
            raw = v.code if v.code is not None else block.code
            code = _code(raw, res, raw_codes)
            if code is None:
                continue
            for form in _verb_forms(v):
                emit(list(form), code, block, v.line)
        for p in block.patterns if patterns else ():
            verbs = [i for i, it in enumerate(p.items) if it.kind == "verb"]
            if len(verbs) != 1:
                res.skipped["pattern without exactly one *"] += 1
                continue
            vi = verbs[0]
            if any(it.kind == "target" for it in p.items[:vi]) or any(it.kind == "source" for it in p.items[vi:]):
                res.skipped["target before the verb or source after it (roles the coder cannot swap)"] += 1
                continue
            code = _code(p.code, res, raw_codes)
            if code is None:
                continue
            if any(it.kind == "compound" for it in p.items):
                res.notes["compound actor % dropped (coordination left to the coder)"] += 1
            expanded = _expand(p.items, d.synsets)
            if expanded is None:
                res.skipped["undefined synset"] += 1
                continue
            if len(expanded) > MAX_EXPANSION:
                res.notes[f"synset expansion cut at {MAX_EXPANSION}"] += 1
                expanded = expanded[:MAX_EXPANSION]
            if not block.verbs:
                res.skipped["pattern of a block without verbs"] += 1
                continue
            for v in block.verbs:
                for form in _verb_forms(v):
                    for items in expanded:
                        emit(_tokens(items, form), code, block, p.line)
    return res


def import_verbs(path: str | Path, *, raw_codes: bool = False, known_patterns: Iterable[str] = (),
                 patterns: bool = True) -> ConvertResult:
    p = Path(path)
    d = parse_verb_dictionary(p.read_text(encoding="utf-8", errors="replace"))
    return convert(d, source=p.name, raw_codes=raw_codes, known_patterns=known_patterns, patterns=patterns)


# ----------------------------------------------------------------------------------- writing
def write_tsv(path: Path, columns: Iterable[str], rows: list[dict[str, str]], header: Iterable[str] = (),
              key: str | None = None) -> int:
    """Append ``rows`` to an overlay TSV, creating it (comment lines, then the column header) when missing.

    With ``key``, rows whose ``key`` value (case-folded) is already in the file are left out: a second import
    adds nothing. Returns the number of rows written."""
    cols = list(columns)
    existing: set[str] = set()
    if path.is_file():
        from warta.resources import parse_tsv

        old = parse_tsv(path.read_text(encoding="utf-8"), str(path))
        if old and set(cols) - set(old[0]):
            raise ValueError(f"{path}: its header lacks column(s) {sorted(set(cols) - set(old[0]))}")
        if key:
            existing = {r[key].casefold() for r in old}
        prefix: list[str] = []
        if not path.read_text(encoding="utf-8").endswith("\n") and path.stat().st_size:
            prefix.append("")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        prefix = [f"# {h}" for h in header] + ["\t".join(cols)]
    new = [r for r in rows if not key or r[key].casefold() not in existing]
    lines = prefix + ["\t".join(r.get(c, "").replace("\t", " ") for c in cols) for r in new]
    with path.open("a", encoding="utf-8") as f:
        f.write("\n".join(lines) + ("\n" if lines else ""))
    return len(new)


def write_triggers(folder: str | Path, rows: list[dict[str, str]], source: str = "") -> tuple[Path, int]:
    """Append trigger rows to ``folder/triggers/en.tsv`` (the overlay ``WARTA_DATA_PATH`` reads)."""
    path = Path(folder) / "triggers" / "en.tsv"
    header = [f"English triggers imported from the PETRARCH verb dictionary {source} by warta import-petrarch-verbs.",
              "Same columns as the shipped triggers/en.tsv; rows are appended after it. No examples: the",
              "note column gives the dictionary line each row comes from."]
    return path, write_tsv(path, COLUMNS, rows, header, key="pattern")


def run_cli(verbs: str, *, out: str | None = None, agents: str | None = None, raw_codes: bool = False,
            dry_run: bool = False, patterns: bool = True) -> int:
    """``warta import-petrarch-verbs``: write the overlay rows, report what was skipped on stderr."""
    import sys

    from warta.kb.overlay import OverlayError, overlay_dir
    from warta.resources import read_table

    def report(name: str, n: int, skipped: Counter, notes: Counter) -> None:
        print(f"{name}: {n} rows", file=sys.stderr)
        for why, k in sorted(skipped.items()):
            print(f"  skipped {k}: {why}", file=sys.stderr)
        for why, k in sorted(notes.items()):
            print(f"  note {k}: {why}", file=sys.stderr)

    try:
        folder = None if dry_run else overlay_dir(out)
        # patterns warta already has (shipped or an earlier overlay) stay as they are: equal patterns tie
        res = import_verbs(verbs, raw_codes=raw_codes, patterns=patterns,
                           known_patterns=(r["pattern"] for r in read_table("triggers/en.tsv")))
        agent_rows = None
        if agents:
            from warta.kb import load_kb
            from warta.kb.petrarch_agents import convert_agents

            agent_rows = convert_agents(Path(agents).read_text(encoding="utf-8", errors="replace"), known=load_kb().agents)
    except (OverlayError, OSError, ValueError) as exc:
        print(f"warta: {exc}", file=sys.stderr)
        return 2
    report(verbs, len(res.rows), res.skipped, res.notes)
    if agent_rows is not None:
        report(str(agents), len(agent_rows.rows), agent_rows.skipped, agent_rows.notes)
    if folder is None:
        for r in res.rows[:20]:
            print("\t".join(r[c] for c in COLUMNS))
        return 0
    path, n = write_triggers(folder, res.rows, Path(verbs).name)
    print(f"appended {n} rows to {path}")
    if agent_rows is not None:
        apath = folder / "kb" / "agents.tsv"
        n = write_tsv(apath, ("word", "language", "sector"), agent_rows.rows,
                      [f"agents imported from the PETRARCH agent dictionary {Path(str(agents)).name}",
                       "by warta import-petrarch-verbs --agents; rows are appended after the shipped kb/agents.tsv."],
                      key="word")
        print(f"appended {n} rows to {apath}")
    return 0

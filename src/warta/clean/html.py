"""HTML page → article text and metadata: trafilatura plus news-aware repair.

Stages (each measured with ``benchmarks/bench_html_extraction.py``):

1. trafilatura's default extraction (its best balance; on English pages it is
   the published state of the art) and its metadata (title, date, site,
   author, canonical URL).
2. Failed-extraction check: on photo/gallery pages and some templates
   trafilatura returns the "latest news" list, dates and menus with the
   article's one or two paragraphs buried inside. When prose lines carry
   less than ``MIN_PROSE_SHARE`` of the text and links at least
   ``MIN_LINK_SHARE`` of it, keep only the densest cluster of prose lines.
3. Lead recovery: Indonesian templates often put the first paragraph(s) in a
   separate element that the default run drops (kompas, kapanlagi). The
   ``favor_recall`` run finds them; prose paragraphs of the recall output that
   directly precede or follow the default output's block are added back.
4. ``clean_text`` removes the remaining furniture (markers, trailing blocks,
   editor codes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.etree
import lxml.html
import trafilatura

from warta.clean.boilerplate import clean_text, is_prose

# Stage 2: share of non-blank characters in prose lines below which an
# extraction is treated as a link/teaser list (measured: good article
# extractions are > 0.8; the gallery pages in gold/html are < 0.3).
MIN_PROSE_SHARE = 0.5
# ... and when at least this share of its characters is link text: tables,
# calendars and lists that are the article have little (English pages of the
# ScrapingHub set: <= 0.18; the failed Indonesian gallery pages: >= 0.37).
MIN_LINK_SHARE = 0.3
# Stage 3: how many recall-only prose paragraphs may be added on each side.
MAX_EXTEND = 6

_WS = re.compile(r"\s+")
_TITLE_SEP = re.compile(r"\s+[-|–—:»]\s+")


@dataclass(slots=True)
class HtmlResult:
    text: str
    title: str | None = None
    published: str | None = None
    site: str | None = None
    author: str | None = None
    url: str | None = None
    language: str | None = None
    boilerplate: list[str] = field(default_factory=list)
    source_code: str | None = None
    recovered: str | None = None  # which repair stage changed trafilatura's text, if any


def _lines(text: str | None) -> list[str]:
    """Trafilatura output as stripped lines (its indentation is page markup, not text)."""
    return [ln.strip() for ln in (text or "").splitlines()]


def _key(line: str) -> str:
    return _WS.sub(" ", line).strip().casefold()


def prose_share(lines: list[str]) -> float:
    total = sum(len(ln) for ln in lines if ln)
    if not total:
        return 0.0
    return sum(len(ln) for ln in lines if ln and is_prose(ln)) / total


def link_share(html: str, lines: list[str]) -> float:
    """Share of the extracted lines' characters that are link text in the page.

    A line counts as link text when it occurs inside the text of one ``<a>``
    element (headline lists render each link as one or two lines), or when a
    link's text covers at least half of it.
    """
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return 0.0
    texts = {_WS.sub(" ", a.text_content()).strip() for a in tree.iter("a")}
    joined = "\x01".join(texts)
    # long link texts by length: a line counts only when one covers half of it or more, so only the lengths
    # between half the line and the whole line are looked for (a test per link and line is quadratic on a
    # headline list of thousands of links)
    by_len: dict[int, set[str]] = {}
    for t in texts:
        if len(t) >= 12:
            by_len.setdefault(len(t), set()).add(t)
    lengths = sorted(by_len, reverse=True)
    total = inside = 0.0
    for ln in lines:
        if not ln:
            continue
        norm = _WS.sub(" ", ln)
        total += len(norm)
        if norm in joined:
            inside += len(norm)
            continue
        # a list item whose date or label sits outside its link: the longest link text inside the line
        n = len(norm)
        for size in lengths:
            if 2 * size < n:
                break
            if size <= n and any(norm[i:i + size] in by_len[size] for i in range(n - size + 1)):
                inside += size
                break
    return inside / total if total else 0.0


def densest_prose_cluster(lines: list[str]) -> list[str]:
    """The run of prose lines with the most characters.

    Blank lines and a single short line (caption, subheading) may sit inside
    a run; the short line is dropped, two in a row end the run.
    """
    best: list[str] = []
    cur: list[str] = []
    gap = 0
    for ln in lines:
        if ln and is_prose(ln):
            cur.append(ln)
            gap = 0
        elif ln:
            gap += 1
            if gap > 1:
                if sum(map(len, cur)) > sum(map(len, best)):
                    best = cur
                cur, gap = [], 0
    if sum(map(len, cur)) > sum(map(len, best)):
        best = cur
    return best


# Stage 3 skips photo captions: text that follows an <img> within this many
# characters of markup, with no paragraph tag in between.
CAPTION_WINDOW = 300
_PARA_TAG = re.compile(r"<p[\s>]|</p>|<br", re.IGNORECASE)


def is_caption(html: str, line: str) -> bool:
    """True when ``line`` sits right after an image in the page source (a photo caption)."""
    probe = line[:40]
    pos = html.find(probe) if len(probe) >= 20 else -1
    if pos < 0:
        return False
    window = html[max(0, pos - CAPTION_WINDOW) : pos]
    img = window.lower().rfind("<img")
    return img >= 0 and not _PARA_TAG.search(window, img)


def extend_with_recall(core: list[str], recall: list[str], html: str = "") -> list[str]:
    """Add the prose paragraphs that the recall run found right before/after ``core``."""
    core_ne = [ln for ln in core if ln]
    rec = [ln for ln in recall if ln]
    if not core_ne or not rec:
        return core
    keys = [_key(ln) for ln in rec]
    try:
        first = keys.index(_key(core_ne[0]))
    except ValueError:
        return core
    last_key = _key(core_ne[-1])
    last = next((i for i in range(len(keys) - 1, first - 1, -1) if keys[i] == last_key), None)
    if last is None:
        return core
    before: list[str] = []
    i = first - 1
    while i >= 0 and len(before) < MAX_EXTEND and is_prose(rec[i]) and not is_caption(html, rec[i]):
        before.insert(0, rec[i])
        i -= 1
    after: list[str] = []
    i = last + 1
    while i < len(rec) and len(after) < MAX_EXTEND and is_prose(rec[i]) and not is_caption(html, rec[i]):
        after.append(rec[i])
        i += 1
    if not before and not after:
        return core
    return [*before, *core, *after]


def _clean_title(title: str | None, site: str | None, host: str | None) -> str | None:
    """Drop a trailing " - Site Name" segment that names the site."""
    if not title:
        return None
    parts = _TITLE_SEP.split(title)
    if len(parts) > 1:
        names = {n.casefold() for n in (site, host) if n}
        names |= {n.split(".")[0] for n in names if n}
        tail = parts[-1].casefold()
        if any(n and n in tail for n in names):
            kept = title[: title.casefold().rfind(parts[-1].casefold())]
            return _TITLE_SEP.sub(" - ", kept).rstrip(" -|–—:»") or title
    return title.strip()


_LANG_ATTR = re.compile(r"<html[^>]*\slang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)


def _language_hint(html: str) -> str | None:
    m = _LANG_ATTR.search(html[:5000])
    return m.group(1).lower() if m else None


def extract_html(html: str, url: str | None = None) -> HtmlResult:
    """Article text and metadata of one HTML page (see the module docstring for the stages)."""
    meta = trafilatura.extract_metadata(html, default_url=url) if html.strip() else None
    base = trafilatura.extract(html, url=url, include_comments=False, include_tables=True) if html.strip() else None
    lines = _lines(base)
    recovered = None
    if lines and prose_share(lines) < MIN_PROSE_SHARE and link_share(html, lines) >= MIN_LINK_SHARE:
        cluster = densest_prose_cluster(lines)
        if cluster:
            lines, recovered = cluster, "prose-cluster"
    elif lines:
        recall = _lines(trafilatura.extract(html, url=url, include_comments=False, favor_recall=True))
        extended = extend_with_recall(lines, recall, html)
        if extended is not lines:
            lines, recovered = extended, "recall-extend"
    if not lines and html.strip():
        # nothing from the default run: the recall run is better than no text
        lines = _lines(trafilatura.extract(html, url=url, include_comments=False, favor_recall=True))
        recovered = "recall" if lines else None
    text = "\n\n".join(ln for ln in lines if ln)
    cleaned = clean_text(text)
    site = getattr(meta, "sitename", None) if meta else None
    host = getattr(meta, "hostname", None) if meta else None
    return HtmlResult(
        text=cleaned.text,
        title=_clean_title(getattr(meta, "title", None), site, host) if meta else None,
        published=getattr(meta, "date", None) if meta else None,
        site=site or host,
        author=getattr(meta, "author", None) if meta else None,
        url=(getattr(meta, "url", None) if meta else None) or url,
        language=_language_hint(html),
        boilerplate=cleaned.boilerplate,
        source_code=cleaned.source_code,
        recovered=recovered,
    )

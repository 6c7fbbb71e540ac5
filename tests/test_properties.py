"""Property-based tests (hypothesis) of the steps that read outside text: the cleaner, the date parser, the
entity finder, the quote finder, the event coder and the readers. For any input: no exception escapes,
every span's offsets point at its text (``text[start:end] == span.text``), and what is idempotent by
design stays so. Example counts are moderate so the CI suite stays fast."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

# Words that trigger the extractors (names, titles, places, speech verbs, triggers, calendar words),
# glue that changes their meaning (quote marks, commas, line breaks), and noise.
VOCAB = [
    "Presiden", "Joko", "Widodo", "Jokowi", "Menteri", "Luar", "Negeri", "Retno", "Marsudi", "Iran", "Rusia",
    "Indonesia", "Amerika", "Serikat", "Jakarta", "Teheran", "Moskow", "Komisi", "I", "DPR", "RI", "TNI",
    "Vladimir", "Putin", "Russia", "China", "Foreign", "Ministry", "President", "the", "minister",
    "kata", "ujarnya", "mengatakan", "menurut", "said", "told", "according", "to", "bahwa", "that",
    "bertemu", "menyerang", "sepakat", "kerja", "sama", "met", "attacked", "agreed", "sanksi", "dengan",
    "dan", "di", "oleh", "dia", "ia", "mereka", "kedua", "negara", "tentara", "pemerintah", "police",
    "Selasa", "kemarin", "Senin", "lalu", "hari", "ini", "Januari", "2020", "5", "4/7/2017", "Oct.", "25,",
    "(4/7)", "(mm/alalam)", "Baca", "juga:", "-", "–", ",", ".", ":", ";", "!", "?", "\"", "“", "”", "'", "‘",
    "’", "(", ")", "\n", "\n\n", "é", "Ã©", "\u200b", "\u0301", "\ufeff",
]

words = st.lists(st.sampled_from(VOCAB), max_size=60).map(lambda ws: " ".join(ws))
noise = st.text(max_size=40)
news_text = st.one_of(words, st.tuples(words, noise, words).map(lambda t: "".join(t)))

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_spans(text: str, spans: list, what: str) -> None:
    for sp in spans:
        assert 0 <= sp.start <= sp.end <= len(text), (what, sp)
        assert text[sp.start:sp.end] == sp.text, (what, sp)


@SETTINGS
@given(news_text)
@example("He met the Russia")  # the last token ends a pattern slot: was an IndexError
@example("Anggota Komisi I")
def test_entities_never_raise_and_offsets_hold(text: str) -> None:
    from warta.extract.entities import find_entities

    for lang in ("id", "en"):
        ents, _ = find_entities(text, language=lang, date="2020-01-05")
        _check_spans(text, ents, "entity")

from __future__ import annotations

from warta.nlp.text import sentence_of, sentences, tokens


def test_text_sentences_respect_abbreviations_and_quotes() -> None:
    text = "Dr. Ali tiba di Jl. Sudirman. “Kami siap,” katanya.\n\nParagraf baru tanpa titik"
    spans = sentences(text)
    got = [text[s:e] for s, e in spans]
    assert got == ["Dr. Ali tiba di Jl. Sudirman.", "“Kami siap,” katanya.", "Paragraf baru tanpa titik"]
    assert sentence_of(spans, text.index("Kami")) == spans[1]


def test_text_tokens_keep_hyphenated_words() -> None:
    text = "kerja sama Rusia-Iran, posisi-posisi."
    assert [text[s:e] for s, e in tokens(text)] == ["kerja", "sama", "Rusia-Iran", ",", "posisi-posisi", "."]

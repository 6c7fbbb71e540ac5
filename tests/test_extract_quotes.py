"""Quotations and speakers on hand-made Documents (entities given by hand, offsets checked)."""

from __future__ import annotations

import re

import pytest

from warta.document import Document, Entity, Quote
from warta.extract.quotes import cues, find_quotes
from warta.resources import read_table

PEOPLE = {
    "Budi Santoso": ("Budi Santoso", "IDNGOV", "IDN"),
    "Budi": ("Budi Santoso", "IDNGOV", "IDN"),
    "Retno Marsudi": ("Retno Marsudi", "IDNGOV", "IDN"),
    "Retno": ("Retno Marsudi", "IDNGOV", "IDN"),
    "Sergei Lavrov": ("Sergei Lavrov", "RUSGOV", "RUS"),
    "Lavrov": ("Sergei Lavrov", "RUSGOV", "RUS"),
    "John Smith": ("John Smith", "USAGOV", "USA"),
    "Smith": ("John Smith", "USAGOV", "USA"),
    "Andi Wijaya": ("Andi Wijaya", None, "IDN"),
}
ORGS = {"Kementerian Luar Negeri": ("Ministry of Foreign Affairs of Indonesia", "IDNGOV", "IDN"),
        "Kremlin": ("Kremlin", "RUSGOV", "RUS")}


def make_doc(text: str, language: str = "id") -> Document:
    """A Document whose entities are every occurrence of the names above (longest first)."""
    ents: list[Entity] = []
    taken: set[int] = set()
    table = [(n, "PER", v) for n, v in PEOPLE.items()] + [(n, "ORG", v) for n, v in ORGS.items()]
    for name, typ, (canon, actor, country) in sorted(table, key=lambda x: -len(x[0])):
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            if taken.isdisjoint(range(m.start(), m.end())):
                taken.update(range(m.start(), m.end()))
                ents.append(Entity(m.start(), m.end(), name, typ, canon, actor, country))
    ents.sort(key=lambda e: e.start)
    return Document(id="t", text=text, language=language, entities=ents)


def check_offsets(doc: Document, quotes: list[Quote]) -> None:
    t = doc.text
    for q in quotes:
        assert t[q.start:q.end] == q.text
        assert q.text and q.text[0] not in "\"“”'‘’„«»" and q.text[-1] not in "\"“”„«»"
        assert q.speaker is not None and q.speaker.start is not None
        assert t[q.speaker.start:q.speaker.end] == q.speaker.text
        if q.cue is not None:
            assert t[q.cue.start:q.cue.end] == q.cue.text


def run(text: str, language: str = "id") -> list[Quote]:
    doc = make_doc(text, language)
    qs = find_quotes(doc)
    check_offsets(doc, qs)
    return qs


def by_start(qs: list[Quote], words: str) -> Quote:
    hits = [q for q in qs if q.text.startswith(words)]
    assert hits, f"no quote starts with {words!r}: {[q.text for q in qs]}"
    return hits[0]


# ------------------------------------------------------------------ direct quotes
def test_direct_quote_with_trailing_cue_and_name() -> None:
    text = "“Kami akan membuka kembali perundingan dalam waktu dekat,” kata Menlu Retno Marsudi kepada wartawan."
    qs = run(text)
    assert len(qs) == 1
    q = qs[0]
    assert q.kind == "direct"
    assert q.text == "Kami akan membuka kembali perundingan dalam waktu dekat,"
    assert (q.start, q.end) == (1, 1 + len(q.text))
    assert q.speaker is not None and q.speaker.canonical == "Retno Marsudi"
    assert q.speaker.text == "Retno Marsudi" and q.speaker.actor == "IDNGOV" and q.speaker.country == "IDN"
    assert q.cue is not None and q.cue.text == "kata"


def test_nya_cue_resolves_to_speaker_after_pronoun_sentences() -> None:
    text = ("Budi Santoso menghadiri pertemuan itu di Jakarta pada Senin. Dia juga bertemu sejumlah duta besar. "
            "Pertemuan berlangsung tertutup.\n\n"
            "“Kerja sama kedua negara harus diperkuat demi stabilitas kawasan,” katanya.")
    qs = [q for q in run(text) if q.kind == "direct"]
    assert len(qs) == 1
    assert qs[0].speaker is not None and qs[0].speaker.canonical == "Budi Santoso"
    assert qs[0].speaker.text == "katanya"


def test_pronoun_cue_before_quote() -> None:
    text = ("Retno Marsudi menerima delegasi itu di Jakarta.\n\n"
            "Dia menambahkan, “Indonesia siap menjadi tuan rumah perundingan berikutnya tahun depan.”")
    q = by_start(run(text), "Indonesia siap")
    assert q.kind == "direct" and q.speaker is not None
    assert q.speaker.canonical == "Retno Marsudi" and q.speaker.text == "Dia"
    assert q.cue is not None and q.cue.text == "menambahkan"


def test_most_recent_subject_wins_over_earlier_speaker() -> None:
    text = ("“Kami mendukung penuh rencana itu,” kata Retno.\n\n"
            "Di pihak lain, Sergei Lavrov juga menyinggung pentingnya koordinasi kedua negara.\n\n"
            "“Koordinasi harus terus ditingkatkan oleh semua pihak,” ungkapnya.")
    q = by_start(run(text), "Koordinasi harus")
    assert q.speaker is not None and q.speaker.canonical == "Sergei Lavrov"


def test_person_named_inside_the_quote_is_not_its_speaker() -> None:
    text = ("Budi Santoso mengatakan pemerintah masih menunggu hasil pemeriksaan.\n"
            "Andi Wijaya sama sekali tidak menunjukkan identitas dirinya.\n"
            "“Status Andi Wijaya belum bisa kami pastikan sampai hari ini,” ucapnya.")
    q = by_start(run(text), "Status Andi")
    assert q.speaker is not None and q.speaker.canonical == "Budi Santoso"


@pytest.mark.parametrize("opening,closing", [("“", "”"), ('"', '"'), ("„", "“"), ("«", "»")])
def test_every_double_quote_mark(opening: str, closing: str) -> None:
    text = f"{opening}Perundingan akan dilanjutkan pekan depan di Jenewa,{closing} ujar Budi Santoso."
    qs = run(text)
    assert len(qs) == 1
    assert qs[0].text == "Perundingan akan dilanjutkan pekan depan di Jenewa,"
    assert qs[0].speaker is not None and qs[0].speaker.canonical == "Budi Santoso"


def test_single_quotes_only_for_real_quotations() -> None:
    text = "‘We will not accept any attempt to change the status quo,’ said John Smith. Smith's aides agreed."
    qs = run(text, "en")
    assert [q.text for q in qs] == ["We will not accept any attempt to change the status quo,"]
    assert qs[0].speaker is not None and qs[0].speaker.canonical == "John Smith"


def test_english_pronoun_and_inverted_cues() -> None:
    text = ("John Smith arrived in Hanoi on Sunday.\n\n"
            '"We strongly oppose any violation of international law," he said.\n\n'
            '"The United States will stand with its partners in the region," said Smith.')
    qs = run(text, "en")
    a = by_start(qs, "We strongly oppose")
    b = by_start(qs, "The United States will")
    assert a.speaker is not None and a.speaker.canonical == "John Smith" and a.speaker.text == "he"
    assert b.speaker is not None and b.speaker.canonical == "John Smith" and b.speaker.text == "Smith"


def test_quote_spanning_paragraphs_keeps_one_speaker() -> None:
    text = ("Sergei Lavrov said: “These talks were useful. We agreed on the next steps.\n\n"
            "“Both sides will meet again in the spring to review progress.”\n\n"
            "The talks ended on Friday.")
    qs = [q for q in run(text, "en") if q.kind == "direct"]
    # one quotation, reported per paragraph: the opening quote mark of the second is not part of it
    assert [q.text for q in qs] == ["These talks were useful. We agreed on the next steps.",
                                    "Both sides will meet again in the spring to review progress."]
    assert all(q.speaker is not None and q.speaker.canonical == "Sergei Lavrov" for q in qs)


def test_unclosed_paragraph_quote_attributed_by_cue_in_last_paragraph() -> None:
    text = ("“Kami akan terus mendorong perundingan damai di kawasan.\n"
            "“Semua pihak harus menahan diri dan kembali ke meja perundingan,” kata Budi Santoso.")
    qs = run(text)
    assert [q.text[:12] for q in qs] == ["Kami akan te", "Semua pihak "]
    assert all(q.speaker is not None and q.speaker.canonical == "Budi Santoso" for q in qs)


def test_split_quote_keeps_the_speaker() -> None:
    text = "“Situasinya sangat sulit,” kata Budi Santoso, “tetapi kami tetap optimistis perundingan berhasil.”"
    qs = run(text)
    texts = [q.text for q in qs]
    assert texts == ["Situasinya sangat sulit,", "tetapi kami tetap optimistis perundingan berhasil."]
    assert all(q.speaker is not None and q.speaker.canonical == "Budi Santoso" for q in qs)
    assert all(q.kind == "direct" for q in qs)


def test_second_quote_in_paragraph_without_cue() -> None:
    text = "“Kami belum menerima undangan resmi,” ujar Retno. “Kami akan menunggu keputusan pemerintah.”"
    qs = run(text)
    assert [q.speaker.canonical for q in qs if q.speaker] == ["Retno Marsudi", "Retno Marsudi"]


def test_scare_quotes_are_skipped() -> None:
    text = ("Pemerintah menyebut aksi itu sebagai “operasi khusus” di wilayah perbatasan. "
            "Kelompok itu dikenal sebagai 'garis keras' oleh warga.")
    assert run(text) == []


def test_quote_without_a_speaker_is_skipped() -> None:
    text = "“Harga beras terus naik setiap minggu di pasar tradisional,” demikian keluhan warga."
    assert run(text) == []


def test_organisation_speaks_when_no_person() -> None:
    text = "“Kedua presiden membahas situasi di Suriah melalui telepon,” kata Kremlin dalam pernyataannya."
    q = run(text)[0]
    assert q.speaker is not None and q.speaker.canonical == "Kremlin" and q.speaker.actor == "RUSGOV"


def test_role_then_comma_then_name() -> None:
    text = "“Kami butuh perjanjian yang adil bagi semua,” kata Menteri Luar Negeri Rusia, Sergei Lavrov, kepada AFP."
    q = run(text)[0]
    assert q.speaker is not None and q.speaker.canonical == "Sergei Lavrov"


# --------------------------------------------------------------- indirect statements
def test_indirect_mengatakan_bahwa() -> None:
    text = "Budi Santoso mengatakan bahwa pemerintah akan menambah anggaran pendidikan tahun depan."
    q = run(text)[0]
    assert q.kind == "indirect"
    assert q.text == "pemerintah akan menambah anggaran pendidikan tahun depan"
    assert q.speaker is not None and q.speaker.canonical == "Budi Santoso"
    assert q.cue is not None and q.cue.text == "mengatakan"


def test_indirect_with_addressee_and_adverb() -> None:
    text = "Retno juga mengatakan kepada wartawan bahwa Indonesia siap mengirim bantuan kemanusiaan."
    q = run(text)[0]
    assert q.text.startswith("Indonesia siap mengirim")
    assert q.speaker is not None and q.speaker.canonical == "Retno Marsudi"


def test_indirect_menurut() -> None:
    text = "Menurut Budi Santoso, kebijakan itu akan menurunkan harga pangan dalam tiga bulan."
    q = run(text)[0]
    assert q.kind == "indirect" and q.text.startswith("kebijakan itu akan")
    assert q.speaker is not None and q.speaker.text == "Budi Santoso"


def test_indirect_inverted_cue_after_connective() -> None:
    text = "Retno Marsudi tiba di Jenewa. Sebab, kata Retno, perundingan itu menentukan nasib ribuan pengungsi."
    q = by_start(run(text), "perundingan itu")
    assert q.kind == "indirect" and q.speaker is not None and q.speaker.canonical == "Retno Marsudi"


def test_indirect_pronoun_subject() -> None:
    text = "Sergei Lavrov tiba di Teheran pada Selasa. Ia menegaskan kerja sama kedua negara terus meningkat."
    q = by_start(run(text), "kerja sama kedua")
    assert q.speaker is not None and q.speaker.canonical == "Sergei Lavrov" and q.speaker.text == "Ia"


def test_english_indirect_shapes() -> None:
    text = ("John Smith said on Tuesday that the talks had made real progress. "
            "According to Sergei Lavrov, both sides want a quick agreement. "
            "Lavrov told reporters the next round would take place in Geneva.")
    qs = run(text, "en")
    assert [q.kind for q in qs] == ["indirect"] * 3
    assert by_start(qs, "the talks had").speaker.canonical == "John Smith"  # type: ignore[union-attr]
    assert by_start(qs, "both sides want").speaker.canonical == "Sergei Lavrov"  # type: ignore[union-attr]
    assert by_start(qs, "the next round").speaker.canonical == "Sergei Lavrov"  # type: ignore[union-attr]


def test_english_trailing_attribution() -> None:
    text = "The embassy will reopen next month after repairs are finished, John Smith said."
    q = run(text, "en")[0]
    assert q.kind == "indirect" and q.text == "The embassy will reopen next month after repairs are finished"
    assert q.speaker is not None and q.speaker.canonical == "John Smith"


def test_embedded_quote_is_part_of_reported_clause() -> None:
    text = "John Smith said the new government in Hanoi would “never accept such pressure from abroad” in any form."
    qs = run(text, "en")
    assert len(qs) == 1 and qs[0].kind == "indirect"


def test_verb_introducing_a_quote_gives_no_indirect() -> None:
    text = "Budi Santoso mengatakan dalam unggahannya: “Resolusi ini harus segera dilaksanakan oleh semua pihak.”"
    qs = run(text)
    assert [q.kind for q in qs] == ["direct"]


# ---------------------------------------------------------------------- the lexicon
def _sentence_for(cue: str, kind: str, position: str, language: str) -> tuple[str, str]:
    """A sentence using ``cue`` in its documented shape, and the first words of the expected quote."""
    if language == "id":
        said = "Kerja sama kedua negara harus terus diperkuat"
        if kind == "nya":
            if position == "before":
                return f"Budi Santoso tiba di Jakarta. {cue.capitalize()}, kerja sama kedua negara harus terus diperkuat.", "kerja sama"
            return f"Budi Santoso tiba di Jakarta.\n“{said},” {cue}.", said
        if kind == "prep":
            return f"{cue.capitalize()} Budi Santoso, kerja sama kedua negara harus terus diperkuat.", "kerja sama"
        if position == "before":
            return f"Budi Santoso {cue} kerja sama kedua negara harus terus diperkuat.", "kerja sama"
        return f"“{said},” {cue} Budi Santoso.", said
    said = "Cooperation between the two countries must grow"
    if kind == "prep":
        return f"{cue.capitalize()} John Smith, cooperation between the two countries must grow.", "cooperation"
    if cue in {"told", "tells"}:
        return f"John Smith {cue} reporters that cooperation between the two countries must grow.", "cooperation"
    return f"“{said},” John Smith {cue}.", said


@pytest.mark.parametrize("row", read_table("lang/speech_cues.tsv"), ids=lambda r: f"{r['language']}:{r['cue']}")
def test_every_cue_row_is_recognised(row: dict[str, str]) -> None:
    text, starts = _sentence_for(row["cue"], row["kind"], row["position"], row["language"])
    qs = run(text, row["language"])
    q = by_start(qs, starts)
    assert q.speaker is not None
    assert q.speaker.canonical in {"Budi Santoso", "John Smith"}
    assert q.cue is not None and q.cue.text.casefold().startswith(row["cue"].split()[0])


def test_cue_table_is_well_formed() -> None:
    rows = read_table("lang/speech_cues.tsv")
    assert rows
    for r in rows:
        assert r["cue"] == r["cue"].casefold().strip()
        assert r["language"] in {"id", "en"}
        assert r["kind"] in {"verb", "nya", "prep"}
        assert r["position"] in {"before", "after", "both"}
    assert "katanya" in cues("id") and "said" in cues("en") and "said" not in cues("id")


# ---------------------------------------------------------------- conventions and offices
def test_embedded_fragment_is_also_a_direct_quote_in_indonesian() -> None:
    text = "Budi Santoso menyebut kesepakatan itu sebagai proyek besar yang “sudah siap dijalankan bulan depan.”"
    qs = run(text)
    assert [q.kind for q in qs] == ["indirect", "direct"]
    assert qs[0].text.startswith("kesepakatan itu sebagai")
    assert qs[1].text == "sudah siap dijalankan bulan depan."
    assert all(q.speaker is not None and q.speaker.canonical == "Budi Santoso" for q in qs)


def test_embedded_scare_quote_stays_inside_the_clause() -> None:
    text = "Budi Santoso mengatakan pemerintah Indonesia telah melihat adanya “upaya terbuka” dari pihak asing."
    qs = run(text)
    assert [q.kind for q in qs] == ["indirect"]


def test_pronoun_cue_skips_the_subject_of_a_reported_clause() -> None:
    text = ("“Kami masih menunggu kabar resmi,” kata Budi Santoso.\n"
            "Sebab, kata Budi, selama ini Andi Wijaya tidak berkomunikasi dengan pemerintah pusat.\n"
            "“Selama dua puluh tahun hampir tidak ada komunikasi dengan kedutaan,” jelasnya.")
    q = by_start(run(text), "Selama dua puluh")
    assert q.speaker is not None and q.speaker.canonical == "Budi Santoso"


def test_adverb_between_subject_and_speech_verb() -> None:
    text = "Budi Santoso awalnya menyebut beberapa negara telah menawarkan bantuan kepada pemerintah."
    q = run(text)[0]
    assert q.kind == "indirect" and q.text.startswith("beberapa negara")
    assert q.speaker is not None and q.speaker.canonical == "Budi Santoso"


def test_office_named_alone_resolves_to_its_holder_on_the_article_date() -> None:
    text = "“Kerja sama kedua negara penting bagi perdamaian di kawasan,” kata Presiden Iran kepada wartawan."
    doc = make_doc(text)
    doc.published = "2017-07-04"
    q = find_quotes(doc)[0]
    assert q.speaker is not None and q.speaker.text == "Presiden Iran"
    assert q.speaker.canonical == "Hassan Rouhani" and q.speaker.country == "IRN"
    doc.published = "2025-01-10"
    assert find_quotes(doc)[0].speaker.canonical == "Masoud Pezeshkian"  # type: ignore[union-attr]
    doc.published = None
    assert find_quotes(doc)[0].speaker.canonical == "Presiden Iran"  # type: ignore[union-attr]


def test_undated_office_resolves_to_the_holder_named_in_the_article() -> None:
    text = ("Hassan Rouhani menerima telepon dari Moskow.\n"
            "“Pembicaraan politik sebaiknya dipercepat tanpa menghentikan operasi,” kata Presiden Iran.")
    doc = make_doc(text)
    doc.entities.append(Entity(0, 14, "Hassan Rouhani", "PER", "Hassan Rouhani", "IRNGOV", "IRN", "hassan_rouhani"))
    q = by_start(find_quotes(doc), "Pembicaraan politik")
    assert q.speaker is not None and q.speaker.canonical == "Hassan Rouhani"


def test_lower_case_office_after_the_cue() -> None:
    text = "“Kami siap bekerja sama dengan Rusia dalam hal ini,” imbuh presiden Iran, seperti dilaporkan situsnya."
    doc = make_doc(text)
    doc.published = "2024-09-01"
    q = find_quotes(doc)[0]
    assert q.speaker is not None and q.speaker.canonical == "Masoud Pezeshkian"


def test_quote_conventions_table() -> None:
    rows = read_table("lang/quote_conventions.tsv")
    assert {r["language"] for r in rows} >= {"id", "en"}
    assert all(r["embedded"] in ("direct", "indirect") for r in rows)

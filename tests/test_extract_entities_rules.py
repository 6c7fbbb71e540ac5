"""Entity rules added after the span-level NER evaluation (scripts/eval_ner.py): each can fail on its own."""

from __future__ import annotations

from warta.document import Entity
from warta.extract.entities import find_entities


def _spans(text: str, language: str = "id") -> dict[str, Entity]:
    ents, _ = find_entities(text, language=language)
    assert all(text[e.start:e.end] == e.text for e in ents)
    return {e.text: e for e in ents}


def test_name_slot_does_not_swallow_the_person_after_a_known_party() -> None:
    by = _spans("Ketua Umum Partai Golkar Aburizal Bakrie dan Presiden SBY terus berkomunikasi.")
    assert by["Partai Golkar"].kb_id == "idn.golkar"
    assert by["Aburizal Bakrie"].type == "PER"
    by = _spans("Juru Bicara Partai Demokrat Rachlan Nasidik mengatakan hal itu.")
    assert by["Rachlan Nasidik"].type == "PER" and by["Rachlan Nasidik"].actor == "IDNPTY"
    # an unknown party still gets the pattern
    by = _spans("Ketua Partai Keadilan Rakyat menghadiri acara itu.")
    assert by["Partai Keadilan Rakyat"].type == "ORG"


def test_apposition_after_a_parenthesised_acronym() -> None:
    by = _spans("Ketua Umum Partai Persatuan Pembangunan (PPP), Suryadharma Ali, belum mau bicara.")
    assert by["Suryadharma Ali"].type == "PER" and by["Suryadharma Ali"].method == "title"
    # not an apposition: a regulation number after "(Permenlu)" is no name
    by = _spans("Peraturan Menteri Luar Negeri (Permenlu) Nomor 3 Tahun 2019 berlaku.")
    assert "Nomor" not in by


def test_portfolio_nouns_after_a_title_are_not_names_but_weekdays_are_no_portfolio() -> None:
    assert "Pidana" not in _spans("Ia pernah menjabat sebagai Jaksa Agung Muda Pidana Umum tahun 2005.")
    assert "Perumahan" not in _spans("Mantan Menteri Perumahan Rakyat itu lebih setuju.")
    by = _spans("Menteri Imigrasi Australia Amanda Vanstone Selasa dicoret dari jabatannya.")
    assert by["Amanda Vanstone"].type == "PER"


def test_portfolio_with_dan_but_not_before_a_new_title() -> None:
    assert all(e.type != "PER" for e in _spans("Menteri Pemuda dan Olahraga hadir.").values())
    by = _spans("Ketua Umum Partai Golkar Aburizal Bakrie dan Presiden SBY bertemu.")
    assert "Aburizal Bakrie" in by


def test_everyday_words_that_are_foreign_cities() -> None:
    assert _spans("Lima orang tewas dalam kecelakaan itu.") == {}
    assert _spans("Surat itu dikirim kemarin.") == {}
    assert _spans("Lima is the capital of Peru.", "en")["Lima"].country == "PER"
    # KL is kilolitres in Indonesian text, Kuala Lumpur in English
    assert "KL" not in _spans("Kuota dibatasi menjadi 46 juta KL.")
    assert _spans("Talks were held in KL on Monday.", "en")["KL"].canonical == "Kuala Lumpur"


def test_new_titles_and_orgs() -> None:
    by = _spans("Wasekjen PDI-P Ahmad Basarah sebelumnya mengatakan hal itu.")
    assert by["Ahmad Basarah"].type == "PER"
    by = _spans("Guna mengeksplorasi Europa, NASA mempersiapkan sebuah robot.")
    assert by["NASA"].actor == "USAGOV"
    by = _spans("Dekan Fakultas Kehutanan UGM hadir.")
    assert by["UGM"].kb_id == "idn.ugm"

"""Entity recognition rules: case/language ambiguity, short forms, fuzzy variants, patterns, actors, role check."""

from __future__ import annotations

from warta.document import Entity
from warta.extract.entities import find_entities


def _by_text(ents: list[Entity]) -> dict[str, Entity]:
    return {e.text: e for e in ents}


def _offsets_ok(text: str, ents: list[Entity]) -> bool:
    return all(text[e.start:e.end] == e.text for e in ents)


def test_entities_as_is_a_country_only_in_indonesian() -> None:
    t = "Presiden AS bertemu pejabat Rusia."
    ents, _ = find_entities(t, language="id")
    assert _by_text(ents)["AS"].canonical == "United States" and _by_text(ents)["AS"].actor == "USA"
    en = "As the talks began, Russia said it would wait."
    ents, _ = find_entities(en, language="en")
    assert "As" not in _by_text(ents) and _by_text(ents)["Russia"].country == "RUS"
    # "as" in lower case is never the country, even in Indonesian text
    ents, _ = find_entities("Ia datang as usual ke Jakarta.", language="id")
    assert [e.text for e in ents] == ["Jakarta"]


def test_entities_fuzzy_country_typo() -> None:
    t = "Gencatan senjata yang telah dihasilkan di Surian sangat penting."
    ents, _ = find_entities(t, language="id")
    e = _by_text(ents)["Surian"]
    assert (e.type, e.canonical, e.country, e.method) == ("LOC", "Syria", "SYR", "fuzzy")
    # a short capitalised word is never bent into a country
    ents, _ = find_entities("Kata Irak itu muncul.", language="id")
    assert all(e.text != "Kata" for e in ents)


def test_entities_short_form_resolves_to_person_introduced_earlier() -> None:
    t = "Kapolres Metro Bekasi Kombes Budi Santoso memimpin rapat. Budi mengatakan situasi aman."
    ents, _ = find_entities(t, language="id", date="2025-01-10")
    pers = [e for e in ents if e.type == "PER"]
    assert [p.text for p in pers] == ["Budi Santoso", "Budi"]
    assert pers[1].canonical == "Budi Santoso" and pers[1].method == "short-form"
    assert pers[0].actor == "IDNCOP"


def test_entities_kb_surname_and_spelling_variant() -> None:
    t = "Presiden Donald Trump berbicara. Trump kemudian pergi. Vladimir Puttin menjawab."
    ents, _ = find_entities(t, language="id", date="2025-06-01")
    by = _by_text(ents)
    assert by["Trump"].canonical == "Donald Trump" and by["Trump"].actor == "USAGOV"
    assert by["Vladimir Puttin"].canonical == "Vladimir Putin" and by["Vladimir Puttin"].method == "fuzzy"


def test_entities_person_after_title_and_country() -> None:
    t = "Menteri Luar Negeri Rusia Sergei Lavrova dan Menteri Lingkungan Kenya, Deborah Barasa, hadir."
    ents, _ = find_entities(t, language="id", date="2025-01-01")
    by = _by_text(ents)
    assert by["Deborah Barasa"].type == "PER" and by["Deborah Barasa"].actor == "KENGOV"
    assert "Lingkungan" not in by  # a portfolio word is not a name
    lav = by["Sergei Lavrova"]  # not in the KB under that spelling: fuzzy link, KB role wins
    assert lav.canonical == "Sergei Lavrov" and lav.actor == "RUSGOV"


def test_entities_role_from_kb_at_article_date() -> None:
    t = "Menteri Pertahanan Rusia Sergei Shoigu tiba di Teheran."
    ents, warns = find_entities(t, language="id", date="2016-05-01")
    assert _by_text(ents)["Sergei Shoigu"].actor == "RUSMIL" and not warns
    ents, warns = find_entities(t, language="id", date="2025-01-01")
    assert _by_text(ents)["Sergei Shoigu"].actor == "RUSGOV"
    assert len(warns) == 1 and "Sergei Shoigu" in warns[0] and "Security Council" in warns[0]


def test_entities_role_check_warns_on_contradicting_title() -> None:
    t = ("Sekjen Dewan Tinggi Keamanan Nasional Iran Laksamana Ali Samkhani menelepon Direktur "
         "Dinas Keamanan Federal Rusia Nikolai Patrushev.")
    ents, warns = find_entities(t, language="id", date="2017-07-05")
    by = _by_text(ents)
    assert by["Ali Samkhani"].canonical == "Ali Shamkhani" and by["Ali Samkhani"].actor == "IRNGOV"
    assert by["Dinas Keamanan Federal Rusia"].actor == "RUSSPY"
    assert len(warns) == 1
    assert "Nikolai Patrushev" in warns[0] and "Direktur Dinas Keamanan Federal Rusia" in warns[0]
    assert "Secretary of the Security Council" in warns[0]


def test_entities_org_patterns_with_and_without_country() -> None:
    t = ("Kementerian Luar Negeri Iran memanggil duta besar. Kementerian Luar Negeri menyatakan sikap. "
         "Resolusi Dewan Keamanan itu ditolak. Kejaksaan Negeri (Kejari) Cilegon menyita aset PT Maju Jaya.")
    ents, _ = find_entities(t, language="id")
    by = _by_text(ents)
    assert (by["Kementerian Luar Negeri Iran"].canonical, by["Kementerian Luar Negeri Iran"].actor) == (
        "Ministry of Foreign Affairs", "IRNGOV")
    assert by["Kementerian Luar Negeri"].actor == "IDNGOV"  # alone: Indonesia's ministry
    assert by["Dewan Keamanan"].canonical == "United Nations Security Council"
    assert by["Dewan Keamanan"].actor == "IGOUNO" and by["Dewan Keamanan"].country is None
    assert by["Kejaksaan Negeri (Kejari) Cilegon"].actor == "IDNJUD"
    assert by["PT Maju Jaya"].actor == "IDNBUS"


def test_entities_generic_nouns_dates_and_igos() -> None:
    t = "Pada Selasa (4/7/2017) tentara dan pemerintah Suriah menuduh PBB dan NATO di bulan Juli."
    ents, _ = find_entities(t, language="id")
    texts = [e.text for e in ents]
    assert texts == ["Suriah", "PBB", "NATO"]
    by = _by_text(ents)
    assert by["PBB"].country is None and by["PBB"].actor == "IGOUNO"


def test_entities_every_mention_and_offsets() -> None:
    t = "Iran dan Rusia.\nTeheran-Moskow bekerja sama; Iran menyambut “Rusia”."
    ents, _ = find_entities(t, language="id")
    assert [e.text for e in ents] == ["Iran", "Rusia", "Teheran", "Moskow", "Iran", "Rusia"]
    assert _offsets_ok(t, ents)
    assert _by_text(ents)["Teheran"].canonical == "Tehran"


def test_entities_english_text() -> None:
    t = "Foreign Minister Sergei Lavrov met Iranian officials in Tehran, the UN said."
    ents, _ = find_entities(t, language="en", date="2020-01-01")
    by = _by_text(ents)
    assert by["Sergei Lavrov"].actor == "RUSGOV"
    assert by["Tehran"].country == "IRN" and by["UN"].actor == "IGOUNO"
    assert by["Iranian"].type == "MISC" and by["Iranian"].country == "IRN"


def test_entities_trailing_ri_belongs_to_indonesian_institution() -> None:
    t = "Putusan Mahkamah Agung RI dan Peraturan Kemenpan RB RI berlaku di RI."
    ents, _ = find_entities(t, language="id")
    assert [e.text for e in ents] == ["Mahkamah Agung RI", "Kemenpan RB RI", "RI"]
    assert ents[0].actor == "IDNJUD" and ents[2].canonical == "Indonesia"
    assert _offsets_ok(t, ents)

from __future__ import annotations

from datetime import date

from warta.nlp.dates import find_dates, infer_published, scan


def test_dates_numeric_with_weekday_and_relative_words(seed_text: str) -> None:
    text = "Ia menelepon, Selasa (4/7/2017). Perundingan dimulai Selasa kemarin dan berlanjut hingga hari ini."
    mentions, published, inferred = find_dates(text, "id")
    assert (published, inferred) == ("2017-07-05", True)
    values = {m.text: m.value for m in mentions}
    assert values == {"Selasa (4/7/2017)": "2017-07-04", "Selasa kemarin": "2017-07-04", "hari ini": "2017-07-05"}
    for m in mentions:
        assert text[m.start:m.end] == m.text


def test_dates_stamped_weekday_date_is_publication_date() -> None:
    text = "Jumat (29/8), pengadilan memutuskan. Sabtu (30/8/2025), hakim membacakan putusan."
    mentions, published, inferred = find_dates(text, "id")
    assert published == "2025-08-30" and not inferred
    assert [m.value for m in mentions] == ["2025-08-29", "2025-08-30"]


def test_dates_textual_month_names_in_both_languages() -> None:
    m, _, _ = find_dates("Senin, 27 Januari 2025 pukul 10.00", "id")
    assert m[0].value == "2025-01-27"
    m, _, _ = find_dates("In a statement published Oct. 25, 2019, officials said", "en")
    assert m[0].text == "Oct. 25, 2019" and m[0].value == "2019-10-25"


def test_dates_given_publication_date_resolves_partial_and_relative() -> None:
    m, published, inferred = find_dates("Kemarin ia tiba. Rapat digelar 10 Oktober lalu.", "id", "2025-10-22")
    assert published == "2025-10-22" and not inferred
    assert {x.text.lower(): x.value for x in m} == {"kemarin": "2025-10-21", "10 oktober": "2025-10-10"}


def test_dates_bare_fraction_is_not_a_date() -> None:
    m, published, _ = find_dates("Skor akhir 3/4 untuk tim tamu.", "id")
    assert m == [] and published is None


def test_dates_stamp_with_wrong_weekday_still_dates_the_article() -> None:
    # 22/10/2025 was a Wednesday; the reporter wrote Tuesday. The stamp is still the reporting day.
    _m, published, inferred = find_dates("Dilansir media, Selasa (22/10/2025), presiden berkata.", "id")
    assert published == "2025-10-22" and not inferred


def test_published_from_a_stamp_without_its_year() -> None:
    # 15 August fell on a Friday in 2025 (and in 2014, 2031): the latest year not in the future wins
    raws = scan("Perundingan itu berakhir buntu pada Jumat (15/08), tanpa kesepakatan.", "id")
    assert infer_published(raws, today=date(2026, 11, 30)) == (date(2025, 8, 15), True)
    assert infer_published(raws, today=date(2020, 1, 1)) == (date(2014, 8, 15), True)
    # a stamp whose weekday never matches within 28 years says nothing
    assert infer_published(scan("pada Jumat (31/02), tanpa kesepakatan.", "id"), today=date(2026, 1, 1)) == (None, False)

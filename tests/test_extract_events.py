"""The event coder on short hand-written sentences, through the real steps (entities from the KB)."""

from __future__ import annotations

import pytest

from warta.document import Document, Event
from warta.resources import read_table
from warta.steps import dates_step, entities_step, events_step, quotes_step, sentences_step


def events(text: str, language: str = "id") -> list[Event]:
    doc = Document(id="t", text=text, language=language, published="2024-01-10")
    for step in (sentences_step, dates_step, entities_step, quotes_step, events_step):
        doc = step(doc)
    assert doc.offset_errors() == []
    for ev in doc.events:
        assert text[ev.trigger.start:ev.trigger.end] == ev.trigger.text
    return doc.events


def keys(evs: list[Event]) -> set[tuple[str, str | None, str | None]]:
    return {(e.type, e.source.country if e.source else None, e.target.country if e.target else None) for e in evs}


def test_one_way_event_against_a_list_of_countries_is_one_event_each() -> None:
    evs = events("Amerika Serikat mengenakan sanksi terhadap Meksiko, Kanada, dan China pada Selasa.")
    assert {("SANCTION", "USA", c) for c in ("MEX", "CAN", "CHN")} <= keys(evs)


def test_coordinated_sources_of_a_one_way_event() -> None:
    evs = events("China dan Rusia memveto resolusi Amerika Serikat tentang Gaza.")
    found = keys(evs)
    assert ("REJECT", "CHN", "USA") in found and ("REJECT", "RUS", "USA") in found


def test_symmetric_event_between_a_pair_stays_one_event() -> None:
    evs = events("Iran dan Rusia menggelar pertemuan di Moskow.")
    consult = [e for e in evs if e.type == "CONSULT"]
    assert len(consult) == 1
    assert {consult[0].source.country, consult[0].target.country} == {"IRN", "RUS"}  # type: ignore[union-attr]


def test_words_of_a_name_are_not_triggers() -> None:
    # "Tengah" of "Timur Tengah" would otherwise meet "menengahi" (to mediate)
    evs = events("Beberapa negara di Timur Tengah menawarkan pasukan ke Gaza.")
    assert all(e.trigger.text.casefold() != "tengah" for e in evs)


def test_bare_root_does_not_match_an_affixed_trigger() -> None:
    # "tentang" (about) shares its root with "menentang" (to oppose)
    evs = events("Indonesia menerbitkan laporan tentang Malaysia.")
    assert all(e.type != "REJECT" for e in evs)
    assert any(e.type == "REJECT" for e in events("Indonesia menentang rencana Malaysia."))


def test_passive_flips_source_and_target() -> None:
    evs = events("Ukraina diserang oleh Rusia pada Senin.")
    assert ("ASSAULT", "RUS", "UKR") in keys(evs)


def test_a_capital_stands_for_its_country() -> None:
    assert ("SUPPORT", "IRN", "SYR") in keys(events("Teheran mendukung Bashar al-Assad dalam perang itu."))


def test_a_city_that_is_not_a_capital_is_only_a_place() -> None:
    assert not any(e.source is not None and e.source.text == "Surabaya"
                   for e in events("Surabaya mendukung Malaysia dalam lomba itu."))


def test_a_non_state_group_against_its_own_country() -> None:
    evs = events("Hamas kembali mengancam Palestina meski sudah ada gencatan senjata.")
    assert any(e.type == "THREATEN" and e.source.actor == "PSEREB" and e.target.country == "PSE"  # type: ignore[union-attr]
               for e in evs)
    # two undifferentiated mentions of one country are not an event
    assert not events("Indonesia mendukung Indonesia.")


def test_pair_right_after_a_symmetric_noun_names_both_parties() -> None:
    evs = events("Keamanan Suriah tergolong penting dalam proses kerja sama Teheran-Moskow.")
    coop = [e for e in evs if e.type == "COOPERATE"]
    assert coop and {coop[0].source.country, coop[0].target.country} == {"IRN", "RUS"}  # type: ignore[union-attr]


def test_a_place_is_acted_on_for_its_country_but_never_acts() -> None:
    assert ("ASSAULT", "ISR", "PSE") in keys(events("Israel menggempur Gaza selama berbulan-bulan."))
    assert not any(e.source is not None and e.source.country == "PSE"
                   for e in events("Gaza menyerang Israel."))


def test_partner_after_the_object_of_a_consult_verb() -> None:
    evs = events("Presiden Rusia Vladimir Putin membahas kondisi terkini di Suriah dengan mitranya "
                 "Presiden Iran Masoud Pezeshkian.")
    assert ("CONSULT", "RUS", "IRN") in keys(evs)


def test_quantities_do_not_push_the_object_out_of_reach() -> None:
    evs = events("Pasukan Israel telah membunuh lebih dari 37.000 warga Palestina.")
    assert any(e.type == "ASSAULT" and e.source.actor == "ISRMIL" and e.target.actor == "PSECVL"  # type: ignore[union-attr]
               for e in evs)


def test_english_demonym_or_country_before_an_agent_word() -> None:
    evs = events("The Russian and Syrian defense ministries accused U.S. forces of blocking aid.", "en")
    actors = {(e.source.actor, e.target.actor) for e in evs if e.type == "ACCUSE"}  # type: ignore[union-attr]
    assert actors == {("RUSGOV", "USAMIL"), ("SYRGOV", "USAMIL")}


def test_english_office_word_after_a_possessive_country_and_a_modifying_phrase() -> None:
    evs = events("China's ambassador to Britain accused the UK and the US of meddling.", "en")
    found = {(e.type, e.source.actor, e.target.country) for e in evs}  # type: ignore[union-attr]
    assert {("ACCUSE", "CHNGOV", "GBR"), ("ACCUSE", "CHNGOV", "USA")} <= found


def test_passive_agent_right_after_the_verb() -> None:
    evs = events("Perang saudara Suriah yang dimediasi Rusia dan Turki akhirnya berhenti.")
    assert {("CONSULT", "RUS", "SYR"), ("CONSULT", "TUR", "SYR")} <= keys(evs)


def test_possessor_of_an_event_noun_is_its_agent() -> None:
    evs = events("Jenderal Iran itu tewas dalam serangan udara Amerika Serikat di Baghdad.")
    assert any(e.type == "ASSAULT" and e.source.country == "USA" and e.target.country == "IRN"  # type: ignore[union-attr]
               for e in evs)


def test_coordinated_verb_shares_the_subject() -> None:
    evs = events("Pezeshkian memuji peran Rusia di kawasan serta mendukung integritas teritorial Suriah.")
    support = {(e.source.country, e.target.country) for e in evs if e.type == "SUPPORT"}  # type: ignore[union-attr]
    assert ("IRN", "RUS") in support and ("IRN", "SYR") in support and ("RUS", "SYR") not in support


def test_ceasefire_as_a_topic_is_not_an_event() -> None:
    assert not [e for e in events("Dewan Keamanan PBB membahas perjanjian gencatan senjata Amerika Serikat.")
                if e.type == "RETREAT"]


def test_a_bare_agent_belongs_to_the_place_of_the_event() -> None:
    evs = events("Di Jakarta, polisi menangkap Andi Wijaya, anggota kelompok Hamas.")
    assert any(e.source is not None and e.source.actor == "IDNCOP" for e in evs)


def test_partner_after_an_object_with_a_quantity() -> None:
    evs = events("Iran welcomed the resumption of diplomatic ties with Egypt.", "en")
    assert any(e.source.country == "IRN" and e.target.country == "EGY" for e in evs  # type: ignore[union-attr]
               if e.source and e.target)


def test_coordinated_subject_of_a_symmetric_verb_with_an_object() -> None:
    found = keys(events("Iran and Russia met Turkey in Astana.", "en"))
    assert {("CONSULT", "IRN", "TUR"), ("CONSULT", "RUS", "TUR")} <= found
    assert ("CONSULT", "IRN", "RUS") not in found and ("CONSULT", "RUS", "IRN") not in found


def test_an_agent_word_does_not_swallow_the_verb_after_it() -> None:
    evs = events("Russian police arrested students in Moscow.", "en")
    assert any(e.source.actor == "RUSCOP" for e in evs if e.source)  # type: ignore[union-attr]


def test_equal_triggers_are_chosen_in_dictionary_order() -> None:
    from warta.extract.events import find_triggers

    text = "Indonesia dan Malaysia sepakat soal batas wilayah laut."
    picks = {tuple((t.pattern, a, b) for t, a, b, _ in find_triggers(text, 0, len(text), "id")) for _ in range(5)}
    assert len(picks) == 1


def test_multi_word_agent_takes_the_other_partys_country() -> None:
    evs = events("Prabowo Subianto meminta para penegak hukum serius menangani seluruh kasus korupsi.")
    req = [e for e in evs if e.type == "REQUEST"]
    assert req and req[0].target is not None and req[0].target.text == "penegak hukum"
    assert req[0].target.actor == "IDNJUD"


def test_first_person_in_a_direct_quote_is_its_speaker() -> None:
    evs = events("“Saya ingin berterima kasih kepada Malaysia atas bantuannya,” kata Joko Widodo.")
    assert any(e.type == "SUPPORT" and e.source.country == "IDN" and e.target.country == "MYS"  # type: ignore[union-attr]
               for e in evs)


def test_mediator_and_each_party() -> None:
    found = keys(events("Qatar memperantarai Israel dan Hamas di Doha."))
    assert ("CONSULT", "QAT", "ISR") in found and ("CONSULT", "QAT", "PSE") in found


def test_reported_clause_has_its_own_subject() -> None:
    evs = events("Joko Widodo menyebut beberapa negara telah menawarkan bantuan kepada Malaysia.")
    assert not any(e.source is not None and e.source.country == "IDN" and e.type == "AID" for e in evs)


def test_possessor_after_one_modifier_of_an_event_noun() -> None:
    evs = events("Pasukan pemerintah Suriah didukung bantuan udara Rusia.")
    assert any(e.type == "AID" and e.source.country == "RUS" and e.target.country == "SYR"  # type: ignore[union-attr]
               for e in evs)


def test_passive_relative_clause_about_a_non_actor() -> None:
    evs = events("Bukan soal Ukraina, ini yang dibahas Putin dan Raisi.")
    assert not any(e.target is not None and e.target.country == "UKR" for e in evs)


def test_a_date_stamp_between_subject_and_verb_does_not_hide_the_subject() -> None:
    evs = events("Menteri Pertahanan Rusia Sergei Shoigu pada hari Ahad (21/02/2016) memulai kunjungan "
                 "mendadak ke Teheran.")
    consult = [e for e in evs if e.type == "CONSULT"]
    assert consult and consult[0].source.country == "RUS" and consult[0].target.country == "IRN"  # type: ignore[union-attr]
    assert consult[0].date == "2016-02-21"


def test_undated_sentence_takes_the_nearest_stated_date() -> None:
    filler = "Rapat itu membahas banyak hal tentang anggaran, pendidikan dan kesehatan masyarakat. " * 8
    text = ("Presiden Joko Widodo memimpin rapat, Rabu (22/10/2025).\n" + filler + "\n"
            "Joko Widodo meminta Malaysia menjaga perbatasan.\n"
            "Hal itu disampaikan dalam sidang kabinet di Istana Negara, Senin (20/10/2025).")
    doc = Document(id="t", text=text, language="id", published="2025-10-22")
    for step in (sentences_step, dates_step, entities_step, quotes_step, events_step):
        doc = step(doc)
    req = [e for e in doc.events if e.type == "REQUEST"]
    assert req and req[0].date == "2025-10-20"


def test_english_passive_with_by() -> None:
    evs = events("Iranian diplomats were arrested by British police in London.", "en")
    assert any(e.type == "COERCE" and e.source.actor == "GBRCOP" and e.target.actor == "IRNGOV"  # type: ignore[union-attr]
               for e in evs)


def test_partner_window_counts_words_not_punctuation() -> None:
    evs = events("The students joined protests in Bolivia against the self-declared “interim” government.", "en")
    assert any(e.type == "PROTEST" and e.target is not None and e.target.actor == "BOLGOV" for e in evs)


def test_person_of_country_is_one_actor_in_a_coordination() -> None:
    evs = events("Foreign Ministers Mohammad Javad Zarif of Iran and Sergei Lavrov of Russia discussed the "
                 "situation in Syria.", "en")
    consult = [e for e in evs if e.type == "CONSULT"]
    assert {(e.source.country, e.target.country) for e in consult} in (  # type: ignore[union-attr]
        {("IRN", "RUS")}, {("RUS", "IRN")})


def test_a_noun_referring_back_to_an_earlier_accusation_names_its_accusers() -> None:
    evs = events("Russia and Syria accused U.S. forces of blocking aid to the camp. "
                 "The Pentagon rejected these accusations as false.", "en")
    rejects = {(e.source.country, e.target.country) for e in evs if e.type == "REJECT"}  # type: ignore[union-attr]
    assert rejects == {("USA", "RUS"), ("USA", "SYR")}


def test_a_new_accusation_is_not_a_reference_back() -> None:
    evs = events("China accused the UK of meddling. The city's police deny accusations of brutality.", "en")
    assert not [e for e in evs if e.type == "REJECT"]


def test_a_name_inside_a_gapped_trigger_is_its_object() -> None:
    evs = events("The Afghan government freed three Taliban prisoners and sent them to Qatar.", "en")
    freed = [e for e in evs if e.trigger.text.startswith("freed")]
    assert [(e.type, e.source.actor, e.target.actor) for e in freed] == [  # type: ignore[union-attr]
        ("CONCEDE", "AFGGOV", "AFGREB")]


def test_an_english_dash_between_spaces_opens_an_aside_not_a_pair() -> None:
    evs = events("The two Arab states at peace with Israel - Egypt and Jordan - sharply criticised the US "
                 "policy shift.", "en")
    sources = {e.source.country for e in evs if e.type == "ACCUSE"}  # type: ignore[union-attr]
    assert sources == {"EGY", "JOR"}


def test_a_name_after_that_starts_a_new_clause_except_for_allegations() -> None:
    evs = events("Mr. Trump raised tariffs. China is wary of offering concessions, for fear that he will demand "
                 "more.", "en")
    assert not [e for e in evs if e.source and e.source.country == "CHN"]
    evs = events("Iran issued a statement alleging that Israel attacked the consulate.", "en")
    assert ("ACCUSE", "IRN", "ISR") in keys(evs)


def test_a_targetless_event_needs_a_source_with_a_country() -> None:
    evs = events("The media reported protests on Sunday.", "en")
    assert not [e for e in evs if e.source is None or e.source.country is None]


_EARLIER = {
    ("en", "ACCUSE"): "Russia accused Ukraine of shelling the plant.",
    ("en", "REQUEST"): "Russia urged Ukraine to withdraw its troops.",
    ("en", "AGREE"): "Russia offered Ukraine a new deal.",
    ("en", "THREATEN"): "Russia threatened Ukraine with new sanctions.",
    ("id", "ACCUSE"): "Rusia menuduh Ukraina menyerang pembangkit listrik.",
    ("id", "REQUEST"): "Rusia mendesak Ukraina menarik pasukan.",
    ("id", "AGREE"): "Rusia menawarkan kesepakatan baru kepada Ukraina.",
    ("id", "THREATEN"): "Rusia mengancam Ukraina dengan sanksi baru.",
}


@pytest.mark.parametrize("row", read_table("lang/event_references.tsv"), ids=lambda r: f"{r['language']}:{r['word']}")
def test_every_event_reference_row_points_back(row: dict[str, str]) -> None:
    lang = row["language"]
    later = (f"Ukraine rejected these {row['word']}." if lang == "en"
             else f"Ukraina menolak {row['word']} tersebut.")
    evs = events(f"{_EARLIER[(lang, row['refers_to'])]} {later}", lang)
    assert ("REJECT", "UKR", "RUS") in keys(evs)


def test_an_unknown_person_acts_for_the_institution_that_titles_them() -> None:
    evs = events("Amnesty International Research Director Philip Luther urged the Iranian authorities to end "
                 "the crackdown.", "en")
    req = [e for e in evs if e.type == "REQUEST"]
    # and a non-governmental organisation belongs to no country, whoever the other party is
    assert [(e.source.actor, e.source.country, e.target.country) for e in req] == [  # type: ignore[union-attr]
        ("NGO", None, "IRN")]

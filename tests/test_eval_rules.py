"""One test per scoring rule of shared/gold/SPEC.md, on hand-made dicts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from warta.eval import (
    evaluate,
    format_report,
    load_gold,
    norm,
    score,
    shingles,
    strip_quote_marks,
)


def actor(country: str | None, code: str | None = None) -> dict:
    return {"text": code or country or "", "actor": code, "country": country}


def event(etype: str, src: dict | None, tgt: dict | None, **extra) -> dict:
    return {"type": etype, "source": src, "target": tgt, **extra}


def gold_doc(**fields) -> dict:
    return {"file": "a.txt", **fields}


# --------------------------------------------------------------------------- normalisation


def test_norm_folds_width_case_and_spacing():
    assert norm("  ＡＢＣ\u00a0 Déf\n\tghi ") == "abc déf ghi"
    assert norm(None) == ""


def test_strip_quote_marks_ignores_marks_and_spacing():
    assert strip_quote_marks("“Kami  siap,”") == "kami siap,"
    assert strip_quote_marks("«Oui»") == "oui"


# --------------------------------------------------------------------------- events


def test_symmetric_event_matches_in_reverse():
    g = gold_doc(events=[event("CONSULT", actor("IRN"), actor("RUS"))])
    rec = {"events": [event("CONSULT", actor("RUS"), actor("IRN"))]}
    assert score([(g, rec)])["events"]["tp"] == 1


def test_accuse_does_not_match_in_reverse():
    g = gold_doc(events=[event("ACCUSE", actor("RUS"), actor("USA"))])
    rec = {"events": [event("ACCUSE", actor("USA"), actor("RUS"))]}
    res = score([(g, rec)])["events"]
    assert (res["tp"], res["fp"], res["fn"]) == (0, 1, 1)


def test_explicit_symmetric_flag_overrides_type_default():
    g = gold_doc(events=[event("ACCUSE", actor("RUS"), actor("USA"), symmetric=True),
                         event("CONSULT", actor("IRN"), actor("TUR"), symmetric=False)])
    rec = {"events": [event("ACCUSE", actor("USA"), actor("RUS")), event("CONSULT", actor("TUR"), actor("IRN"))]}
    res = score([(g, rec)])["events"]
    assert (res["tp"], res["fp"], res["fn"]) == (1, 1, 1)


def test_accept_types_allow_alternative_type():
    g = gold_doc(events=[event("SUPPORT", actor("USA"), actor("IDN"), accept_types=["COOPERATE"])])
    assert score([(g, {"events": [event("COOPERATE", actor("USA"), actor("IDN"))]})])["events"]["tp"] == 1
    assert score([(g, {"events": [event("AID", actor("USA"), actor("IDN"))]})])["events"]["tp"] == 0


def test_optional_events_are_neither_missed_nor_false_alarms():
    g = gold_doc(events=[event("ACCUSE", actor("RUS"), actor("USA")),
                         event("THREATEN", actor("IRN"), actor("ISR"), optional=True)])
    without = score([(g, {"events": [event("ACCUSE", actor("RUS"), actor("USA"))]})])["events"]
    with_opt = score([(g, {"events": [event("ACCUSE", actor("RUS"), actor("USA")),
                                      event("THREATEN", actor("IRN"), actor("ISR"))]})])["events"]
    for res in (without, with_opt):
        assert (res["tp"], res["fp"], res["fn"]) == (1, 0, 0)
    # a prediction matching nothing, optional or not, is still a false alarm
    wrong = score([(g, {"events": [event("THREATEN", actor("ISR"), actor("IRN"))]})])["events"]
    assert (wrong["tp"], wrong["fp"], wrong["fn"]) == (0, 1, 1)


def test_igo_actor_compared_by_code_prefix():
    g = gold_doc(events=[event("REQUEST", actor(None, "IGOUNO"), actor("SYR"))])
    for code, hit in (("IGOUNOSEC", 1), ("IGO", 1), ("IGOUNO", 1), ("IGOEUR", 0), (None, 0)):
        rec = {"events": [event("REQUEST", actor(None, code), actor("SYR"))]}
        assert score([(g, rec)])["events"]["tp"] == hit, code


def test_country_wins_over_actor_code_when_both_present():
    g = gold_doc(events=[event("ASSAULT", actor("RUS", "RUSMIL"), actor("SYR", "SYRREB"))])
    rec = {"events": [event("ASSAULT", actor("RUS", "RUSGOV"), actor("SYR", "SYRMIL"))]}
    assert score([(g, rec)])["events"]["tp"] == 1
    rec_no_country = {"events": [event("ASSAULT", actor(None, "RUSMIL"), actor("SYR"))]}
    assert score([(g, rec_no_country)])["events"]["tp"] == 0


def test_missing_gold_target_accepts_any_target():
    g = gold_doc(events=[event("MOBILIZE", actor("IRN"), None)])
    rec = {"events": [event("MOBILIZE", actor("IRN"), actor("USA"))]}
    assert score([(g, rec)])["events"]["tp"] == 1


def test_each_gold_event_matched_once_and_dates_checked():
    g = gold_doc(events=[event("CONSULT", actor("IRN"), actor("RUS"), date="2017-07-04")])
    rec = {"events": [event("CONSULT", actor("IRN"), actor("RUS"), date="2017-07-05"),
                      event("CONSULT", actor("RUS"), actor("IRN"), date="2017-07-04")]}
    res = score([(g, rec)])
    assert (res["events"]["tp"], res["events"]["fp"]) == (1, 1)
    # the first matching prediction is the one paired, so its date is scored
    assert res["event_dates"] == {"accuracy": 0.0, "n": 1}
    assert res["per_document"] == [{"file": "a.txt", "events_gold": 1, "events_found": 1, "events_extra": 1}]


# --------------------------------------------------------------------------- entities


SAMKHANI = {"text": "Ali Samkhani", "aliases": ["Samkhani"], "type": "PER", "canonical": "Ali Shamkhani"}


def test_entity_found_by_canonical_or_alias_and_same_type():
    g = gold_doc(entities=[SAMKHANI])
    assert score([(g, {"entities": [{"text": "Shamkhani", "type": "PER", "canonical": "ali shamkhani"}]})])["entities"]["tp"] == 1
    assert score([(g, {"entities": [{"text": "SAMKHANI", "type": "PER"}]})])["entities"]["tp"] == 1
    assert score([(g, {"entities": [{"text": "Samkhani", "type": "ORG"}]})])["entities"]["tp"] == 0


def test_entity_alias_of_found_entity_is_no_false_alarm():
    g = gold_doc(entities=[SAMKHANI])
    rec = {"entities": [{"text": "Ali Samkhani", "type": "PER"}, {"text": "Samkhani", "type": "PER"},
                        {"text": "Patrushev", "type": "PER"}]}
    res = score([(g, rec)])["entities"]
    assert (res["tp"], res["fp"], res["fn"]) == (1, 1, 0)


def test_entity_duplicates_and_unscored_types_ignored():
    g = gold_doc(entities=[{"text": "Iran", "type": "LOC", "canonical": "Iran"}])
    rec = {"entities": [{"text": "Iran", "type": "LOC"}, {"text": "iran", "type": "LOC"},
                        {"text": "Teheran", "type": "MISC"}, {"text": "Irak", "type": "LOC"}, {"text": "IRAK", "type": "LOC"}]}
    res = score([(g, rec)])["entities"]
    assert (res["tp"], res["fp"], res["fn"]) == (1, 1, 0)


def test_entity_spellings_with_one_canonical_count_once():
    g = gold_doc(entities=[SAMKHANI])
    rec = {"entities": [{"text": "Sergei Lavrov", "type": "PER", "canonical": "Sergey Lavrov"},
                        {"text": "Lavrov", "type": "PER", "canonical": "Sergey Lavrov"},
                        {"text": "Sergey Lavrov", "type": "PER"}]}
    res = score([(g, rec)])["entities"]
    assert (res["tp"], res["fp"], res["fn"]) == (0, 1, 1)


# --------------------------------------------------------------------------- quotes


def quote(text: str, speaker: str | None) -> dict:
    return {"text": text, "speaker": {"text": speaker, "canonical": speaker}}


def test_quote_last_name_and_opening_words():
    g = gold_doc(quotes=[{"speaker": {"canonical": "Sergei Lavrov"}, "text_starts": "Kami  tidak akan"}])
    assert score([(g, {"quotes": [quote("“Kami tidak akan mundur,”", "Lavrov")]})])["quotes"]["tp"] == 1
    assert score([(g, {"quotes": [quote("Kami tidak akan mundur", "sergei lavrov")]})])["quotes"]["tp"] == 1
    assert score([(g, {"quotes": [quote("Kami tidak akan mundur", "Sergei Shoigu")]})])["quotes"]["tp"] == 0
    assert score([(g, {"quotes": [quote("Kami tidak akan mundur", None)]})])["quotes"]["tp"] == 0
    assert score([(g, {"quotes": [quote("Lalu kami tidak akan", "Lavrov")]})])["quotes"]["tp"] == 0


def test_every_predicted_quote_counts_for_precision():
    g = gold_doc(quotes=[{"speaker": {"canonical": "Joko Widodo"}, "text_starts": "Kita harus"}])
    res = score([(g, {"quotes": [quote("Kita harus bersatu", "Widodo"), quote("Kita harus bersatu", "Widodo")]})])["quotes"]
    assert (res["tp"], res["fp"], res["fn"]) == (1, 1, 0)


# --------------------------------------------------------------------------- cleaning, body, published


def test_cleaning_needs_kept_sentences_and_no_boilerplate_line():
    g = gold_doc(body_must_contain=["Harga beras naik lagi."], boilerplate=["SHARE THIS:", "Baca juga artikel menarik lainnya"])
    ok = "Harga  beras naik lagi.\nPara pedagang mengeluh."
    assert score([(g, {"text": ok})])["cleaning"] == {"accuracy": 1.0, "n": 1}
    # a short boilerplate line counts only as a whole line
    assert score([(g, {"text": ok + " Share this: nanti."})])["cleaning"]["accuracy"] == 1.0
    assert score([(g, {"text": ok + "\nshare this:"})])["cleaning"]["accuracy"] == 0.0
    # a long one counts anywhere in the text
    assert score([(g, {"text": ok + " Baca juga artikel menarik lainnya di sini"})])["cleaning"]["accuracy"] == 0.0
    assert score([(g, {"text": "Para pedagang mengeluh."})])["cleaning"]["accuracy"] == 0.0


def test_body_shingles_macro_average():
    assert shingles("a b c") == {("a", "b", "c"): 1}
    assert sum(shingles("satu dua tiga empat lima").values()) == 2
    gold1, gold2 = {"file": "1", "body": "satu dua tiga empat lima enam"}, {"file": "2", "body": "a b c d e"}
    res = score([(gold1, {"text": "Satu, dua tiga empat lima enam"}), (gold2, None)])["body"]
    # page 1 perfect, page 2 no output: recall averages 1 and 0, precision counts page 2 as 0
    assert res == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "n": 2}
    half = score([(gold1, {"text": "satu dua tiga empat tujuh delapan sembilan"})])["body"]
    assert (half["precision"], half["recall"]) == (0.25, 0.333)


def test_published_exact_and_unscored_when_absent():
    g = gold_doc(published="2017-07-05")
    assert score([(g, {"published": "2017-07-05"})])["published"]["accuracy"] == 1.0
    assert score([(g, {"published": "2017-07-04"})])["published"]["accuracy"] == 0.0
    assert score([(gold_doc(), {"published": "2017-07-05"})])["published"] == {"accuracy": None, "n": 0}


def test_empty_scores_are_zero_not_errors():
    res = score([])
    assert res["documents"] == 0 and res["entities"]["f1"] == 0.0 and res["body"] == {"f1": None, "n": 0}


# --------------------------------------------------------------------------- by language, files


def test_by_language_splits_without_changing_totals():
    g_id = gold_doc(language="id", events=[event("ACCUSE", actor("RUS"), actor("USA"))])
    g_en = gold_doc(language="en", events=[event("ACCUSE", actor("IRN"), actor("USA"))])
    rec = {"events": [event("ACCUSE", actor("RUS"), actor("USA"))]}
    res = score([(g_id, rec), (g_en, rec)])
    assert res["events"]["tp"] == 1 and res["events"]["fn"] == 1
    assert res["by_language"]["id"]["events"]["f1"] == 1.0
    assert res["by_language"]["en"]["events"]["f1"] == 0.0
    assert "by_language" not in score([(g_id, rec)], by_language=False)


def test_evaluate_matches_by_basename_and_resolves_file(tmp_path: Path):
    (tmp_path / "g").mkdir()
    (tmp_path / "g" / "sub").mkdir()
    (tmp_path / "g" / "x.gold.json").write_text(json.dumps({"file": "../art/x.txt", "language": "id", "published": "2020-01-02"}))
    (tmp_path / "g" / "sub" / "y.gold.json").write_text(json.dumps({"file": "y.txt", "language": "en", "published": "2020-01-03"}))
    loaded = load_gold([tmp_path / "g"])
    # gold files come in sorted path order ("sub/y" before "x")
    assert [p for p, _ in loaded] == [(tmp_path / "g" / "sub" / "y.txt").resolve(), (tmp_path / "art" / "x.txt").resolve()]
    recs = [{"source": {"path": "/elsewhere/x.txt"}, "published": "2020-01-02"}, {"source": {"path": None}}]
    res = evaluate([tmp_path / "g"], recs)
    assert res["published"] == {"accuracy": 0.5, "n": 2}
    assert res["missing_records"] == 1
    assert list(res)[-2:] == ["missing_records", "by_language"]
    report = format_report(res)
    assert "documents 2, without a record 1" in report
    assert "[id] published" in report
    assert "[id] events" not in report  # nothing scored, no empty line


@pytest.mark.parametrize("bad", [None, {}, {"text": None, "entities": None, "events": None, "quotes": None}])
def test_empty_record_scores_as_nothing_found(bad):
    g = gold_doc(published="2020-01-01", body_must_contain=["x"], entities=[SAMKHANI],
                 events=[event("ACCUSE", actor("RUS"), actor("USA"))], quotes=[{"speaker": {"canonical": "A B"}, "text_starts": "x"}])
    res = score([(g, bad)])
    assert res["cleaning"]["accuracy"] == 0.0 and res["published"]["accuracy"] == 0.0
    assert [res[k]["fn"] for k in ("entities", "events", "quotes")] == [1, 1, 1]

"""``warta kb`` search/show/add: output, validation, and overlays that never touch the package."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from warta.cli import main
from warta.extract.entities import find_entities
from warta.kb import load_kb
from warta.resources import data_dir


@pytest.fixture
def overlay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "overlay"
    monkeypatch.setenv("WARTA_DATA_PATH", str(d))
    return d


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_kb_search_fuzzy_shows_canonical_type_actor_and_alias(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = _run(capsys, "kb", "search", "Samkhani", "--date", "2017-07-05", "--format", "jsonl")
    assert rc == 0
    first = json.loads(out.splitlines()[0])
    assert first["kb_id"] == "ali_shamkhani" and first["canonical"] == "Ali Shamkhani"
    assert (first["type"], first["country"], first["actor"]) == ("PER", "IRN", "IRNGOV")
    assert first["alias"] == "Samkhani"
    # a spelling variant that is no alias at all still finds the person
    rc, out, _ = _run(capsys, "kb", "search", "Vladmir Putn", "--limit", "1", "--format", "jsonl")
    assert json.loads(out)["canonical"] == "Vladimir Putin"
    rc, out, _ = _run(capsys, "kb", "search", "Kejagung", "--limit", "1", "--format", "jsonl")
    hit = json.loads(out)
    assert (hit["type"], hit["actor"]) == ("ORG", "IDNJUD")


def test_kb_show_person_lists_aliases_and_dated_roles(capsys: pytest.CaptureFixture[str]) -> None:
    rc, out, _ = _run(capsys, "kb", "show", "prabowo_subianto", "--date", "2020-01-01", "--format", "json")
    rec = json.loads(out)
    assert rc == 0 and rec["kind"] == "person" and rec["role"] == "Minister of Defence"
    assert "Prabowo" in rec["aliases"]
    roles = [(r["role"], r["start"]) for r in rec["roles"]]
    assert ("President of Indonesia", "2024-10-20") in roles
    starts = [r["start"] for r in rec["roles"]]
    assert starts == sorted(starts)
    rc, out, _ = _run(capsys, "kb", "show", "idn")  # a country by ISO3, any case
    assert rc == 0 and "Indonesia" in out and "RI@id" in out


def test_kb_show_unknown_id_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    rc, _, err = _run(capsys, "kb", "show", "prabowo")
    assert rc == 1 and "prabowo_subianto" in err


def test_kb_add_person_role_alias_org_into_overlay(overlay: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shipped = {p: p.stat().st_mtime for p in (data_dir() / "kb").glob("*.tsv")}
    rc, _out, err = _run(capsys, "kb", "add", "person", "x_budi_contoh", "--name", "Budi Contoh", "--country",
                        "IDN", "--actor", "IDNGOV", "--alias", "Budi C.", "--role", "Regent of Contoh",
                        "--from", "2021-02-26", "--to", "2025-02-20")
    assert rc == 0, err
    assert (overlay / "kb" / "persons.tsv").is_file() and (overlay / "kb" / "roles.tsv").is_file()
    assert _run(capsys, "kb", "add", "role", "x_budi_contoh", "--role", "Governor of Contoh", "--actor",
                "IDNGOV", "--country", "IDN", "--from", "2025-02-20")[0] == 0
    assert _run(capsys, "kb", "add", "alias", "ali_shamkhani", "Ali Syamkhani")[0] == 0
    assert _run(capsys, "kb", "add", "org", "x_badan_contoh", "--name", "Badan Contoh", "--actor", "IDNGOV",
                "--country", "IDN", "--alias", "BCX")[0] == 0
    kb = load_kb()
    assert kb.persons["x_budi_contoh"].aliases == ("Budi C.",)
    assert kb.person_role("x_budi_contoh", "2023-01-01").role == "Regent of Contoh"
    assert kb.person_role("x_budi_contoh", "2025-06-01").role == "Governor of Contoh"
    # an alias row extends the shipped person, it does not replace it
    sham = kb.persons["ali_shamkhani"]
    assert sham.canonical == "Ali Shamkhani" and {"Samkhani", "Ali Syamkhani"} <= set(sham.aliases)
    ents, _ = find_entities("Gubernur Budi Contoh menemui Ali Syamkhani dan pejabat BCX.", language="id",
                            date="2025-06-01")
    by = {e.text: e for e in ents}
    assert by["Budi Contoh"].kb_id == "x_budi_contoh" and by["Budi Contoh"].role == "Governor of Contoh"
    assert by["Ali Syamkhani"].canonical == "Ali Shamkhani"
    assert by["BCX"].actor == "IDNGOV"
    assert shipped == {p: p.stat().st_mtime for p in (data_dir() / "kb").glob("*.tsv")}


@pytest.mark.parametrize("argv, message", [
    (["person", "ali_shamkhani", "--name", "X", "--country", "IRN"], "already in the KB"),
    (["person", "x_p", "--name", "X", "--country", "XXX"], "not an ISO3"),
    (["person", "x_p", "--name", "X", "--country", "IDN", "--actor", "idn-gov"], "actor"),
    (["role", "nobody_here", "--role", "R", "--actor", "IDNGOV", "--from", "2020"], "not a person"),
    (["role", "joko_widodo", "--role", "R", "--actor", "IDNGOV", "--from", "2020-13-01"], "start"),
    (["role", "joko_widodo", "--role", "R", "--actor", "IDNGOV", "--from", "2020", "--to", "2019"], "before"),
    (["alias", "no_such_id", "X"], "no KB record"),
])
def test_kb_add_refuses_bad_rows(overlay: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
                                 message: str) -> None:
    rc, _, err = _run(capsys, "kb", "add", *argv)
    assert rc == 2 and message in err
    assert not (overlay / "kb").exists() or not any((overlay / "kb").iterdir())


def test_kb_add_needs_an_overlay_folder_outside_the_package(monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("WARTA_DATA_PATH", raising=False)
    rc, _, err = _run(capsys, "kb", "add", "alias", "joko_widodo", "Pak Jokowi")
    assert rc == 2 and "WARTA_DATA_PATH" in err
    rc, _, err = _run(capsys, "kb", "add", "alias", "joko_widodo", "Pak Jokowi", "--data-dir", str(data_dir()))
    assert rc == 2 and "installed warta package" in err


def test_kb_add_file_yaml_and_csv(overlay: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    y = tmp_path / "batch.yaml"
    y.write_text("persons:\n  - {id: x_sari, canonical: Sari Contoh, aliases: [Bu Sari], country: IDN, actor: IDNGOV}\n"
                 "roles:\n  - {person_id: x_sari, role: Mayor of Contoh, country: IDN, actor: IDNGOV,"
                 " start: '2020-01-01'}\n", encoding="utf-8")
    rc, _out, err = _run(capsys, "kb", "add", "file", str(y))
    assert rc == 0, err
    c = tmp_path / "orgs.csv"
    c.write_text("id,canonical,actor,country,aliases,type\nx_lsm,Lembaga Contoh,IDNNGO,IDN,LSMC,ORG\n",
                 encoding="utf-8")
    assert _run(capsys, "kb", "add", "file", str(c))[0] == 0
    kb = load_kb()
    assert kb.person_role("x_sari", "2024-01-01").role == "Mayor of Contoh"
    assert kb.orgs["x_lsm"].aliases == ("LSMC",)
    bad = tmp_path / "roles.tsv"
    bad.write_text("person_id\trole\tcountry\tactor\tstart\tend\nx_sari\tR\tIDN\tIDNGOV\t2024\t2023\n",
                   encoding="utf-8")
    rc, _, err = _run(capsys, "kb", "add", "file", str(bad))
    assert rc == 2 and "before" in err
    assert len(load_kb().roles["x_sari"]) == 1  # nothing written from a refused file

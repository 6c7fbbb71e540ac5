"""Dated roles checked against public records (docs/kb.md lists the sample): corrected rows stay corrected."""

from __future__ import annotations

import pytest

from warta.kb import load_kb


@pytest.mark.parametrize("person, date, role", [
    # Jokowi's cabinets: 2014 (Kabinet Kerja), reshuffles 12 Aug 2015 and 27 Jul 2016, 2019 (Indonesia Maju)
    ("tedjo_edhy_purdijatno", "2015-01-01", "Coordinating Minister for Political, Legal and Security Affairs"),
    ("luhut_binsar_pandjaitan", "2015-01-15", "Chief of Presidential Staff"),
    ("luhut_binsar_pandjaitan", "2016-01-01", "Coordinating Minister for Political, Legal and Security Affairs"),
    ("luhut_binsar_pandjaitan", "2018-01-01", "Coordinating Minister for Maritime Affairs"),
    ("wiranto", "2017-01-01", "Coordinating Minister for Political, Legal and Security Affairs"),
    ("sutiyoso", "2016-01-01", "Head of the State Intelligence Agency"),
    ("budi_gunawan", "2017-01-01", "Head of the State Intelligence Agency"),
    ("bahlil_lahadalia", "2020-06-01", "Head of the Investment Coordinating Board"),  # ministry only from Apr 2021
    ("bahlil_lahadalia", "2022-06-01", "Minister of Investment"),
    ("nadiem_makarim", "2020-06-01", "Minister of Education and Culture"),
    ("nadiem_makarim", "2022-06-01", "Minister of Education, Culture, Research and Technology"),
    ("yasonna_laoly", "2019-10-10", None),  # in the DPR from 1 Oct 2019, back in the cabinet on 23 Oct
    ("yasonna_laoly", "2019-10-23", "Minister of Law and Human Rights"),
    # Prabowo's cabinet (21 Oct 2024): the law ministry split
    ("supratman_andi_agtas", "2024-09-01", "Minister of Law and Human Rights"),
    ("supratman_andi_agtas", "2024-11-01", "Minister of Law"),
    ("sugiono", "2024-10-21", "Minister of Foreign Affairs"),
    ("sri_mulyani_indrawati", "2025-09-07", "Minister of Finance"),
    ("purbaya_yudhi_sadewa", "2025-09-08", "Minister of Finance"),
    # a last day in office is still in office (ends are exclusive)
    ("jean_claude_juncker", "2019-11-30", "President of the European Commission"),
    ("ban_ki_moon", "2016-12-31", "Secretary-General of the United Nations"),
    ("moon_jae_in", "2022-05-09", "President of South Korea"),
])
def test_role_on_date(person: str, date: str, role: str | None) -> None:
    r = load_kb().person_role(person, date)
    assert (r.role if r else None) == role

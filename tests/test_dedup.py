from __future__ import annotations

from warta.dedup import NearDuplicates
from warta.document import Document

BODY = (
    "Menteri Luar Negeri Indonesia bertemu dengan Menteri Luar Negeri Malaysia di Kuala Lumpur pada Senin "
    "untuk membahas perbatasan laut, perdagangan, perlindungan pekerja migran dan kerja sama keamanan di "
    "kawasan. Kedua menteri sepakat mempercepat perundingan batas maritim yang tertunda sejak beberapa tahun "
    "lalu dan membentuk kelompok kerja bersama untuk pekerja migran."
)


def test_dedup_marks_syndicated_copy_not_a_different_story() -> None:
    step = NearDuplicates(threshold=0.7)
    a = step(Document(id="a", text=BODY + "\n\nBaca juga: Harga cabai naik"))
    b = step(Document(id="b", text="JAKARTA - " + BODY + "\n\nSimak berita lainnya"))
    c = step(Document(id="c", text="Polisi menangkap dua tersangka pencurian kendaraan bermotor di Bekasi "
                                   "setelah penyelidikan selama sebulan oleh tim gabungan dari polres setempat."))
    assert a.duplicate_of is None and b.duplicate_of == "a" and c.duplicate_of is None
    # the same document again is not its own duplicate
    assert step(Document(id="a", text=BODY)).duplicate_of is None

"""Near-duplicate articles: MinHash LSH over word 5-gram shingles (datasketch).

Syndicated copies of one story carry different page furniture but the same
body; the first article seen keeps its id, later ones get ``duplicate_of``.
The index lives as long as the step object: one run in the local executor,
one partition under Dask (cross-partition copies are then not marked).
"""

from __future__ import annotations

import re

from warta.document import Document

WORD = re.compile(r"\w+")


class NearDuplicates:
    """A stateful step: marks ``doc.duplicate_of`` when a similar article was seen before."""

    name = "dedup"

    def __init__(self, threshold: float = 0.8, num_perm: int = 64, shingle: int = 5) -> None:
        from datasketch import MinHashLSH

        self.threshold, self.num_perm, self.shingle = threshold, num_perm, shingle
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.seen: set[str] = set()

    def minhash(self, text: str):  # -> datasketch.MinHash
        from datasketch import MinHash

        toks = WORD.findall(text.casefold())
        n = self.shingle
        grams = {" ".join(toks[i:i + n]) for i in range(max(1, len(toks) - n + 1))}
        m = MinHash(num_perm=self.num_perm)
        m.update_batch([g.encode("utf-8") for g in grams])
        return m

    def __call__(self, doc: Document) -> Document:
        if doc.id in self.seen or not doc.text.strip():
            return doc
        m = self.minhash(doc.text)
        hits = sorted(self.lsh.query(m))
        if hits:
            doc.duplicate_of = hits[0]
        else:
            self.lsh.insert(doc.id, m)
        self.seen.add(doc.id)
        return doc

"""Knowledge base: loading, indexing, alias and fuzzy lookup (see ``warta.kb.knowledge``).

Names are imported lazily so that ``warta --help`` (which registers the ``warta kb`` commands from
``warta.kb.cli``) does not pay for loading the KB module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from warta.kb.knowledge import (
        Country,
        GazEntry,
        KnowledgeBase,
        Org,
        OrgPattern,
        Person,
        PlaceEntry,
        Role,
        SearchHit,
        load_kb,
    )

__all__ = ["Country", "GazEntry", "KnowledgeBase", "Org", "OrgPattern", "Person", "PlaceEntry", "Role",
           "SearchHit", "load_kb"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from warta.kb import knowledge

        return getattr(knowledge, name)
    raise AttributeError(f"module 'warta.kb' has no attribute {name!r}")

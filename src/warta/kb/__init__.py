"""Knowledge base: loading, indexing, alias and fuzzy lookup (see ``warta.kb.knowledge``)."""

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

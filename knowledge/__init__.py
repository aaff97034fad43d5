"""Knowledge base for the pårørende guide.

Content lives as YAML under ``knowledge/articles/<topic>/<id>.yaml`` (one article per
file) and is validated by :mod:`knowledge.schema`.  :func:`knowledge.loader.load` turns
it into database tables (SQLite by default, PostgreSQL in production) and
:class:`knowledge.repository.KnowledgeRepository` is the read API used by the Rasa
actions.  Nothing here opens a database or reads files at import time.
"""

TOPICS = (
    "parorende_rolle",
    "informasjon",
    "taushetsplikt",
    "avlastning",
    "okonomi",
    "koordinering",
    "barn_unge",
    "egen_helse",
    "sorg",
    "klage",
    "organisasjoner",
    "tolk_sprak",
    "handover",
    "krise",
    "smalltalk",
    "out_of_scope",
)

__all__ = ["TOPICS"]

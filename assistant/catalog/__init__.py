"""The machine-readable catalogues (knowledge/catalog/*.yaml), validated by pydantic, as engineering values.

Each file is validated by a pydantic model (a bad file names file, entry and field), then converted to the
frozen dataclasses of assistant/engineering, which never see pydantic.
"""

from assistant.catalog.load import CAPABILITY_DOC, HEAT_TREATMENT_DOC, Catalog, load_catalog

__all__ = ["CAPABILITY_DOC", "HEAT_TREATMENT_DOC", "Catalog", "load_catalog"]

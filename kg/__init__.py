"""Kabar KG: build a validated, queryable knowledge graph from Indonesian news articles.

The library in a few calls (paths are str or pathlib.Path; see kg.api):

    import kg
    result = kg.build("articles/", output="out/kg.ttl", store=".kabar")   # BuildResult
    rows = kg.query(".kabar", "SELECT ?name WHERE { ?m a kg:Municipality ; rdfs:label ?name }")
    rows.to_dataframe()                     # a pandas DataFrame (pandas is optional)
    kg.export(".kabar", "out/kg.jsonld")    # any of .ttl .nt .nq .trig .jsonld .rdf
    store = kg.open_store(".kabar")         # the pyoxigraph Store, read-only
    kg.write_tables(".kabar", "tables/")    # spreadsheet-ready CSV (and Parquet with pyarrow)

Nothing heavy is imported until one of these is used: `import kg` stays cheap."""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["build", "query", "export", "open_store", "write_tables", "fact_tables", "Rows", "KgError",
           "__version__"]

_API = {"build", "query", "open_store", "write_tables", "fact_tables", "Rows"}


def __getattr__(name: str):
    if name in _API:
        from . import api
        return getattr(api, name)
    if name == "KgError":
        from .errors import KgError
        return KgError
    if name == "export":   # the module kg.export, which is callable: kg.export(source, output) is kg.api.export
        import importlib
        return importlib.import_module(".export", __name__)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

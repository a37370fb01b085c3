"""Kabar KG: build a validated, queryable knowledge graph from Indonesian news articles."""
__version__ = "0.1.0"

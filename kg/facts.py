"""Facts of an article: the relation readers live in kg/relations/ (one module per family)."""
from .relations import ArticleFacts, Entity, Evidence, Fact, area_of, extract_facts, implied_entity

__all__ = ["ArticleFacts", "Entity", "Evidence", "Fact", "area_of", "extract_facts", "implied_entity"]

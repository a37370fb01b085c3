"""Errors the library raises; the CLI turns them into one-line messages and exit code 2."""


class KgError(Exception):
    """Base class of every error Kabar KG reports to a user."""


class ArticleError(KgError):
    """An article file cannot be read or has no usable text."""


class LexiconError(KgError):
    """A lexicon file is malformed."""


class GraphInputError(KgError):
    """An RDF file given to validate, query or check cannot be read."""


class QueryError(KgError):
    """A SPARQL query is malformed or cannot be run."""

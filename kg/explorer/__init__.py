"""The Kabar KG explorer: a small web application over the store for people who do not write SPARQL
(`kg explore`). `create_app(store_dir)` returns the ASGI application."""
from .app import create_app

__all__ = ["create_app"]

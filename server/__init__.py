"""The election-kg web server: reads the published files in data/dist/ and serves them."""

from server.app import create_app

__all__ = ["create_app"]

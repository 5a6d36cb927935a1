"""Helpers the tests share: plain modules, imported by conftest.py and tests, never the reverse."""

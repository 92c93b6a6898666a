"""Digest: a static site generator for a curated AI-news digest."""

__version__ = "0.2.0"

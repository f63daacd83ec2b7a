"""The site's medical-content plugin for Pelican: the rules every page meets, the data its
pages draw on, and the pages no editor writes. build.py says what runs when; plugins/README.md
and each folder's README say what lives where."""

from .build import register

__all__ = ["register"]

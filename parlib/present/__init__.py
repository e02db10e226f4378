"""Presentation: the bilingual catalogue, formatting, narrative, tables, charts, maps, pages.

Presenters format what a Profile or an Overview carries; they never rank, average or subtract,
and never import :mod:`parlib.engine` or :mod:`parlib.data` (a test enforces this).
"""

"""The ``parlib`` command."""

from parlib.cli.main import build_parser, main

__all__ = ["build_parser", "main"]

"""The version of parlib (one place; read by the build and by every report's provenance)."""

__version__ = "0.1.0"

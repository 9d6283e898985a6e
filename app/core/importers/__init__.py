"""Importers of other tools' question formats into pack format v1 (pure Python, no Qt)."""

from app.core.importers.detect import load_any
from app.core.importers.draft import ImportOverrides, ImportResult, Skipped

__all__ = ["ImportOverrides", "ImportResult", "Skipped", "load_any"]

"""Blocksim: an offline simulator of USMLE Step 2 CK exam days."""

__version__ = "0.1.0"

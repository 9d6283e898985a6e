"""Exam rules, pack format, scoring and analytics in plain Python (no Qt, no SQLAlchemy)."""

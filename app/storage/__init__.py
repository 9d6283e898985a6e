"""SQLite storage through SQLAlchemy 2; the rest of the app sees only repositories."""

"""Alembic environment: migrations run on the engine the app passes in."""

from alembic import context

from app.storage.orm import Base

target_metadata = Base.metadata
engine = context.config.attributes.get("engine")

if engine is None:
    from sqlalchemy import create_engine

    engine = create_engine(context.config.get_main_option("sqlalchemy.url"))

with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    context.run_migrations()

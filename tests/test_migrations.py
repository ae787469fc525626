"""Migrations on an empty database produce exactly the schema of the models."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from diagnosis.extensions import db


def test_migrations_on_an_empty_database_match_the_models(app):
    db.drop_all()
    upgrade()
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []

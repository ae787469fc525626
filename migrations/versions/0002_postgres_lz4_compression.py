"""PostgreSQL: compress large JSON values with lz4, and leave stored PDFs uncompressed

Results and answers are tens of kilobytes of JSON; lz4 compresses them several times faster than
the default pglz. PDFs are compressed already, so TOAST compression only costs time.

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

LZ4 = [("diagnosis_result", "data"), ("diagnosis", "answers"), ("diagnosis", "profile"),
       ("questionnaire_version", "content")]


def _lz4_available() -> bool:
    bind = op.get_bind()
    return bind.exec_driver_sql(
        "SELECT count(*) FROM pg_settings WHERE name = 'default_toast_compression' "
        "AND 'lz4' = ANY(enumvals)").scalar() > 0


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    if _lz4_available():
        for table, column in LZ4:
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION lz4")
    op.execute("ALTER TABLE stored_report ALTER COLUMN pdf SET STORAGE EXTERNAL")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in LZ4:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION default")
    op.execute("ALTER TABLE stored_report ALTER COLUMN pdf SET STORAGE EXTENDED")

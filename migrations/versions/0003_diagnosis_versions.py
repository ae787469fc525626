"""Diagnosis versions for optimistic concurrency, and numbered results (one per submission)

- ``diagnosis.version``: bumped by every write of a draft, which only succeeds while the version it
  read is still the stored one (a save racing a submit, or another save, cannot overwrite it).
- ``diagnosis.field_versions``: which version last changed each stored value, so a stale page can
  be told exactly which of its fields were changed elsewhere.
- ``diagnosis_result.sequence`` with a unique (diagnosis_id, sequence): the result scored at
  submission is number 1, each rescoring adds the next; a second submission result cannot exist.
  Existing rows are numbered in id order (duplicates left by the old double-submit bug become
  2, 3, ... and so read as rescorings; the newest stays the current result, as before).

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("diagnosis", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("field_versions", sa.JSON(), nullable=False, server_default="{}"))
    with op.batch_alter_table("diagnosis", schema=None) as batch_op:
        batch_op.alter_column("version", server_default=None)
        batch_op.alter_column("field_versions", server_default=None)

    op.add_column("diagnosis_result", sa.Column("sequence", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE diagnosis_result SET sequence = (SELECT count(*) FROM diagnosis_result AS earlier "
        "WHERE earlier.diagnosis_id = diagnosis_result.diagnosis_id AND earlier.id <= diagnosis_result.id)")
    with op.batch_alter_table("diagnosis_result", schema=None) as batch_op:
        batch_op.alter_column("sequence", existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint("uq_diagnosis_result_sequence", ["diagnosis_id", "sequence"])


def downgrade():
    with op.batch_alter_table("diagnosis_result", schema=None) as batch_op:
        batch_op.drop_constraint("uq_diagnosis_result_sequence", type_="unique")
        batch_op.drop_column("sequence")
    with op.batch_alter_table("diagnosis", schema=None) as batch_op:
        batch_op.drop_column("field_versions")
        batch_op.drop_column("version")

"""bureau: the official roster of above-scale enterprises, diagnosis rounds, per-submission summary
(kept on submit, aggregated by the dashboards) and frozen peer snapshots

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('roster_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('industry_code', sa.String(length=2), nullable=False),
    sa.Column('contact_name', sa.String(length=60), nullable=False),
    sa.Column('contact_phone', sa.String(length=20), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_roster_entry_area_id_area')),
    sa.ForeignKeyConstraint(['industry_code'], ['industry.code'], name=op.f('fk_roster_entry_industry_code_industry')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_entry')),
    sa.UniqueConstraint('credit_code', name=op.f('uq_roster_entry_credit_code'))
    )
    with op.batch_alter_table('roster_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roster_entry_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_roster_entry_industry_code'), ['industry_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_roster_entry_name'), ['name'], unique=False)

    op.create_table('diagnosis_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_diagnosis_round')),
    sa.UniqueConstraint('name', name=op.f('uq_diagnosis_round_name'))
    )

    op.create_table('diagnosis_summary',
    sa.Column('diagnosis_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('is_latest', sa.Boolean(), nullable=False),
    sa.Column('sme_grade', sa.Integer(), nullable=True),
    sa.Column('sme_label', sa.String(length=40), nullable=False),
    sa.Column('cmmm_level', sa.Integer(), nullable=True),
    sa.Column('cmmm_label', sa.String(length=40), nullable=False),
    sa.Column('key_processes_total', sa.Integer(), nullable=True),
    sa.Column('key_processes_nc', sa.Integer(), nullable=True),
    sa.Column('equipment_total', sa.Integer(), nullable=True),
    sa.Column('equipment_networked', sa.Integer(), nullable=True),
    sa.Column('robots', sa.Integer(), nullable=True),
    sa.Column('smart_lines', sa.Integer(), nullable=True),
    sa.Column('smart_workshops', sa.Integer(), nullable=True),
    sa.Column('on_cloud', sa.Boolean(), nullable=False),
    sa.Column('lianghua_status', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['diagnosis_id'], ['diagnosis.id'], name=op.f('fk_diagnosis_summary_diagnosis_id_diagnosis'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprise.id'], name=op.f('fk_diagnosis_summary_enterprise_id_enterprise')),
    sa.PrimaryKeyConstraint('diagnosis_id', name=op.f('pk_diagnosis_summary'))
    )
    with op.batch_alter_table('diagnosis_summary', schema=None) as batch_op:
        batch_op.create_index('ix_diagnosis_summary_enterprise_time', ['enterprise_id', 'submitted_at'], unique=False)
        batch_op.create_index('ix_diagnosis_summary_latest', ['is_latest', 'enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_diagnosis_summary_submitted_at'), ['submitted_at'], unique=False)

    op.create_table('peer_snapshot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('basis', sa.String(length=20), nullable=False),
    sa.Column('group_key', sa.String(length=40), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('subdomains', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_peer_snapshot')),
    sa.UniqueConstraint('period', 'basis', 'group_key', name='uq_peer_snapshot_group')
    )


def downgrade():
    op.drop_table('peer_snapshot')
    with op.batch_alter_table('diagnosis_summary', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_diagnosis_summary_submitted_at'))
        batch_op.drop_index('ix_diagnosis_summary_latest')
        batch_op.drop_index('ix_diagnosis_summary_enterprise_time')
    op.drop_table('diagnosis_summary')
    op.drop_table('diagnosis_round')
    with op.batch_alter_table('roster_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roster_entry_name'))
        batch_op.drop_index(batch_op.f('ix_roster_entry_industry_code'))
        batch_op.drop_index(batch_op.f('ix_roster_entry_area_id'))
    op.drop_table('roster_entry')

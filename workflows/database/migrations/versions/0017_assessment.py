"""assessment: runs (numbered, versioned score sheets), their rows, findings and evidence

Revision ID: 0017_assessment
Revises: 0016_province_scale
Create Date: 2026-11-29 20:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0017_assessment'
down_revision = '0016_province_scale'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'assessment_run',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=64), nullable=False),
        sa.Column('area_id', sa.Integer(), nullable=False),
        sa.Column('area_path', sa.String(length=255), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('seed', sa.BigInteger(), nullable=False),
        sa.Column('settings_snapshot', sa.JSON(), nullable=False),
        sa.Column('draws', sa.JSON(), nullable=False),
        sa.Column('total', sa.Numeric(10, 2), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('published_by_id', sa.Integer(), nullable=True),
        sa.Column('published_at', sa.DateTime(), nullable=True),
        sa.Column('supersedes_id', sa.Integer(), nullable=True),
        sa.Column('job_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['area_id'], ['area.id']),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id']),
        sa.ForeignKeyConstraint(['published_by_id'], ['user_account.id']),
        sa.ForeignKeyConstraint(['supersedes_id'], ['assessment_run.id']),
        sa.ForeignKeyConstraint(['job_id'], ['job.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('number'),
        sa.UniqueConstraint('area_id', 'period_start', 'period_end', 'version', name='uq_assessment_run_version'),
    )
    op.create_index('ix_assessment_run_area_id', 'assessment_run', ['area_id'], unique=False)
    op.create_index('ix_assessment_run_area_path', 'assessment_run', ['area_path'], unique=False)
    op.create_index('ix_assessment_run_status', 'assessment_run', ['status'], unique=False)
    op.create_index('ix_assessment_run_job_id', 'assessment_run', ['job_id'], unique=False)
    op.create_table(
        'assessment_row',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('rule_id', sa.String(length=16), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('computed_deduction', sa.Numeric(10, 2), nullable=True),
        sa.Column('manual_deduction', sa.Numeric(10, 2), nullable=True),
        sa.Column('override_deduction', sa.Numeric(10, 2), nullable=True),
        sa.Column('override_reason', sa.String(length=1000), nullable=False),
        sa.Column('deduction', sa.Numeric(10, 2), nullable=False),
        sa.Column('score', sa.Numeric(10, 2), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('no_data', sa.Boolean(), nullable=False),
        sa.Column('note', sa.String(length=2000), nullable=False),
        sa.ForeignKeyConstraint(['run_id'], ['assessment_run.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('run_id', 'rule_id', name='uq_assessment_row_rule'),
    )
    op.create_index('ix_assessment_row_run_id', 'assessment_row', ['run_id'], unique=False)
    op.create_table(
        'assessment_finding',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('rule_id', sa.String(length=16), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=True),
        sa.Column('label', sa.String(length=500), nullable=False),
        sa.Column('deduction', sa.Numeric(10, 2), nullable=False),
        sa.Column('url', sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(['run_id'], ['assessment_run.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_assessment_finding_rule', 'assessment_finding', ['run_id', 'rule_id'], unique=False)
    op.create_table(
        'assessment_evidence',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('run_id', sa.Integer(), nullable=False),
        sa.Column('rule_id', sa.String(length=16), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('deduction', sa.Numeric(10, 2), nullable=False),
        sa.Column('note', sa.String(length=2000), nullable=False),
        sa.Column('file', sa.String(length=255), nullable=False),
        sa.Column('file_name', sa.String(length=255), nullable=False),
        sa.Column('file_type', sa.String(length=100), nullable=False),
        sa.Column('entered_by_id', sa.Integer(), nullable=True),
        sa.Column('entered_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['entered_by_id'], ['user_account.id']),
        sa.ForeignKeyConstraint(['run_id'], ['assessment_run.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_assessment_evidence_run_id', 'assessment_evidence', ['run_id'], unique=False)


def downgrade():
    op.drop_index('ix_assessment_evidence_run_id', table_name='assessment_evidence')
    op.drop_table('assessment_evidence')
    op.drop_index('ix_assessment_finding_rule', table_name='assessment_finding')
    op.drop_table('assessment_finding')
    op.drop_index('ix_assessment_row_run_id', table_name='assessment_row')
    op.drop_table('assessment_row')
    op.drop_index('ix_assessment_run_job_id', table_name='assessment_run')
    op.drop_index('ix_assessment_run_status', table_name='assessment_run')
    op.drop_index('ix_assessment_run_area_path', table_name='assessment_run')
    op.drop_index('ix_assessment_run_area_id', table_name='assessment_run')
    op.drop_table('assessment_run')

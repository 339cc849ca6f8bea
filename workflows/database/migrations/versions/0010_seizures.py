"""seizures: 查封 of premises used for MLM, and the utility and lock measures that hang off one in force

Revision ID: 0010_seizures
Revises: 0009_operations
Create Date: 2026-11-29 17:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0010_seizures'
down_revision = '0009_operations'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('seizure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('case_instance_id', sa.Integer(), nullable=True),
    sa.Column('case_task_id', sa.String(length=36), nullable=False),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('party_name', sa.String(length=200), nullable=False),
    sa.Column('party_id', sa.String(length=18), nullable=False),
    sa.Column('party_address', sa.String(length=300), nullable=False),
    sa.Column('premises', sa.String(length=300), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('approval_note', sa.String(length=500), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('extension_days', sa.Integer(), nullable=False),
    sa.Column('extension_reason', sa.String(length=1000), nullable=False),
    sa.Column('extension_approved_by_id', sa.Integer(), nullable=True),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('end_reason', sa.String(length=1000), nullable=False),
    sa.Column('decision_notice_id', sa.Integer(), nullable=True),
    sa.Column('extension_notice_id', sa.Integer(), nullable=True),
    sa.Column('release_notice_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], ),
    sa.ForeignKeyConstraint(['case_instance_id'], ['process_instance.id'], ),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['approved_by_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['extension_approved_by_id'], ['user_account.id'], ),
    sa.ForeignKeyConstraint(['decision_notice_id'], ['notice.id'], ),
    sa.ForeignKeyConstraint(['extension_notice_id'], ['notice.id'], ),
    sa.ForeignKeyConstraint(['release_notice_id'], ['notice.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('instance_id')
    )
    op.create_index(op.f('ix_seizure_area_path'), 'seizure', ['area_path'], unique=False)
    op.create_index(op.f('ix_seizure_case_instance_id'), 'seizure', ['case_instance_id'], unique=False)
    op.create_index(op.f('ix_seizure_status'), 'seizure', ['status'], unique=False)
    op.create_table('seizure_measure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seizure_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('supplier', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('assist_notice_id', sa.Integer(), nullable=True),
    sa.Column('restore_notice_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['seizure_id'], ['seizure.id'], ),
    sa.ForeignKeyConstraint(['assist_notice_id'], ['notice.id'], ),
    sa.ForeignKeyConstraint(['restore_notice_id'], ['notice.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_seizure_measure_seizure_id'), 'seizure_measure', ['seizure_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_seizure_measure_seizure_id'), table_name='seizure_measure')
    op.drop_table('seizure_measure')
    op.drop_index(op.f('ix_seizure_status'), table_name='seizure')
    op.drop_index(op.f('ix_seizure_case_instance_id'), table_name='seizure')
    op.drop_index(op.f('ix_seizure_area_path'), table_name='seizure')
    op.drop_table('seizure')

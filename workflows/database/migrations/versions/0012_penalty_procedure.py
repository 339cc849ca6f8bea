"""penalty procedure: one row per party's administrative penalty procedure (penalty_case)

Revision ID: 0012_penalty_procedure
Revises: 0011_pyramid_free
Create Date: 2026-11-29 17:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_penalty_procedure'
down_revision = '0011_pyramid_free'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('penalty_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('source_instance_id', sa.Integer(), nullable=True),
    sa.Column('source_task', sa.String(length=64), nullable=False),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('party_name', sa.String(length=120), nullable=False),
    sa.Column('party_id_number', sa.String(length=32), nullable=False),
    sa.Column('party_kind', sa.String(length=16), nullable=False),
    sa.Column('party_address', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('discovered_on', sa.Date(), nullable=False),
    sa.Column('filing_due', sa.Date(), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=True),
    sa.Column('decision_due', sa.Date(), nullable=True),
    sa.Column('decision_extended', sa.Boolean(), nullable=False),
    sa.Column('proposed_fine', sa.Integer(), nullable=True),
    sa.Column('notified_on', sa.Date(), nullable=True),
    sa.Column('response', sa.String(length=16), nullable=False),
    sa.Column('hearing_on', sa.Date(), nullable=True),
    sa.Column('fine', sa.Integer(), nullable=True),
    sa.Column('decision_number', sa.String(length=60), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('served_on', sa.Date(), nullable=True),
    sa.Column('service_method', sa.String(length=16), nullable=False),
    sa.Column('receipt_returned_on', sa.Date(), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('paid_amount', sa.Integer(), nullable=True),
    sa.Column('surcharge', sa.Integer(), nullable=True),
    sa.Column('enforcement_applied_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('record', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], name=op.f('fk_penalty_case_instance_id_process_instance')),
    sa.ForeignKeyConstraint(['source_instance_id'], ['process_instance.id'], name=op.f('fk_penalty_case_source_instance_id_process_instance')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_penalty_case')),
    sa.UniqueConstraint('instance_id', name=op.f('uq_penalty_case_instance_id'))
    )
    with op.batch_alter_table('penalty_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_penalty_case_area_path'), ['area_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_penalty_case_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_penalty_case_outcome'), ['outcome'], unique=False)
        batch_op.create_index(batch_op.f('ix_penalty_case_source_instance_id'), ['source_instance_id'], unique=False)



def downgrade():
    with op.batch_alter_table('penalty_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_penalty_case_source_instance_id'))
        batch_op.drop_index(batch_op.f('ix_penalty_case_outcome'))
        batch_op.drop_index(batch_op.f('ix_penalty_case_created_at'))
        batch_op.drop_index(batch_op.f('ix_penalty_case_area_path'))

    op.drop_table('penalty_case')

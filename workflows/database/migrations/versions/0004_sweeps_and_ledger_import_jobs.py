"""sweeps: concentrated sweeps (集中清查行动) with their house-by-house checks; ledger import jobs

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 03:27:32.283824
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ledger_import_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ledger', sa.String(length=32), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('phase', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('valid', sa.Integer(), nullable=False),
    sa.Column('imported', sa.Integer(), nullable=False),
    sa.Column('errors', sa.JSON(), nullable=False),
    sa.Column('error', sa.String(length=500), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_ledger_import_job_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_import_job'))
    )
    with op.batch_alter_table('ledger_import_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_import_job_created_by_id'), ['created_by_id'], unique=False)

    op.create_table('sweep',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('key_area', sa.Boolean(), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('planned_by_id', sa.Integer(), nullable=False),
    sa.Column('planned_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('finished_by_id', sa.Integer(), nullable=True),
    sa.Column('summary', sa.String(length=1000), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_sweep_area_id_area')),
    sa.ForeignKeyConstraint(['finished_by_id'], ['user_account.id'], name=op.f('fk_sweep_finished_by_id_user_account')),
    sa.ForeignKeyConstraint(['planned_by_id'], ['user_account.id'], name=op.f('fk_sweep_planned_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sweep'))
    )
    with op.batch_alter_table('sweep', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sweep_area_path'), ['area_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_sweep_planned_on'), ['planned_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_sweep_status'), ['status'], unique=False)

    op.create_table('sweep_check',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sweep_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('address', sa.String(length=400), nullable=False),
    sa.Column('checked_on', sa.Date(), nullable=False),
    sa.Column('house_type', sa.String(length=16), nullable=False),
    sa.Column('occupants', sa.Integer(), nullable=False),
    sa.Column('flags', sa.JSON(), nullable=False),
    sa.Column('suspicious', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('case_instance_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_sweep_check_area_id_area')),
    sa.ForeignKeyConstraint(['case_instance_id'], ['process_instance.id'], name=op.f('fk_sweep_check_case_instance_id_process_instance')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_sweep_check_recorded_by_id_user_account')),
    sa.ForeignKeyConstraint(['sweep_id'], ['sweep.id'], name=op.f('fk_sweep_check_sweep_id_sweep')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sweep_check')),
    sa.UniqueConstraint('sweep_id', 'area_id', name='uq_sweep_check_sweep_area')
    )
    with op.batch_alter_table('sweep_check', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sweep_check_area_path'), ['area_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_sweep_check_sweep_id'), ['sweep_id'], unique=False)



def downgrade():
    with op.batch_alter_table('sweep_check', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sweep_check_sweep_id'))
        batch_op.drop_index(batch_op.f('ix_sweep_check_area_path'))

    op.drop_table('sweep_check')
    with op.batch_alter_table('sweep', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sweep_status'))
        batch_op.drop_index(batch_op.f('ix_sweep_planned_on'))
        batch_op.drop_index(batch_op.f('ix_sweep_area_path'))

    op.drop_table('sweep')
    with op.batch_alter_table('ledger_import_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_import_job_created_by_id'))

    op.drop_table('ledger_import_job')

"""jobs: a jobs table claimed by workers under a lease; ledger imports and batch prints link to their job

Imports and batch prints that were "running" in a thread of a web process when this revision is applied have
nobody left to finish them: they end as failed, with a message that asks for the file (or the print) again.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 06:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

INTERRUPTED = '系统升级时该任务已中断，请重新提交'


def upgrade():
    op.create_table('job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('max_attempts', sa.Integer(), nullable=False),
    sa.Column('lease_owner', sa.String(length=120), nullable=True),
    sa.Column('lease_until', sa.DateTime(), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(), nullable=True),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_job_status')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_job_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job'))
    )
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.create_index('ix_job_claim', ['status', 'lease_until', 'id'], unique=False)

    for table in ('ledger_import_job', 'notice_batch'):
        op.execute(sa.text(f"UPDATE {table} SET status = 'failed', error = :error WHERE status = 'running'")
                   .bindparams(error=INTERRUPTED))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('job_id', sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f(f'ix_{table}_job_id'), ['job_id'], unique=False)
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_job_id_job'), 'job', ['job_id'], ['id'])


def downgrade():
    for table in ('notice_batch', 'ledger_import_job'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_job_id_job'), type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_job_id'))
            batch_op.drop_column('job_id')
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_index('ix_job_claim')
    op.drop_table('job')

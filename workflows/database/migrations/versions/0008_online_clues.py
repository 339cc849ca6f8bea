"""online clues: the online MLM clue ledger, the names a clue answers to, and its links to complaints,
platform re-inspections and penalty cases

Revision ID: 0008_online_clues
Revises: 0007
Create Date: 2026-11-29 17:12:26
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_online_clues'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('online_clue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=True),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('scheme_name', sa.String(length=200), nullable=False),
    sa.Column('aliases', sa.Text(), nullable=False),
    sa.Column('urls', sa.Text(), nullable=False),
    sa.Column('app_ids', sa.Text(), nullable=False),
    sa.Column('screenshots', sa.JSON(), nullable=False),
    sa.Column('platform_name', sa.String(length=200), nullable=False),
    sa.Column('platform_credit_code', sa.String(length=18), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('area_path', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('member_count', sa.Integer(), nullable=True),
    sa.Column('levels', sa.Integer(), nullable=True),
    sa.Column('criminal_threshold_reached', sa.Boolean(), nullable=False),
    sa.Column('tier', sa.String(length=16), nullable=False),
    sa.Column('victim_count', sa.Integer(), nullable=True),
    sa.Column('mass_incident_risk', sa.String(length=8), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_online_clue_area_id_area')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_online_clue_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['instance_id'], ['process_instance.id'], name=op.f('fk_online_clue_instance_id_process_instance')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_online_clue')),
    sa.UniqueConstraint('instance_id', name=op.f('uq_online_clue_instance_id'))
    )
    with op.batch_alter_table('online_clue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_online_clue_area_path'), ['area_path'], unique=False)
        batch_op.create_index(batch_op.f('ix_online_clue_platform_credit_code'), ['platform_credit_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_online_clue_received_on'), ['received_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_online_clue_reference'), ['reference'], unique=False)
        batch_op.create_index(batch_op.f('ix_online_clue_status'), ['status'], unique=False)

    op.create_table('online_clue_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clue_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('linked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['clue_id'], ['online_clue.id'], name=op.f('fk_online_clue_link_clue_id_online_clue')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_online_clue_link'))
    )
    with op.batch_alter_table('online_clue_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_online_clue_link_clue_id'), ['clue_id'], unique=False)
        batch_op.create_index('ix_online_clue_link_kind_target', ['kind', 'target_id'], unique=False)

    op.create_table('online_clue_name',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clue_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['clue_id'], ['online_clue.id'], name=op.f('fk_online_clue_name_clue_id_online_clue')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_online_clue_name')),
    sa.UniqueConstraint('clue_id', 'key', name='uq_online_clue_name_clue_key')
    )
    with op.batch_alter_table('online_clue_name', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_online_clue_name_key'), ['key'], unique=False)



def downgrade():
    with op.batch_alter_table('online_clue_name', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_online_clue_name_key'))

    op.drop_table('online_clue_name')
    with op.batch_alter_table('online_clue_link', schema=None) as batch_op:
        batch_op.drop_index('ix_online_clue_link_kind_target')
        batch_op.drop_index(batch_op.f('ix_online_clue_link_clue_id'))

    op.drop_table('online_clue_link')
    with op.batch_alter_table('online_clue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_online_clue_status'))
        batch_op.drop_index(batch_op.f('ix_online_clue_reference'))
        batch_op.drop_index(batch_op.f('ix_online_clue_received_on'))
        batch_op.drop_index(batch_op.f('ix_online_clue_platform_credit_code'))
        batch_op.drop_index(batch_op.f('ix_online_clue_area_path'))

    op.drop_table('online_clue')

"""blacklist group numbers without a database default, as the model declares (0003 gave the new NOT NULL
column a default of '' only to fill the rows that existed then)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 05:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('blacklist_entry', schema=None) as batch_op:
        batch_op.alter_column('group_numbers', existing_type=sa.String(length=200), existing_nullable=False,
                              server_default=None)


def downgrade():
    with op.batch_alter_table('blacklist_entry', schema=None) as batch_op:
        batch_op.alter_column('group_numbers', existing_type=sa.String(length=200), existing_nullable=False,
                              server_default='')

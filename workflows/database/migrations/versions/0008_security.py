"""security: sessions end server-side (a per-user session generation), forced password changes, and login
throttling shared by every web process (replacing the per-account lock)

Revision ID: 0008_security
Revises: 0007
Create Date: 2026-11-29 17:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_security'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('blocked_until', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_throttle_updated_at'), ['updated_at'], unique=False)
    # The defaults only fill the rows that exist now; the model declares none.
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.drop_column('failed_logins')
        batch_op.drop_column('locked_until')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('session_generation', existing_type=sa.Integer(), existing_nullable=False,
                              server_default=None)
        batch_op.alter_column('must_change_password', existing_type=sa.Boolean(), existing_nullable=False,
                              server_default=None)


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
        batch_op.drop_column('must_change_password')
        batch_op.drop_column('session_generation')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.alter_column('failed_logins', existing_type=sa.Integer(), existing_nullable=False,
                              server_default=None)
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_throttle_updated_at'))
    op.drop_table('login_throttle')

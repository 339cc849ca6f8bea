"""security: sessions end server-side (a per-user session generation), forced password changes, and login
throttling shared by every web process (replacing the per-account lock)

user_account is referenced by most tables, so on SQLite it is changed in place (ADD/DROP COLUMN, SQLite
3.35+), never by the batch copy-and-rename, whose DROP TABLE would trip the foreign keys of existing rows.
The new columns therefore keep their server defaults, and the model declares them.

Revision ID: 0014_security
Revises: 0013_ergonomics
Create Date: 2026-11-29 17:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0014_security'
down_revision = '0013_ergonomics'
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
    op.create_index(op.f('ix_login_throttle_updated_at'), 'login_throttle', ['updated_at'], unique=False)
    op.add_column('user_account', sa.Column('session_generation', sa.Integer(), nullable=False,
                                            server_default=sa.text('0')))
    op.add_column('user_account', sa.Column('must_change_password', sa.Boolean(), nullable=False,
                                            server_default=sa.false()))
    op.execute('ALTER TABLE user_account DROP COLUMN failed_logins')
    op.execute('ALTER TABLE user_account DROP COLUMN locked_until')


def downgrade():
    op.add_column('user_account', sa.Column('locked_until', sa.DateTime(), nullable=True))
    op.add_column('user_account', sa.Column('failed_logins', sa.Integer(), nullable=False,
                                            server_default=sa.text('0')))
    op.execute('ALTER TABLE user_account DROP COLUMN must_change_password')
    op.execute('ALTER TABLE user_account DROP COLUMN session_generation')
    op.drop_index(op.f('ix_login_throttle_updated_at'), table_name='login_throttle')
    op.drop_table('login_throttle')

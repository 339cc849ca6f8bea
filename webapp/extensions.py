"""Flask extensions, created once and bound to each app in create_app."""
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "请先登录。"
login_manager.login_message_category = "info"
# Detect a session cookie replayed from another client and drop it.
login_manager.session_protection = "strong"

csrf = CSRFProtect()

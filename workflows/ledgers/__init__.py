"""Ledgers (台账): rental houses with their catches, flags, 三停一换 and patrols; intermediaries; the blacklist;
XLSX/CSV import (within the caps of upload_limits.py) and export; and the hooks the six-step and patrol processes call (catch, unflag, reflux).
"""

"""The organisation: the address tree (一标三实), departments, users and their roles, accounts, passwords (and
which ones are allowed: passwords.py) and logging in (throttled: throttle.py), the five-contract chain (who answers for which area at which level), their administration (each
change one audited unit of work), and the one access rule that every page, export, API call and notice uses
(who may see and act on what, by area and role: access.py), and the demo district with its fictitious officers.
"""

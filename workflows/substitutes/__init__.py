"""Substitutes (代班): an officer away from the office names a colleague who takes their tasks for a period."""

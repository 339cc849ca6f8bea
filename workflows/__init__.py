"""The engine: BPMN processes on SpiffWorkflow, persisted with SQLAlchemy.

This is the only package that imports SpiffWorkflow; callers use `workflows.service`.
"""

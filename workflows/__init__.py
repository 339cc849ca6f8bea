"""The engine and the domains: BPMN processes on SpiffWorkflow, persisted with SQLAlchemy.

`engine/` runs processes and is the only code that imports SpiffWorkflow; `database/`, `org/`, `audit/` and
`jobs/` are the shared layers; `cases/`, `matters/`, `complaints/`, `ledgers/`, `sweeps/` and `notices/` are the
domains, each with its models, services and hooks; `runtime.py` wires them together. Callers (the web app, the
command line) use the domains' services and `workflows.engine.service.WorkflowService`.
"""

"""The engine core: parse, start, restore, run and save BPMN processes on SpiffWorkflow, timers, the
human-task mirror, the history of long-lived workflows (finished rounds cut out on save, so they stay one
round long), the action context and the per-process hooks, and the policy a diagram's scripts must pass to be
deployed (script_policy.py). It is the only code that imports SpiffWorkflow, and it knows no process by name:
each domain registers its hooks here.
"""

"""Cutting finished history out of a live workflow, so long-lived instances do not grow with age.

SpiffWorkflow keeps every task it ever ran in one tree. A loop (the door-not-opened round, a matter sent back
up the chain) adds its tasks below the previous round's, and a cycle timer on a boundary event (the patrol)
adds a finished branch per firing; every step walks and every save serializes the whole tree. Two cuts keep
the tree to what the engine still needs, and hand the cut tasks to the caller for the history table:

- a loop: when one task spec appears twice on the single path from the root to everything still open,
  the rounds between its first and its last occurrence are finished; the last occurrence is re-attached
  where the first one hung. Nothing open lies in the cut, and no structure opened inside it is still open
  (its own split and join come round again in the kept round).
- a fired or cancelled boundary event whose branch is wholly finished (the timer of a matter handled in
  time), and below a cycle timer that is still waiting (the patrol), its finished rounds and all but one of
  the joins each round leaves waiting (they exist only to be cancelled together when the activity ends).

The most recently completed task and its ancestors are never cut (the case page reads its data).
"""
from __future__ import annotations

from SpiffWorkflow.bpmn.specs.control import BoundaryEventJoin, BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from SpiffWorkflow.util.task import TaskState

_FINISHED = TaskState.COMPLETED | TaskState.CANCELLED


def prune(workflow) -> list:
    """Cut finished history out of `workflow` (the top one); returns the removed tasks, parents first."""
    tasks = workflow.tasks
    needed: set = set()
    roots = [t for t in tasks.values() if not t.state & _FINISHED]
    if not roots:
        return []  # a finished workflow is saved whole: its tree is final and small enough to keep
    if workflow.last_task is not None and workflow.last_task.id in tasks:
        roots.append(workflow.last_task)
    for task in roots:
        while task is not None and task.id not in needed:
            needed.add(task.id)
            task = task.parent
    removed: list = []
    while _cut_one_loop(workflow, needed, removed):
        pass
    for task in [t for t in tasks.values() if t.id in needed]:
        if isinstance(task.task_spec, BoundaryEvent):
            # A cycle timer on a boundary event stays waiting and hangs each round below itself, each
            # with a waiting join that only stands ready to be cancelled when the activity ends: one does.
            joins = [c for c in task.children
                     if c.state == TaskState.WAITING and isinstance(c.task_spec, BoundaryEventJoin)]
            dead = joins[:-1] + [c for c in task.children if c.id not in needed]
        elif isinstance(task.task_spec, BoundaryEventSplit):
            dead = [c for c in task.children if c.id not in needed and isinstance(c.task_spec, BoundaryEvent)]
        else:
            continue
        for child in dead:
            _detach(workflow, child, removed)
    return removed


def _chain(workflow, needed: set) -> list:
    """The single path from the root down to where the open tasks part ways."""
    chain = [workflow.task_tree]
    while True:
        below = [c for c in chain[-1].children if c.id in needed]
        if len(below) != 1:
            return chain
        chain.append(below[0])


def _cut_one_loop(workflow, needed: set, removed: list) -> bool:
    chain = _chain(workflow, needed)
    first: dict = {}
    for index, task in enumerate(chain[:-1]):  # the last one is where open branches part: keep it
        first.setdefault(task.task_spec.name, index)
    start = None
    for index, task in enumerate(chain[:-1]):
        i = first[task.task_spec.name]
        if i != index and (start is None or i < start[0]):
            start = (i, task.task_spec.name)
    if start is None:
        return False
    i = start[0]
    j = max(k for k, t in enumerate(chain[:-1]) if t.task_spec.name == start[1])
    if i == 0 or any(t.state != TaskState.COMPLETED for t in chain[i:j]):
        return False
    top, keep = chain[i], chain[j]
    parent = top.parent
    # Detach the kept round first, so that removing the cut rounds leaves it alone.
    chain[j - 1]._children.remove(keep.id)
    _detach(workflow, top, removed)
    parent._children.append(keep.id)
    keep._parent = parent.id
    return True


def _detach(workflow, task, removed: list) -> None:
    """Remove `task` and everything below it from the tree."""
    parent = task.parent
    if parent is not None:
        parent._children.remove(task.id)
    stack = [task]
    while stack:
        current = stack.pop()
        removed.append(current)
        stack.extend(reversed(current.children))
        workflow.tasks.pop(current.id, None)
        workflow.subprocesses.pop(current.id, None)

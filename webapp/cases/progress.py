"""The steps a case has passed, for highlighting its diagram, remembered per web process by the case's version.

Reading them means restoring the workflow from its stored state, the dearest part of the case page. Every save
of an instance raises its version, so an entry under (instance, version) never goes stale: a newer save is
simply another key. Entries are plain lists, kept per application (so per database), the oldest dropped first.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

from flask import current_app

from ..db import workflow

SIZE = 4096  # cases; a list of a few dozen element ids each


class _Remembered:
    def __init__(self):
        self.items, self.lock = OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self.lock:
            self.items[key] = value
            while len(self.items) > SIZE:
                self.items.popitem(last=False)


def completed_steps(inst) -> list[str]:
    """BPMN ids of the flow nodes `inst` has passed, as the engine reports them for its current version."""
    remembered = current_app.extensions.setdefault("dachuan.case_progress", _Remembered())
    key = (inst.id, inst.version)
    steps = remembered.get(key)
    if steps is None:
        steps = list(workflow().instance_view(inst.id).completed_steps)
        remembered.put(key, steps)
    return list(steps)

"""The workflows a process saved last, kept in memory for the next action on the same instance."""
from __future__ import annotations

import threading
from collections import OrderedDict
from contextlib import contextmanager


class RecentWorkflows:
    """Workflows this process saved last, keyed by instance and checked against the stored version.

    Restoring a workflow from JSON costs more than running a task, and the next action on a case
    usually comes to the same process. An entry is used only if the database still holds exactly
    the version we saved (so any other writer invalidates it), is taken out while in use (so two
    threads never share one), and is put back only after its transaction committed.
    """

    def __init__(self, size: int = 512):
        self.size, self._items, self._lock = size, OrderedDict(), threading.Lock()

    def take(self, key, version: int):
        with self._lock:
            item = self._items.pop(key, None)
        return item[1] if item is not None and item[0] == version else None

    def holds(self, key, version: int) -> bool:
        """Whether the workflow saved as `version` is kept (a reader may still find it taken meanwhile)."""
        with self._lock:
            item = self._items.get(key)
        return item is not None and item[0] == version

    def put(self, key, version: int, runtime) -> None:
        with self._lock:
            self._items[key] = (version, runtime)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    @contextmanager
    def borrowed(self, key, version: int, restore):
        """A workflow to read (a page, a form): the kept one if still current, else `restore()`; kept again
        afterwards, so the submission that usually follows needs no restore either. Taken out meanwhile,
        so no other thread changes it under the reader."""
        runtime = self.take(key, version) or restore()
        yield runtime
        self.put(key, version, runtime)

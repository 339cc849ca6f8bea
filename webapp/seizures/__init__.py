"""查封 pages: ask for one from a case's step, the area-scoped list, a seizure's page with its documents, and its
steps (approval, service, release or extension, approval of the extension)."""

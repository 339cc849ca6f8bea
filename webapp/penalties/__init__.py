"""Pages of the administrative penalty procedure: the area-scoped list and one procedure with its deadlines."""

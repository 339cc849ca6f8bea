"""The substitutes page (代班): name who does my tasks while I am away, see whom I stand in for."""

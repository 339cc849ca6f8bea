"""Official notices: rendering (render.py) and the pages that issue, print, void and correct them (views.py)."""

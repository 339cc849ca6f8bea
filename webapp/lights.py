"""Time-limit lights on pages: one badge per open step (inbox, board, case and task pages)."""
from __future__ import annotations

from flask import Flask, g, has_request_context
from markupsafe import Markup

from workflows.time_limits import LIGHT_LABELS, Light, Thresholds, light
from workflows.vocabulary import TaskState

from .db import now, services

CSS = {Light.REMIND: "badge light-remind", Light.WARN: "badge warn light-warn",
       Light.ALARM: "badge overdue light-alarm"}


def thresholds() -> Thresholds:
    return Thresholds.from_settings(services().settings)


def task_light(task) -> Light:
    # A page draws many lights (the board: every row): the time and thresholds are taken once per request
    # (only inside one: an application context may outlive many moments).
    if not has_request_context():
        return light(now(), task.created_at, task.due_at, thresholds())
    if "light_basis" not in g:
        g.light_basis = (now(), thresholds())
    at, limits = g.light_basis
    return light(at, task.created_at, task.due_at, limits)


def light_badge(task) -> Markup:
    """提醒 / 预警 / 报警 for a step still open; nothing when its time is far from used up."""
    if getattr(task, "state", TaskState.READY) != TaskState.READY:
        return Markup("")
    return badge(task_light(task))


def badge(on: Light) -> Markup:
    """The badge of a light already decided (e.g. a procedure's time to decide, or a finished step's light as it
    was when done); nothing for no light. Every page draws the lights the same way."""
    if not on or on == Light.NONE:
        return Markup("")
    return BADGES[on]


# Drawn once: a page shows a badge per open step (the board a hundred), and the three never change.
BADGES = {on: Markup('<span class="{}" title="办理时限">{}</span>').format(
    CSS[on], LIGHT_LABELS[on] + (" · 已逾期" if on == Light.ALARM else "")) for on in CSS}


def register(app: Flask) -> None:
    app.jinja_env.globals.update(light_badge=light_badge, light_badge_of=badge)

"""Time-limit lights (提醒 / 预警 / 报警) for any step with a start and a due time, and their counts per street.

Every domain with deadlines (case steps, matters, complaints, penalty procedures) shows the same three lights,
computed here from the same configurable thresholds, so an officer reads them the same way on every page.
"""
from workflows.time_limits.lights import LIGHT_LABELS, Light, Thresholds, light

__all__ = ["LIGHT_LABELS", "Light", "Thresholds", "light"]

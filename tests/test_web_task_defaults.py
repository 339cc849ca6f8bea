"""On a tablet, a step's date fields open at today and its time fields at now (Beijing time)."""
from __future__ import annotations

from web_fixtures import (app, client, complete_step, login_as, ready_task,  # noqa: F401  (fixtures)
                          start_case, text)
from webapp.timefmt import local_now


def test_event_dates_default_to_today_and_times_to_now(services, login_as, clock):
    grid = login_as("wjs_grid")
    case_id = start_case(grid)
    now = local_now(clock.now().replace(tzinfo=None))
    page = text(grid.get(f"/tasks/{ready_task(services, case_id, 'sweep')}"))
    assert f'name="swept_on" required type="date" value="{now.date().isoformat()}"' in page
    complete_step(services, login_as, case_id, "sweep")
    page = text(login_as("wjs_police1").get(f"/tasks/{ready_task(services, case_id, 'entry')}"))
    assert f'value="{now.strftime("%Y-%m-%dT%H:%M")}"' in page

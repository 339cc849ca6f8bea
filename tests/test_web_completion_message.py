"""After a step is submitted the case page says "已完成“<step>”" (webapp/cases/completion.py): carried in
the redirect's address, not flashed into the session, and said only of a step the viewer completed there."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from web_fixtures import (STEP_DATA, app, client, login_as, ready_task, session_written,  # noqa: F401
                          start_case, submit, text)


def test_the_case_page_says_which_step_was_completed_and_the_session_is_not_rewritten(services, login_as):
    grid = login_as("wjs_grid")
    case_id = start_case(grid)
    sweep = ready_task(services, case_id, "sweep")
    r = submit(grid, sweep, STEP_DATA["sweep"])
    assert r.status_code == 302
    address = urlsplit(r.headers["Location"])
    assert address.path == f"/cases/{case_id}" and parse_qs(address.query) == {"done": [sweep]}
    # Nothing was put in the session: the submission's response does not sign a new cookie.
    assert not session_written(r)
    page = grid.get(r.headers["Location"])
    assert "已完成“摸排”。" in text(page) and "案件已办结" not in text(page)
    # Said once, where the redirect led: the case page by its own address and the next page do not repeat it.
    assert "已完成“摸排”" not in text(grid.get(f"/cases/{case_id}"))
    assert "已完成“摸排”" not in text(grid.get("/"))


def test_an_edited_address_cannot_make_the_page_claim_a_completion(services, login_as):
    grid = login_as("wjs_grid")
    case_id, other_case = start_case(grid), start_case(grid)
    sweep = ready_task(services, case_id, "sweep")
    # A step still open is not said to be completed.
    assert "已完成“" not in text(grid.get(f"/cases/{case_id}?done={sweep}"))
    r = submit(grid, sweep, STEP_DATA["sweep"])
    # Another user who may see the case did not complete the step: nothing is said to them.
    supervisor = login_as("wjs_leader")
    page = supervisor.get(r.headers["Location"])
    assert page.status_code == 200 and "已完成“" not in text(page)
    # The step belongs to another case: not said on this one.
    assert "已完成“" not in text(grid.get(f"/cases/{other_case}?done={sweep}"))
    # Not a task id at all: the page as usual.
    for junk in ("", "abc", "x" * 500, "1%27%20OR%201=1"):
        page = grid.get(f"/cases/{case_id}?done={junk}")
        assert page.status_code == 200 and "已完成“" not in text(page), junk

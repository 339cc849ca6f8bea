"""The statistics page shows stored figures: a test asks for them as an officer would (the page's refresh button)
and runs the worker that computes them."""
from job_helpers import run_jobs


def computed(services, client, query: str = "") -> int:
    """Post the page's refresh for `query` (?area=&from=&to=) and run the queued jobs; returns how many ran."""
    response = client.post("/statistics/refresh" + (f"?{query}" if query else ""))
    assert response.status_code == 302, response.status_code
    return run_jobs(services)

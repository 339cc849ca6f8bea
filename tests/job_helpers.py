"""Run the background jobs in the test process, through the same code `dachuan worker` runs: a page that
used to see a thread finish now sees the job done because the test ran the worker, deterministically."""
from webapp import jobs


def run_jobs(services) -> int:
    """Run queued jobs until none is claimable (as the worker does between sleeps); returns how many ran."""
    return jobs.worker(services).run_until_idle()

"""The assessment (检查考评, seed 000 Annex 3): one rule per deduction line (rules/), runs as numbered, versioned
score sheets with manual entries, overrides and the records behind each deduction (service, models), the worker
job for all streets (jobs), the plain-text sheet for `dachuan assess` (report) and the figures the statistics page
shares (figures)."""

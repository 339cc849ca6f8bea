"""The statistics page's own figures: those the assessment does not compute (time-limit compliance by step,
six-step cases by outcome and area, 创无 coverage for a period), plus the period and area helpers every figure
of the page shares. The figures the assessment scores (complaints and sweeps per month, persons caught and the
penalty rate, reflux, complaint handling) come from workflows.assessment.figures, so the page and the score sheet
read the same queries.

Every function takes `(session, area_path, start, end)` like the assessment's figures and returns plain dicts and
lists; the caller has already narrowed `area_path` to what the user may see (workflows.org.access)."""

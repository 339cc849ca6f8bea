"""Pyramid-free communities and online platforms (创无, seed 003): applications, acceptance inspections against a
configurable scored checklist, naming with a numbered certificate, watching (谁命名，谁负责: periodic, random and
event-triggered re-inspections), rectification with a deadline, revocation, the platform register and its
periodic reports, and the coverage figures the assessment counts."""

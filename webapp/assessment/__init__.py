"""The assessment's pages (Annex 3 考评): the runs a user may see, running one, the score sheet with its drill-down,
manual entries and overrides, publishing, the district ranking, the XLSX export and the PDF report."""

"""The statistics page: charts (vendored Apache ECharts), each with its table and an XLSX export, for the area the
user may see, filtered by street and period."""

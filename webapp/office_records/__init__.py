"""The office records' pages: list, record, change and history of each kind, the 110 alert import."""

"""Official notices (通知书): the legal data file, required fields per type, validation, gap-free numbering
inside the issuing transaction, frozen content, void and correction, print records and batch prints.
Rendering to PDF is the web app's (WeasyPrint); this package knows nothing of Flask.
"""

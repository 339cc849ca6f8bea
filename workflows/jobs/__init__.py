"""Background jobs: the jobs table (one row per long piece of work such as a ledger import or a batch print),
the queue functions that enqueue a job inside the caller's unit of work, let a worker claim it under a lease,
record its progress as a heartbeat and end it as done or failed, and the worker that runs handlers registered
by kind. A job whose worker died is taken up again once its lease runs out; one that keeps failing ends as
failed with its error. Domains keep their own records (the uploaded file, the PDF) and link them to their job;
no request starts a thread."""

"""The administrative penalty procedure (行政处罚 一般程序, and the summary procedure for participants): one
procedure per party, started from every place that leads to a penalty, linked both ways to its source case.

models (the party's record), legal_terms (the statutory periods and amounts), hooks (the diagram's steps),
starting (the public starter), service (extensions, reading a procedure for pages)."""

"""The administrative penalty procedure (行政处罚 一般程序, and the summary procedure for participants): one
procedure per party, started from every place that leads to a penalty, linked both ways to its source case.

models (the party's record), parties (the role a classification allows), legal_terms (statutory periods and
amounts on the working-day calendar), steps (each step's checks), hooks (the diagram's hooks and deadlines),
starting (the public starter), case_steps (the six-step case's penalty steps), documents (the procedure's
notices, issued only at their step), service (extensions and reading procedures for pages)."""

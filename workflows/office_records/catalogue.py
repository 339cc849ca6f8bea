"""Every office record kind by its key, in the order the pages list them."""
from __future__ import annotations

from workflows.office_records import alerts, documents, filings, letters, organisation, publicity, reporting
from workflows.office_records.common import RecordKind

KINDS: dict[str, RecordKind] = {k.key: k for k in (
    publicity.KIND, letters.KIND, alerts.KIND, filings.KIND, reporting.CASE_REPORTS, reporting.STATISTICAL_REPORTS,
    organisation.KIND, documents.KIND)}

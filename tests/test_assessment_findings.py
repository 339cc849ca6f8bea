"""Findings whose blameless records are labelled on demand: a stored run keeps the costly ones, a reader of the
outcome still sees every record in order."""
from decimal import Decimal

from workflows.assessment.rules.base import Finding, Findings, costly

HEAD = Finding("penalty_rate", None, "行政处罚率 50%（1/2），应超过 90%，差 4 档", Decimal(4))
PERSON = Finding("person", 7, "李四（420106199001011231）未受行政处罚", Decimal(0), "/cases/3")


def test_the_blameless_records_are_labelled_only_when_read():
    built = []

    def others():
        built.append(1)
        return [PERSON]

    findings = Findings((HEAD,), others)
    assert costly(findings) == [HEAD] and built == []          # what a run stores: no labels made
    assert list(findings) == [HEAD, PERSON] and len(findings) == 2 and findings[1] == PERSON
    assert findings == (HEAD, PERSON) and built == [1]           # labelled once, then kept


def test_costly_of_a_plain_tuple_drops_the_zero_point_findings():
    assert costly((HEAD, PERSON)) == [HEAD]
    assert costly(()) == []

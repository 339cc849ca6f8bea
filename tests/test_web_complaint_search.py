"""The complaint ledger is searchable by number, a reported name and address; the first complaint is JB…01."""
from __future__ import annotations

from test_web_complaints import REPORT, record, row
from web_fixtures import app, client, login_as, text  # noqa: F401  (fixtures)


def test_the_ledger_finds_a_complaint_by_number_name_or_address(services, login_as, clock):
    market = login_as("wjs_market1")
    first = row(services, record(market))
    other = row(services, record(market, content="某某商贸公司以高额返利发展下线", address="吴家山街第一社区新村小区"))
    assert first.reference == f"JB{clock.now().year}000001"
    market.get("/complaints")  # shows (and so clears) the two "已受理" messages
    for q, hit, miss in [(first.reference, first, other), ("某某商贸", other, first),
                         ("花园小区", first, other), ("新村", other, first)]:
        page = text(market.get("/complaints", query_string={"q": q}))
        assert hit.reference in page and miss.reference not in page, q
    page = text(market.get("/complaints", query_string={"q": "无此内容"}))
    assert "没有符合“无此内容”的举报" in page
    # The complainant's own name finds nothing: the ledger never tells who complained.
    assert first.reference not in text(market.get("/complaints", query_string={"q": REPORT["complainant_name"]}))

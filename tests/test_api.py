"""The complaint API: token per client system, idempotent submission, clear 4xx errors, status look-up,
and schemathesis against the served OpenAPI document (every response conforms, never a 5xx)."""

import pytest
import schemathesis
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from stdnum.cn import ric

from web_fixtures import ROOM, app, client, login_as, make_id, text  # noqa: F401  (fixtures)
from webapp.api.openapi import ID_NUMBER_FORMAT
from workflows.complaints import service as complaints
from workflows.complaints.models import Complaint

ID_NUMBER = make_id("420106", "19900101", "123")


@st.composite
def resident_ids(draw):
    """Valid 18-digit resident ID numbers (check digit included) for the document's custom format."""
    place = draw(st.sampled_from(["420106", "420112", "110105", "360426", "430102"]))
    born = draw(st.dates(min_value=__import__("datetime").date(1930, 1, 1),
                         max_value=__import__("datetime").date(2008, 12, 31)))
    body = f"{place}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return body + ric.calc_check_digit(body + "0")


# python-stdnum (the engine's check) also wants the county code to have existed in the birth year.
schemathesis.openapi.format(ID_NUMBER_FORMAT, resident_ids().filter(ric.is_valid))


@pytest.fixture
def token(services, lookup):
    return complaints.create_api_client(services, "12315平台", lookup.area("东西湖区"))


@pytest.fixture
def auth(token):
    return {"Authorization": f"Bearer {token}"}


def body(reference="12315-2026-0001", **report):
    data = {"channel": "12315", "content": "某小区有人以高额回报拉人头", "address": ROOM,
            "complainant": {"name": "王小明", "phone": "13911112222", "id_number": ID_NUMBER}}
    data.update(report)
    return {"client_reference": reference, "report": data}


def test_submission_is_idempotent_by_the_clients_reference(client, auth, services):
    r = client.post("/api/v1/complaints", json=body(), headers=auth)
    assert r.status_code == 201, r.json
    first = r.json
    assert first["client_reference"] == "12315-2026-0001" and first["status"] == "open"
    assert first["received_at"].endswith("Z") and first["channel"] == "12315"
    assert "王小明" not in r.get_data(as_text=True) and ID_NUMBER not in r.get_data(as_text=True)
    r = client.post("/api/v1/complaints", json=body(), headers=auth)
    assert r.status_code == 200 and r.json["reference"] == first["reference"]
    with services.db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Complaint)) == 1
        stored = s.scalar(sa.select(Complaint))
    assert stored.complainant_name == "王小明" and not stored.anonymous and stored.area_path.count("/") > 3
    r = client.post("/api/v1/complaints", json=body(content="另一件事"), headers=auth)
    assert r.status_code == 409 and r.json["error"]["code"] == "conflict"
    r = client.get("/api/v1/complaints/12315-2026-0001", headers=auth)
    assert r.status_code == 200 and r.json["reference"] == first["reference"]
    assert r.json["stage"] == "受理研判"


def test_bad_input_gets_422_naming_every_field(client, auth, services):
    bad = body(channel="fax", content="   ", complainant={"name": "", "id_number": "420106199001011234"},
               extra=1)
    r = client.post("/api/v1/complaints", json=bad, headers=auth)
    assert r.status_code == 422
    fields = r.json["error"]["fields"]
    assert set(fields) == {"report.channel", "report.content", "report.complainant.name",
                           "report.complainant.id_number", "report.extra"}
    r = client.post("/api/v1/complaints", json={"report": {}}, headers=auth)
    assert r.status_code == 422 and set(r.json["error"]["fields"]) == {"client_reference", "report.content"}
    r = client.post("/api/v1/complaints", json=body(reference="有空格 的编号"), headers=auth)
    assert r.status_code == 422 and "client_reference" in r.json["error"]["fields"]
    r = client.post("/api/v1/complaints", json=body(content="内容\u0000含空字符"), headers=auth)
    assert r.status_code == 422
    r = client.post("/api/v1/complaints", data="not json", content_type="application/json", headers=auth)
    assert r.status_code == 400 and r.json["error"]["code"] == "bad_request"
    r = client.post("/api/v1/complaints", data={"a": "b"}, headers=auth)
    assert r.status_code == 415
    with services.db.read() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Complaint)) == 0


def test_a_missing_or_wrong_token_is_refused_with_401(client, token):
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {token}"},
                    {"Authorization": "Bearer "}):
        r = client.post("/api/v1/complaints", json=body(), headers=headers)
        assert r.status_code == 401 and r.json["error"]["code"] == "unauthorized", headers
        assert r.headers["WWW-Authenticate"].startswith("Bearer")
        assert client.get("/api/v1/complaints/x", headers=headers).status_code == 401


def test_a_client_sees_only_its_own_references(client, auth, services, lookup):
    other = complaints.create_api_client(services, "市长热线", lookup.area("东西湖区"))
    assert client.post("/api/v1/complaints", json=body("R-1"), headers=auth).status_code == 201
    r = client.get("/api/v1/complaints/R-1", headers={"Authorization": f"Bearer {other}"})
    assert r.status_code == 404 and r.json["error"]["code"] == "not_found"
    # The other system's own R-1 is a different complaint.
    r = client.post("/api/v1/complaints", json=body("R-1", content="别的内容"),
                    headers={"Authorization": f"Bearer {other}"})
    assert r.status_code == 201


def test_routing_errors_under_the_api_are_json(client, auth):
    r = client.delete("/api/v1/complaints", headers=auth)
    assert r.status_code == 405 and r.is_json and "POST" in r.headers["Allow"]
    r = client.get("/api/v1/nothing-here", headers=auth)
    assert r.status_code == 404 and r.is_json
    doc = client.get("/api/v1/openapi.json")
    assert doc.status_code == 200 and doc.json["openapi"].startswith("3.")
    # The pages are untouched: still the Chinese HTML error page.
    assert "页面不存在" in text(client.get("/no-such-page"))


def test_an_online_mlm_subject_and_anonymous_reports_through_the_api(client, auth, services):
    for n in range(3):
        report = {"content": f"第{n + 1}次举报某商城拉人头", "online_mlm_subject": {"name": "XX优选商城"}}
        r = client.post("/api/v1/complaints", json={"client_reference": f"M-{n}", "report": report}, headers=auth)
        assert r.status_code == 201 and r.json["channel"] == "api"
    with services.db.read() as s:
        rows = list(s.scalars(sa.select(Complaint)))
    assert all(c.anonymous for c in rows) and any("自动立案调查" in c.content for c in rows)


# schemathesis' lazy pytest loader (from_fixture) does not run under pytest 9, so the document is loaded
# inside the test (the app and its database are per-test fixtures) and driven through Hypothesis directly.
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["positive", "negative"])
def test_the_api_conforms_to_its_openapi_document(app, token, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {"Authorization": f"Bearer {token}"}
    seen = set()

    @given(case=schema.as_strategy(mode))
    @settings(max_examples=150, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.filter_too_much, HealthCheck.data_too_large])
    def check(case):
        response = case.call_and_validate(headers=headers)
        seen.add((case.method, response.status_code))

    check()
    # Requests reached the handlers, not just the token check.
    statuses = {status for _method, status in seen}
    if mode is GenerationMode.POSITIVE:
        assert {("POST", 201), ("GET", 404)} <= seen, seen
    else:
        assert {422, 400} <= statuses, seen
    assert not any(status >= 500 for status in statuses)

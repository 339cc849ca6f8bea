"""The 500s an attacker found, each now a clear 4xx: ids that are not numbers or lie past the database's
integer range, a NUL byte in a search box, a form or an API path, an unknown person or role in a notice preview."""
from __future__ import annotations

from notice_helpers import ID_JIANGXI, SAMPLES, add_persons, start_case
from web_fixtures import app, client, login_as, text  # noqa: F401  (fixtures)


def test_ids_that_are_no_ids_find_nothing(login_as):
    officer = login_as("wjs_market1")
    for url in ("/notices/new?instance_id=abc", "/notices/new?instance_id=²", "/notices/new?instance_id=-1",
                f"/notices/new?instance_id={2 ** 31}", f"/cases/{2 ** 31}", f"/cases/{10 ** 30}",
                f"/registries/houses/{2 ** 63}", f"/notices/{2 ** 31}", "/notices/case/0"):
        r = officer.get(url)
        assert r.status_code == 404, (url, r.status_code)
        assert "找不到" in text(r) or "不存在" in text(r), url
    for url in ("/cases?page=²", f"/cases?page={10 ** 30}", "/tasks?page=١٢&area=²", "/board?page=99999999999999",
                f"/registries/houses?page={2 ** 70}", "/sweeps?year=²０２６"):
        assert officer.get(url).status_code in (200, 403), url


def test_a_nul_byte_anywhere_is_refused_with_a_chinese_message(login_as, client):
    officer = login_as("wjs_market1")
    for r in (officer.get("/cases?q=%E5%BC%A0%00"), officer.get("/registries/blacklist?q=a%00b"),
              officer.get("/tasks?q=%00"), officer.post("/complaints/new", data={"content": "举报\x00内容"}),
              officer.get("/cases/1/files/ab%00cd")):
        assert r.status_code == 400 and "空字符" in text(r)
    r = client.get("/api/v1/complaints/R-1%00x", headers={"Authorization": "Bearer x"})
    assert r.status_code == 400 and "空字符" in r.get_json()["error"]["message"]
    # A JSON body is checked by the API's schema, which names the field (tests/test_api.py).


def test_the_query_is_refused_exactly_when_a_value_or_name_holds_a_nul(login_as):
    """The query is checked in its raw form (a raw NUL byte or %00); escapes that only look alike pass."""
    officer = login_as("wjs_market1")
    for query in ("q=%00", "q=a%00", "%00=1", "q=%%00", "q=\x00"):
        r = officer.get("/cases?" + query)
        assert r.status_code == 400 and "空字符" in text(r), query
    for query in ("q=%2500", "q=%0", "q=00", "q=%25%30%30", "q=%C0%80"):  # the text "%00", not a NUL byte
        assert officer.get("/cases?" + query).status_code == 200, query


def test_an_unknown_person_or_role_in_a_notice_preview_is_explained(services, lookup, login_as):
    case = start_case(services, lookup)
    add_persons(services, case, [("张三", ID_JIANGXI)])
    officer = login_as("wjs_market1")
    fields = {k: v for k, v in SAMPLES["registration_letter"].items() if k not in ("person_name", "id_number")}
    r = officer.post("/notices/new", data=dict(fields, type="registration_letter", instance_id=str(case),
                                               person_id="999999"))
    assert r.status_code == 422 and "不属于本案件" in text(r)
    # An unknown role: tests/test_notice_corrections.py (the documents with a role belong to the penalty procedure).

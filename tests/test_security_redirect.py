"""After login the user goes only to a path on this site, however `next` is disguised."""
from __future__ import annotations

from web_fixtures import PASSWORD, app, client  # noqa: F401  (fixtures)

EVIL = ["/%09/evil.example", "/%0a/evil.example", "/%0d/evil.example", "/%0d%0aSet-Cookie:x=1",
        "%2F%2Fevil.example", "/%5Cevil.example", "/\t/evil.example", "//evil.example", "https://evil.example/",
        "/%2F/evil.example", "/%20/evil.example", "http:/evil.example"]


def test_next_never_leaves_the_site(client):
    for evil in EVIL:
        r = client.post("/login?next=" + evil, data={"username": "wjs_grid", "password": PASSWORD})
        assert r.status_code == 302, evil
        assert r.headers["Location"] == "/tasks", (evil, r.headers["Location"])
        client.post("/logout")


def test_a_nul_byte_in_next_is_refused_before_logging_in(client):
    r = client.post("/login?next=/%00/evil.example", data={"username": "wjs_grid", "password": PASSWORD})
    assert r.status_code == 400 and "Location" not in r.headers


def test_next_keeps_a_plain_path_with_its_query(client):
    r = client.post("/login?next=/cases%3Fq%3D1", data={"username": "wjs_grid", "password": PASSWORD})
    assert r.headers["Location"] == "/cases?q=1"

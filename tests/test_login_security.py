from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from tests.conftest import ROOT

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_session_id_changes_at_login(client, alice, password):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    response = _login(client, "alice", password)
    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.session[SESSION_KEY] == str(alice.pk)


def test_logged_out_cookie_no_longer_works(client, alice, password):
    _login(client, "alice", password)
    old_cookie = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    thief = Client()
    thief.cookies["sessionid"] = old_cookie
    response = thief.get(reverse("reader:article_list", args=["default"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_changing_password_ends_other_sessions(alice, password):
    laptop, phone = Client(), Client()
    _login(laptop, "alice", password)
    _login(phone, "alice", password)
    response = laptop.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "another-long-pass-92", "new_password2": "another-long-pass-92"},
    )
    assert response.status_code == 302
    assert laptop.get(reverse("reader:article_list", args=["default"])).status_code == 200
    assert phone.get(reverse("reader:article_list", args=["default"])).status_code == 302


def test_login_is_throttled_after_ten_failures_whatever_the_account(alice, password):
    client = Client(REMOTE_ADDR="203.0.113.9")
    answers = [_login(client, "alice", "wrong-password").status_code for _ in range(10)]
    # The tenth failure is the one that locks.
    assert answers == [200] * 9 + [429]
    locked = _login(client, "alice", password)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # An account that does not exist gets the very same answer.
    stranger = Client(REMOTE_ADDR="203.0.113.10")
    for _ in range(10):
        _login(stranger, "nobody-here", "wrong-password")
    unknown = _login(stranger, "nobody-here", "wrong-password")
    assert unknown.status_code == locked.status_code
    def page(response) -> str:
        # Only the per-client CSRF token may differ.
        return re.sub(r'"X-CSRFToken": "[^"]*"', "", response.content.decode())

    assert page(unknown) == page(locked)
    assert "Too many attempts" in page(locked)


class _Clock:
    """timezone.now for the whole site, moved by hand: creation times and the limiter agree."""

    def __init__(self, monkeypatch):
        import datetime as dt

        from django.utils import timezone

        self.now = timezone.now().replace(microsecond=0)
        self.step = dt.timedelta
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, seconds: float) -> None:
        self.now += self.step(seconds=seconds)


def _create(client: Client, article, quote: str = "Russia"):
    start = article.text.index(quote)
    data = {"article": article.pk, "start": start, "end": start + len(quote), "quote": quote}
    return client.post(reverse("annotations:create"), data)


def test_annotation_creation_is_rate_limited_per_user(alice_client, article, monkeypatch):
    _Clock(monkeypatch)
    statuses = [_create(alice_client, article).status_code for _ in range(6)]
    assert statuses[:4] == [302] * 4
    assert statuses[4:] == [429, 429]
    assert article.annotations.count() == 4
    refused = _create(alice_client, article)
    assert "too fast" in refused.content.decode()


def test_annotation_rate_limit_window_slides_and_is_per_user(
    alice_client, bob_client, alice, article, monkeypatch
):
    clock = _Clock(monkeypatch)
    for _ in range(4):
        assert _create(alice_client, article).status_code == 302
    assert _create(alice_client, article).status_code == 429
    # Bob's limit is his own.
    assert _create(bob_client, article).status_code == 302
    clock.advance(1.5)
    assert _create(alice_client, article).status_code == 302
    # 60 in the last minute: the 61st waits until the oldest is a minute old.
    for _ in range(55):
        clock.advance(0.5)
        assert _create(alice_client, article).status_code == 302
    clock.advance(1)
    assert article.annotations.filter(user=alice).count() == 60
    assert _create(alice_client, article).status_code == 429
    clock.advance(60 - 1.5 - 55 * 0.5 - 1 - 0.01)  # the first four are 59.99 s old
    assert _create(alice_client, article).status_code == 429
    clock.advance(0.02)
    assert _create(alice_client, article).status_code == 302


def test_rate_limit_answers_htmx_with_a_message_in_the_toolbar(alice_client, article, monkeypatch):
    _Clock(monkeypatch)
    for _ in range(4):
        _create(alice_client, article)
    quote = "Russia"
    start = article.text.index(quote)
    response = alice_client.post(
        reverse("annotations:create"),
        {"article": article.pk, "start": start, "end": start + len(quote), "quote": quote},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 429
    assert response["HX-Retarget"] == "#toolbar-error"
    assert "too fast" in response.content.decode()
    assert article.annotations.count() == 4


def test_deploy_check_is_clean_with_the_documented_production_environment():
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 20 + "a-production-secret-key-with-enough-entropy-9f8e7d",
        "DJANGO_ALLOWED_HOSTS": "reader.example.org",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_every_page_sends_a_csp_without_inline_scripts(alice_client, article):
    for url in [reverse("reader:article_list", args=["default"]), article.get_absolute_url(), reverse("reader:article_import", args=["default"])]:
        policy = alice_client.get(url)["Content-Security-Policy"]
        script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
        assert "'unsafe-inline'" not in script_src
        assert "'unsafe-eval'" not in script_src
    login_page = Client().get(reverse("login"))
    assert "script-src 'self'" in login_page["Content-Security-Policy"]


def test_session_and_csrf_cookies_are_httponly_and_lax(client, alice, password):
    _login(client, "alice", password)
    session = client.cookies["sessionid"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
    assert client.cookies["csrftoken"]["samesite"] == "Lax"

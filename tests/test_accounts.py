"""Sign-up, log in, log out, password change; every other page needs a logged-in user."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another-long-password-42"


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_signup_is_closed_unless_the_setting_opens_it(client, settings):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "STANCE_SIGNUP_OPEN"}
    code = "import django,os;os.environ.setdefault('DJANGO_SETTINGS_MODULE','config.settings');from django.conf import settings;print(settings.SIGNUP_OPEN)"
    printed = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert printed.stdout.strip() == "False", printed.stderr
    opened = subprocess.run(
        [sys.executable, "-c", code], env={**env, "STANCE_SIGNUP_OPEN": "1"}, capture_output=True, text=True
    )
    assert opened.stdout.strip() == "True"

    settings.SIGNUP_OPEN = False
    assert client.get(reverse("signup")).status_code == 404
    response = client.post(
        reverse("signup"),
        {"username": "mallory", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 404
    assert not get_user_model().objects.filter(username="mallory").exists()


def test_signup_page_is_open_when_the_setting_says_so(client):
    response = client.get(reverse("signup"))
    assert response.status_code == 200
    assert b'name="password1"' in response.content


def test_signup_creates_the_account_and_logs_in(client):
    response = client.post(
        reverse("signup"),
        {"username": "carol", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert get_user_model().objects.filter(username="carol").exists()
    assert is_logged_in(client)
    # Open sign-up joins no project: the home page says how to get into one.
    home = client.get(reverse("home"))
    assert home.status_code == 200 and "not in any project yet" in home.content.decode()
    assert client.get(reverse("reader:article_list", args=["default"])).status_code == 404


def test_signup_with_mismatched_passwords_shows_errors(client):
    response = client.post(
        reverse("signup"), {"username": "carol", "password1": NEW_PASSWORD, "password2": "x"}
    )
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert not get_user_model().objects.filter(username="carol").exists()


def test_signup_closed_by_setting_is_404(client, settings):
    settings.SIGNUP_OPEN = False
    assert client.get(reverse("signup")).status_code == 404
    response = client.post(
        reverse("signup"),
        {"username": "carol", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 404
    assert not get_user_model().objects.filter(username="carol").exists()


def test_login_page_links_to_signup_only_when_open(client, settings):
    assert reverse("signup").encode() in client.get(reverse("login")).content
    settings.SIGNUP_OPEN = False
    assert reverse("signup").encode() not in client.get(reverse("login")).content


def test_login_with_the_right_password(client, alice, password):
    response = client.post(reverse("login"), {"username": "alice", "password": password})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert is_logged_in(client)


def test_login_with_a_wrong_password_is_refused(client, alice):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert not is_logged_in(client)
    assert b"errornote" in response.content or b"error" in response.content


def test_login_follows_next_to_the_page_asked_for(client, alice, password):
    target = reverse("reader:article_import", args=["default"])
    response = client.post(
        f"{reverse('login')}?next={target}", {"username": "alice", "password": password}
    )
    assert response.url == target


def test_login_does_not_redirect_off_site(client, alice, password):
    response = client.post(
        f"{reverse('login')}?next=https://evil.example/",
        {"username": "alice", "password": password},
    )
    assert response.url == reverse("home")


def test_logout_ends_the_session(alice_client):
    response = alice_client.post(reverse("logout"))
    assert response.status_code == 302
    assert not is_logged_in(alice_client)
    assert alice_client.get(reverse("reader:article_list", args=["default"])).status_code == 302


def test_logout_is_not_a_get(alice_client):
    assert alice_client.get(reverse("logout")).status_code == 405
    assert is_logged_in(alice_client)


def test_password_change(alice_client, alice, password):
    assert alice_client.get(reverse("password_change")).status_code == 200
    response = alice_client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert alice_client.get(reverse("password_change_done")).status_code == 200


def test_password_change_with_wrong_old_password_is_refused(alice_client, alice, password):
    response = alice_client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.check_password(password)


@pytest.fixture
def protected_urls(article) -> list[tuple[str, str]]:
    some = uuid.uuid4()
    return [
        ("get", reverse("reader:article_list", args=["default"])),
        ("get", reverse("reader:article_detail", args=["default", article.slug])),
        ("get", reverse("reader:article_import", args=["default"])),
        ("post", reverse("reader:article_import", args=["default"])),
        ("get", reverse("reader:draft_preview", args=["default", 1])),
        ("post", reverse("reader:draft_save", args=["default", 1])),
        ("post", reverse("reader:draft_discard", args=["default", 1])),
        ("post", reverse("annotations:create")),
        ("get", reverse("annotations:detail", args=[some])),
        ("get", reverse("annotations:edit", args=[some])),
        ("post", reverse("annotations:edit", args=[some])),
        ("post", reverse("annotations:delete", args=[some])),
        ("get", reverse("article_annotations:list", args=["default", article.slug])),
        ("get", reverse("article_annotations:changes", args=["default", article.slug])),
        ("get", reverse("export:annotations_csv")),
        ("get", reverse("export:annotations_jsonld")),
        ("get", reverse("password_change")),
    ]


def test_every_page_sends_a_logged_out_user_to_login(client, protected_urls):
    login = reverse("login")
    for method, url in protected_urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url)
        assert response.url.startswith(f"{login}?next="), (method, url)


def test_htmx_requests_from_a_logged_out_user_are_redirected_too(client, protected_urls):
    for method, url in protected_urls:
        response = getattr(client, method)(url, HTTP_HX_REQUEST="true")
        assert response.status_code == 302, (method, url)
        assert response.url.startswith(reverse("login")), (method, url)


def test_login_and_signup_pages_need_no_login(client):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("signup")).status_code == 200

"""Failed logins lock one account from one client address, read through the trusted proxies only."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse

from config.client_address import client_address

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"
MALLORY = "203.0.113.66"
ALICE_HOME = "198.51.100.20"


def _login(client: Client, username: str, password: str, forwarded_for: str | None = None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post(
        reverse("login"), {"username": username, "password": password}, headers=headers
    )


def _typos(client: Client, username: str, forwarded_for: str | None = None) -> list[int]:
    return [
        _login(client, username, "wrong-password", forwarded_for).status_code for _ in range(10)
    ]


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def test_typos_behind_the_proxy_lock_only_that_account_from_that_client(
    behind_one_proxy, alice, make_user, password
):
    make_user("mallory")
    mallory = Client(REMOTE_ADDR=PROXY)
    assert _typos(mallory, "alice", MALLORY) == [200] * 9 + [429]
    assert _login(mallory, "alice", password, MALLORY).status_code == 429
    # The same person's own account from the same address still opens.
    assert _login(Client(REMOTE_ADDR=PROXY), "mallory", password, MALLORY).status_code == 302
    # Alice, behind the same proxy from her own address, is not locked out of her account.
    assert _login(Client(REMOTE_ADDR=PROXY), "alice", password, ALICE_HOME).status_code == 302
    # One record, for the pair: the ten typos and the right password tried while locked.
    attempt = AccessAttempt.objects.get(username="alice")
    assert attempt.ip_address == MALLORY
    assert attempt.failures_since_start == 11


def test_a_trusted_proxy_chain_is_read_from_the_right(behind_one_proxy, alice, password):
    # The client may write anything in the header; the proxy appends what it saw.
    mallory = Client(REMOTE_ADDR=PROXY)
    answers = [
        _login(mallory, "alice", "wrong-password", f"192.0.2.{i}, {MALLORY}").status_code
        for i in range(10)
    ]
    assert answers == [200] * 9 + [429]
    assert _login(mallory, "alice", password, f"192.0.2.99, {MALLORY}").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {MALLORY}


def test_without_a_trusted_proxy_a_forged_header_does_not_escape_the_lock(
    settings, alice, password
):
    settings.TRUSTED_PROXY_COUNT = 0
    mallory = Client(REMOTE_ADDR=MALLORY)
    answers = [
        _login(mallory, "alice", "wrong-password", f"192.0.2.{i}").status_code for i in range(10)
    ]
    assert answers == [200] * 9 + [429]
    assert _login(mallory, "alice", password, ALICE_HOME).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {MALLORY}


def test_without_a_trusted_proxy_everyone_behind_it_shares_one_address_but_not_the_lock(
    settings, alice, bob, password
):
    # The deployment forgot STANCE_TRUSTED_PROXY_COUNT: one address for all, and still
    # one person's typos on alice's account leave bob free to log in.
    settings.TRUSTED_PROXY_COUNT = 0
    assert _typos(Client(REMOTE_ADDR=PROXY), "alice", MALLORY)[-1] == 429
    assert _login(Client(REMOTE_ADDR=PROXY), "bob", password, ALICE_HOME).status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        (0, None, PROXY),
        (0, MALLORY, PROXY),
        (1, None, PROXY),
        (1, MALLORY, MALLORY),
        (1, f"192.0.2.7, {MALLORY}", MALLORY),
        (1, f"not-an-address, {MALLORY}", MALLORY),
        (2, f"192.0.2.7, {MALLORY}, 10.0.0.2", MALLORY),
        # Fewer entries than trusted proxies: the request did not come through them.
        (2, MALLORY, PROXY),
    ],
)
def test_client_address_reads_the_entries_the_trusted_proxies_appended(
    settings, proxies, forwarded_for, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    extra = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, **extra)
    assert client_address(request) == expected

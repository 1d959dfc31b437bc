"""A save that cannot get the SQLite write lock answers 503 "busy, try again", never 500."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.urls import reverse

from annotations import services

pytestmark = pytest.mark.django_db


def test_locked_database_on_save_is_a_503_with_a_message(alice_client, article, monkeypatch):
    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(services, "annotation_create", locked)
    quote = article.text[:20]
    response = alice_client.post(
        reverse("annotations:create"),
        {"article": article.pk, "start": 0, "end": 20, "quote": quote},
    )
    assert response.status_code == 503
    assert "try again" in response.content.decode()
    assert response["Retry-After"]


def test_other_database_errors_are_not_disguised_as_busy(alice_client, article, monkeypatch):
    def broken(**kwargs):
        raise OperationalError("no such table: nowhere")

    monkeypatch.setattr(services, "annotation_create", broken)
    with pytest.raises(OperationalError):
        alice_client.post(
            reverse("annotations:create"),
            {"article": article.pk, "start": 0, "end": 20, "quote": article.text[:20]},
        )

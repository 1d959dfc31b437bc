"""Every route of the site, walked: no POST without a CSRF token, no GET that changes state.

test_security checks the main forms by name; this walks the URL configuration so a new
view cannot be added without the same protection.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client

from annotations.models import Annotation
from projects.services import invitation_create
from reader.models import ImportDraft
from tests.articles import FLOODS
from tests.routes import routes

pytestmark = [pytest.mark.django_db]


def fill(route: str, *, annotation: Annotation, draft: ImportDraft, token: str) -> str:
    values = {
        "<slug:project>": annotation.article.project.slug,
        "<uuid:pk>": str(annotation.pk),
        "<int:pk>": str(draft.pk),
        "<slug:slug>": annotation.article.slug,
        "<int:number>": "1",
        "<str:token>": token,
        "<slug:download>": "tables",
        "<path:rest>": "annotations/",
    }
    for placeholder, value in values.items():
        route = route.replace(placeholder, value)
    assert "<" not in route, route
    return "/" + route


def database_state() -> dict[str, object]:
    """Row counts of every table, and what an edit would change on annotations and users."""
    state: dict[str, object] = {
        model._meta.label: model._default_manager.count() for model in apps.get_models()
    }
    state["annotations"] = sorted(
        Annotation.objects.values_list("pk", "note", "visibility", "version", "updated")
    )
    user_model = apps.get_model("auth", "User")
    state["users"] = sorted(user_model.objects.values_list("pk", "password", "is_active"))
    return state


@pytest.fixture
def walk(alice, article, make_annotation) -> list[str]:
    annotation = make_annotation(alice, article, "Additional reporting", note="kept")
    draft = ImportDraft.objects.create(user=alice, raw_input="\n\n".join(FLOODS).encode())
    _invitation, token = invitation_create(
        project=article.project, user=alice, role="viewer", days=1, max_uses=1
    )
    return [fill(r, annotation=annotation, draft=draft, token=token) for r in routes()]


def test_the_walk_reaches_every_kind_of_route(walk):
    expected = {
        "/annotations/new/",
        "/articles/import/",
        "/p/default/import/",
        "/p/default/codebook/",
        "/p/default/members/",
        "/export/import-annotations/",
        "/accounts/login/",
        "/accounts/logout/",
        "/accounts/signup/",
        "/accounts/password_change/",
    }
    assert expected <= set(walk)
    assert any(u.endswith("/edit/") for u in walk) and any("/import/" in u for u in walk)


@pytest.mark.parametrize("htmx", [False, True])
def test_no_route_accepts_a_post_without_a_csrf_token(alice, walk, htmx):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    before = database_state()
    for url in walk:
        data = {"note": "changed", "version": 1, "text": "\n\n".join(FLOODS), "username": "x"}
        response = client.post(url, data, **headers)
        # 403 from the CSRF check; 405 where the route takes no POST at all.
        assert response.status_code in (403, 405), (url, response.status_code)
    assert database_state() == before
    assert "_auth_user_id" in client.session


def test_no_route_changes_state_on_get_or_head(alice_client, walk):
    before = database_state()
    query = {"note": "via get", "version": 1, "text": "x", "start": 0, "end": 5, "post": "yes"}
    for url in walk:
        for method in ("get", "head"):
            response = getattr(alice_client, method)(url, query)
            assert response.status_code < 500, (url, method)
    assert database_state() == before
    assert "_auth_user_id" in alice_client.session


def test_logged_out_posts_without_a_token_change_nothing(client, walk):
    anonymous = Client(enforce_csrf_checks=True)
    before = database_state()
    for url in walk:
        response = anonymous.post(url, {"username": "mallory", "password1": "x" * 20})
        assert response.status_code in (302, 403, 405), url
    assert database_state() == before

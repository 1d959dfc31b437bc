"""The README's "Who may do what" table, cell by cell.

Rows: the annotation's owner (alice, who also imported the article), another user
(bob), staff (sam: is_staff with the admin permissions a team's editor gets) and a
logged-out visitor. Columns: alice's private annotation, her shared annotation, the
article and the export endpoints. Actions: view, edit, delete, export. Each cell is
probed through every door that leads to it — pages, htmx fragments, the admin, the
exports — and the observed outcome must be the one the table promises.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from annotations.models import Annotation
from reader.models import Article, ImportDraft
from tests.articles import FLOODS

pytestmark = [pytest.mark.django_db]

PRIVATE_QUOTE = "Damascus has denied all the claims of abuse."
SHARED_QUOTE = "Additional reporting by AP"
PRIVATE_NOTE = "private-note-41c7"
SHARED_NOTE = "shared-note-9a2e"
HTMX = {"HTTP_HX_REQUEST": "true"}
EXPORTS = ("/export/annotations.csv", "/export/annotations.jsonld")

OWNER, OTHER, STAFF, ANONYMOUS = "owner", "other user", "staff", "logged out"
ROLES = (OWNER, OTHER, STAFF, ANONYMOUS)
PRIVATE, SHARED, ARTICLE, EXPORT = "private annotation", "shared annotation", "article", "export"
ACTIONS = ("view", "edit", "delete", "export")

# Outcomes a probe can observe.
ALLOWED = "allowed"
NOT_FOUND = "404 (as if it did not exist)"
FORBIDDEN = "403 (visible, not changeable)"
LOGIN = "redirected to log in"
ADMIN_LOGIN = "redirected to the admin login"
NO_SUCH_ACTION = "405 (exports are read-only)"
ABSENT = "absent from the export"

ANNOTATION_CELLS = {
    OWNER: {"view": ALLOWED, "edit": ALLOWED, "delete": ALLOWED, "export": ALLOWED},
    ANONYMOUS: {"view": LOGIN, "edit": LOGIN, "delete": LOGIN, "export": LOGIN},
}
TABLE: dict[tuple[str, str], dict[str, str]] = {
    (OWNER, PRIVATE): ANNOTATION_CELLS[OWNER],
    (OWNER, SHARED): ANNOTATION_CELLS[OWNER],
    (OTHER, PRIVATE): {"view": NOT_FOUND, "edit": NOT_FOUND, "delete": NOT_FOUND, "export": ABSENT},
    (OTHER, SHARED): {"view": ALLOWED, "edit": FORBIDDEN, "delete": FORBIDDEN, "export": ALLOWED},
    (STAFF, PRIVATE): {"view": NOT_FOUND, "edit": NOT_FOUND, "delete": NOT_FOUND, "export": ABSENT},
    (STAFF, SHARED): {"view": ALLOWED, "edit": FORBIDDEN, "delete": FORBIDDEN, "export": ALLOWED},
    (ANONYMOUS, PRIVATE): ANNOTATION_CELLS[ANONYMOUS],
    (ANONYMOUS, SHARED): ANNOTATION_CELLS[ANONYMOUS],
    # Articles are the team's library: anyone signed in reads and exports them; only staff
    # edit or delete them, in the admin.
    (OWNER, ARTICLE): {
        "view": ALLOWED,
        "edit": ADMIN_LOGIN,
        "delete": ADMIN_LOGIN,
        "export": ALLOWED,
    },
    (OTHER, ARTICLE): {
        "view": ALLOWED,
        "edit": ADMIN_LOGIN,
        "delete": ADMIN_LOGIN,
        "export": ALLOWED,
    },
    # Deleting an article would delete colleagues' annotations with it, so the admin
    # refuses while anyone else's annotation is on it (see the test further down).
    (STAFF, ARTICLE): {"view": ALLOWED, "edit": ALLOWED, "delete": FORBIDDEN, "export": ALLOWED},
    (ANONYMOUS, ARTICLE): {"view": LOGIN, "edit": LOGIN, "delete": LOGIN, "export": LOGIN},
}
for _role in (OWNER, OTHER, STAFF):
    TABLE[(_role, EXPORT)] = {
        "view": ALLOWED,
        "edit": NO_SUCH_ACTION,
        "delete": NO_SUCH_ACTION,
        "export": ALLOWED,
    }
TABLE[(ANONYMOUS, EXPORT)] = {"view": LOGIN, "edit": LOGIN, "delete": LOGIN, "export": LOGIN}

CELLS = [
    pytest.param(role, thing, action, id=f"{role}-{thing}-{action}".replace(" ", "_"))
    for role in ROLES
    for thing in (PRIVATE, SHARED, ARTICLE, EXPORT)
    for action in ACTIONS
]


@dataclass
class World:
    clients: dict[str, Client]
    article: Article
    private: Annotation
    shared: Annotation

    def annotation(self, thing: str) -> Annotation:
        return self.private if thing == PRIVATE else self.shared

    def note(self, thing: str) -> str:
        return PRIVATE_NOTE if thing == PRIVATE else SHARED_NOTE


def editor_permissions() -> list[Permission]:
    """What a team's editor is given: the whole admin for articles, stances, annotations."""
    return list(Permission.objects.filter(content_type__app_label__in=["reader", "annotations"]))


@pytest.fixture
def editor(make_user):
    user = make_user("sam", is_staff=True)
    user.user_permissions.set(editor_permissions())
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(alice, bob, editor, article, make_annotation) -> World:
    private = make_annotation(
        alice, article, PRIVATE_QUOTE, note=PRIVATE_NOTE, visibility="private"
    )
    shared = make_annotation(alice, article, SHARED_QUOTE, note=SHARED_NOTE)
    clients = {
        OWNER: signed_in(alice),
        OTHER: signed_in(bob),
        STAFF: signed_in(editor),
        ANONYMOUS: Client(),
    }
    return World(clients=clients, article=article, private=private, shared=shared)


def outcome_of(response) -> str:
    """Names what a response did; an unexpected status fails loudly."""
    status = response.status_code
    if status == 404:
        return NOT_FOUND
    if status == 403:
        return FORBIDDEN
    if status == 405:
        return NO_SUCH_ACTION
    if status == 302:
        location = response["Location"]
        if location.startswith("/admin/login/"):
            return ADMIN_LOGIN
        if location.startswith(reverse("login")):
            return LOGIN
        return ALLOWED
    if status == 200:
        return ALLOWED
    raise AssertionError(f"unexpected {status} for {response.request}")


def same_outcome(responses: list) -> str:
    outcomes = {outcome_of(r) for r in responses}
    assert len(outcomes) == 1, [(r.request["PATH_INFO"], outcome_of(r)) for r in responses]
    return outcomes.pop()


def snapshot(annotation: Annotation) -> tuple | None:
    stored = Annotation.objects.filter(pk=annotation.pk).first()
    if stored is None:
        return None
    return (stored.note, stored.visibility, stored.version, stored.updated)


# ------------------------------------------------------------------ annotation probes


def view_annotation(world: World, client: Client, thing: str) -> str:
    annotation = world.annotation(thing)
    detail = reverse("annotations:detail", args=[annotation.pk])
    responses = [client.get(detail), client.get(detail, **HTMX)]
    outcome = same_outcome(responses)
    for response in responses:
        shows_note = world.note(thing).encode() in response.content
        assert shows_note == (outcome == ALLOWED)
    # The reading page, its fragment and the list agree with the detail view.
    reading = client.get(world.article.get_absolute_url())
    fragment = client.get(
        reverse("article_annotations:list", args=["default", world.article.slug]), **HTMX
    )
    for response in (reading, fragment):
        if outcome == LOGIN:
            assert outcome_of(response) == LOGIN
        else:
            assert response.status_code == 200
            on_page = str(annotation.pk).encode() in response.content
            assert on_page == (outcome == ALLOWED)
            assert (world.note(thing).encode() in response.content) == (outcome == ALLOWED)
    return outcome


def edit_annotation(world: World, client: Client, thing: str) -> str:
    annotation = world.annotation(thing)
    before = snapshot(annotation)
    url = reverse("annotations:edit", args=[annotation.pk])
    change = {"version": annotation.version, "note": "rewritten", "visibility": "shared"}
    form = client.get(url)
    posted = client.post(url, change)
    posted_htmx = client.post(url, change | {"note": "rewritten again"}, **HTMX)
    outcome = same_outcome([form, posted])
    if outcome == ALLOWED:
        assert posted_htmx.status_code == 409  # the version moved on with the first save
        assert snapshot(annotation)[0] == "rewritten"
    else:
        assert outcome_of(posted_htmx) == outcome
        assert snapshot(annotation) == before
        assert world.note(thing).encode() not in form.content + posted.content
    return outcome


def delete_annotation(world: World, client: Client, thing: str) -> str:
    annotation = world.annotation(thing)
    before = snapshot(annotation)
    url = reverse("annotations:delete", args=[annotation.pk])
    confirm = client.get(url)
    deleted = client.post(url, **HTMX)
    outcome = same_outcome([confirm, deleted])
    if outcome == ALLOWED:
        assert snapshot(annotation) is None
    else:
        assert snapshot(annotation) == before
        assert world.note(thing).encode() not in confirm.content + deleted.content
    return outcome


def export_annotation(world: World, client: Client, thing: str) -> str:
    annotation = world.annotation(thing)
    responses = [
        client.get(url, params)
        for url in EXPORTS
        for params in ({}, {"article": world.article.pk}, {"visibility": "all"})
    ]
    outcome = same_outcome(responses)
    if outcome == LOGIN:
        return outcome
    contents = [b"".join(r.streaming_content) for r in responses]
    present = {
        str(annotation.pk).encode() in c and world.note(thing).encode() in c for c in contents
    }
    assert len(present) == 1
    found = present.pop()
    if not found:
        assert not any(world.note(thing).encode() in c for c in contents)
    return ALLOWED if found else ABSENT


# ------------------------------------------------------------------ article probes


def view_article(world: World, client: Client) -> str:
    return same_outcome(
        [
            client.get(world.article.get_absolute_url()),
            client.get(reverse("reader:article_list", args=["default"])),
        ]
    )


def _article_change_form(article: Article, title: str) -> dict:
    return {
        "title": title,
        "subtitle": article.subtitle,
        "byline": article.byline,
        "published_0": "",
        "published_1": "",
        "source_name": article.source_name,
        "source_url": article.source_url or "",
        "slug": article.slug,
    }


def edit_article(world: World, client: Client) -> str:
    url = reverse("admin:reader_article_change", args=[world.article.pk])
    form = client.get(url)
    posted = client.post(url, _article_change_form(world.article, "Retitled by the editor"))
    outcome = same_outcome([form, posted])
    title = Article.objects.get(pk=world.article.pk).title
    assert (title == "Retitled by the editor") == (outcome == ALLOWED)
    if outcome == ALLOWED:
        assert posted["Location"].startswith("/admin/")
    return outcome


def delete_article(world: World, client: Client) -> str:
    url = reverse("admin:reader_article_delete", args=[world.article.pk])
    confirm = client.get(url)
    # The confirmation must not describe other people's private annotations.
    assert PRIVATE_NOTE.encode() not in confirm.content
    assert str(world.private.pk).encode() not in confirm.content
    deleted = client.post(url, {"post": "yes"})
    outcome = outcome_of(deleted)
    assert outcome_of(confirm) in (outcome, ALLOWED)
    assert Article.objects.filter(pk=world.article.pk).exists() == (outcome != ALLOWED)
    return outcome


def export_article(world: World, client: Client) -> str:
    responses = [client.get(url, {"article": world.article.pk}) for url in EXPORTS]
    outcome = same_outcome(responses)
    if outcome == ALLOWED:
        for response in responses:
            assert str(world.shared.pk).encode() in b"".join(response.streaming_content)
    return outcome


# ------------------------------------------------------------------ export endpoint probes


def read_export(world: World, client: Client, url: str) -> str:
    response = client.get(url)
    outcome = outcome_of(response)
    if outcome == ALLOWED:
        assert str(world.shared.pk).encode() in b"".join(response.streaming_content)
    return outcome


def change_export(world: World, client: Client, method: str) -> str:
    before = (snapshot(world.private), snapshot(world.shared))
    outcome = same_outcome([getattr(client, method)(url) for url in EXPORTS])
    assert (snapshot(world.private), snapshot(world.shared)) == before
    return outcome


PROBES: dict[tuple[str, str], Callable[[World, Client], str]] = {
    **{
        (thing, action): partial(probe, thing=thing)
        for thing in (PRIVATE, SHARED)
        for action, probe in (
            ("view", view_annotation),
            ("edit", edit_annotation),
            ("delete", delete_annotation),
            ("export", export_annotation),
        )
    },
    (ARTICLE, "view"): view_article,
    (ARTICLE, "edit"): edit_article,
    (ARTICLE, "delete"): delete_article,
    (ARTICLE, "export"): export_article,
    (EXPORT, "view"): lambda w, c: read_export(w, c, EXPORTS[0]),
    (EXPORT, "export"): lambda w, c: read_export(w, c, EXPORTS[1]),
    (EXPORT, "edit"): lambda w, c: change_export(w, c, "post"),
    (EXPORT, "delete"): lambda w, c: change_export(w, c, "delete"),
}


@pytest.mark.parametrize(("role", "thing", "action"), CELLS)
def test_every_cell_of_the_permission_table(world, role, thing, action):
    observed = PROBES[(thing, action)](world, world.clients[role])
    assert observed == TABLE[(role, thing)][action]


def test_the_table_covers_every_cell():
    assert {(r, t) for r, t in TABLE} == {
        (r, t) for r in ROLES for t in (PRIVATE, SHARED, ARTICLE, EXPORT)
    }
    assert all(set(cells) == set(ACTIONS) for cells in TABLE.values())


# ------------------------------------------------------------------ staff in the admin

ANNOTATION_ADMIN = "/admin/annotations/annotation/"


def test_staff_admin_list_does_not_show_others_private_annotations(world):
    staff = world.clients[STAFF]
    for params in ({}, {"q": PRIVATE_NOTE}, {"q": "alice"}, {"visibility__exact": "private"}):
        response = staff.get(ANNOTATION_ADMIN, params)
        assert response.status_code == 200
        assert str(world.private.pk).encode() not in response.content
        assert PRIVATE_QUOTE[:40].encode() not in response.content
    listing = staff.get(ANNOTATION_ADMIN).content
    assert str(world.shared.pk).encode() in listing


@pytest.mark.parametrize("page", ["change", "history", "delete"])
def test_staff_admin_pages_of_others_private_annotation_reveal_nothing(world, page):
    staff = world.clients[STAFF]
    url = reverse(f"admin:annotations_annotation_{page}", args=[world.private.pk])
    never_made = reverse(f"admin:annotations_annotation_{page}", args=[uuid.uuid4()])
    for method in ("get", "post"):
        response = getattr(staff, method)(url, {"post": "yes", "note": "x"})
        unknown = getattr(staff, method)(never_made, {"post": "yes", "note": "x"})
        assert response.status_code == unknown.status_code
        assert response.status_code in (302, 403, 404)
        followed = staff.get(response["Location"]) if response.status_code == 302 else response
        assert PRIVATE_NOTE.encode() not in response.content + followed.content
        assert PRIVATE_QUOTE[:40].encode() not in followed.content
    assert snapshot(world.private)[0] == PRIVATE_NOTE


def test_staff_admin_can_read_but_not_change_others_shared_annotation(world):
    staff = world.clients[STAFF]
    before = snapshot(world.shared)
    change = reverse("admin:annotations_annotation_change", args=[world.shared.pk])
    page = staff.get(change)
    assert page.status_code == 200 and SHARED_NOTE.encode() in page.content
    assert b'name="note"' not in page.content  # shown read-only
    assert staff.post(change, {"note": "edited", "visibility": "private"}).status_code == 403
    delete = reverse("admin:annotations_annotation_delete", args=[world.shared.pk])
    assert staff.post(delete, {"post": "yes"}).status_code == 403
    bulk = staff.post(
        ANNOTATION_ADMIN,
        {"action": "delete_selected", "_selected_action": [world.shared.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302, 403)
    assert snapshot(world.shared) == before


def test_staff_admin_cannot_add_annotations_behind_the_offset_checks(world):
    assert world.clients[STAFF].get(reverse("admin:annotations_annotation_add")).status_code == 403


def test_staff_admin_cannot_change_even_their_own_annotation_behind_the_version(
    world, editor, article, make_annotation
):
    own = make_annotation(editor, article, "Mr Lavrov reiterated", note="mine")
    staff = world.clients[STAFF]
    change = reverse("admin:annotations_annotation_change", args=[own.pk])
    assert staff.post(change, {"note": "edited in admin"}).status_code == 403
    assert snapshot(own)[0] == "mine"
    delete = reverse("admin:annotations_annotation_delete", args=[own.pk])
    assert staff.post(delete, {"post": "yes"}).status_code == 302
    assert snapshot(own) is None


def test_staff_admin_deletes_an_article_nobody_else_annotated(world, editor, make_annotation):
    from reader import services
    from tests.articles import numbered_article

    spare = services.article_import(raw=numbered_article(7), user=editor, filename="7.txt").article
    make_annotation(editor, spare, "harbour master", note="staff's own")
    staff = world.clients[STAFF]
    url = reverse("admin:reader_article_delete", args=[spare.pk])
    assert staff.get(url).status_code == 200
    assert staff.post(url, {"post": "yes"}).status_code == 302
    assert not Article.objects.filter(pk=spare.pk).exists()
    assert Article.objects.filter(pk=world.article.pk).exists()


def test_staff_without_admin_permissions_sees_no_annotation_admin(world, make_user):
    bare = signed_in(make_user("newstaff", is_staff=True))
    assert bare.get(ANNOTATION_ADMIN).status_code == 403


# ------------------------------------------------------------------ walking ids


def test_walking_random_annotation_ids_finds_nothing(world):
    bob = world.clients[OTHER]
    private_404 = bob.get(reverse("annotations:detail", args=[world.private.pk]))
    for _ in range(25):
        pk = uuid.uuid4()
        assert bob.get(reverse("annotations:detail", args=[pk])).status_code == 404
        for name in ("edit", "delete"):
            for method in ("get", "post"):
                response = getattr(bob, method)(reverse(f"annotations:{name}", args=[pk]))
                assert response.status_code == 404
    # A private id answers exactly like an id that was never made.
    unknown_404 = bob.get(reverse("annotations:detail", args=[uuid.uuid4()]))
    # (Every page masks its CSRF token afresh; nothing else may differ.)
    def unmasked(response) -> str:
        page = re.sub(r'"X-CSRFToken": "[^"]*"', "", response.content.decode())
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)

    assert unmasked(private_404) == unmasked(unknown_404)


def test_annotation_ids_that_are_not_uuids_are_404(world):
    bob = world.clients[OTHER]
    for candidate in ("1", "2", "00000000", str(world.private.pk)[:-1], "../admin"):
        assert bob.get(f"/annotations/{candidate}/").status_code == 404


def test_walking_sequential_draft_ids_finds_nothing(world, alice, bob):
    drafts = [
        ImportDraft.objects.create(user=alice, raw_input="\n\n".join(FLOODS).encode())
        for _ in range(3)
    ]
    bob_client = world.clients[OTHER]
    highest = max(d.pk for d in drafts)
    for pk in range(1, highest + 5):
        for name, method in (
            ("draft_preview", "get"),
            ("draft_preview", "post"),
            ("draft_save", "post"),
            ("draft_discard", "post"),
        ):
            response = getattr(bob_client, method)(reverse(f"reader:{name}", args=["default", pk]))
            assert response.status_code == 404, (name, pk)
    assert ImportDraft.objects.filter(user=alice).count() == 3
    assert Article.objects.count() == 1
    page = bob_client.get(reverse("reader:article_import", args=["default"])).content.decode()
    assert not any(re.search(rf"/import/{d.pk}/", page) for d in drafts)


def test_walking_article_ids_in_export_filters_reveals_only_visible_annotations(world):
    bob = world.clients[OTHER]
    for pk in range(world.article.pk - 2, world.article.pk + 3):
        response = bob.get(EXPORTS[0], {"article": pk})
        content = (
            b"".join(response.streaming_content)
            if response.status_code == 200
            else response.content
        )
        assert response.status_code in (200, 400)
        assert PRIVATE_NOTE.encode() not in content

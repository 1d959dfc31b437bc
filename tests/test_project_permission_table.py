"""The README's project permission table, cell by cell.

Rows: a project's manager, annotator and viewer, a person who is not a member, a
logged-out visitor, and staff who are not members. Objects: the project page, an article
(imported by another member), another member's shared annotation, another member's
private annotation, the codebook, the members, the export. Actions: view, create, edit,
delete, export. Each cell is probed through the page or endpoint that does it, in a world
of its own, and the outcome seen must be the one the table promises. A cell marked "—"
in the README has no door at all.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from annotations.models import Annotation, Stance
from annotations.services import annotation_create
from projects.models import Invitation, Membership, Project
from reader.models import Article, ArticleProposal, ImportDraft
from tests.articles import FLOODS
from tests.test_article_integrity import page_claiming

SOURCE = "https://news.example/floods"

pytestmark = [pytest.mark.django_db]

MANAGER, ANNOTATOR, VIEWER = "manager", "annotator", "viewer"
NON_MEMBER, LOGGED_OUT, STAFF = "non-member", "logged out", "staff non-member"
ROLES = (MANAGER, ANNOTATOR, VIEWER, NON_MEMBER, LOGGED_OUT, STAFF)
PROJECT, ARTICLE, SHARED, PRIVATE = "project page", "article", "shared annotation", "private annotation of another"
CODEBOOK, MEMBERS, EXPORT = "codebook", "members", "export"

ALLOWED = "allowed"
FORBIDDEN = "403 (seen, not changeable)"
REFUSED = "refused with the reason (400)"
NOT_FOUND = "404 (as if it did not exist)"
LOGIN = "redirected to log in"
ABSENT = "absent from the export"
PROPOSED = "a proposed update, for review"

MEMBER_ONLY = {NON_MEMBER: NOT_FOUND, STAFF: NOT_FOUND, LOGGED_OUT: LOGIN}


def row(manager, annotator, viewer) -> dict[str, str]:
    return {MANAGER: manager, ANNOTATOR: annotator, VIEWER: viewer, **MEMBER_ONLY}


TABLE: dict[tuple[str, str], dict[str, str]] = {
    (PROJECT, "view"): row(ALLOWED, ALLOWED, ALLOWED),
    (PROJECT, "create"): row(ALLOWED, ALLOWED, FORBIDDEN),  # import an article
    (PROJECT, "export"): row(ALLOWED, ALLOWED, ALLOWED),
    (ARTICLE, "view"): row(ALLOWED, ALLOWED, ALLOWED),
    # Annotating: outside the project the article is refused as an unknown one is.
    (ARTICLE, "create"): {**row(ALLOWED, ALLOWED, REFUSED), NON_MEMBER: REFUSED, STAFF: REFUSED},
    # Replace its text by importing a page that claims its address: another annotator's
    # page only becomes a proposed update for the importer or a manager to review.
    (ARTICLE, "edit"): row(ALLOWED, PROPOSED, FORBIDDEN),
    (ARTICLE, "delete"): row(ALLOWED, FORBIDDEN, FORBIDDEN),
    (ARTICLE, "export"): row(ALLOWED, ALLOWED, ALLOWED),
    (SHARED, "view"): row(ALLOWED, ALLOWED, ALLOWED),
    (SHARED, "edit"): row(FORBIDDEN, FORBIDDEN, FORBIDDEN),
    (SHARED, "delete"): row(FORBIDDEN, FORBIDDEN, FORBIDDEN),
    (SHARED, "export"): {**row(ALLOWED, ALLOWED, ALLOWED), NON_MEMBER: ABSENT, STAFF: ABSENT},
    (PRIVATE, "view"): row(NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (PRIVATE, "edit"): row(NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (PRIVATE, "delete"): row(NOT_FOUND, NOT_FOUND, NOT_FOUND),
    (PRIVATE, "export"): {**row(ABSENT, ABSENT, ABSENT), NON_MEMBER: ABSENT, STAFF: ABSENT},
    (CODEBOOK, "view"): row(ALLOWED, ALLOWED, ALLOWED),
    (CODEBOOK, "create"): row(ALLOWED, FORBIDDEN, FORBIDDEN),
    (CODEBOOK, "edit"): row(ALLOWED, FORBIDDEN, FORBIDDEN),
    (CODEBOOK, "delete"): row(ALLOWED, FORBIDDEN, FORBIDDEN),  # retire a stance
    (CODEBOOK, "export"): row(ALLOWED, ALLOWED, ALLOWED),  # codebook.json
    (MEMBERS, "view"): row(ALLOWED, ALLOWED, ALLOWED),
    (MEMBERS, "create"): row(ALLOWED, FORBIDDEN, FORBIDDEN),  # an invitation link
    (MEMBERS, "edit"): row(ALLOWED, FORBIDDEN, FORBIDDEN),  # another member's role
    (MEMBERS, "delete"): row(ALLOWED, FORBIDDEN, FORBIDDEN),  # remove another member
    (EXPORT, "view"): row(ALLOWED, ALLOWED, ALLOWED),
    (EXPORT, "export"): row(ALLOWED, ALLOWED, ALLOWED),
}

CELLS = [
    pytest.param(who, thing, action, id=f"{who}-{thing}-{action}".replace(" ", "_"))
    for (thing, action), outcomes in TABLE.items()
    for who in ROLES
]


@dataclass
class World:
    project: Project
    article: Article
    shared: Annotation
    private: Annotation
    oz: object  # the other member who owns both annotations and imported the article
    client: Client


@pytest.fixture
def make_world(make_user, make_project):
    def make(who: str) -> World:
        boss = make_user("boss", project=None)
        project = make_project("Team", boss)
        oz = make_user("oz", project=None)
        Membership.objects.create(project=project, user=oz, role="annotator")
        article = Article(project=project, title=FLOODS[0], imported_by=oz, raw_input=b"", source_url=SOURCE)
        article.set_text(
            body_html="".join(f"<p>{p}</p>" for p in FLOODS), text="\n\n".join(FLOODS)
        )
        article.assign_slug()
        article.save()
        quote = FLOODS[1][:30]
        start = article.text.index(quote)
        shared = annotation_create(user=oz, article=article, start=start, end=start + 30, quote=quote, note="shared-note")
        private = annotation_create(user=oz, article=article, start=start, end=start + 10,
                                    quote=quote[:10], note="private-note", visibility="private")  # fmt: skip
        client = Client()
        if who != LOGGED_OUT:
            person = make_user("who", project=None, is_staff=who == STAFF, is_superuser=who == STAFF)
            if who in (MANAGER, ANNOTATOR, VIEWER):
                Membership.objects.create(project=project, user=person, role=who)
            client.force_login(person)
        return World(project, article, shared, private, oz, client)

    return make


def outcome_of(response) -> str:
    if response.status_code in (301, 302) and "/accounts/login/" in response.get("Location", ""):
        return LOGIN
    return {403: FORBIDDEN, 404: NOT_FOUND, 400: REFUSED}.get(response.status_code, ALLOWED if response.status_code < 400 else str(response.status_code))


def exported(world: World, annotation: Annotation, url: str) -> str:
    response = world.client.get(url)
    if response.status_code != 200:
        return outcome_of(response)
    text = b"".join(response.streaming_content).decode()
    ids = {r["annotation_id"] for r in csv.DictReader(io.StringIO(text))}
    return ALLOWED if str(annotation.pk) in ids else ABSENT


def p(world: World, name: str, *args) -> str:
    return reverse(name, args=[world.project.slug, *args])


def probe_annotation(world: World, annotation: Annotation, action: str) -> str:
    c = world.client
    if action == "view":
        return outcome_of(c.get(reverse("annotations:detail", args=[annotation.pk])))
    if action == "edit":
        response = c.post(reverse("annotations:edit", args=[annotation.pk]), {"note": "x", "version": 1})
        assert Annotation.objects.get(pk=annotation.pk).note != "x"
        return outcome_of(response)
    if action == "delete":
        response = c.post(reverse("annotations:delete", args=[annotation.pk]))
        assert Annotation.objects.filter(pk=annotation.pk).exists()
        return outcome_of(response)
    # The global export for those outside the project, the project's for its members.
    url = p(world, "project_export:annotations_csv")
    if outcome_of(c.get(url)) == NOT_FOUND:
        url = reverse("export:annotations_csv")
    return exported(world, annotation, url)


def probe(world: World, thing: str, action: str) -> str:
    c, project, article = world.client, world.project, world.article
    if thing == PROJECT:
        if action == "view":
            return outcome_of(c.get(p(world, "reader:article_list")))
        if action == "create":
            response = c.post(p(world, "reader:article_import"), {"text": "A new article.\n\nIts second paragraph."})
            return outcome_of(response)
        return outcome_of(c.get(p(world, "project_export:annotations_csv")))
    if thing == ARTICLE:
        if action == "view":
            return outcome_of(c.get(article.get_absolute_url()))
        if action == "create":
            quote = FLOODS[2][:20]
            start = article.text.index(quote)
            before = Annotation.objects.count()
            response = c.post(reverse("annotations:create"),
                              {"article": article.pk, "start": start, "end": start + 20, "quote": quote})  # fmt: skip
            result = outcome_of(response)
            assert (Annotation.objects.count() > before) == (result == ALLOWED)
            return result
        if action == "edit":
            page = page_claiming(SOURCE, *FLOODS[1:3], "A corrected last line.")
            response = c.post(p(world, "reader:article_import"), {"text": page})
            if response.status_code != 302 or outcome_of(response) == LOGIN:
                return outcome_of(response)
            draft = ImportDraft.objects.get()
            response = c.post(p(world, "reader:draft_save", draft.pk))
            if ArticleProposal.objects.filter(article=article).exists():
                return PROPOSED
            assert Article.objects.get(pk=article.pk).version == 2
            return outcome_of(response)
        if action == "delete":
            url = p(world, "reader:article_delete", article.slug)
            # The confirmation page's count of what goes with it, as the form sends it.
            seen = re.search(r'name="seen" value="([^"]*)"', c.get(url).content.decode())
            response = c.post(url, {"confirm": "delete", "seen": seen[1] if seen else ""})
            result = outcome_of(response)
            assert Article.objects.filter(pk=article.pk).exists() == (result != ALLOWED)
            return result
        return outcome_of(c.get(p(world, "project_export:annotations_csv") + f"?article={article.pk}"))
    if thing in (SHARED, PRIVATE):
        return probe_annotation(world, world.shared if thing == SHARED else world.private, action)
    if thing == CODEBOOK:
        stance = Stance.objects.filter(project=project).first()
        versions = project.codebook_versions.count()
        if action == "view":
            return outcome_of(c.get(p(world, "projects:codebook")))
        if action == "export":
            return outcome_of(c.get(p(world, "projects:codebook_json")))
        if action == "create":
            response = c.post(p(world, "projects:stance_new"), {"name": "UN", "colour": "#8a5a00", "order": 9})
        elif action == "edit":
            response = c.post(p(world, "projects:stance_edit", stance.pk),
                              {"name": "Renamed", "colour": stance.colour, "order": stance.order})  # fmt: skip
        else:
            response = c.post(p(world, "projects:stance_active", stance.pk), {"active": "0"})
        result = outcome_of(response)
        assert (project.codebook_versions.count() > versions) == (result == ALLOWED)
        return result
    if thing == MEMBERS:
        oz = Membership.objects.get(project=project, user=world.oz)
        if action == "view":
            return outcome_of(c.get(p(world, "projects:members")))
        if action == "create":
            response = c.post(p(world, "projects:invitation_new"), {"role": "manager", "days": 1, "max_uses": 1})
            assert Invitation.objects.exists() == (outcome_of(response) == ALLOWED)
        elif action == "edit":
            response = c.post(p(world, "projects:member_role", oz.pk), {"role": "manager"})
            assert (Membership.objects.get(pk=oz.pk).role == "manager") == (outcome_of(response) == ALLOWED)
        else:
            response = c.post(p(world, "projects:member_remove", oz.pk))
            assert Membership.objects.filter(pk=oz.pk).exists() == (outcome_of(response) != ALLOWED)
        return outcome_of(response)
    url = p(world, "project_export:annotations_csv" if action == "view" else "project_export:annotations_jsonld")
    return outcome_of(c.get(url))


@pytest.mark.parametrize("who, thing, action", CELLS)
def test_every_cell_of_the_project_permission_table(make_world, who, thing, action):
    world = make_world(who)
    assert probe(world, thing, action) == TABLE[(thing, action)][who]


def test_the_readme_table_is_this_table():
    """The README's table and this one say the same thing, cell by cell."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Who may do what in a project", 1)[1].split("\n### ", 1)[0]
    for (thing, action), outcomes in TABLE.items():
        line = next((ln for ln in section.splitlines() if ln.startswith(f"| {thing} | {action} |")), None)
        assert line is not None, (thing, action)
        cells = [cell.strip() for cell in line.strip("|").split("|")][2:]
        assert cells == [README_WORDS[outcomes[who]] for who in ROLES], (thing, action)


README_WORDS = {
    ALLOWED: "yes",
    PROPOSED: "proposes",
    FORBIDDEN: "403",
    REFUSED: "no (400)",
    NOT_FOUND: "404",
    LOGIN: "log in",
    ABSENT: "absent",
}

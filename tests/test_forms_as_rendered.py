"""Every form a person can open, submitted as the page renders it (django-webtest).

A test that posts a hand-made dict proves the view, not the page: a form that renders
the wrong widget passes it. Here each form is loaded as rendered and submitted without
touching anything, as a browser without JavaScript sends it (every input, select and
textarea, with CSRF): nothing stored may change. The htmx versions are driven in
Playwright (tests/browser/test_forms_htmx.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.urls import reverse
from webtest.forms import Form

from annotations.models import Annotation
from reader import services
from reader.models import Article, ImportDraft
from tests.conftest import SEED

# Rows a visit writes whatever the form does: the session, the admin's log of
# what it was asked (it logs "No fields changed."), login bookkeeping.
NOT_CONTENT = {"sessions.Session", "admin.LogEntry", "axes.AccessLog", "axes.AccessAttempt"}
VOLATILE_FIELDS = {"last_login"}


def stored() -> dict[str, list[dict]]:
    """Every row of every model that holds content, as plain values."""
    snapshot = {}
    for model in apps.get_models():
        label = model._meta.label
        if label in NOT_CONTENT:
            continue
        rows = model.objects.order_by("pk").values()
        snapshot[label] = [
            {k: v for k, v in row.items() if k not in VOLATILE_FIELDS} for row in rows
        ]
    return snapshot


def changed(before: dict, after: dict) -> dict[str, tuple[list, list]]:
    return {
        label: (before[label], after[label]) for label in before if before[label] != after[label]
    }


@dataclass
class Opened:
    """A page as a person opens it and the form they would submit."""

    url: str
    user: object = None
    form: str = "main form"  # a CSS selector matching one form
    headers: dict = field(default_factory=dict)
    button: str | None = None  # the submit button's text or name, if not the first
    status: str | int | None = None  # what submitting answers (None: 2xx or 3xx, followed)
    shows: str = ""  # a text the page must show for the case to be the one meant


# Each case: a fixture request -> the page to open. Building it may store rows (the
# article, an annotation, a draft); the snapshot is taken after that.


def _annotation(request) -> Annotation:
    alice = request.getfixturevalue("alice")
    article = request.getfixturevalue("article")
    make = request.getfixturevalue("make_annotation")
    # A second stance and a private note: untouched, both must survive.
    return make(
        alice,
        article,
        "Russia",
        stance_names=("Russia", "United States"),
        note="first thoughts",
        visibility=Annotation.Visibility.PRIVATE,
    )


def edit_page(request) -> Opened:
    annotation = _annotation(request)
    return Opened(
        reverse("annotations:edit", args=[annotation.pk]), annotation.user, form="form.edit-form"
    )


def edit_card(request) -> Opened:
    annotation = _annotation(request)
    return Opened(
        reverse("annotations:edit", args=[annotation.pk]),
        annotation.user,
        form="form.edit-form",
        headers={"HX-Request": "true", "HX-Target": f"ann-{annotation.pk}"},
    )


def annotation_toolbar(request) -> Opened:
    _annotation(request)
    article = request.getfixturevalue("article")
    # With nothing selected the toolbar's form has no offsets: it must refuse, not store.
    return Opened(article.get_absolute_url(), article.imported_by, form="form#toolbar", status=400)


def reading_filters(request) -> Opened:
    _annotation(request)
    article = request.getfixturevalue("article")
    return Opened(article.get_absolute_url(), article.imported_by, form="form#filters")


def article_details_page(request) -> Opened:
    _annotation(request)
    article = request.getfixturevalue("article")
    return Opened(
        reverse("reader:article_details", args=[article.project.slug, article.slug]),
        article.imported_by,
        form="form#article-details",
    )


def article_details_htmx(request) -> Opened:
    opened = article_details_page(request)
    opened.headers = {"HX-Request": "true", "HX-Target": "article-details"}
    return opened


def _draft(request) -> ImportDraft:
    alice = request.getfixturevalue("alice")
    return ImportDraft.objects.create(user=alice, raw_input=SEED.read_bytes(), filename=SEED.name)


def preview_update(request) -> Opened:
    draft = _draft(request)
    # The no-JavaScript "Update preview" button, with the restore boxes as rendered.
    return Opened(
        reverse("reader:draft_preview", args=["default", draft.pk]),
        draft.user,
        form="form#preview-form",
        button="Update preview",
    )


def preview_offering_an_update(request) -> Opened:
    from tests.test_similar_reimport import EDITED, ORIGINAL

    alice = request.getfixturevalue("alice")
    services.article_import(raw=ORIGINAL, user=alice, filename="floods.txt")
    draft = ImportDraft.objects.create(user=alice, raw_input=EDITED, filename="floods.txt")
    # The offer's "Update that article" is the form's first button: untouched, the
    # no-JavaScript "Update preview" must not press it.
    return Opened(
        reverse("reader:draft_preview", args=["default", draft.pk]),
        alice,
        form="form#preview-form",
        button="Update preview",
        shows="Update that article",
    )


def import_page(request) -> Opened:
    return Opened(
        reverse("reader:article_import", args=["default"]),
        request.getfixturevalue("alice"),
        form="form.import-form",
        status=422,
    )


def list_search(request) -> Opened:
    request.getfixturevalue("article")
    return Opened(
        reverse("reader:article_list", args=["default"]), request.getfixturevalue("alice"), form="form.search"
    )


def _annotation_upload(url: str, user) -> Opened:
    # The file input is required: a browser would not send the form, webtest sends it
    # without a file, and the view must answer with a message, storing nothing.
    return Opened(url, user, form="form.import-annotations", status="*")


def list_annotation_upload(request) -> Opened:
    request.getfixturevalue("article")
    return _annotation_upload(reverse("reader:article_list", args=["default"]), request.getfixturevalue("alice"))


def reading_annotation_upload(request) -> Opened:
    article = request.getfixturevalue("article")
    return _annotation_upload(article.get_absolute_url(), article.imported_by)


def signup(request) -> Opened:
    return Opened(reverse("signup"), status="*")


def login(request) -> Opened:
    request.getfixturevalue("alice")
    return Opened(reverse("login"), status="*")


def password_change(request) -> Opened:
    return Opened(reverse("password_change"), request.getfixturevalue("alice"), status="*")


def stance_admin(request) -> Opened:
    staff = request.getfixturevalue("staff")
    stance = request.getfixturevalue("stances")[0]
    staff.is_superuser = True
    staff.save()
    return Opened(
        reverse("admin:annotations_stance_change", args=[stance.pk]), staff, form="form#stance_form"
    )


def stance_admin_list(request) -> Opened:
    staff = request.getfixturevalue("staff")
    request.getfixturevalue("stances")
    staff.is_superuser = True
    staff.save()
    # The changelist's editable columns (colour, hotkey, order, active) are a form too.
    return Opened(
        reverse("admin:annotations_stance_changelist"),
        staff,
        form="form#changelist-form",
        button="_save",
    )


def _manager(request):
    """Alice, made a manager of the default project."""
    from projects.services import membership_set

    alice = request.getfixturevalue("alice")
    membership_set(project=request.getfixturevalue("default_project"), user=alice, role="manager")
    return alice


def new_project(request) -> Opened:
    # The name is required: untouched, the form is refused and no project is made.
    return Opened(reverse("home") + "?all", request.getfixturevalue("alice"), form="form.stack-form", status=422)


def stance_in_the_app(request) -> Opened:
    alice = _manager(request)
    stance = request.getfixturevalue("stances")[0]
    return Opened(
        reverse("projects:stance_edit", args=["default", stance.pk]), alice, form="main form.stack-form"
    )


def stance_added_in_the_app(request) -> Opened:
    alice = _manager(request)
    request.getfixturevalue("stances")
    return Opened(
        reverse("projects:codebook", args=["default"]), alice, form="details form.stack-form", status=422
    )


def member_role(request) -> Opened:
    alice = _manager(request)
    bob = request.getfixturevalue("bob")
    from projects.models import Membership

    membership = Membership.objects.get(user=bob)
    return Opened(
        reverse("projects:members", args=["default"]),
        alice,
        form=f"form[action$='/members/{membership.pk}/role/']",
    )


def invitation_sign_up(request) -> Opened:
    from projects.services import invitation_create

    alice = _manager(request)
    _invitation, token = invitation_create(
        project=request.getfixturevalue("default_project"), user=alice, role="viewer", days=1, max_uses=1
    )
    return Opened(reverse("invitation_accept", args=[token]), status=422, shows="Sign up and join")


def _study(request):
    """A blind study of the seed article: alice manages, bob and cyd submitted differing codings."""
    from studies.services import submission_create

    alice = _manager(request)
    project = request.getfixturevalue("default_project")
    project.settings = {**(project.settings or {}), "blind": True}
    project.save(update_fields=["settings"])
    article = request.getfixturevalue("article")
    make = request.getfixturevalue("make_annotation")
    bob = request.getfixturevalue("bob")
    cyd = request.getfixturevalue("make_user")("cyd")
    make(bob, article, "Syrian", stance_names=["Russia"])
    make(cyd, article, "Syrian", stance_names=["United States"])
    submission_create(article=article, coder=bob)
    submission_create(article=article, coder=cyd)
    return alice, article


def study_settings(request) -> Opened:
    alice, _article = _study(request)
    return Opened(reverse("studies:home", args=["default"]), alice, form="form[name=settings]")


def adjudication_merge(request) -> Opened:
    alice, article = _study(request)
    # No stance ticked: the merge is refused with its message, no gold is made.
    return Opened(
        reverse("studies:adjudicate", args=["default", article.slug]),
        alice,
        form="form[name^=decide-]",
        shows="coders disagree",
    )


FORMS: dict[str, Callable[..., Opened]] = {
    "new project": new_project,
    "study settings": study_settings,
    "adjudication: merge, edit or reject a unit": adjudication_merge,
    "codebook: a stance in the app": stance_in_the_app,
    "codebook: adding a stance in the app": stance_added_in_the_app,
    "members: a member's role": member_role,
    "invitation: sign up and join": invitation_sign_up,
    "annotation edit, page without JavaScript": edit_page,
    "annotation edit, htmx card": edit_card,
    "annotation toolbar, nothing selected": annotation_toolbar,
    "article details, page without JavaScript": article_details_page,
    "article details, htmx in place of the heading": article_details_htmx,
    "reading page filters": reading_filters,
    "import preview with its restore boxes": preview_update,
    "import preview offering an update of a similar article": preview_offering_an_update,
    "import form": import_page,
    "list page search and sort": list_search,
    "annotation upload, list page": list_annotation_upload,
    "annotation upload, reading page": reading_annotation_upload,
    "sign-up": signup,
    "log-in": login,
    "password change": password_change,
    "codebook: a stance in the admin": stance_admin,
    "codebook: the stance list's editable columns": stance_admin_list,
}


def form_of(page, selector: str) -> Form:
    found = page.html.select(selector)
    assert len(found) == 1, f"{len(found)} forms match {selector!r} on {page.request.url}"
    return Form(page, str(found[0]))


def press(form: Form, label: str | None, **kwargs):
    """Submit as the button showing ``label`` would (its name and its formaction)."""
    if label is None:
        return form.submit(**kwargs)
    button = next(
        (
            b
            for b in form.html.select("button, input[type=submit]")
            if label in (b.get_text(strip=True), b.get("name"), b.get("value"))
        ),
        None,
    )
    assert button is not None, f"No button {label!r} in the form"
    if button.get("formaction"):
        form.action = button["formaction"]
    return form.submit(button.get("name"), **kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(FORMS))
def test_form_submitted_untouched_stores_nothing(name, request, django_app):
    opened = FORMS[name](request)
    before = stored()
    page = django_app.get(opened.url, user=opened.user, headers=opened.headers)
    assert opened.shows in page.text
    form = form_of(page, opened.form)
    response = press(
        form, opened.button, headers=opened.headers, status=opened.status, user=opened.user
    )
    while 300 <= response.status_int < 400:
        response = response.follow(user=opened.user)
    assert changed(before, stored()) == {}


# Every <form> in the templates, by template: the row(s) above that open it, or why none does.
FORMS_BY_TEMPLATE = {
    "annotations/annotation_edit.html": [
        ("annotation edit, page without JavaScript", "annotation edit, htmx card")
    ],
    "reader/article_detail.html": [
        "reading page filters",
        "annotation toolbar, nothing selected",
    ],
    "reader/_shortcuts.html": ["(the shortcuts dialog's Close: method=dialog, never sent)"],
    "reader/draft_preview.html": [
        (
            "import preview with its restore boxes",
            "import preview offering an update of a similar article",
        )
    ],
    "reader/article_details.html": [
        ("article details, page without JavaScript", "article details, htmx in place of the heading")
    ],
    "reader/article_import.html": ["import form"],
    "reader/article_list.html": [
        "list page search and sort",
        "(fetch missing pages: its only purpose is to fetch the ticked addresses)",
    ],
    "includes/_annotation_files.html": [
        ("annotation upload, list page", "annotation upload, reading page"),
    ],
    "registration/signup.html": ["sign-up"],
    "registration/login.html": ["log-in"],
    "registration/password_change_form.html": ["password change"],
    # Forms whose whole point is one change, with no field to lose.
    "annotations/annotation_delete.html": ["(delete: a button only)"],
    "annotations/annotation_confirm.html": ["(confirm the new place: a button only)"],
    "reader/proposal_review.html": ["(accept or reject: buttons only)"],
    "base.html": ["(log out: a button only)"],
    "reader/article_delete.html": ["(delete the article: a button only)"],
    "projects/_project_form.html": ["new project"],
    "projects/stance_edit.html": ["codebook: a stance in the app"],
    "projects/codebook.html": [
        "(retire or restore a stance: a button only)",
        "codebook: adding a stance in the app",
    ],
    "projects/members.html": [
        "members: a member's role",
        "(remove a member or leave: a button only)",
        "(make an invitation link: its only purpose is to make one)",
        "(revoke an invitation: a button only)",
    ],
    "studies/study.html": [
        "study settings",
        "(assign articles: its only purpose is to assign; tests/test_study_pages.py submits it)",
    ],
    "studies/_panel.html": ["(submit my coding: a button only)"],
    "studies/article_agreement.html": ["(allow a coder to reopen: its only purpose is to reopen)"],
    "studies/adjudicate.html": [
        "(accept all agreeing units: a button only)",
        "(pick a version: a button only)",
        "adjudication: merge, edit or reject a unit",
    ],
    "projects/invitation.html": [
        "(join as the person logged in: a button only)",
        "invitation: sign up and join",
    ],
}


def test_the_table_covers_every_form_the_site_renders():
    """A new form in a template must get a row in FORMS (or a reason above)."""
    from pathlib import Path

    templates = Path(__file__).resolve().parents[1] / "templates"
    found = {
        str(path.relative_to(templates)): path.read_text().count("<form")
        for path in templates.rglob("*.html")
        if "<form" in path.read_text()
    }
    assert found == {name: len(rows) for name, rows in FORMS_BY_TEMPLATE.items()}
    named = {
        name
        for forms in FORMS_BY_TEMPLATE.values()
        for rows in forms
        for name in ([rows] if isinstance(rows, str) else rows)
        if name[0] != "("
    }
    assert named - set(FORMS) == set()


@pytest.mark.django_db
def test_preview_restore_box_ticked_once_is_saved_as_rendered(django_app, alice):
    """A block put back in the preview stays ticked in the page that comes back, so
    saving that page untouched saves the article with it."""
    draft = ImportDraft.objects.create(user=alice, raw_input=SEED.read_bytes(), filename=SEED.name)
    page = django_app.get(reverse("reader:draft_preview", args=["default", draft.pk]), user=alice)
    form = form_of(page, "form#preview-form")
    box = page.html.select("#preview-form input[name=restore]")[0]
    restored = box.find_next_sibling(class_="dropped-text").get_text().strip()
    assert restored not in services.prepare_input(SEED.read_bytes(), filename=SEED.name).text
    form.get("restore", index=0).checked = True
    page = press(form, "Update preview", user=alice)
    assert page.html.select("#preview-form input[name=restore]")[0].has_attr("checked")
    press(form_of(page, "form#preview-form"), "Save article", user=alice).follow(user=alice)
    article = Article.objects.get()
    assert restored in article.text
    assert not ImportDraft.objects.exists()

"""Projects as a person meets them: the home page, project URLs, invitations, members and
the codebook. Everything is checked from the other side too: a non-member sees nothing,
a viewer changes nothing, the last manager cannot leave."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from annotations.models import Annotation, Stance
from annotations.services import annotation_create
from projects.models import CodebookVersion, Invitation, Membership, Project
from projects.services import invitation_create, invitation_token_hash
from reader import services as reader_services
from reader.models import Article
from tests.articles import FLOODS

pytestmark = [pytest.mark.django_db]


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def team(make_user, make_project):
    """Two teams on one server: "fact" (mia manages, ann annotates, vic views) and
    "class" (its own manager, outsider to the first)."""
    mia = make_user("mia", project=None)
    ann = make_user("ann", project=None)
    vic = make_user("vic", project=None)
    teacher = make_user("teacher", project=None)
    fact = make_project("Fact checkers", mia)
    Membership.objects.create(project=fact, user=ann, role="annotator")
    Membership.objects.create(project=fact, user=vic, role="viewer")
    other = make_project("Class of 2026", teacher)
    article = reader_services.article_import(
        raw="\n\n".join(FLOODS).encode(), user=ann, project=fact
    ).article
    return {"mia": mia, "ann": ann, "vic": vic, "teacher": teacher, "fact": fact,
            "other": other, "article": article}  # fmt: skip


def test_home_lists_my_projects_with_counts_and_goes_straight_into_a_single_one(team, make_user):
    mia = team["mia"]
    Membership.objects.create(project=team["other"], user=mia, role="viewer")
    page = client_for(mia).get(reverse("home"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Fact checkers" in html and "Class of 2026" in html
    fact = next(p for p in page.context["projects"] if p.slug == team["fact"].slug)
    assert (fact.article_count, fact.annotation_count, fact.member_count) == (1, 0, 3)
    # Someone in exactly one project lands in it.
    response = client_for(team["ann"]).get(reverse("home"))
    assert response.status_code == 302 and response.url == team["fact"].get_absolute_url()


def test_a_non_member_gets_404_for_every_page_fragment_and_export_of_a_project(team):
    fact, article = team["fact"], team["article"]
    outsider = client_for(team["teacher"])
    manager = client_for(team["mia"])
    urls = [
        reverse("reader:article_list", args=[fact.slug]),
        reverse("reader:article_list", args=[fact.slug]) + "?q=floods",
        reverse("reader:article_import", args=[fact.slug]),
        article.get_absolute_url(),
        reverse("article_annotations:list", args=[fact.slug, article.slug]),
        reverse("article_annotations:changes", args=[fact.slug, article.slug]) + "?since=x",
        reverse("projects:codebook", args=[fact.slug]),
        reverse("projects:codebook_json", args=[fact.slug]),
        reverse("projects:members", args=[fact.slug]),
        reverse("project_export:annotations_csv", args=[fact.slug]),
        reverse("project_export:annotations_jsonld", args=[fact.slug]),
        f"/articles/{article.slug}/",  # the address of before projects
    ]
    never = reverse("reader:article_list", args=["no-such-project"])
    def page(response, url: str) -> str:
        # The masked CSRF token differs on every response; the rest must not.
        text = response.content.decode().replace(url, "")
        return re.sub(r'(CSRFToken": "|csrfmiddlewaretoken" value=")\w+', "", text)

    unknown = page(outsider.get(never), never)
    for url in urls:
        response = outsider.get(url)
        assert response.status_code == 404, url
        # Exactly as for a project that never existed: nothing names it.
        assert page(response, url) == unknown, url
        # HEAD (a link checker, curl -I) is refused as a GET is wherever a member may use it
        # (pages that also take a form answer HEAD 405, to members and outsiders alike).
        member_head = manager.head(url).status_code
        assert outsider.head(url).status_code == (404 if member_head < 400 else member_head), url
        # And the htmx variant of each says nothing of the project either.
        htmx = outsider.get(url, headers={"HX-Request": "true"})
        assert htmx.status_code == 404, url
        assert fact.name not in htmx.content.decode(), url
    # Nor does the global export or the home page show anything of it.
    csv_text = body(outsider.get("/export/annotations.csv"))
    assert article.title not in csv_text
    assert "Fact checkers" not in outsider.get(reverse("home") + "?all").content.decode()


def test_staff_who_are_not_members_see_nothing_of_a_project(team, make_user):
    sam = make_user("sam", project=None, is_staff=True, is_superuser=True)
    staff = client_for(sam)
    assert staff.get(reverse("reader:article_list", args=[team["fact"].slug])).status_code == 404
    assert staff.get(team["article"].get_absolute_url()).status_code == 404


def test_a_viewer_reads_and_exports_but_annotates_and_imports_nothing(team):
    fact, article, vic = team["fact"], team["article"], client_for(team["vic"])
    assert vic.get(article.get_absolute_url()).status_code == 200
    assert vic.get(reverse("project_export:annotations_csv", args=[fact.slug])).status_code == 200
    assert vic.get(reverse("reader:article_import", args=[fact.slug])).status_code == 403
    quote = FLOODS[1][:20]
    start = article.text.index(quote)
    response = vic.post(
        reverse("annotations:create"),
        {"article": article.pk, "start": start, "end": start + len(quote), "quote": quote},
    )
    assert response.status_code == 400
    assert "annotator role" in response.content.decode()
    assert Annotation.objects.count() == 0
    # The reading page offers a viewer no import link.
    assert reverse("reader:article_import", args=[fact.slug]) not in vic.get(
        article.get_absolute_url()
    ).content.decode()


def test_an_annotator_demoted_to_viewer_can_no_longer_change_their_annotations(team):
    fact, article, ann = team["fact"], team["article"], team["ann"]
    quote = FLOODS[1][:20]
    start = article.text.index(quote)
    mine = annotation_create(user=ann, article=article, start=start, end=start + len(quote), quote=quote)
    Membership.objects.filter(project=fact, user=ann).update(role="viewer")
    response = client_for(ann).post(
        reverse("annotations:edit", args=[mine.pk]), {"note": "changed", "version": mine.version}
    )
    assert response.status_code == 403
    assert Annotation.objects.get(pk=mine.pk).note == ""


def test_the_same_page_may_be_imported_into_two_projects(team):
    again = reader_services.article_import(
        raw="\n\n".join(FLOODS).encode(), user=team["teacher"], project=team["other"]
    )
    assert again.status == reader_services.IMPORTED
    assert again.article.pk != team["article"].pk and again.article.project == team["other"]


def test_a_stance_of_another_projects_codebook_is_refused(team):
    article, ann = team["article"], client_for(team["ann"])
    foreign = Stance.objects.filter(project=team["other"]).first()
    quote = FLOODS[1][:20]
    start = article.text.index(quote)
    response = ann.post(
        reverse("annotations:create"),
        {"article": article.pk, "start": start, "end": start + len(quote), "quote": quote,
         "stances": [foreign.pk]},  # fmt: skip
    )
    assert response.status_code == 400 and Annotation.objects.count() == 0


def test_todays_addresses_redirect_to_their_places(team, alice_client, article):
    response = alice_client.get(f"/articles/{article.slug}/?author=alice")
    assert response.status_code == 301
    assert response.url == article.get_absolute_url() + "?author=alice"
    assert alice_client.get("/articles/import/").url == reverse(
        "reader:article_import", args=["default"]
    )


# -- invitations ----------------------------------------------------------------------


def invite(project, manager, **extra) -> str:
    options = {"role": "annotator", "days": 7, "max_uses": 1} | extra
    _invitation, token = invitation_create(project=project, user=manager, **options)
    return reverse("invitation_accept", args=[token])


def test_a_manager_makes_a_link_shown_once_and_stored_as_a_hash(team):
    mia = client_for(team["mia"])
    url = reverse("projects:invitation_new", args=[team["fact"].slug])
    response = mia.post(url, {"role": "viewer", "days": 3, "max_uses": 2, "note": "for Ola"}, follow=True)
    html = response.content.decode()
    link = html.split('aria-label="Invitation link"')[0].rsplit('value="', 1)[1].split('"')[0]
    token = link.rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get()
    assert invitation.token_hash == invitation_token_hash(token) and token not in invitation.token_hash
    assert (invitation.role, invitation.max_uses) == ("viewer", 2)
    # The next visit does not show it again.
    assert token not in mia.get(reverse("projects:members", args=[team["fact"].slug])).content.decode()


def test_joining_by_link_while_logged_in(team, make_user):
    newcomer = make_user("ola", project=None)
    url = invite(team["fact"], team["mia"], role="viewer")
    client = client_for(newcomer)
    assert "Join" in client.get(url).content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()  # a GET joins nobody
    response = client.post(url)
    assert response.status_code == 302 and response.url == team["fact"].get_absolute_url()
    assert Membership.objects.get(user=newcomer).role == "viewer"


def test_a_new_person_signs_up_through_a_link_even_when_sign_up_is_closed(team, settings, password):
    settings.SIGNUP_OPEN = False
    url = invite(team["fact"], team["mia"])
    client = Client()
    assert client.get(reverse("signup")).status_code == 404
    response = client.post(url, {"username": "ola", "password1": password, "password2": password})
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="ola")
    assert (membership.project, membership.role) == (team["fact"], "annotator")
    assert client.get(team["article"].get_absolute_url()).status_code == 200


@pytest.mark.parametrize("state", ["expired", "used up", "revoked"])
def test_an_unusable_link_says_why_and_joins_nobody(team, make_user, state):
    invitation, token = invitation_create(
        project=team["fact"], user=team["mia"], role="manager", days=1, max_uses=1
    )
    if state == "expired":
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    elif state == "used up":
        Invitation.objects.filter(pk=invitation.pk).update(uses=1)
    else:
        client_for(team["mia"]).post(
            reverse("projects:invitation_revoke", args=[team["fact"].slug, invitation.pk])
        )
    newcomer = make_user("ola", project=None)
    response = client_for(newcomer).post(reverse("invitation_accept", args=[token]))
    assert response.status_code == 410 and f"is {state}" in response.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()


def test_a_link_is_used_up_after_its_uses_and_a_wrong_token_is_refused(team, make_user):
    url = invite(team["fact"], team["mia"], max_uses=1)
    first, second = make_user("ola", project=None), make_user("pia", project=None)
    assert client_for(first).post(url).status_code == 302
    assert client_for(second).post(url).status_code == 410
    assert client_for(second).post(reverse("invitation_accept", args=["x" * 43])).status_code == 410
    assert not Membership.objects.filter(user=second).exists()


def test_a_link_of_one_project_gives_nothing_in_another(team, make_user):
    url = invite(team["other"], team["teacher"])
    ola = make_user("ola", project=None)
    client_for(ola).post(url)
    assert list(Membership.objects.filter(user=ola).values_list("project__slug", flat=True)) == [
        team["other"].slug
    ]
    assert client_for(ola).get(team["fact"].get_absolute_url()).status_code == 404


def test_a_link_never_demotes_a_member_and_is_not_used_up_by_them(team):
    url = invite(team["fact"], team["mia"], role="viewer")
    client_for(team["mia"]).post(url)
    assert Membership.objects.get(user=team["mia"], project=team["fact"]).role == "manager"
    assert Invitation.objects.get().uses == 0


def test_only_managers_make_and_revoke_links(team):
    url = reverse("projects:invitation_new", args=[team["fact"].slug])
    data = {"role": "manager", "days": 7, "max_uses": 5}
    assert client_for(team["ann"]).post(url, data).status_code == 403
    assert client_for(team["teacher"]).post(url, data).status_code == 404
    assert not Invitation.objects.exists()


# -- members ----------------------------------------------------------------------------


def test_the_last_manager_can_neither_leave_nor_be_demoted(team):
    fact, mia = team["fact"], client_for(team["mia"])
    own = Membership.objects.get(project=fact, user=team["mia"])
    mia.post(reverse("projects:member_role", args=[fact.slug, own.pk]), {"role": "annotator"})
    mia.post(reverse("projects:member_remove", args=[fact.slug, own.pk]))
    assert Membership.objects.get(pk=own.pk).role == "manager"
    # With a second manager, the first may step down.
    ann = Membership.objects.get(project=fact, user=team["ann"])
    mia.post(reverse("projects:member_role", args=[fact.slug, ann.pk]), {"role": "manager"})
    mia.post(reverse("projects:member_role", args=[fact.slug, own.pk]), {"role": "viewer"})
    assert Membership.objects.get(pk=own.pk).role == "viewer"


def test_a_removed_member_loses_access_and_their_annotations_stay_attributed(team):
    fact, article, ann = team["fact"], team["article"], team["ann"]
    quote = FLOODS[1][:20]
    start = article.text.index(quote)
    kept = annotation_create(user=ann, article=article, start=start, end=start + len(quote), quote=quote)
    membership = Membership.objects.get(project=fact, user=ann)
    client_for(team["mia"]).post(reverse("projects:member_remove", args=[fact.slug, membership.pk]))
    assert client_for(ann).get(article.get_absolute_url()).status_code == 404
    assert Annotation.objects.get(pk=kept.pk).user == ann
    csv_text = body(
        client_for(team["vic"]).get(reverse("project_export:annotations_csv", args=[fact.slug]))
    )
    assert str(kept.pk) in csv_text and ",ann," in csv_text


def test_only_managers_change_roles_and_annotators_cannot_promote_themselves(team):
    fact = team["fact"]
    own = Membership.objects.get(project=fact, user=team["ann"])
    response = client_for(team["ann"]).post(
        reverse("projects:member_role", args=[fact.slug, own.pk]), {"role": "manager"}
    )
    assert response.status_code == 403 and Membership.objects.get(pk=own.pk).role == "annotator"


# -- the codebook ----------------------------------------------------------------------


def test_a_manager_renames_a_stance_and_an_earlier_annotation_keeps_its_version(team):
    fact, article, ann = team["fact"], team["article"], team["ann"]
    russia = Stance.objects.get(project=fact, name="Russia")
    quote = FLOODS[1][:20]
    start = article.text.index(quote)
    before = annotation_create(
        user=ann, article=article, start=start, end=start + len(quote), quote=quote, stances=[russia]
    )
    assert before.codebook_version == 1
    mia = client_for(team["mia"])
    form = mia.get(reverse("projects:stance_edit", args=[fact.slug, russia.pk])).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data["name"] = "Russian government"
    response = mia.post(reverse("projects:stance_edit", args=[fact.slug, russia.pk]), data)
    assert response.status_code == 302
    version = CodebookVersion.objects.get(project=fact, number=2)
    assert "renamed 'Russia' to 'Russian government'" in version.change
    # The annotation exports its version, and the codebook of that version names the stance
    # as it was; the current name is in the current codebook.
    export_url = reverse("project_export:annotations_csv", args=[fact.slug])
    csv_lines = body(mia.get(export_url)).splitlines()
    header, row = csv_lines[0].split(","), csv_lines[1].split(",")
    assert row[header.index("codebook_version")] == "1"
    # The current name, and the name the coder chose (on PostgreSQL through COPY's SQL).
    assert row[header.index("stances")] == "Russian government"
    assert row[header.index("stances_as_coded")] == "Russia"
    long_lines = body(mia.get(export_url + "?layout=long")).splitlines()
    header, row = long_lines[0].split(","), long_lines[1].split(",")
    assert (row[header.index("stance")], row[header.index("stance_as_coded")]) == (
        "Russian government",
        "Russia",
    )
    old = json.loads(mia.get(reverse("projects:codebook_json", args=[fact.slug]) + "?version=1").content)
    new = json.loads(mia.get(reverse("projects:codebook_json", args=[fact.slug])).content)
    assert [s["name"] for s in old["stances"] if s["id"] == russia.pk] == ["Russia"]
    assert [s["name"] for s in new["stances"] if s["id"] == russia.pk] == ["Russian government"]
    assert new["version"] == 2
    # Annotations made now record version 2, and are coded under the new name.
    after = annotation_create(
        user=ann, article=article, start=start, end=start + 5, quote=quote[:5], stances=[russia]
    )
    assert after.codebook_version == 2
    rows = [line.split(",") for line in body(mia.get(export_url)).splitlines()]
    header = rows[0]
    coded = {r[header.index("codebook_version")]: r[header.index("stances_as_coded")] for r in rows[1:]}
    assert coded == {"1": "Russia", "2": "Russian government"}


def test_retiring_and_restoring_make_versions_and_only_managers_may(team):
    fact = team["fact"]
    stance = Stance.objects.get(project=fact, name="United States")
    url = reverse("projects:stance_active", args=[fact.slug, stance.pk])
    assert client_for(team["ann"]).post(url, {"active": "0"}).status_code == 403
    client_for(team["mia"]).post(url, {"active": "0"})
    assert not Stance.objects.get(pk=stance.pk).active
    client_for(team["mia"]).post(url, {"active": "1"})
    changes = list(CodebookVersion.objects.filter(project=fact).order_by("number").values_list("change", flat=True))
    assert changes[1:] == ["retired 'United States'", "restored 'United States'"]


def test_a_hard_to_see_colour_is_refused_with_its_contrast(team):
    fact = team["fact"]
    response = client_for(team["mia"]).post(
        reverse("projects:stance_new", args=[fact.slug]), {"name": "Pale", "colour": "#fffff0", "order": 5}
    )
    assert response.status_code == 422
    assert "hard to see" in response.content.decode() and "1.0:1 on the light page" in response.content.decode()
    assert not Stance.objects.filter(project=fact, name="Pale").exists()


def test_the_coding_guide_renders_markdown_without_script(team):
    fact = team["fact"]
    Stance.objects.filter(project=fact, name="Russia").update(
        definition="Claims **voiced** by Moscow. <script>alert(1)</script> [x](javascript:alert(1))"
    )
    html = client_for(team["vic"]).get(reverse("projects:codebook", args=[fact.slug])).content.decode()
    assert "<strong>voiced</strong>" in html
    assert "<script>alert(1)" not in html and "javascript:" not in html


def test_the_reading_pages_guide_follows_every_change_of_the_codebook(team):
    """The guide beside the article is rendered once per codebook state: a manager's change
    of a definition, a name or a retirement shows on the next view of every reader's page."""
    fact, article = team["fact"], team["article"]
    russia = Stance.objects.get(project=fact, name="Russia")

    def guide() -> str:
        page = client_for(team["ann"]).get(article.get_absolute_url()).content.decode()
        return page.split('id="guide-title"', 1)[1].split("</dl>", 1)[0]

    Stance.objects.filter(pk=russia.pk).update(definition="Claims *voiced* by Moscow.")
    assert "<em>voiced</em> by Moscow" in guide()
    Stance.objects.filter(pk=russia.pk).update(definition="Claims made by the Kremlin.")
    assert "made by the Kremlin" in guide() and "Moscow" not in guide()
    Stance.objects.filter(pk=russia.pk).update(name="Russian government")
    assert "Russian government" in guide()
    # A definition too long to be kept rendered is rendered on each view, the same way.
    long = "Claims made by the **Kremlin** itself. " + "Quoted officials count. " * 200
    Stance.objects.filter(pk=russia.pk).update(definition=long)
    assert "<strong>Kremlin</strong> itself" in guide() and guide().count("Quoted officials") == 200
    Stance.objects.filter(pk=russia.pk).update(active=False)
    assert "Kremlin" not in guide()


def test_codebook_json_refuses_a_bad_version_clearly(team):
    url = reverse("projects:codebook_json", args=[team["fact"].slug])
    client = client_for(team["vic"])
    assert client.get(url + "?version=abc").status_code == 400
    assert client.get(url + "?version=99").status_code == 404


def test_a_new_project_starts_from_a_codebook_the_creator_can_see(team, make_user):
    mia = client_for(team["mia"])
    Stance.objects.create(project=team["fact"], name="UN envoy", colour="#8a5a00", order=9)
    response = mia.post(
        reverse("project_new"), {"name": "Second study", "codebook_from": team["fact"].pk}
    )
    assert response.status_code == 302
    second = Project.objects.get(name="Second study")
    assert set(second.stances.values_list("name", flat=True)) >= {"Russia", "UN envoy"}
    # Another team's codebook is not offered, and naming it is refused.
    response = mia.post(reverse("project_new"), {"name": "Third", "codebook_from": team["other"].pk})
    assert response.status_code == 422 and not Project.objects.filter(name="Third").exists()


def delete_form(page):
    return next(form for form in page.forms.values() if "seen" in form.fields)


def test_an_article_delete_confirmed_before_a_colleague_annotated_deletes_nothing(
    team, django_app, make_annotation
):
    """The manager's confirmation page counted no annotation; ann annotates before the
    manager presses Delete: nothing is deleted, the page says why with the new count, and
    a second confirmation deletes."""
    article = team["article"]
    page = django_app.get(
        reverse("reader:article_delete", args=[team["fact"].slug, article.slug]), user=team["mia"]
    )
    assert "Nobody has annotated it." in page.text
    make_annotation(team["ann"], article, "flood defences")
    refused = delete_form(page).submit("confirm", expect_errors=True)
    assert refused.status_code == 409
    assert "Nothing was deleted" in refused.text
    assert "ann: 1" in refused.text
    assert Article.objects.filter(pk=article.pk).exists()
    assert Annotation.objects.filter(article=article).count() == 1
    done = delete_form(refused).submit("confirm").follow()
    assert "Deleted" in done.text and "1 annotation" in done.text
    assert not Article.objects.filter(pk=article.pk).exists()

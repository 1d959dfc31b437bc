"""Two teams on one server, in the browser: a manager starts a project and invites a
colleague by link, the colleague signs up through it and annotates with the project's
codebook (its guide one key away), a viewer cannot annotate, and someone outside the
project gets 404 for its pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation, Stance
from projects.models import Membership, Project

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password-81"


def sign_up(page, username: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)


@pytest.mark.page_problems_expected("response 410")
def test_a_manager_invites_a_colleague_who_signs_up_and_annotates(
    new_context, user_page, make_user, settings, seed_bytes
):
    settings.SIGNUP_OPEN = False
    mia = make_user("mia", project=None)
    manager = user_page(mia)
    manager.goto("/")
    manager.get_by_label("Name").fill("Syria talks study")
    manager.get_by_role("button", name="Create the project").click()
    expect(manager.locator(".project-switcher summary")).to_contain_text("Syria talks study")
    project = Project.objects.get(name="Syria talks study")

    # The manager writes a definition into the coding guide.
    manager.get_by_role("navigation", name="Main").get_by_role("link", name="Codebook").click()
    manager.get_by_role("link", name="Edit Russia").click()
    manager.get_by_label("Definition").fill("A claim voicing **Moscow's** official position.")
    manager.get_by_role("button", name="Save").click()
    expect(manager.locator(".messages")).to_contain_text("codebook version 2")
    russia = Stance.objects.get(project=project, name="Russia")
    expect(manager.locator(f"#stance-{russia.pk} strong")).to_have_text("Moscow's")

    # An invitation link, shown once.
    manager.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()
    manager.get_by_label("Role:", exact=True).select_option("annotator")
    manager.get_by_role("button", name="Make an invitation link").click()
    link = manager.get_by_label("Invitation link").input_value()
    assert re.search(r"/invite/[\w-]{40,}/$", link)

    # The seed article, imported by the manager into the project.
    from reader import services

    article = services.article_import(raw=seed_bytes, user=mia, project=project).article

    # A new person opens the link and signs up, although open sign-up is off.
    colleague = new_context().new_page()
    colleague.goto(link)
    expect(colleague.get_by_role("heading", name="Join “Syria talks study”")).to_be_visible()
    sign_up(colleague, "ola")
    colleague.get_by_role("button", name="Sign up and join").click()
    expect(colleague.locator(".project-switcher summary")).to_contain_text("Syria talks study")
    assert Membership.objects.get(user__username="ola").role == "annotator"

    # She reads the guide with ? and annotates with the keyboard.
    colleague.goto(article.get_absolute_url())
    body = colleague.locator("#article-body")
    body.focus()
    colleague.keyboard.press("?")
    guide = colleague.locator("#shortcuts")
    expect(guide.get_by_role("heading", name="Coding guide")).to_be_visible()
    expect(guide).to_contain_text("Moscow's official position")
    colleague.keyboard.press("Escape")
    expect(guide).to_be_hidden()
    # The toolbar shows the definition on hover.
    russia = colleague.locator(".toolbar-stances label", has_text="Russia")
    assert "Moscow" in russia.get_attribute("title")
    body.focus()
    colleague.keyboard.press("s")
    expect(colleague.locator("#toolbar-dialog")).to_be_visible()
    colleague.keyboard.press("1")
    expect(colleague.locator("#annotated mark").first).to_be_visible()
    saved = Annotation.objects.get(user__username="ola")
    assert [s.name for s in saved.stances.all()] == ["Russia"] and saved.codebook_version == 2

    # The link was for one use: a second person is told so.
    stranger = new_context().new_page()
    response = stranger.goto(link)
    assert response.status == 410
    expect(stranger.get_by_role("heading", name="This link cannot be used")).to_be_visible()
    expect(stranger.locator("main")).to_contain_text("used up")


@pytest.mark.page_problems_expected("response 404", "response 400")
def test_a_viewer_cannot_annotate_and_a_non_member_gets_404(
    user_page, make_user, make_project, seed_bytes
):
    from reader import services

    boss = make_user("boss", project=None)
    project = make_project("Newsroom", boss)
    article = services.article_import(raw=seed_bytes, user=boss, project=project).article
    vic = make_user("vic", project=None)
    Membership.objects.create(project=project, user=vic, role="viewer")
    viewer = user_page(vic)
    viewer.goto(article.get_absolute_url())
    expect(viewer.locator("h1.title")).to_be_visible()
    expect(viewer.get_by_role("navigation", name="Main").get_by_role("link", name="Import")).to_have_count(0)
    viewer.locator("#article-body").focus()
    viewer.keyboard.press("s")
    # The toolbar says at once why there is nothing to tag: no stances, no Save.
    toolbar = viewer.locator("#toolbar-dialog")
    expect(toolbar).to_contain_text("You are a viewer in this project")
    expect(toolbar).to_contain_text("annotator role")
    expect(toolbar.locator("input[name=stances]")).to_have_count(0)
    expect(toolbar.get_by_role("button", name="Close")).to_be_focused()
    viewer.keyboard.press("1")
    viewer.keyboard.press("n")
    viewer.keyboard.press("Escape")
    expect(toolbar).to_be_hidden()
    # Keys that read still work: ? lists the shortcuts.
    viewer.keyboard.press("?")
    expect(viewer.locator("#shortcuts")).to_be_visible()
    assert not Annotation.objects.exists()

    outsider = user_page(make_user("nat", project=None))
    for url in (project.get_absolute_url(), article.get_absolute_url(), f"/articles/{article.slug}/"):
        response = outsider.goto(url)
        assert response.status == 404, url
        expect(outsider.locator("main")).not_to_contain_text("Newsroom")


def test_the_header_switcher_lists_my_projects_when_opened_and_takes_me_there(
    user_page, make_user, make_project
):
    """The current project's name is always in the header; opening the switcher (by
    keyboard here) fetches the person's projects, and choosing one goes there."""
    ivy = make_user("ivy", project=None)
    newsroom = make_project("Newsroom", ivy)
    make_project("Class of 2026", ivy)
    make_project("Not ivy's", make_user("other", project=None))
    page = user_page(ivy)
    page.goto(newsroom.get_absolute_url())
    switcher = page.locator(".project-switcher")
    expect(switcher.locator("summary")).to_contain_text("Newsroom")
    switcher.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(switcher.get_by_role("link", name="Class of 2026")).to_be_visible()
    expect(switcher.get_by_role("link", name="Newsroom")).to_have_attribute("aria-current", "page")
    expect(switcher.get_by_role("link", name="Not ivy's")).to_have_count(0)
    switcher.get_by_role("link", name="Class of 2026").click()
    expect(page.locator(".project-switcher summary")).to_contain_text("Class of 2026")
    assert page.url.endswith("/p/class-of-2026/")

"""A blind coding study in the browser: three coders code the seed article with the
mouse and the keyboard, each seeing only their own work until they submit; a curator
then settles the gold version in the adjudication view. The study's agreement figures
are printed (run with -s to read them); with STUDY_SCREENSHOTS=<folder> the adjudication
view and the charts are saved there (docs/screenshots holds the committed ones)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation
from studies import reports
from studies.models import Adjudication, GoldAnnotation, Submission

from .helpers import drag_select, highlight, htmx_settled

CLAIM = "Russia has been a key ally to Syria during the crisis"
DENIAL = "Damascus has denied all the claims of abuse."
UNEASE = "The unease over the offer highlights the different views over Syria"

# What each coder tags, with the stance's hotkey: they agree on CLAIM, split on DENIAL,
# and one of them also tags UNEASE.
CODING = {
    "bob": [(CLAIM, "1"), (DENIAL, "2")],
    "cyd": [(CLAIM, "1"), (DENIAL, "3")],
    "dee": [(CLAIM, "1"), (DENIAL, "2"), (UNEASE, "2")],
}


def code(page, phrase: str, key: str) -> None:
    drag_select(page, phrase)
    expect(page.locator("#toolbar")).to_be_visible()
    with page.expect_response(lambda r: r.url.endswith("/annotations/new/")):
        page.keyboard.press(key)
    htmx_settled(page)


# Five people's sessions in one test: more than the browser tests' usual minute.
@pytest.mark.timeout(240)
def test_three_coders_code_blind_submit_and_a_curator_makes_gold(
    seed_article, alice, make_user, user_page
):
    project = seed_article.project
    from projects.services import membership_set

    membership_set(project=project, user=alice, role="manager")
    project.settings = {**(project.settings or {}), "blind": True}
    project.save(update_fields=["settings"])
    coders = {name: make_user(name) for name in CODING}
    url = seed_article.get_absolute_url()

    # The manager puts the article in the three coders' queues from the Study page.
    page = user_page(alice)
    page.goto(url)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Study").click()
    assign = page.locator("form[name=assign]")
    assign.get_by_label("The coders I choose").check()
    for name in CODING:
        assign.get_by_label(name, exact=True).check()
    assign.get_by_role("button", name="Assign").click()
    expect(page.locator(".messages")).to_contain_text("3 assignments added")
    page.context.close()

    for n, (name, coder) in enumerate(coders.items()):
        page = user_page(coder)
        page.goto(url.rsplit("/articles/", 1)[0] + "/study/")
        expect(page.locator("#queue-to-code")).to_contain_text(seed_article.title)
        page.locator("#queue-to-code").get_by_role("link", name=seed_article.title).click()
        # The reader's script is a module, run once the page has loaded: a selection made
        # before then opens no toolbar (a click, unlike goto, does not wait for the load).
        page.wait_for_load_state("load")
        expect(page.locator("#blind-notice")).to_contain_text("only your own annotations")
        # Coders before this one have submitted; their work stays out of sight.
        expect(page.locator("#annotation-total")).to_have_text("(0)")
        for phrase, key in CODING[name]:
            code(page, phrase, key)
        mine = len(CODING[name])
        expect(page.locator("#annotation-total")).to_have_text(f"({mine})")
        expect(page.locator("#annotation-list")).not_to_contain_text(
            [c for c in coders if c != name][0]
        )
        page.get_by_role("button", name="Submit my coding").click()
        expect(page.locator("#submitted-note")).to_contain_text(
            "You submitted your coding (round 1"
        )
        # Submitted: everyone's shared work shows, this coder's and the earlier ones'.
        earlier = sum(len(CODING[c]) for c in list(CODING)[: n + 1])
        expect(page.locator("#annotation-total")).to_have_text(f"({earlier})")
        expect(page.locator("#blind-notice")).to_have_count(0)
        page.context.close()

    assert Submission.objects.filter(article=seed_article).count() == 3
    snapshot = Annotation.objects.get(user=coders["bob"], quote=CLAIM)

    # The curator: progress on the article, then the adjudication view.
    page = user_page(alice, viewport={"width": 1280, "height": 1000})
    page.goto(url)
    expect(page.locator("#progress-strip")).to_contain_text("bob: submitted")
    expect(page.locator("#progress-strip")).to_contain_text("dee: submitted")
    expect(page.locator("#progress-strip")).not_to_contain_text("alice")
    expect(page.locator(highlight(snapshot)).first).to_be_visible()
    page.locator("#study-panel").get_by_role("link", name="Adjudicate").click()
    expect(page.get_by_role("heading", name="Adjudicate into gold")).to_be_visible()
    page.get_by_role("button", name="Accept all 1 agreeing unit").click()
    expect(page.locator(".unit-agrees .unit-decision")).to_contain_text("Accepted")

    denial = page.locator(".unit-disagrees", has_text="Damascus has denied").first
    merge = denial.locator("details.merge")
    merge.get_by_role("checkbox", name="United States").check()
    merge.get_by_label("Note").fill("the denial answers the US report")
    merge.get_by_role("button", name="Merge (chosen boundaries, ticked stances)").click()
    denial = page.locator(".unit-disagrees", has_text="Damascus has denied").first
    expect(denial.locator(".unit-decision")).to_contain_text("Merged")

    unease = page.locator(".unit-single", has_text="unease over the offer").first
    unease.locator("details.merge").get_by_role("button", name="Reject this unit").click()
    unease = page.locator(".unit-single", has_text="unease over the offer").first
    expect(unease.locator(".unit-decision")).to_contain_text("Rejected")

    gold = {g.quote: sorted(s.name for s in g.stances.all()) for g in GoldAnnotation.objects.all()}
    assert gold == {CLAIM: ["Russia"], DENIAL: ["United States"]}
    assert sorted(Adjudication.objects.values_list("decision", flat=True)) == [
        "accepted",
        "merged",
        "rejected",
    ]
    shots = os.environ.get("STUDY_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shots) / "adjudication.png"), full_page=True)

    # The gold layer on the reading page, behind its toggle.
    page.goto(url)
    page.locator("#gold-toggle").click()
    expect(page.locator("#gold-layer")).to_contain_text("Gold layer (2 annotations)")
    expect(page.locator("#gold-layer mark").first).to_be_visible()

    # The agreement page and its charts.
    page.goto(url)
    page.locator("#study-panel").get_by_role("link", name="Agreement").click()
    page.get_by_role("link", name=f"Agreement in {project.name}").click()
    expect(page.get_by_role("heading", name="Agreement", exact=True)).to_be_visible()
    expect(page.locator("#stance-table")).to_contain_text("Any claim")
    expect(page.locator("figure.chart-figure svg").first).to_be_visible()
    if shots:
        page.locator("h2", has_text="Pictures").scroll_into_view_if_needed()
        page.screenshot(path=str(Path(shots) / "charts.png"), full_page=True)

    figures = reports.agreement_json(project)
    print("\nAgreement of the browser study:\n" + json.dumps(figures, indent=1))
    article = figures["articles"][0]
    assert article["coders"] == ["bob", "cyd", "dee"]
    assert article["any_claim"]["alpha_chars"] is not None

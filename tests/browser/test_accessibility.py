"""axe-core (vendored, MPL-2.0) on the pages a person works in: no critical or serious violation.

Every violation found is printed by impact (run with -s to see the table); the test
fails on a critical or serious one. The site's CSP would refuse the injected script, so these
pages are opened with CSP bypassed (the CSP itself is tested elsewhere).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from projects.services import membership_set
from reader.models import ImportDraft

from .conftest import SEED
from .helpers import drag_select

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
IMPACTS = ("critical", "serious", "moderate", "minor")
CLAIM = "Russia has been a key ally to Syria during the crisis"


def axe(page: Page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "nodes": len(v["nodes"]),
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"][:3]],
            "why": v["nodes"][0].get("failureSummary", "").splitlines()[-1:],
        }
        for v in result
    ]


def report(found: dict[str, list[dict]]) -> str:
    lines = [f"{'page':<28}" + "".join(f"{i:>10}" for i in IMPACTS)]
    for name, violations in found.items():
        counts = Counter()
        for v in violations:
            counts[v["impact"]] += v["nodes"]
        lines.append(f"{name:<28}" + "".join(f"{counts[i]:>10}" for i in IMPACTS))
    for name, violations in found.items():
        for v in violations:
            lines.append(
                f"  {name}: {v['impact']} {v['id']} x{v['nodes']} ({v['help']}) {v['targets']}"
                f" {v['why']}"
            )
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_critical_accessibility_violation_on_the_pages_a_person_works_in(
    scheme, seed_article, alice, make_annotation, user_page
):
    annotation = make_annotation(
        alice,
        seed_article,
        "Damascus has denied all the claims of abuse.",
        stance_names=["Russia"],
        note="checked",
    )
    draft = ImportDraft.objects.create(user=alice, raw_input=SEED.read_bytes(), filename=SEED.name)
    page = user_page(alice, bypass_csp=True, color_scheme=scheme)
    found: dict[str, list[dict]] = {}

    page.goto(reverse("reader:article_list", args=["default"]))
    found["list"] = axe(page)

    page.goto(seed_article.get_absolute_url())
    expect(page.locator("#article-body mark")).to_have_count(1)
    found["reading, toolbar closed"] = axe(page)
    drag_select(page, CLAIM)
    expect(page.locator("#toolbar")).to_be_visible()
    found["reading, toolbar open"] = axe(page)
    page.keyboard.press("Escape")

    page.locator(f"#ann-{annotation.pk}").get_by_role("link", name="Edit").click()
    expect(page.locator(f"#ann-{annotation.pk} .edit-form")).to_be_visible()
    found["reading, editing a card"] = axe(page)

    page.goto(reverse("annotations:edit", args=[annotation.pk]))
    found["edit page"] = axe(page)

    page.goto(reverse("reader:article_import", args=["default"]))
    found["import"] = axe(page)

    page.goto(reverse("reader:draft_preview", args=["default", draft.pk]))
    found["preview"] = axe(page)

    # The project's own pages, seen by a manager (every control shown).
    membership_set(project=seed_article.project, user=alice, role="manager", curator=True)
    for name, url in [
        ("projects", reverse("home") + "?all"),
        ("new project", reverse("project_new")),
        ("codebook", reverse("projects:codebook", args=["default"])),
        ("members", reverse("projects:members", args=["default"])),
        ("study", reverse("studies:home", args=["default"])),
        ("agreement", reverse("studies:agreement", args=["default"])),
        (
            "adjudication",
            reverse("studies:adjudicate", args=["default", seed_article.slug]),
        ),
    ]:
        page.goto(url)
        found[name] = axe(page)

    table = report(found)
    print(f"\naxe-core violations (elements) by impact, {scheme} colours\n" + table)
    # Serious ones were fixed (contrast of the key hints, the edit page's heading): keep them out.
    grave = {
        n: [v for v in vs if v["impact"] in ("critical", "serious")] for n, vs in found.items()
    }
    assert {n: vs for n, vs in grave.items() if vs} == {}, table

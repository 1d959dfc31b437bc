"""Small made-up articles for tests that need more than one, or a particular text."""

from __future__ import annotations

from reader.models import Article


def plain_article(title: str, *paragraphs: str) -> bytes:
    """A plain-text scrape: a headline line, then paragraphs separated by blank lines."""
    return ("\n\n".join((title, *paragraphs)) + "\n").encode("utf-8")


def html_article(title: str, *paragraphs: str) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><title>{title}</title></head><body>"
        f"<article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


FLOODS = (
    "Ministers agree a new plan for the river",
    "The government announced on Monday that it would spend more on flood defences along the river.",
    "Officials said the money would pay for new walls and pumps in three towns that flooded last winter.",
    "Critics said the plan came too late for families who lost their homes, and called for an inquiry.",
)


def numbered_article(n: int) -> bytes:
    """The n-th of a family of distinct articles."""
    return plain_article(
        f"Council report number {n} on the state of the harbour",
        f"The harbour master's report number {n} found that {n * 3} boats were moored there in May.",
        f"Repairs to berth {n} will cost about {n * 1000} pounds, the council said on Thursday.",
        f"Residents will be asked for their views on plan {n} at a meeting next month.",
    )


def stored_article(title: str, paragraphs: list[str], source_url: str | None = None) -> Article:
    """An article stored directly, for tests that need its words, not the import pipeline."""
    article = Article(title=title, source_url=source_url, raw_input=b"")
    article.set_text(body_html="", text="\n\n".join(paragraphs))
    article.assign_slug()
    article.save()
    return article

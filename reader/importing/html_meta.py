"""Article metadata from general page signals: JSON-LD, Open Graph and meta
tags, the visible headline; trafilatura's own metadata only fills what those
leave empty."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from reader.importing.text_rules import names_site, squashed

SPACE = re.compile(r"\s+")
WORD = re.compile(r"\w+")
TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|•|«|»|›)\s+")
# Where a document title joins the headline to the site's or the section's name,
# the colon of "Blog name: Headline" included.
TITLE_PARTS = re.compile(r"\s+(?:\||-|–|—|::|·|•|«|»|›)\s+|:\s+")
# "» Headline" (a trail's mark before it), "Headline :site" (the site's name glued to a colon)
LEADING_MARK = re.compile(r"^\s*[»«|·•›]+\s*")
GLUED_SITE = re.compile(r"\s+:[^\W\d][\w.]{1,30}$")
HEADING_TAGS = ("h1", "h2", "h3")
ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "blogposting",
    "socialmediaposting",
    "liveblogposting",
    "scholarlyarticle",
    "techarticle",
    "report",
}
PAGE_TYPES = {"webpage", "itempage"}

# Compiled once: tree.xpath() compiles its expression on every call. The
# searches by attribute go from the attribute to its element (`//@rel[…]/..`):
# libxml2 tests a page's attributes faster than every element for a predicate
# (`//*[@rel…]`), a third to a half of the time for the same nodes in the same order.
TITLE_TEXT_XPATH = etree.XPath("//head/title//text()")
CANONICAL_XPATH = etree.XPath("//link/@rel[.='canonical']/../@href")
JSON_LD_XPATH = etree.XPath("//script/@type[.='application/ld+json']/..")


def collapse(text: str | None) -> str:
    return SPACE.sub(" ", text or "").strip()


@dataclass
class PageMeta:
    title: str = ""
    subtitle: str = ""
    byline: str = ""
    published: dt.datetime | None = None
    site_name: str = ""
    url: str = ""
    description: str = ""
    title_candidates: list[str] = field(default_factory=list)

    def fill_from_tree(self, tree: etree._Element, segments: list) -> None:
        """Choose the title among the candidates, then ask trafilatura's
        heuristics only for the fields the page's signals left empty (each is
        costly: the author search copies the tree, the date search scans it)."""
        from trafilatura import metadata as trafilatura_metadata

        self.title = choose_title(tree, self.title_candidates, self.site_name, url=self.url)
        if not self.title:
            found = trafilatura_metadata.extract_title(tree) or ""
            self.title = strip_site_suffix(collapse(found), self.site_name)
        if not self.byline:
            self.byline = _visible_byline(tree)
        if self.published is None:
            self.published = _find_date(tree, self.url)
        if not self.site_name:
            self.site_name = collapse(trafilatura_metadata.extract_sitename(tree) or "")


# Elements with rel or itemprop "author" or such a class, in page order.
BYLINE_XPATH = etree.XPath(
    "//@rel[.='author']/.. | //@itemprop[.='author']/.."
    " | //@class[contains(., 'byline') or contains(., 'author-name')"
    " or contains(., 'article-author')]/.."
)


def _visible_byline(tree: etree._Element) -> str:
    """The first short text the page marks up as its author."""
    for el in BYLINE_XPATH(tree)[:5]:
        name = _plain_author(el.text_content())
        if 3 <= len(name) <= 80 and not re.search(r"\d{2}", name):
            return name
    return ""


def _find_date(tree: etree._Element, url: str) -> dt.datetime | None:
    from htmldate import find_date
    from trafilatura.settings import set_date_params

    params = set_date_params(extensive=False)
    found = find_date(tree, url=url or None, **params)
    return parse_date(found) if found else None


def read_page_meta(tree: etree._Element, *, url: str = "") -> PageMeta:
    meta = PageMeta()
    tags = _meta_tags(tree)
    article, publisher_name = _json_ld_article(tree)

    candidates = [
        collapse(article.get("headline") if isinstance(article.get("headline"), str) else ""),
        tags.get("og:title", ""),
        tags.get("twitter:title", ""),
        collapse("".join(TITLE_TEXT_XPATH(tree))),
    ]
    meta.site_name = tags.get("og:site_name") or publisher_name or tags.get("application-name", "")
    meta.title_candidates = [c for c in candidates if c]
    meta.byline = (
        _ld_authors(article.get("author"))
        or _plain_author(tags.get("author", ""))
        or _plain_author(tags.get("article:author", ""))
        or _plain_author(tags.get("parsely-author", ""))
        or _plain_author(tags.get("sailthru.author", ""))
        or _plain_author(tags.get("dc.creator", ""))
    )
    meta.published = _first_date(
        article.get("datePublished"),
        tags.get("article:published_time"),
        tags.get("og:article:published_time"),
        tags.get("parsely-pub-date"),
        tags.get("sailthru.date"),
        tags.get("dc.date.issued"),
        tags.get("dc.date"),
        tags.get("date"),
        tags.get("pubdate"),
        tags.get("publish-date"),
        tags.get("publishdate"),
    ) or _first_date(*DATE_XPATH(tree), article.get("dateCreated"), *ANY_TIME_XPATH(tree))
    meta.description = collapse(
        tags.get("og:description")
        or (article.get("description") if isinstance(article.get("description"), str) else "")
        or tags.get("description", "")
    )
    canonical = CANONICAL_XPATH(tree)
    meta.url = next(
        (u.strip() for u in [*canonical, tags.get("og:url", "")] if _absolute(u.strip())),
        url,
    )
    return meta


def _absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _meta_tags(tree: etree._Element) -> dict[str, str]:
    tags: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        content = collapse(el.get("content"))
        if key and content and key not in tags:
            tags[key] = content
    return tags


# ---------------------------------------------------------------- JSON-LD


def _json_ld_article(tree: etree._Element) -> tuple[dict, str]:
    """The page's JSON-LD article object (or web page, if no article) and the
    publisher's name."""
    best: dict = {}
    best_rank = 0
    publisher = ""
    for script in JSON_LD_XPATH(tree):
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue
        for obj in _ld_objects(data):
            types = obj.get("@type")
            types = types if isinstance(types, list) else [types]
            names = {str(t).casefold() for t in types}
            rank = 2 if names & ARTICLE_TYPES else 1 if names & PAGE_TYPES else 0
            if rank > best_rank:
                best, best_rank = obj, rank
            if not publisher and isinstance(obj.get("publisher"), dict):
                publisher = collapse(str(obj["publisher"].get("name") or ""))
    if isinstance(best.get("publisher"), dict):
        publisher = collapse(str(best["publisher"].get("name") or "")) or publisher
    return best, publisher


def _ld_objects(data: object, depth: int = 0):
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _ld_objects(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _ld_objects(data["@graph"], depth + 1)
        main = data.get("mainEntity")
        if isinstance(main, (dict, list)):
            yield from _ld_objects(main, depth + 1)


def _ld_authors(value: object) -> str:
    items = value if isinstance(value, list) else [value]
    people: list[str] = []
    organizations: list[str] = []
    for item in items:
        if isinstance(item, str):
            name, is_person = item, True
        elif isinstance(item, dict):
            name = item.get("name") or ""
            if isinstance(name, list):
                name = name[0] if name else ""
            is_person = str(item.get("@type", "Person")).casefold() != "organization"
        else:
            continue
        name = _plain_author(str(name))
        if name:
            (people if is_person else organizations).append(name)
    names = people or organizations
    return ", ".join(dict.fromkeys(names))


def _plain_author(name: str) -> str:
    name = collapse(name)
    if not name or _absolute(name) or "@" in name or len(name) > 120:
        return ""
    return re.sub(r"^by\s+", "", name, flags=re.IGNORECASE)


# ---------------------------------------------------------------- dates


# Searched only when no meta tag gives the date: each scans the whole tree.
DATE_XPATH = etree.XPath(
    "(//@itemprop[.='datePublished']/../@content | //@itemprop[.='datePublished']/../@datetime"
    " | //article//time/@datetime)[1]"
)
ANY_TIME_XPATH = etree.XPath("(//time/@datetime)[1]")


def _first_date(*values: object) -> dt.datetime | None:
    for value in values:
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, str) and value.strip():
            parsed = parse_date(value)
            if parsed is not None:
                return parsed
    return None


def parse_date(value: str) -> dt.datetime | None:
    """An ISO-8601-like date as an aware UTC datetime; a date without a zone is
    taken as UTC."""
    text = value.strip()
    if re.fullmatch(r"\d{10}(\d{3})?", text):
        seconds = int(text[:10])
        return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    if not re.match(r"\d{4}-\d{2}-\d{2}", text):
        return None
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        parsed = dt.datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        try:
            parsed = dt.datetime.fromisoformat(text[:10])
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


# ---------------------------------------------------------------- title


def _words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def _similarity(a: str, b: str) -> float:
    """Dice coefficient of the two texts' word sets."""
    wa, wb = set(_words(a)), set(_words(b))
    if not wa or not wb:
        return 0.0
    return 2 * len(wa & wb) / (len(wa) + len(wb))


def strip_site_suffix(title: str, site_name: str = "") -> str:
    """Drop trailing " | Site", " - Section" parts of a document title, and a leading
    mark or a glued ":site" ("» How to Make a Bad Bet :zenhabits")."""
    title = LEADING_MARK.sub("", title)
    title = GLUED_SITE.sub("", title)
    site_words = set(_words(site_name))
    for _ in range(3):
        parts = TITLE_SEPARATORS.split(title)
        if len(parts) < 2:
            break
        last = parts[-1]
        head = title[: title.rfind(last)]
        head = re.sub(r"\s*(?:\||-|–|—|::|·|•|«|»)\s*$", "", head).strip()
        last_words = _words(last)
        is_site = bool(site_words) and set(last_words) <= site_words | {"com", "www"}
        looks_like_site = "." in last and " " not in last.strip()
        if (is_site or looks_like_site or len(last_words) <= 3) and len(_words(head)) >= 3:
            title = head
        else:
            break
    return title


def choose_title(
    tree: etree._Element, candidates: list[str], site_name: str, *, url: str = ""
) -> str:
    """The visible headline when it agrees with the page's declared titles,
    otherwise the declared title without its site suffix."""
    stripped = [(c, strip_site_suffix(c, site_name)) for c in candidates]
    declared = [d for _, d in stripped if d]
    # the site's name and address, and the suffixes taken off the declared titles
    # ("Peter Shankman" of "Today, I Only Care That You Vote. | Peter Shankman"), unless
    # what is left is the site's name ("Joy the Baker – Papa Says" on joythebaker.com)
    site = _site_letters(site_name, url)
    site += tuple(
        squashed(c[len(d) :])
        for c, d in stripped
        if d and c.startswith(d) and d != c and not names_site(d, site)
    )
    headlines = [collapse(h.text_content()) for h in tree.iter("h1")]
    headlines = [h for h in headlines if 3 <= len(h) <= 300]
    best, best_score = "", 0.0
    for headline in headlines:
        if names_site(headline, site):
            continue  # a blog's masthead: its name, which the document title names too
        score = max((_similarity(headline, d) for d in declared), default=0.0)
        if score > best_score:
            best, best_score = headline, score
    if best and best_score >= 0.6:
        return best
    part = _heading_among_title_parts(tree, candidates, site)
    if part:
        return part
    return declared[0] if declared else (headlines[0] if headlines else "")


def _site_letters(site_name: str, url: str) -> tuple[str, ...]:
    """The site's name and its address's host, squashed."""
    host = urlsplit(url).hostname or "" if url else ""
    return tuple(squashed(n) for n in (site_name, host) if n)


def _heading_among_title_parts(
    tree: etree._Element, candidates: list[str], site: tuple[str, ...] = ()
) -> str:
    """The heading of the page that is one part of a declared title: the headline
    of "Site » Headline", "Blog name: Headline", "Headline « Site". A heading that
    spells the site's name or its address (the masthead) is not the headline."""
    parts: set[str] = set()
    for candidate in candidates:
        pieces = [" ".join(_words(piece)) for piece in TITLE_PARTS.split(candidate)]
        n = len(pieces)
        # every run of neighbouring pieces but the whole title
        parts.update(
            " ".join(pieces[i:j]) for i in range(n) for j in range(i + 1, n + 1) if j - i < n
        )
    # The site's name stands in a heading of its own too (the masthead): of the
    # headings that are parts of the title, the headline is the longest.
    best, best_words = "", 1
    for heading in tree.iter(*HEADING_TAGS):
        text = collapse(heading.text_content())
        words = _words(text)
        if names_site(text, site):
            continue
        if len(words) > best_words and " ".join(words) in parts:
            best, best_words = text, len(words)
    return best

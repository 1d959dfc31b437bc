"""Parse an HTML page into the tree that trafilatura and the pipeline read.

The tree is trafilatura's own (``trafilatura.utils.load_html``: the same
parser options, the same repairs and fallbacks) with one difference: the
parser finds each element's Python class in C. lxml.html's parser asks a
Python method (HtmlElementClassLookup.lookup) for the class every time code
touches an element that has no Python object alive, which trafilatura's tree
walks do hundreds of thousands of times a page: a sixth of its extraction
time. Every element is an HtmlElement; only form controls lose the classes
lxml.html gives them (FormElement, InputElement…), whose form API neither
trafilatura nor the pipeline uses. The extraction is the same on every page
of both benchmark sets.
"""

from __future__ import annotations

import logging

import lxml.html
from lxml import etree
from trafilatura.utils import is_dubious_html, repair_faulty_html

logger = logging.getLogger(__name__)

PAGE_PARSER = lxml.html.HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
)
PAGE_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)


def load_html(html: str) -> lxml.html.HtmlElement | None:
    """The page's tree, or None when it is not HTML: trafilatura's load_html
    for a page already decoded, step for step, with PAGE_PARSER."""
    beginning = html[:50].lower()
    html = repair_faulty_html(html, beginning)
    tree = None
    parsed_as_bytes = False
    try:
        tree = lxml.html.fromstring(html, parser=PAGE_PARSER)
    except ValueError:
        # "Unicode strings with encoding declaration are not supported."
        tree = _from_bytes(html)
        parsed_as_bytes = True
    except Exception as error:
        logger.error("lxml parsing failed: %s", error)
    if (tree is None or len(tree) < 1) and not parsed_as_bytes:
        tree = _from_bytes(html)
    if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
        return None
    return tree


def _from_bytes(html: str) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.fromstring(html.encode("utf8", "surrogatepass"), parser=PAGE_PARSER)
    except Exception as error:
        logger.error("lxml parser bytestring %s", error)
    return None

"""Annotations as W3C Web Annotations (https://www.w3.org/TR/annotation-model/).

Export: an ``AnnotationCollection`` whose first (and only) ``AnnotationPage`` holds
every annotation the export filters select, streamed from the same query as the CSV.

Import (W3C and Hypothesis files) lives in :mod:`annotations.importing`.

- ``id`` is ``urn:uuid:<annotation uuid>``.
- Visibility is not part of the W3C model; it travels in the extension term
  ``visibility`` (``shared`` | ``private``) defined in the second ``@context`` entry, and
  so does ``layer``: ``coder`` for a person's annotation, ``gold`` for the project's
  adjudicated version (after the coders' annotations; its creator is the curator).
- ``created`` and ``modified`` of an imported annotation are those its file gave
  (kept as data); ``modified`` is the server's time once it is edited here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from . import export
from .importing import (  # noqa: F401 (the import side, where callers look for it)
    MAX_UPLOAD_BYTES,
    UUID_URN,
    ImportError_,
    ImportReport,
    annotation_items,
    import_collection,
    parse_document,
)

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
VISIBILITY_TERM = "urn:stance-reader:visibility"
CODEBOOK_VERSION_TERM = "urn:stance-reader:codebookVersion"
LAYER_TERM = "urn:stance-reader:layer"
ARTICLE_VERSION_TERM = "urn:stance-reader:articleVersion"
DOCUMENT_CONTEXT = [
    CONTEXT,
    {
        "visibility": VISIBILITY_TERM,
        "codebookVersion": CODEBOOK_VERSION_TERM,
        "layer": LAYER_TERM,
        "articleVersion": ARTICLE_VERSION_TERM,
    },
]
MEDIA_TYPE = "application/ld+json"
LABEL = "Stance Reader annotations"


# -- export -------------------------------------------------------------------------


def annotation_document(
    row: tuple,
    stance_names: list[str],
    article_url,
    source_times: tuple | None = None,
    layer: str = export.CODER,
) -> dict[str, Any]:
    (pk, _article_id, _title, source_url, slug, _source, username, quote, prefix, suffix,
     start, end, note, visibility, _anchor_status, _stance, project, codebook_version,
     article_version, _stance_id, _project_id, _published, created, updated) = row  # fmt: skip
    bodies: list[dict[str, Any]] = []
    if note:
        bodies.append(
            {"type": "TextualBody", "purpose": "commenting", "value": note, "format": "text/plain"}
        )
    bodies.extend({"type": "TextualBody", "purpose": "tagging", "value": n} for n in stance_names)
    motivation = "commenting" if note else "tagging" if stance_names else "highlighting"
    if source_times is not None:
        # An imported annotation's history is the file's, until it is edited here.
        source_created, source_modified, version = source_times
        created = source_created or created
        if version == 1 and source_modified:
            updated = source_modified
    document: dict[str, Any] = {
        "id": f"{UUID_URN}{export.uuid_text(pk)}",
        "type": "Annotation",
        "motivation": motivation,
        "creator": {"type": "Person", "nickname": username},
        "created": export.time_text(created),
        "modified": export.time_text(updated),
        "visibility": visibility,
        # A coder's annotation, or the project's settled version (gold, from adjudication).
        "layer": layer,
    }
    if codebook_version is not None:
        # The version of the project's codebook the stances were chosen from.
        document["codebookVersion"] = codebook_version
    if bodies:
        document["body"] = bodies
    document["target"] = {
        "source": article_url(source_url, project, slug),
        "selector": [
            {"type": "TextQuoteSelector", "exact": quote, "prefix": prefix, "suffix": suffix},
            {"type": "TextPositionSelector", "start": start, "end": end},
        ],
        # The number of the article's text version that start and end index.
        "articleVersion": article_version,
    }
    return document


def collection_chunks(
    *, viewer, options: export.ExportOptions, base_url: str = "", collection_id: str = ""
) -> Iterator[bytes]:
    """The ``AnnotationCollection`` as UTF-8 chunks; ``total`` comes after the items,
    so the file streams from one query."""
    annotations = export.annotations_for(viewer=viewer, options=options)
    article_url = export.article_url_builder(base_url)
    head: dict[str, Any] = {"@context": DOCUMENT_CONTEXT}
    if collection_id:
        head["id"] = collection_id
    head |= {"type": "AnnotationCollection", "label": LABEL}
    opening = json.dumps(head, ensure_ascii=False)[:-1]
    page_head = '{"type": "AnnotationPage", "startIndex": 0, "items": ['
    last = ""
    if collection_id:
        # One page holds every item: it is the collection's first and last page. partOf
        # embeds the collection's description (as the model's example does), so the page
        # read on its own passes the W3C suite's page MUSTs, which read label, total,
        # first and last there; total is left to the collection, counted as it streams.
        page_id = json.dumps(f"{collection_id}#page1")
        part_of = json.dumps({"id": collection_id, "type": "AnnotationCollection", "label": LABEL})
        page_head = (
            f'{{"id": {page_id}, "type": "AnnotationPage", '
            f'"partOf": {part_of}, "startIndex": 0, "items": ['
        )
        last = f',\n "last": {page_id}'
    parts = [opening, ',\n "first": ' + page_head]
    size = sum(map(len, parts))
    total = 0
    imported = {
        str(pk): times
        for pk, *times in annotations.filter(imported=True).values_list(
            "pk", "source_created", "source_modified", "version"
        )
    }
    for row, names, _ids in export.grouped(export.joined_rows(annotations)):
        times = imported.get(export.uuid_text(row[0])) if imported else None
        item = json.dumps(annotation_document(row, names, article_url, times), ensure_ascii=False)
        parts.append(("\n  " if total == 0 else ",\n  ") + item)
        size += len(item) + 4
        total += 1
        if size >= export.FLUSH_CHARS:
            yield "".join(parts).encode("utf-8")
            parts, size = [], 0
    for row, names, _ids in export.grouped(export.gold_rows(viewer=viewer, options=options)):
        item = annotation_document(row, names, article_url, layer=export.GOLD)
        item = json.dumps(item, ensure_ascii=False)
        parts.append(("\n  " if total == 0 else ",\n  ") + item)
        total += 1
    parts.append(f'\n ]}}{last},\n "total": {total}\n}}\n')
    yield "".join(parts).encode("utf-8")

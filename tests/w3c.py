"""The W3C Web Annotation test suite's MUST assertions, run as data.

The suite (../shared/w3c-web-annotation-tests, w3c/web-annotation-tests, W3C test suite
or 3-clause BSD licence) is a set of draft-04 JSON Schemas: each ``*Musts.test`` file
lists assertion schemas, each assertion refers to shared definitions by their ``id``
(``annotations.json#/definitions/…``). Every listed assertion expects its document to be
valid; ``musts_failed`` says which are not.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

SUITE = Path(__file__).resolve().parents[2] / "shared" / "w3c-web-annotation-tests"

ANNOTATION_MUSTS = "annotations/annotationMusts.test"
COLLECTION_MUSTS = "collections/collectionMusts.test"
PAGE_MUSTS = "collections/pages/pageMusts.test"


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _registry() -> Registry:
    definitions = [_load(p) for p in sorted((SUITE / "definitions").glob("*.json"))]
    return Registry().with_resources(
        (d["id"], Resource.from_contents(d, default_specification=DRAFT4)) for d in definitions
    )


@cache
def assertions(test_file: str) -> tuple[tuple[str, dict], ...]:
    """The (path, schema) of every assertion a ``.test`` file lists."""
    listed = _load(SUITE / test_file)["assertions"]
    return tuple((path, _load(SUITE / path)) for path in listed)


def _validator(schema: dict) -> Draft4Validator:
    # uri and date-time are checked (rfc3986-validator, rfc3339-validator are installed).
    return Draft4Validator(
        schema, registry=_registry(), format_checker=Draft4Validator.FORMAT_CHECKER
    )


def musts_failed(document: dict, test_file: str) -> list[str]:
    """``"<assertion>: <its error message>"`` for every MUST the document fails."""
    failed = []
    for path, schema in assertions(test_file):
        assert schema["assertionType"] == "must" and schema["expectedResult"] == "valid", path
        if not _validator(schema).is_valid(document):
            failed.append(f"{path}: {schema['errorMessage']}")
    return failed

"""Running management commands the way a shell would, for tests."""

from __future__ import annotations

import io

from django.core.management import CommandError, call_command


def run_import(*args: str) -> tuple[str, str, int]:
    """(stdout, stderr, exit code) of import_articles with these arguments."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("import_articles", *args, stdout=out, stderr=err)
    except CommandError as error:
        code = error.returncode
        err.write(str(error))
    return out.getvalue(), err.getvalue(), code

"""`make run PORT=…` serves on that port and says where."""

from __future__ import annotations

import subprocess

from tests.conftest import ROOT


def test_make_run_prints_and_serves_on_the_port_it_is_given():
    plan = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", "PORT=8101"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert 'echo "Stance Reader is served on http://127.0.0.1:8101/' in plan
    assert plan.rstrip().endswith("manage.py runserver 127.0.0.1:8101")
    assert "PORT=" in (ROOT / "README.md").read_text()

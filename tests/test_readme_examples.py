"""Every example in the README's commands table runs as written, on files that ship, in order, offline."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from tests.conftest import DEMO_ARCHIVE, ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def examples() -> list[str]:
    """The example column of the commands table, in the README's order."""
    section = README.split("\n## Commands\n", 1)[1].split("\n## ", 1)[0]
    return [m.group(1) for m in re.finditer(r"\| `(monitor [^`]+)` \|\s*$", section, re.M)]


def test_the_readme_has_an_example_for_every_command() -> None:
    from tests.test_cli import _subparsers

    assert {shlex.split(e)[1] for e in examples()} == set(_subparsers())


def test_every_readme_example_runs_as_written(tmp_path: Path) -> None:
    """In a folder holding what a checkout holds (examples/, the demo archive), with the network replaced by
    the demo archive (MONITOR_REPLAY) and the default store a fresh one (MONITOR_DB)."""
    (tmp_path / "data" / "archive").mkdir(parents=True)
    (tmp_path / "data" / "archive" / "demo").symlink_to(DEMO_ARCHIVE)
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    env = {**os.environ, "MONITOR_REPLAY": str(DEMO_ARCHIVE), "MONITOR_DB": "data/monitor.db",
           "PYTHONPATH": str(ROOT), "MONITOR_NOTIFY_COMMAND": "cat > /dev/null"}
    for example in examples():
        args = shlex.split(example)[1:]
        if args[0] == "serve":
            continue  # a server runs until stopped: tests/test_serve.py starts and queries it
        done = subprocess.run([sys.executable, "-m", "monitor.cli", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode in (0, 5), f"{example}: exit {done.returncode}: {done.stderr[-1500:]}"
        assert done.stdout.strip(), f"{example} printed nothing"

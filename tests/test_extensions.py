"""The run's extensions: progress on a terminal only (the run extension is tested through `scrapy crawl`)."""

from __future__ import annotations

import os
import pty
import sys
from pathlib import Path

from tests.conftest import DEMO_ARCHIVE, ROOT


def _on_a_terminal(args: list[str]) -> str:
    """What a command writes to a terminal (a pseudo-terminal: stdout and stderr are both ttys)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real command line
        os.chdir(ROOT)
        os.environ["COLUMNS"] = "300"  # a pseudo-terminal has no size of its own
        os.execv(sys.executable, [sys.executable, "-m", "monitor.cli", *args])
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.waitpid(pid, 0)
    os.close(fd)
    return b"".join(chunks).decode("utf-8", "replace")


def test_a_run_on_a_terminal_shows_pages_fetched_and_articles_stored(tmp_path: Path) -> None:
    shown = _on_a_terminal(["run", "--replay", str(DEMO_ARCHIVE), "--db", str(tmp_path / "m.db")])
    assert "pages fetched" in shown and "articles stored" in shown
    last = shown.rsplit("\r\x1b[K", 1)[1].split("\n", 1)[0]  # the line's last state: pages/stored per source
    assert last.startswith("21 pages fetched, 9 articles stored — ") and "xinhua_en 6/3" in last
    assert "# Monitor run 1" in shown  # then the report

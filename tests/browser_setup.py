"""Set-up for the browser tests: Debian's Chromium, launched headless through Playwright. (`monitor serve` on a
free port of 127.0.0.1 is tests.conftest.served.)

`make test` installs it first (`python tests/browser_setup.py`: apt-get as root, when it is missing); the tests
themselves never install anything, and skip saying why when it is not there."""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)

CHROMIUM = Path("/usr/bin/chromium")
# A Chinese font (1.6 MB), so that screenshots show Chinese pages as characters, not boxes; the tests read the
# page's text, so they pass without it.
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
PACKAGES = {"chromium": CHROMIUM, "fonts-wqy-microhei": CJK_FONT}
# Without the background-networking flags Chromium keeps calling Google's services, and on a closed network
# those calls are refused; --disable-quic keeps it on plain TCP to 127.0.0.1.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# Held while apt-get runs, so that parallel pytest workers install Chromium once.
LOCK = Path(tempfile.gettempdir()) / "telecom-monitor-chromium-install.lock"
APT_ENV = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
# Recommended packages would pull systemd, perl and printing in, and upgrade some of what is installed.
INSTALL = ["apt-get", "install", "-y", "-q", "--no-install-recommends", "-o", "DPkg::Lock::Timeout=300"]


class Unavailable(Exception):
    """Chromium is not on this machine and cannot be installed here (the message says why)."""


def _missing() -> list[str]:
    return [package for package, path in PACKAGES.items() if not path.exists()]


def chromium() -> Path:
    """Debian's Chromium, or Unavailable (saying how to get it)."""
    if not CHROMIUM.exists():
        raise Unavailable(f"{CHROMIUM} is missing: `make test` installs it (apt-get, as root), or install chromium")
    return CHROMIUM


def install() -> Path:
    """Debian's Chromium and the font, installed first when missing (as root, with apt-get), or Unavailable."""
    if not _missing():
        return CHROMIUM
    if os.geteuid() == 0 and shutil.which("apt-get"):
        with open(LOCK, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be installing it: wait for it, then look again
            if _missing():
                _install(_missing())
    elif not CHROMIUM.exists():
        raise Unavailable(f"{CHROMIUM} is missing and cannot be installed here: "
                          + ("only root can run apt-get install chromium" if shutil.which("apt-get")
                             else "there is no apt-get to install Debian's chromium with"))
    return CHROMIUM


def _install(packages: list[str]) -> None:
    start = time.monotonic()
    done = _apt(INSTALL + packages)
    if done.returncode != 0:  # the package lists may be stale or absent: refresh them once and try again
        _apt(["apt-get", "update", "-q", "-o", "DPkg::Lock::Timeout=300"])
        done = _apt(INSTALL + packages)
    if done.returncode != 0 and packages != ["chromium"] and "chromium" in packages:
        done = _apt([*INSTALL, "chromium"])  # the font is a nicety: Chromium alone will do
    if not CHROMIUM.exists():
        lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]  # apt's E: line
        raise Unavailable(f"apt-get install chromium failed (exit {done.returncode}): "
                          f"{lines[-1] if lines else 'no output'}")
    log.warning("installed %s in %.0f s (exit %d)", " ".join(packages), time.monotonic() - start, done.returncode)


def _apt(argv: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(argv, capture_output=True, text=True, env=APT_ENV, timeout=1800, check=False)
    except subprocess.TimeoutExpired as exc:
        raise Unavailable(f"{' '.join(argv)} did not finish within {exc.timeout:.0f} s") from exc


@contextmanager
def browser(executable: Path, profile: Path, width: int = 1280, height: int = 900):
    """Headless Chromium with a fresh profile (user-data dir), through Playwright's sync API: its context,
    whose new_page() opens a tab."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(executable), headless=True, args=ARGS,
            viewport={"width": width, "height": height}, locale="en-GB")
        try:
            yield context
        finally:
            context.close()


if __name__ == "__main__":  # `make test`, before the browser tests: never fails the build, says what it did
    try:
        print(f"browser tests: Chromium at {install()}")
    except Unavailable as exc:
        print(f"browser tests: they will skip ({exc})")

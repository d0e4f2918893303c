"""Installed like a real tool: the wheel, installed into a fresh venv outside the checkout, runs from any folder."""

from __future__ import annotations

import json
import site
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DEMO_ARCHIVE, ROOT

pytestmark = pytest.mark.install  # builds a wheel and a venv: timed apart from the core suite


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv holding only the project's wheel; its dependencies are read from the project's venv (a
    .pth file), so the test needs no network and tests the wheel's own files, not the checkout's."""
    tmp = tmp_path_factory.mktemp("install")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(tmp / "dist"),
                            str(ROOT)], capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr[-3000:]
    [wheel] = (tmp / "dist").glob("*.whl")
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    [target] = (venv / "lib").glob("python3*/site-packages")
    (target / "project-deps.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    done = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                           str(wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return venv


def _monitor(venv: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(venv / "bin" / "monitor"), *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300, env={"PATH": "/usr/bin:/bin", "HOME": str(cwd)})


def test_the_wheel_carries_the_knowledge(installed: Path) -> None:
    [target] = (installed / "lib").glob("python3*/site-packages")
    assert {p.name for p in (target / "telecom_monitor_data").glob("*.json")} >= {
        "gazetteer.json", "topic.json", "cues.json", "areas.json", "outlets.json", "listing_topics.json"}
    assert not (target / "data").exists()


def test_sources_and_a_replay_run_from_another_folder(installed: Path, tmp_path: Path) -> None:
    where = tmp_path / "elsewhere"
    where.mkdir()
    done = _monitor(installed, "sources", "--json", cwd=where)
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["sources"]) >= 17
    done = _monitor(installed, "run", "--replay", str(DEMO_ARCHIVE), "--db", "demo.db", "--json", cwd=where)
    assert done.returncode == 0, done.stderr[-2000:]
    assert [e for e in json.loads(done.stdout)["events"] if e["kind"] == "new_batch"]
    batches = json.loads(_monitor(installed, "batches", "--db", "demo.db", "--json", cwd=where).stdout)["batches"]
    assert [b["count"] for b in batches] == [13]
    imported = subprocess.run([str(installed / "bin" / "python"), "-c", "import monitor; print(monitor.__file__)"],
                              capture_output=True, text=True, cwd=where, check=True).stdout
    assert str(ROOT) not in imported  # the wheel's code ran, not the checkout's

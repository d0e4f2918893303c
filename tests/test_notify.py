"""The cron contract: --quiet silence, --exit-code, reports on disk, and notifications that are never lost."""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from monitor import exitcodes, notify
from tests.conftest import run_monitor

BATCH = ("BEIJING, Sept. 5 (Xinhua) -- China has approved a second batch of 21 foreign-invested companies for pilot "
         "value-added telecom services in Beijing, Shanghai, Hainan and Shenzhen, including Example Cloud (Shanghai) "
         "Co., Ltd., the Ministry of Industry and Information Technology said on Friday.")
OTHER = ("China's mobile operators added 40,000 5G base stations in August, the MIIT said, bringing the national "
         "total past 4.5 million as network upgrades continued.")


def _docs(tmp_path: Path, name: str, *texts: str) -> Path:
    path = tmp_path / f"{name}.jsonl"
    path.write_text("".join(json.dumps({"id": f"{name}{i}", "url": f"https://example.org/{name}/{i}", "text": t,
                                        "published": "2025-09-06", "outlet": "Xinhua"}) + "\n"
                            for i, t in enumerate(texts)), encoding="utf-8")
    return path


def test_quiet_prints_nothing_when_nothing_is_new(tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    docs = _docs(tmp_path, "a", BATCH)
    first = run_monitor("ingest", str(docs), "--db", db, "--quiet")
    assert "New approval batches" in first.stdout
    again = run_monitor("ingest", str(docs), "--db", db, "--quiet")
    assert again.returncode == 0 and again.stdout == ""


def test_exit_code_flags_a_new_batch_once(tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    docs = _docs(tmp_path, "a", BATCH)
    assert run_monitor("ingest", str(docs), "--db", db, "--exit-code").returncode == exitcodes.NEW_BATCH
    assert run_monitor("ingest", str(docs), "--db", db, "--exit-code").returncode == exitcodes.OK


def test_each_run_writes_its_report(tmp_path: Path) -> None:
    db = tmp_path / "m.db"
    run_monitor("ingest", str(_docs(tmp_path, "a", BATCH, OTHER)), "--db", str(db))
    md, js = tmp_path / "reports" / "m-run-00001.md", tmp_path / "reports" / "m-run-00001.json"
    assert "21 firms approved" in md.read_text(encoding="utf-8")
    assert [e["kind"] for e in json.loads(js.read_text(encoding="utf-8"))["events"]][0] == "new_batch"


def test_webhook_gets_the_batch_and_a_failure_is_retried_next_run(local_server: HTTPServer, tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    env = {"MONITOR_WEBHOOK_URL": local_server.url_for("/hook")}
    local_server.expect_oneshot_request("/hook", method="POST").respond_with_data("down", status=503)
    first = run_monitor("ingest", str(_docs(tmp_path, "a", BATCH)), "--db", db, env=env)
    assert first.returncode == 0, first.stderr  # a failed notification is never fatal
    with closing(sqlite3.connect(db)) as conn, conn:
        assert conn.execute("select notified from runs where id = 1").fetchone()[0] is None
    local_server.expect_request("/hook", method="POST").respond_with_data("ok")
    second = run_monitor("ingest", str(_docs(tmp_path, "b", OTHER)), "--db", db, env=env)
    assert second.returncode == 0, second.stderr
    body = json.loads(local_server.log[-1][0].get_data())
    assert body["run"] == 1
    assert body["batches"][0]["count"] == 21
    assert "Example Cloud (Shanghai) Co., Ltd." in body["batches"][0]["firms"]
    assert body["batches"][0]["evidence"][0]["url"] == "https://example.org/a/0"
    with closing(sqlite3.connect(db)) as conn, conn:
        assert conn.execute("select notified from runs where id = 1").fetchone()[0] is not None


def test_notify_command_receives_the_markdown_report(tmp_path: Path) -> None:
    out = tmp_path / "mail.txt"
    env = {"MONITOR_NOTIFY_COMMAND": f"cat > {out}"}
    done = run_monitor("ingest", str(_docs(tmp_path, "a", BATCH)), "--db", str(tmp_path / "m.db"), env=env)
    assert done.returncode == 0, done.stderr
    assert "## New approval batches (1)" in out.read_text(encoding="utf-8")


def test_diff_json_and_since(tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    run_monitor("ingest", str(_docs(tmp_path, "a", BATCH)), "--db", db)
    run_monitor("ingest", str(_docs(tmp_path, "b", OTHER)), "--db", db)
    last = json.loads(run_monitor("diff", "--db", db, "--json").stdout)["events"]
    assert {e["run"] for e in last} == {2}
    first = json.loads(run_monitor("diff", "--run", "1", "--db", db, "--json").stdout)["events"]
    assert first[0]["kind"] == "new_batch" and first[0]["batch"]["count"] == 21
    since = json.loads(run_monitor("diff", "--since", "2000-01-01", "--db", db, "--json").stdout)["events"]
    assert {e["run"] for e in since} == {1, 2}
    assert run_monitor("diff", "--run", "9", "--db", db).returncode == exitcodes.BAD_INPUT


def test_batches_firms_and_reextract(tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    run_monitor("ingest", str(_docs(tmp_path, "a", BATCH, OTHER)), "--db", db)
    batches = json.loads(run_monitor("batches", "--db", db, "--json").stdout)["batches"]
    assert [(b["count"], b["ordinal"], b["reports"], b["outlets"]) for b in batches] == [(21, 2, 1, ["Xinhua"])]
    assert set(batches[0]) == {"id", "approved_on", "count", "ordinal", "areas", "firms", "reports", "outlets",
                               "first_seen_run", "status"}
    firms = json.loads(run_monitor("firms", "--db", db, "--json").stdout)["firms"]
    assert "Example Cloud (Shanghai) Co., Ltd." in [f["name"] for f in firms]
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("update articles set event = 'unrelated', relevant = 0")
        conn.execute("delete from mentions")
    done = run_monitor("reextract", "--db", db, "--json")
    assert done.returncode == 0, done.stderr
    counts = json.loads(done.stdout)
    assert (counts["articles"], counts["relevant"]) == (2, 1) and counts["mentions"] >= 1
    with closing(sqlite3.connect(db)) as conn, conn:
        assert conn.execute("select event from articles order by id").fetchall() == [("batch_report",), ("unrelated",)]
        assert conn.execute("select count(*) from batches").fetchone()[0] == 1  # no second batch from re-extraction


def test_runs_from_before_a_notifier_was_set_up_are_not_sent(tmp_path: Path) -> None:
    """Regression: setting up a notifier mailed every earlier run that had flagged a batch."""
    db = str(tmp_path / "m.db")
    run_monitor("ingest", str(_docs(tmp_path, "a", BATCH)), "--db", db)
    out = tmp_path / "mail.txt"
    run_monitor("ingest", str(_docs(tmp_path, "b", OTHER)), "--db", db, env={"MONITOR_NOTIFY_COMMAND": f"cat > {out}"})
    assert not out.exists()


def test_diff_of_an_older_run_shows_the_change_that_run_made(tmp_path: Path) -> None:
    """Regression: `diff --run N` showed the newest change of an article, not run N's."""
    db = str(tmp_path / "m.db")
    url = "https://example.org/story"
    for n, words in enumerate(["thirteen firms", "twenty firms", "twenty-one firms"]):
        path = tmp_path / f"v{n}.jsonl"
        path.write_text(json.dumps({"id": "s", "url": url, "outlet": "Xinhua", "published": "2025-09-06",
                                    "text": f"{BATCH}\n\nThe ministry named {words} in all."}) + "\n",
                        encoding="utf-8")
        run_monitor("ingest", str(path), "--db", db)
    events = json.loads(run_monitor("diff", "--run", "2", "--db", db, "--json").stdout)["events"]
    diff = next(e for e in events if e["kind"] == "changed_article")["diff"]
    assert "-The ministry named thirteen firms in all." in diff
    assert "+The ministry named twenty firms in all." in diff


def test_since_reads_a_utc_date_in_beijing_time(tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    run_monitor("ingest", str(_docs(tmp_path, "a", BATCH)), "--db", db)
    events = json.loads(run_monitor("diff", "--since", "2000-01-01T00:00:00Z", "--db", db, "--json").stdout)["events"]
    assert events and {e["run"] for e in events} == {1}
    assert json.loads(run_monitor("diff", "--since", "2999-01-01", "--db", db, "--json").stdout)["events"] == []
    assert run_monitor("diff", "--since", "not a date", "--db", db).returncode == exitcodes.BAD_INPUT


def test_two_stores_in_one_folder_keep_their_own_reports(tmp_path: Path) -> None:
    """Regression: data/demo.db and data/monitor.db both wrote reports/run-00001.md."""
    for name in ("one", "two"):
        run_monitor("ingest", str(_docs(tmp_path, name, BATCH)), "--db", str(tmp_path / f"{name}.db"))
    assert sorted(p.name for p in (tmp_path / "reports").glob("*.md")) == ["one-run-00001.md", "two-run-00001.md"]


def test_apprise_channel_names_never_hold_a_secret_and_are_stable() -> None:
    url = "json://user:pa55word@127.0.0.1:8000/t0ken"
    [first] = notify.apprise_channels(url)
    [again] = notify.apprise_channels(f" {url},")
    assert first.name == again.name and re.fullmatch(r"apprise:json:[0-9a-f]{12}", first.name)
    assert first.label == "Apprise json://user:****@127.0.0.1:8000/t0ken" and first.problem is None
    [other] = notify.apprise_channels(url.replace("t0ken", "other"))
    assert other.name != first.name


def test_apprise_urls_are_split_on_spaces_and_commas_but_not_inside_a_url() -> None:
    assert notify.split_urls(" json://h/a,ntfy://h/t\n mailto://u:p@h?to=a@x,b@y , json://h/a,") == [
        "json://h/a", "ntfy://h/t", "mailto://u:p@h?to=a@x,b@y"]
    assert notify.split_urls(" , ") == [] and notify.apprise_channels(" , ") == []


@pytest.mark.parametrize(("url", "why"), [
    ("nonsense://s3cret@host", "Apprise has no service nonsense://"),
    ("slack://s3cret", "Apprise cannot read this slack:// URL (a part is missing or malformed)"),
    ("s3cret", "it is not a URL (no scheme://)"),
])
def test_a_malformed_apprise_url_is_a_channel_with_its_problem(url: str, why: str) -> None:
    [channel] = notify.apprise_channels(f"json://127.0.0.1:8000/ok {url}")[1:]
    assert channel.problem and channel.problem.startswith(why)
    assert channel.label.startswith("Apprise URL 2 of MONITOR_NOTIFY_URLS")
    assert "s3cret" not in channel.label + channel.problem + channel.name
    assert channel.deliver(notify.Message("t", "m", {})) == channel.problem  # never sent


def test_channels_are_the_webhook_the_command_and_each_apprise_url() -> None:
    assert notify.channels(None, None, " ,, ") == []
    names = [c.name for c in notify.channels("http://127.0.0.1:1/h", "true", "json://127.0.0.1:1/a ntfy://h/t")]
    assert names[:2] == ["webhook", "command"] and [n.split(":")[1] for n in names[2:]] == ["json", "ntfy"]


def test_diff_links_each_item_to_its_article_and_stored_copy(tmp_path: Path) -> None:
    db = str(tmp_path / "m.db")
    run_monitor("ingest", str(_docs(tmp_path, "a", BATCH)), "--db", db)
    env = {"MONITOR_SERVE_URL": "https://monitor.example.org/ds/"}
    batch, *others = json.loads(run_monitor("diff", "--db", db, "--json", env=env).stdout)["events"]
    stored = "https://monitor.example.org/ds/m/articles/1"
    assert (batch["batch"]["evidence"][0]["url"], batch["batch"]["evidence"][0]["stored"]) == \
        ("https://example.org/a/0", stored)
    assert {e["kind"] for e in others} == {"new_firm", "new_article"}
    assert all((e["articles"][0]["url"], e["articles"][0]["stored"]) == ("https://example.org/a/0", stored)
               for e in others)
    text = run_monitor("diff", "--db", db, env=env).stdout
    assert text.count(f"](https://example.org/a/0) (Xinhua, 2025-09-06; [stored copy]({stored}))") == 1 + len(others)
    report = json.loads((tmp_path / "reports" / "m-run-00001.json").read_text(encoding="utf-8"))
    assert report["events"][0]["batch"]["evidence"][0]["stored"] == "http://127.0.0.1:8001/m/articles/1"

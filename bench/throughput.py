"""The full monitor against a bare Scrapy spider on the same pages: one table of ratios, measured in one go.

Builds seeded synthetic archives (bench/synth.py: english.news.cn articles, every tenth on the policy) of
1,000 and 10,000 pages, then measures, each figure against a baseline taken in the same run:

* throughput, replayed: `monitor run --replay` (crawl, clean, extract, store, batch matching, report) into a
  fresh store, against a bare spider that only reads title and text from the same replay through the same
  replay middleware; alternating, the median of `--repeat` runs at 1k and `--repeat-large` at 10k;
* throughput, live: the same site served on 127.0.0.1 by bench/liveproxy.py, an HTTPS proxy answering from
  the archive, through which both crawlers fetch the real https://english.news.cn/ URLs (robots.txt too), with
  the waiting off for both (`--repeat-live` alternating pairs): no AutoThrottle, no download delay, and Scrapy's
  default 8 requests at a time per domain (at the monitor's 2, Scrapy opens a new TLS tunnel for most requests,
  about 45 ms each on this proxy, and both crawlers would spend the run waiting on handshakes: the figure would
  not be the cost of the work);
* peak memory at 10k and 10k over 1k: of the largest process (the kernel's peak RSS; a run crawls in a process of
  its own, then draws its chart, whose renderer, a JavaScript engine, takes 80 to 90 MiB, most of it whatever
  the archive's size), of the crawl process alone, and of all a run's processes together (their PSS, sampled);
* scaling: pages/s at 10k over pages/s at 1k;
* `monitor reextract` twice on the 1k store: articles/s, the store's size after each pass, and whether the
  facts are the same;
* the start-up of the read commands against `python -c "import sqlite3"`, and whether they import Scrapy or
  trafilatura;
* the requests of a second run over an unchanged site (bench/incremental_requests.py).

Every figure is a whole child process, timed from outside (wall clock, and CPU time from the kernel: on a busy
machine the CPU ratio is the steadier one). Prints one Markdown table and writes it to bench/results/latest.md.

    .venv/bin/python bench/throughput.py [--sizes 1000,10000] [--repeat 3] [--repeat-large 1] [--live 10000]
                                         [--repeat-live 3]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shlex
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
RESULTS = ROOT / "bench" / "results" / "latest.md"

# The bare spider: title and text of each article, nothing stored. `replay ARCHIVE` answers from the archive
# through the monitor's replay middleware; `live` fetches through the proxy in https_proxy.
BARE = r'''
import json, sys
import scrapy
from scrapy.crawler import CrawlerProcess

class Bare(scrapy.Spider):
    name = "bare"
    start_urls = ["https://english.news.cn/list/latestnews.htm"]
    def parse(self, response):
        for href in response.css("ul.list a::attr(href)").getall():
            yield response.follow(href, self.article)
    def article(self, response):
        yield {"title": response.css("h1 span.title::text").get(),
               "text": "\n\n".join(response.css("#detailContent p::text").getall())}

count = {"items": 0}
class Count:
    def process_item(self, item):
        count["items"] += 1
        return item

sys.modules["bare_count"] = sys.modules[__name__]
settings = {"LOG_LEVEL": "ERROR", "ROBOTSTXT_OBEY": True, "ITEM_PIPELINES": {"bare_count.Count": 100},
            "TELNETCONSOLE_ENABLED": False,
            "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor"}
if sys.argv[1] == "replay":
    settings.update({"MONITOR_REPLAY": sys.argv[2],
                     "DOWNLOADER_MIDDLEWARES": {"monitor.replay.ReplayMiddleware": 950}})
else:  # live: through the proxy in https_proxy, with Scrapy's default concurrency (see the bench's docstring)
    settings.update({"CONCURRENT_REQUESTS_PER_DOMAIN": 8, "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False})
process = CrawlerProcess(settings)
process.crawl(Bare)
process.start()
print(json.dumps({"items": count["items"]}))
'''

# The monitor, live: what `monitor run` does (lock, store, crawl, after-run report), with the waiting off (no
# AutoThrottle, no delay, Scrapy's default 8 requests at a time per domain, as the bare spider). Every other setting
# is the project's: the request guard, robots.txt, retries, WARC recording, incremental crawling.
MONITOR_LIVE = r'''
import json, sys
from monitor import afterrun, runner
from pipelines.store import Store

db, archive_dir = sys.argv[1], sys.argv[2]
with runner.run_lock(db):
    Store(db).close()
    result = runner.crawl(["xinhua_en"], db, log_level="ERROR", extra_settings={
        "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
        "MONITOR_ARCHIVE_DIR": archive_dir})
    afterrun.publish(db, result)
print(json.dumps({"items": result.sources["xinhua_en"].stats.get("articles", 0), "status": result.status}))
'''

# Which heavy libraries a command imported: runs the CLI in this process, then says.
IMPORTS = r'''
import sys
sys.argv = ["monitor", *sys.argv[1:]]
from monitor.cli import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("IMPORTED " + " ".join(m for m in ("scrapy", "trafilatura", "dateparser", "lxml.html", "sqlite_utils")
                                        if m in sys.modules) + "\n")
'''

READ_COMMANDS = [("query", ["query", "select 1"]), ("batches", ["batches"]), ("firms", ["firms"]),
                 ("diff", ["diff"]), ("sources", ["sources"]), ("search", ["search", "telecom"])]
# What reextract must leave as it found it: the facts of every article (not their row ids).
FACTS_SQL = [
    "select canonical_url, relevant, event, batch_json, areas from articles order by canonical_url",
    "select a.canonical_url, m.seq, m.role, m.name, m.parent, m.evidence from mentions m "
    "join articles a on a.id = m.article_id order by 1, 2",
    "select a.canonical_url, f.seq, f.value, f.unit, f.kind, f.as_of, f.evidence from figures f "
    "join articles a on a.id = f.article_id order by 1, 2",
]


@contextmanager
def live_site(archive: Path) -> Iterator[str]:
    """bench/liveproxy.py serving `archive` in a child process (so that this one stays small, see `child`);
    yields the proxy's URL."""
    proc = subprocess.Popen([PY, str(ROOT / "bench" / "liveproxy.py"), str(archive)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        found = re.search(r"https_proxy=(\S+)", proc.stdout.readline() if proc.stdout else "")
        if not found:
            raise SystemExit("bench/liveproxy.py did not start")
        yield found.group(1)
    finally:
        proc.send_signal(signal.SIGINT)  # it closes its socket and certificate folder
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()


@dataclass
class Measure:
    wall: float  # seconds
    cpu: float  # user + system seconds of the child
    rss: float  # peak resident memory of the largest process (the child or one of its own), MiB
    stdout: str
    stderr: str
    tree: TreeMemory


class TreeMemory(threading.Thread):
    """Samples a process and its descendants every 50 ms, from /proc: each one's peak RSS (VmHWM, which only
    grows, so the last sample before a process ends is its peak, but for what it took in its last 50 ms) and the
    peak of their PSS together (shared pages counted once: what the machine gave the run)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.done = pid, threading.Event()
        self.hwm: dict[int, float] = {}  # pid -> MiB
        self.together = 0.0  # MiB

    def run(self) -> None:
        while not self.done.wait(0.05):
            total = 0.0
            for pid in self._tree(self.pid):
                try:
                    self.hwm[pid] = max(self.hwm.get(pid, 0.0),
                                        _kib(Path(f"/proc/{pid}/status").read_text(), "VmHWM:") / 1024)
                    total += _kib(Path(f"/proc/{pid}/smaps_rollup").read_text(), "Pss:") / 1024
                except OSError:  # ended meanwhile (or no smaps_rollup: then "together" stays 0, printed as such)
                    continue
            self.together = max(self.together, total)

    def _tree(self, pid: int) -> list[int]:
        found = [pid]
        for children in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                found += [p for c in children.read_text().split() for p in self._tree(int(c))]
            except OSError:
                continue
        return found

    def descendants(self) -> float:
        """The peak RSS of the largest process below the child (0 when it had none)."""
        return max((mib for pid, mib in self.hwm.items() if pid != self.pid), default=0.0)


def _kib(text: str, field: str) -> int:
    match = re.search(rf"^{field}\s+(\d+) kB", text, re.M)
    return int(match.group(1)) if match else 0


def child(cmd: list[str], env: dict[str, str] | None = None, check: bool = True) -> Measure:
    """Run one child process to its end: wall time, CPU time and peak RSS from the kernel (wait4).

    The kernel's peak for a child counts the memory of this process at the fork (subprocess forks with vfork,
    and exec keeps the larger high-water mark): this process builds no archive and serves no site itself, and
    imports neither Scrapy nor the monitor, so that it stays far below any child it measures."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=err, env={**os.environ, **(env or {})})
        tree = TreeMemory(proc.pid)
        tree.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        tree.done.set()
        tree.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        measure = Measure(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.read(), err.read(), tree)
    if check and proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{measure.stderr[-3000:]}")
    return measure


def _script(name: str, text: str, folder: Path) -> Path:
    """A child's script as a file (Scrapy reads its callbacks' source)."""
    path = folder / f"{name}.py"
    path.write_text(text, encoding="utf-8")
    return path


def _last_json(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])


MONITOR_ENV = {"MONITOR_MAX_LINKS_PER_PAGE": "100000",  # the synthetic listing links every article on one page
               "PYTHONPATH": str(ROOT)}


def monitor_replay(archive: Path, db: Path) -> tuple[Measure, int]:
    m = child([PY, "-m", "monitor.cli", "run", "--replay", str(archive), "--sources", "xinhua_en",
               "--db", str(db), "--json"], MONITOR_ENV)
    return m, json.loads(m.stdout)["sources"]["xinhua_en"]["articles"]


def bare_replay(script: Path, archive: Path) -> tuple[Measure, int]:
    m = child([PY, str(script), "replay", str(archive)], {"PYTHONPATH": str(ROOT)})
    return m, _last_json(m.stdout)["items"]


def monitor_live(script: Path, db: Path, proxy: str) -> tuple[Measure, int]:
    m = child([PY, str(script), str(db), str(db.parent / f"{db.stem}-archive")],
              {**MONITOR_ENV, "https_proxy": proxy, "http_proxy": proxy})
    return m, _last_json(m.stdout)["items"]


def bare_live(script: Path, proxy: str) -> tuple[Measure, int]:
    m = child([PY, str(script), "live"], {"PYTHONPATH": str(ROOT), "https_proxy": proxy, "http_proxy": proxy})
    return m, _last_json(m.stdout)["items"]


Row = tuple[str, str, str, str, str]  # what, monitor, baseline, ratio, goal


@dataclass
class Pair:
    """Alternating runs of the monitor and the bare spider on the same pages."""

    monitor: list[tuple[Measure, int]]
    bare: list[tuple[Measure, int]]

    def rate(self, which: str, clock: str = "wall") -> float:
        runs = getattr(self, which)
        return statistics.median(n / getattr(m, clock) for m, n in runs)

    def peak(self, which: str) -> float:
        """The largest process's peak RSS (the kernel's), the highest of the runs."""
        return max(m.rss for m, _ in getattr(self, which))

    def crawl_peak(self, which: str) -> float:
        """The crawl's process: the monitor's run forks one; the bare spider crawls in its own."""
        if which == "bare":
            return self.peak("bare")
        peaks = [m.tree.descendants() for m, _ in self.monitor]
        if not all(peaks):  # /proc/PID/task/*/children unreadable here: no figure rather than the wrong process's
            raise SystemExit("no crawl process was seen under a monitor run (/proc/PID/task/*/children)")
        return max(peaks)

    def together(self, which: str) -> float:
        return max(m.tree.together for m, _ in getattr(self, which))

    def ratios(self, clock: str = "wall") -> list[float]:
        """Monitor pages/s over bare pages/s of each alternating pair (run one after the other, so that a slower
        spell of a shared machine slows both)."""
        return [(mn / getattr(mm, clock)) / (bn / getattr(bm, clock))
                for (mm, mn), (bm, bn) in zip(self.monitor, self.bare, strict=True)]

    def ratio(self, clock: str = "wall") -> float:
        return statistics.median(self.ratios(clock))

    def row(self, what: str, goal: str = "") -> Row:
        return what, fmt(self.rate("monitor"), 0), fmt(self.rate("bare"), 0), fmt(self.ratio()), goal


def alternate(repeat: int, run_monitor, run_bare, label: str) -> Pair:  # noqa: ANN001 - two closures
    pair = Pair([], [])
    for i in range(repeat):  # alternating, so that a busy moment costs both alike
        pair.bare.append(run_bare(i))
        pair.monitor.append(run_monitor(i))
        (mm, mn), (bm, bn) = pair.monitor[-1], pair.bare[-1]
        if not (mn and bn):  # a crawl that read nothing (a setting gone stale): no ratio to speak of
            raise SystemExit(f"{label} #{i + 1}: the monitor got {mn} pages, the bare spider {bn}")
        if mn != bn:  # not the same work: the ratio would compare unlike runs
            print(f"  WARNING: {label} #{i + 1}: the monitor got {mn} pages, the bare spider {bn}", flush=True)
        print(f"  {label} #{i + 1}: monitor {mn} pages in {mm.wall:.1f} s ({mm.cpu:.1f} s CPU, {mm.rss:.0f} MiB, "
              f"its crawl {mm.tree.descendants():.0f} MiB, together {mm.tree.together:.0f} MiB); "
              f"bare {bn} pages in {bm.wall:.1f} s ({bm.cpu:.1f} s CPU, {bm.rss:.0f} MiB)", flush=True)
    return pair


def store_size(db: Path) -> int:
    return sum(p.stat().st_size for p in (db, db.with_name(db.name + "-wal")) if p.exists())


def facts_digest(db: Path) -> str:
    digest = hashlib.sha256()
    for sql in FACTS_SQL:
        m = child([PY, "-m", "monitor.cli", "query", sql, "--db", str(db), "--csv"])  # a failing query stops the bench
        digest.update(m.stdout.encode())
    return digest.hexdigest()


def startup(args: list[str], baseline: list[str], repeat: int = 7) -> tuple[float, float]:
    """Median whole-process seconds of a command and of the baseline, run in turn."""
    ours, theirs = [], []
    for _ in range(repeat):
        theirs.append(child([PY, *baseline]).wall)
        ours.append(child([PY, *args]).wall)  # a command that fails is not timed as if it had started
    return statistics.median(ours), statistics.median(theirs)


def later_runs() -> list[tuple[str, str, str, str, str]]:
    """Rows of the requests later runs make over the same site, from bench/incremental_requests.py (the recheck
    bench, called as it is): its step table when it prints one, else its second-run line."""
    m = child([PY, str(ROOT / "bench" / "incremental_requests.py")], {"PYTHONPATH": str(ROOT)}, check=False)
    if m.stdout:
        print("  " + m.stdout.strip().replace("\n", "\n  "))
    steps = {}
    for line in m.stdout.splitlines():  # "b. one new link, at once    501 ( 503)": the last pair is this checkout's
        found = re.match(r"([1a-z])\. (.+?)\s{2,}.*\s(\d+) \(\s*(\d+)\)\s*$", line.strip())
        if found:
            steps[found.group(1)] = (found.group(2), int(found.group(3)), int(found.group(4)))
    # b and c re-check fresh or due articles by design (the README's re-check rules): no fixed goal.
    goals = {"a": "0 (discovery only)", "b": "README's re-check rules", "c": "README's re-check rules",
             "d": "the new and the changed entries"}
    if "1" in steps and len(steps) > 1:
        first = steps.pop("1")[1]
        return [(f"article requests of a later run, {key}. {label}", str(n), str(first),
                 fmt(n / first) if first else "n/a", goals.get(key, ""))
                for key, (label, n, _) in steps.items()]
    runs = dict(re.findall(r"run (\d): (\d+) requests", m.stdout))
    if "1" in runs and "2" in runs:
        return [("requests, second run over an unchanged site", runs["2"], runs["1"],
                 fmt(int(runs["2"]) / int(runs["1"])), "discovery only")]
    print(f"  bench/incremental_requests.py gave no figure: {m.stderr.strip()[-500:]}")
    return [("requests, second run over an unchanged site", "n/a", "n/a", "n/a", "discovery only")]


def fmt(value: float, digits: int = 2) -> str:
    return f"{value:,.{digits}f}"


def ratio_row(what: str, ours: float, theirs: float, goal: str = "", digits: int = 0) -> Row:
    return what, fmt(ours, digits), fmt(theirs, digits), fmt(ours / theirs), goal


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="archive sizes, smallest first")
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs at the smallest size")
    parser.add_argument("--repeat-large", type=int, default=1, help="alternating runs at the other sizes")
    parser.add_argument("--live", type=int, default=10000, help="pages of the live crawl (0: none)")
    parser.add_argument("--repeat-live", type=int, default=3,
                        help="alternating live runs (the bare spider's time alone varies by a quarter between runs)")
    parser.add_argument("--out", default=str(RESULTS), help="where the table is written too")
    args = parser.parse_args()
    began, load_before = time.perf_counter(), os.getloadavg()[0]
    sizes = [int(s) for s in args.sizes.split(",")]
    small, large = sizes[0], sizes[-1]
    throughput: list[Row] = []
    memory: list[Row] = []
    rows: list[Row] = []
    cpu_ratio: dict[str, float] = {}
    live_ratios: list[float] = []
    with tempfile.TemporaryDirectory(prefix="monitor-bench-") as tmp:
        tmpdir = Path(tmp)
        bare, live = _script("bare_spider", BARE, tmpdir), _script("monitor_live", MONITOR_LIVE, tmpdir)
        archives, pairs = {}, {}
        for n in sorted(set(sizes) | ({args.live} if args.live else set())):
            archives[n] = tmpdir / f"synth-{n}.warc.gz"
            child([PY, str(ROOT / "bench" / "synth.py"), str(n), str(archives[n])])

        for n in sizes:
            print(f"replay, {n:,} pages", flush=True)
            pairs[n] = p = alternate(args.repeat if n == small else args.repeat_large,
                                     lambda i, n=n: monitor_replay(archives[n], tmpdir / f"replay-{n}-{i}.db"),
                                     lambda i, n=n: bare_replay(bare, archives[n]), f"{n:,}")
            cpu_ratio[f"replay {n:,}"] = p.ratio("cpu")
            throughput.append(p.row(f"throughput, replay {n:,} pages (pages/s)", ">= 0.6"))
        ps, pl = pairs[small], pairs[large]

        if args.live:
            print(f"live from 127.0.0.1, {args.live:,} pages", flush=True)
            with live_site(archives[args.live]) as proxy:
                p = alternate(args.repeat_live, lambda i: monitor_live(live, tmpdir / f"live-{i}.db", proxy),
                              lambda i: bare_live(bare, proxy), f"live {args.live:,}")
            cpu_ratio["live"] = p.ratio("cpu")
            live_ratios = p.ratios()
            throughput.append(p.row(f"throughput, live {args.live:,} pages from 127.0.0.1 (pages/s)", ">= 0.6"))

        if large != small:
            scale = (pl.rate("monitor") / ps.rate("monitor"), pl.rate("bare") / ps.rate("bare"))
            throughput.append(ratio_row(f"scaling: pages/s at {large:,} / at {small:,}", *scale, "flat (1.0)", 2))
        # A run crawls in a process of its own, which ends before the run draws its chart (a JavaScript engine of
        # 80 to 90 MiB, most of it whatever the archive's size): the largest process is the one that drew the chart.
        memory.append(ratio_row(f"peak memory, replay {large:,}, the largest process (MiB)", pl.peak("monitor"),
                                pl.peak("bare"), "<= 1.5"))
        memory.append(ratio_row(f"peak memory, replay {large:,}, the crawl process (MiB)", pl.crawl_peak("monitor"),
                                pl.crawl_peak("bare")))
        memory.append(ratio_row(f"peak memory, replay {large:,}, all the run's processes together (PSS, MiB)",
                                pl.together("monitor"), pl.together("bare")))
        if large != small:
            growth = (pl.peak("monitor") / ps.peak("monitor"), pl.peak("bare") / ps.peak("bare"))
            memory.append(ratio_row(f"peak memory, {large:,} / {small:,} pages, the largest process (x)", *growth,
                                    "monitor <= 1.2", 2))
            growth = (pl.crawl_peak("monitor") / ps.crawl_peak("monitor"), pl.crawl_peak("bare") / ps.crawl_peak("bare"))
            memory.append(ratio_row(f"peak memory, {large:,} / {small:,} pages, the crawl process (x)", *growth,
                                    "monitor <= 1.2", 2))

        print(f"reextract, {small:,} pages, twice", flush=True)
        db = tmpdir / f"replay-{small}-0.db"
        sizes_seen, digests, rates = [store_size(db)], [facts_digest(db)], []
        for _ in range(2):
            m = child([PY, "-m", "monitor.cli", "reextract", "--db", str(db)])
            rates.append(ps.monitor[0][1] / m.wall)  # the articles the store holds
            sizes_seen.append(store_size(db))
            digests.append(facts_digest(db))
        same = len(set(digests)) == 1
        print("  store: " + " -> ".join(f"{s / 1e6:.2f} MB" for s in sizes_seen)
              + f"; facts {'the same' if same else 'changed'} after each pass")
        rows.append(ratio_row("reextract (articles/s; baseline: the monitor's replay pages/s)",
                              statistics.median(rates), ps.rate("monitor")))
        growth = [100 * (sizes_seen[i + 1] - sizes_seen[i]) / sizes_seen[i] for i in range(2)]
        rows.append(("store growth, reextract pass 1, pass 2 (%; baseline: the store's size)",
                     ", ".join(f"{g:+.1f}" for g in growth), f"{sizes_seen[0] / 1e6:.1f} MB",
                     "same facts" if same else "FACTS CHANGED", "within 5 %, same facts"))

        print("command start-up", flush=True)
        # Byte-code compiled first, as pip leaves an installed package (a checkout's edits would otherwise be
        # compiled at every start where PYTHONDONTWRITEBYTECODE is set).
        child([PY, "-m", "compileall", "-q", str(ROOT / "monitor"), str(ROOT / "pipelines")])
        heavy = {}
        for name, cmd in READ_COMMANDS:
            took, base = startup(["-m", "monitor.cli", *cmd, "--db", str(db)], ["-c", "import sqlite3"])
            rows.append(ratio_row(f"`monitor {shlex.join(cmd)}` start-up (s)", took, base, "<= 5", 2))
            found = child([PY, "-c", IMPORTS, *cmd, "--db", str(db)], check=False).stderr
            if mods := found.rsplit("IMPORTED", 1)[-1].split():
                heavy[name] = mods

        print("requests of later runs", flush=True)
        rows.extend(later_runs())

    total = time.perf_counter() - began
    lines = [
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench` (bench/throughput.py) on "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, Scrapy {version('scrapy')}, in "
        f"{total / 60:.1f} min (load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after). Baseline: "
        "a bare Scrapy spider (title and text only, Scrapy's default settings) on the same pages, alternating with "
        "the monitor, for throughput and memory; `python -c \"import sqlite3\"` for start-up; the first run's "
        "article requests for a later run's (a local site of 500 articles, bench/incremental_requests.py). "
        f"Throughput is whole-process wall time: pages/s the median of {args.repeat} runs at {small:,} pages and "
        f"{args.repeat_large} at {large:,}{f' ({args.repeat_live} live)' if args.live else ''}, the ratio the median of the ratios of each "
        f"alternating pair (at {small:,} pages: {', '.join(f'{r:.2f}' for r in sorted(ps.ratios()))}"
        + (f"; live: {', '.join(f'{r:.2f}' for r in sorted(live_ratios))}" if live_ratios else "") + ").",
        "",
        "| what | monitor | baseline | ratio | goal |",
        "|---|---|---|---|---|",
        *(f"| {' | '.join(row)} |" for row in [*throughput, *memory, *rows]),
        "",
        "Throughput ratio by CPU time (steadier on a busy machine): "
        + ", ".join(f"{k} {v:.2f}" for k, v in cpu_ratio.items()) + ".",
        "Read commands that import Scrapy, trafilatura, dateparser, lxml.html or sqlite-utils: "
        + ("; ".join(f"`{k}`: {', '.join(v)}" for k, v in heavy.items()) if heavy else "none") + ".",
    ]
    table = "\n".join(lines) + "\n"
    print("\n" + table)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(table, encoding="utf-8")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

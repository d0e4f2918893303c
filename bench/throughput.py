"""The full monitor against a bare Scrapy spider on the same replayed archive: pages/s, peak memory, scaling.

Builds synthetic archives (bench/synth.py: english.news.cn articles, every tenth on the policy) of 1,000 and
10,000 pages, then runs, alternating, three times each: `monitor run --replay` (crawl, clean, extract,
store, batch matching, report) into a fresh store, and a bare spider that only reads title and text from
the same replay through the same replay middleware. Prints one table of ratios measured in the same run,
plus re-extraction and store growth, and command start-up against `python -c "import sqlite3"`.

    .venv/bin/python bench/throughput.py [--sizes 1000,10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable

BARE = r'''
import json, resource, sys, time
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
start = time.perf_counter()
process = CrawlerProcess({
    "LOG_LEVEL": "ERROR", "MONITOR_REPLAY": sys.argv[1], "ROBOTSTXT_OBEY": True,
    "DOWNLOADER_MIDDLEWARES": {"monitor.archive.ReplayMiddleware": 950},
    "ITEM_PIPELINES": {"bare_count.Count": 100}, "TELNETCONSOLE_ENABLED": False,
    "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
})
process.crawl(Bare)
process.start()
print(json.dumps({"items": count["items"], "seconds": time.perf_counter() - start,
                  "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
'''


def _bare_script() -> Path:
    """The bare spider as a file (Scrapy reads its callbacks' source)."""
    path = Path(tempfile.gettempdir()) / "monitor_bench_bare_spider.py"
    path.write_text(BARE, encoding="utf-8")
    return path


def run_bare(archive: Path) -> dict:
    done = subprocess.run([PY, str(_bare_script()), str(archive)], capture_output=True, text=True, cwd=ROOT,
                          check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_monitor(archive: Path, db: Path) -> dict:
    start = time.perf_counter()
    done = subprocess.run([PY, "-m", "monitor.cli", "run", "--replay", str(archive), "--sources", "xinhua_en",
                           "--db", str(db), "--json"], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "MONITOR_MAX_LINKS_PER_PAGE": "100000"})
    seconds = time.perf_counter() - start
    report = json.loads(done.stdout)
    return {"items": report["sources"]["xinhua_en"]["articles"], "seconds": seconds}


def peak_rss_of(cmd: list[str]) -> float:
    """Peak resident memory (MiB) of a command, read by /usr/bin/time when present, else by getrusage."""
    done = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "MONITOR_MAX_LINKS_PER_PAGE": "100000"})
    return int(done.stderr.strip().splitlines()[-1]) / 1024


def startup(cmd: list[str], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, cwd=ROOT, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.synth import build
    from monitor.archive import write_warc

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        memory = {}
        for n in (int(s) for s in args.sizes.split(",")):
            archive = tmpdir / f"synth-{n}.warc.gz"
            write_warc(archive, build(n))
            mon, bare = [], []
            for i in range(args.repeat):  # alternating, so a busy moment costs both alike
                b = run_bare(archive)
                bare.append(b["items"] / b["seconds"])
                m = run_monitor(archive, tmpdir / f"m-{n}-{i}.db")
                mon.append(m["items"] / m["seconds"])
            mon_rate, bare_rate = statistics.median(mon), statistics.median(bare)
            rows.append((f"replay, {n:,} pages (pages/s)", mon_rate, bare_rate))
            memory[n] = (peak_rss_of([PY, "-m", "monitor.cli", "run", "--replay", str(archive), "--sources",
                                      "xinhua_en", "--db", str(tmpdir / f"mem-{n}.db")]),
                         peak_rss_of([PY, str(_bare_script()), str(archive)]))
            rows.append((f"peak memory, replay {n:,} (MiB)", *memory[n]))
            db = tmpdir / f"m-{n}-0.db"
            sizes = [db.stat().st_size]
            for _ in range(2):
                subprocess.run([PY, "-m", "monitor.cli", "reextract", "--db", str(db)], capture_output=True, cwd=ROOT,
                               check=True)
                subprocess.run([PY, "-c", f"import sqlite3; sqlite3.connect({str(db)!r}).execute("
                                "'pragma wal_checkpoint(TRUNCATE)')"], check=True)
                sizes.append(db.stat().st_size)
            print(f"store after 2 reextracts ({n:,} pages): " + " -> ".join(f"{s / 1e6:.2f} MB" for s in sizes))
        sizes_sorted = sorted(memory)
        if len(sizes_sorted) >= 2:
            small, big = memory[sizes_sorted[0]], memory[sizes_sorted[-1]]
            rows.append(("memory, largest / smallest archive", big[0] / small[0], big[1] / small[1]))
        db = tmpdir / f"m-{sizes_sorted[0]}-0.db"
        query = startup([PY, "-m", "monitor.cli", "query", "select 1", "--db", str(db)])
        base = startup([PY, "-c", "import sqlite3"])
        rows.append(('`monitor query "select 1"` vs `python -c "import sqlite3"` (s)', query, base))
    print(f"\n{'what':58} {'monitor':>10} {'baseline':>10} {'ratio':>7}")
    for what, ours, theirs in rows:
        print(f"{what:58} {ours:10.2f} {theirs:10.2f} {ours / theirs:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

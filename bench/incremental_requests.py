"""Requests made by successive runs over one local site: how many known articles a changed listing re-checks.

A site of one listing of N titled, dated links (newest first) and their articles, all with ETags (304 when
unchanged), is played on 127.0.0.1 by pytest-httpserver; the real engine crawls it in child processes, one run each.
Time passes by moving the store's recorded runs back. The runs:

  1. first run: every article is new;
  a. again at once, nothing changed (the listing answers 304);
  b. at once, one new link (every known article was first seen minutes ago: inside the fresh day);
  c. two days later, one new link: the first change since the articles left the fresh day (their periodic re-check);
  d. at once, one new link, and one entry's title changed: the steady state.

`--before CHECKOUT` runs the same scenario through another checkout (the commit before a change, made with
`git worktree add --detach /tmp/wt COMMIT`) and prints both. Usage:
    .venv/bin/python bench/incremental_requests.py [--articles 500] [--before /tmp/wt]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path

from pytest_httpserver import HTTPServer

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.localsite import Site, age  # noqa: E402

STEPS = [
    ("1", "first run", 0.0),
    ("a", "nothing changed", 0.0),
    ("b", "one new link, at once", 0.0),
    ("c", "one new link, two days later", 2.0),
    ("d", "one new link and one changed title, at once", 0.0),
]


def scenario(tree: Path, count: int) -> list[tuple[int, int]]:
    """(article requests, all requests) of each step, crawled by the checkout at `tree`."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    out = []
    try:
        site = Site(server, count, {"RETRY_BACKOFF_BASE": 0.05, "MONITOR_MAX_LINKS_PER_PAGE": 10 * count})
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "m.db"
            for key, _, days in STEPS:
                if days:
                    age(db, days)
                if key in "bcd":
                    site.add()
                if key == "d":
                    href, title, day = site.entries[count // 2]
                    site.entries[count // 2] = (href, f"{title} (corrected)", day)
                try:
                    _, asked = site.crawl(db, script=tree / "tests" / "localsite.py")
                except RuntimeError as exc:
                    raise SystemExit(str(exc)[-2000:]) from exc
                out.append((len(asked), len(server.log)))
    finally:
        server.clear()
        server.stop()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--before", type=Path, help="another checkout (the commit before) to run the same steps")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the server's access log is not the figure
    trees = [("before", args.before)] if args.before else []
    results = {name: scenario(tree, args.articles) for name, tree in [*trees, ("now", ROOT)]}
    now = results["now"]
    # The figure bench/throughput.py reads: a second run over an unchanged site.
    print(f"run 1: {now[0][1]} requests; run 2: {now[1][1]} requests")
    print(f"second run / first run requests: {now[1][1] / now[0][1]:.2f} "
          f"(a site of 1 listing + {args.articles} articles, unchanged between runs)")
    print(f"a listing of {args.articles} links; article requests (all requests, with the listing and robots.txt)")
    print(f"{'step':<48}" + "".join(f"{name:>16}" for name in results))
    for i, (key, label, _) in enumerate(STEPS):
        print(f"{key + '. ' + label:<48}" + "".join(f"{r[i][0]:>9} ({r[i][1]:>4})" for r in results.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

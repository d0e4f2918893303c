"""Requests made by a first and a second run over the same local site (the second should be discovery only).

A site of one listing and N articles, with ETags, is played on 127.0.0.1 by pytest-httpserver; the real
engine crawls it twice in child processes. Usage: .venv/bin/python bench/incremental_requests.py [--articles N]
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.localsite import listing, page  # noqa: E402


def conditional(body: str, etag: str):
    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(body, headers={"ETag": etag, "Content-Type": "text/html; charset=utf-8"})
    return handler


def kinds(server: HTTPServer) -> Counter:
    out: Counter = Counter()
    for request, response in server.log:
        kind = "article" if request.path.startswith("/articles/") else request.path.strip("/")
        out[f"{kind} {response.status_code}"] += 1
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=20)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the server's access log is not the figure
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        server.expect_request("/robots.txt").respond_with_data("User-agent: *\nAllow: /\n")
        hrefs = [f"/articles/{i}.html" for i in range(args.articles)]
        server.expect_request("/listing.html").respond_with_handler(conditional(listing(*hrefs), '"list-1"'))
        for i, href in enumerate(hrefs):
            text = f"Story {i} about foreign-invested telecom firms, long enough to be kept as main text."
            server.expect_request(href).respond_with_handler(conditional(page(f"Story {i}", text), f'"a{i}"'))
        totals = []
        with tempfile.TemporaryDirectory() as tmp:
            for run in (1, 2):
                server.clear_log()
                done = subprocess.run(
                    [sys.executable, str(ROOT / "tests" / "localsite.py"), f"{tmp}/m.db", server.url_for("/listing.html"),
                     json.dumps({"RETRY_BACKOFF_BASE": 0.05})], capture_output=True, text=True, check=False)
                if done.returncode != 0:
                    raise SystemExit(done.stderr[-2000:])
                counts = kinds(server)
                totals.append(sum(counts.values()))
                print(f"run {run}: {totals[-1]} requests ({', '.join(f'{k}: {v}' for k, v in sorted(counts.items()))})")
        print(f"second run / first run requests: {totals[1] / totals[0]:.2f} "
              f"(a site of 1 listing + {args.articles} articles, unchanged between runs)")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Main-text quality on the real saved pages: our parser's character-bigram F1 against trafilatura's.

For every page of ../shared/fixtures/real with gold main text (magic-html "content", newspaper4k "text"),
prints the host, the parser chosen for its URL, our F1 and trafilatura's (default settings, same decoded
HTML), then the mean and minimum of each. Exits 0. Run: .venv/bin/python bench/maintext_f1.py
"""

from __future__ import annotations

import json
import logging
import statistics
import sys
from pathlib import Path
from urllib.parse import urlsplit

import trafilatura

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor import registry  # noqa: E402
from monitor.htmltext import decode_html  # noqa: E402
from monitor.textmetrics import bigram_f1  # noqa: E402

logger = logging.getLogger(__name__)
REAL = ROOT.parent / "shared" / "fixtures" / "real"


def gold_pages() -> list[tuple[Path, str, str]]:
    """(page, URL, gold main text) for every real page whose expected JSON gives a main text."""
    out = []
    for gold_path in sorted(REAL.glob("*/*.expected.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = gold.get("content") or (gold.get("text") if "publish_date" in gold else None)
        page = gold_path.with_name(gold_path.name.replace(".expected.json", ".html"))
        if text and page.exists() and gold.get("url"):
            out.append((page, gold["url"], text))
    return out


def main() -> int:
    logging.basicConfig(level=logging.ERROR)
    if not REAL.exists():
        print(f"{REAL} is absent: nothing to measure")
        return 0
    rows = []
    for page, url, reference in gold_pages():
        html, _ = decode_html(page.read_bytes(), None)
        source, parse = registry.parser_for(url=url)
        ours = parse(html, url)["text"]
        theirs = trafilatura.extract(html, url=url) or ""
        rows.append((urlsplit(url).hostname or "", source, bigram_f1(ours, reference), bigram_f1(theirs, reference)))
    print(f"{'host':<24} {'parser':<16} {'ours':>6} {'trafilatura':>11}")
    for host, source, ours_f1, theirs_f1 in rows:
        print(f"{host:<24} {source:<16} {ours_f1:6.3f} {theirs_f1:11.3f}")
    if rows:
        ours_all = [r[2] for r in rows]
        theirs_all = [r[3] for r in rows]
        print(f"{'mean':<41} {statistics.mean(ours_all):6.3f} {statistics.mean(theirs_all):11.3f}")
        print(f"{'min':<41} {min(ours_all):6.3f} {min(theirs_all):11.3f}")
        print(f"pages: {len(rows)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Main-text quality of our parsers beside trafilatura's defaults, on the real saved pages or a public benchmark.

Run: .venv/bin/python bench/maintext_f1.py [PATH] [--pages]

PATH is one of three layouts, told apart by what it holds (none of them is kept in this repository):
* a folder of real pages with `*.expected.json` beside them (default ../shared/fixtures/real): each page is
  read by the parser the registry picks for its URL, scored by character-bigram F1 (monitor.textmetrics);
* the ScrapingHub article-extraction-benchmark (github scrapinghub/article-extraction-benchmark: `html/`
  and `ground-truth.json`): scored the benchmark's way, word 4-gram shingles with precision and recall
  averaged over pages (its evaluate.py);
* trafilatura's evaluation set (github adbar/trafilatura `tests/`: `evaldata.json`, `eval/`, `cache/`):
  scored the way its evaluate.py does, by snippets the text must and must not hold, counted over the set.

Prints our precision, recall and F1, pages under 0.5 F1, and pages with a date (and, where the URL carries a
day, dates on that day or the next), beside trafilatura.extract(html, url=url) on the same decoded HTML.
`--pages` lists every page's two scores; `--generic` reads every page with the generic parser (monitor.generic),
even those a site parser reads. Exits 0.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import statistics
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import trafilatura

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor import registry  # noqa: E402
from monitor.htmltext import decode_html  # noqa: E402
from monitor.textmetrics import bigram_prf, shingle_counts, shingle_scores  # noqa: E402

logger = logging.getLogger(__name__)
REAL = ROOT.parent / "shared" / "fixtures" / "real"
# A day in a URL: /2019/11/19/, /2019-11-19/, /20191119/.
_URL_DAY = re.compile(r"(?<!\d)((?:19|20)\d\d)[/-]?([01]\d)[/-]?([0-3]\d)(?!\d)")

Page = tuple[str, str, Any]  # (URL, decoded HTML, gold: a text or an evaldata item)


def real_pages(folder: Path) -> list[Page]:
    """Every real page whose expected JSON gives a main text (magic-html "content", newspaper4k "text")."""
    out = []
    for gold_path in sorted(folder.glob("*/*.expected.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text = gold.get("content") or (gold.get("text") if "publish_date" in gold else None)
        page = gold_path.with_name(gold_path.name.replace(".expected.json", ".html"))
        if text and page.exists() and gold.get("url"):
            out.append((gold["url"], decode_html(page.read_bytes(), None)[0], text))
    return out


def scrapinghub_pages(folder: Path) -> list[Page]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    out = []
    for key, item in sorted(truth.items()):
        raw = gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes())
        out.append((item["url"], decode_html(raw, None)[0], item.get("articleBody", "")))
    return out


def trafilatura_eval_pages(folder: Path) -> list[Page]:
    data = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    out = []
    for url, item in sorted(data.items()):
        path = next((p for p in (folder / "cache" / item["file"], folder / "eval" / item["file"]) if p.is_file()), None)
        if path is not None:
            out.append((url, decode_html(path.read_bytes(), None)[0], item))
    return out


def url_day(url: str) -> date | None:
    m = _URL_DAY.search(url)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def run_page(page: Page, generic_only: bool = False) -> tuple[str, str, str, datetime | None]:
    """(URL, our text, trafilatura's text, our date) for one page."""
    url, html, _ = page
    _, parse = registry.parser_for(url=url, source="generic" if generic_only else None)
    got = parse(html, url)
    return url, got["text"] or "", trafilatura.extract(html, url=url) or "", got["published"]


def snippet_counts(item: dict[str, Any], text: str) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) of one evaldata item, as trafilatura's eval_common.count_item counts them."""
    norm: Callable[[str], str] = lambda s: re.sub(r"\s+", " ", s).strip()  # noqa: E731
    got = norm(text)
    tp = sum(1 for w in item["with"] if norm(w) in got)
    fp = sum(1 for w in item["without"] if norm(w) in got)
    return tp, fp, len(item["with"]) - tp, len(item["without"]) - fp


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.ERROR)
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("path", nargs="?", type=Path, default=REAL)
    args.add_argument("--pages", action="store_true", help="print every page's scores")
    args.add_argument("--generic", action="store_true", help="read every page with the generic parser")
    opts = args.parse_args(argv)
    folder: Path = opts.path
    if not folder.exists():
        print(f"{folder} is absent: nothing to measure")
        return 0
    if (folder / "ground-truth.json").exists():
        kind, pages = "scrapinghub", scrapinghub_pages(folder)
    elif (folder / "evaldata.json").exists() or (folder / "tests" / "evaldata.json").exists():
        folder = folder if (folder / "evaldata.json").exists() else folder / "tests"
        kind, pages = "trafilatura-eval", trafilatura_eval_pages(folder)
    else:
        kind, pages = "real", real_pages(folder)
    with ProcessPoolExecutor() as pool:
        results = list(pool.map(run_page, pages, [opts.generic] * len(pages), chunksize=4))

    ours_rows, theirs_rows = [], []
    for (_, _, gold), (_, ours, theirs, _) in zip(pages, results, strict=True):
        if kind == "real":
            ours_rows.append(bigram_prf(ours, gold))
            theirs_rows.append(bigram_prf(theirs, gold))
        elif kind == "scrapinghub":
            ours_rows.append(shingle_counts(ours, gold))
            theirs_rows.append(shingle_counts(theirs, gold))
        else:
            ours_rows.append(snippet_counts(gold, ours))
            theirs_rows.append(snippet_counts(gold, theirs))

    def summary(rows: list[tuple[float, ...]]) -> tuple[float, float, float, int]:
        if kind == "real":
            p, r, f = (statistics.mean(row[i] for row in rows) for i in range(3))
            return p, r, f, sum(1 for row in rows if row[2] < 0.5)
        if kind == "scrapinghub":
            p, r, f = shingle_scores(rows)  # type: ignore[arg-type]
            return p, r, f, sum(1 for row in rows if shingle_scores([row])[2] < 0.5)  # type: ignore[list-item]
        tp, fp, fn, _ = (sum(row[i] for row in rows) for i in range(4))
        p, r = tp / (tp + fp), tp / (tp + fn)
        return p, r, 2 * p * r / (p + r), sum(1 for row in rows if row[0] < (row[0] + row[2]) / 2)

    if opts.pages:
        for (url, *_), ours, theirs in zip(pages, ours_rows, theirs_rows, strict=True):
            print(f"{url[:90]:<90} {summary([ours])[2]:6.3f} {summary([theirs])[2]:6.3f}")
    dated = [r[3] for r in results if r[3] is not None]
    with_day = [(url_day(r[0]), r[3]) for r in results if url_day(r[0]) is not None]
    on_day = sum(1 for day, got in with_day if got is not None and timedelta(0) <= got.date() - day <= timedelta(1))
    print(f"{kind}: {folder} ({len(pages)} pages{', generic parser' if opts.generic else ''})")
    print(f"{'':<12} {'F1':>6} {'P':>6} {'R':>6} {'<0.5':>5}")
    for name, rows in (("ours", ours_rows), ("trafilatura", theirs_rows)):
        p, r, f, low = summary(rows)
        print(f"{name:<12} {f:6.3f} {p:6.3f} {r:6.3f} {low:5d}")
    print(f"ours dated: {len(dated)}/{len(pages)} ({len(dated) / len(pages):.0%}); URL with a day: {len(with_day)}, "
          f"our date on that day or the next: {on_day}, none: {sum(1 for _, got in with_day if got is None)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""A synthetic archive for the benchmarks: N english.news.cn articles and their listing, seeded, as WARC.

The pages follow the structure of the demo's english.news.cn pages (data/demo_site): a listing at
/list/latestnews.htm linking every article, and article pages under /YYYYMMDD/<32 hex>/c.html. Every
tenth article is on the policy (an approval, a running total, an applicant story, a pilot notice), the rest
are ordinary business stories of about the same length; texts are made from sentence parts, so no two
pages are alike.

    .venv/bin/python bench/synth.py 1000 /tmp/synth-1k.warc.gz
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.archive import ArchivedResponse, write_warc  # noqa: E402

TEMPLATE = (ROOT / "data" / "demo_site" / "english.news.cn" / "20250228" / "8c41f0a2d7e94b6f9a1c3e5d7b2f4a60"
            / "c.html").read_text(encoding="utf-8")
HEAD, REST = TEMPLATE.split('<span id="detailContent">', 1)
_, TAIL = REST.split("</span>", 1)
LISTING = "https://english.news.cn/list/latestnews.htm"

CITIES = ["Beijing", "Shanghai", "Shenzhen", "Hangzhou", "Wuhan", "Chengdu", "Xi'an", "Tianjin"]
TOPICS = ["steel output", "retail sales", "port throughput", "new-energy vehicle exports", "grain harvest",
          "tourism revenue", "software exports", "railway freight", "bond issuance", "power consumption"]
FIRMS = ["T-Systems P.R. China Ltd.", "Example Cloud (Shanghai) Co., Ltd.", "Acme Data (Beijing) Co., Ltd.",
         "Nordic Networks (Shenzhen) Co., Ltd.", "Pacific Hosting (Hainan) Co., Ltd."]


def _business(rng: random.Random, day: date) -> tuple[str, list[str]]:
    city, topic = rng.choice(CITIES), rng.choice(TOPICS)
    pct = rng.randint(2, 40)
    title = f"{city} reports {pct} percent rise in {topic}"
    paragraphs = [
        f"{city.upper()}, {day:%b}. {day.day} (Xinhua) -- {city} saw its {topic} rise {pct} percent year on year "
        f"in the first {rng.randint(2, 11)} months, local authorities said on {day:%A}.",
        f"The growth was driven by {rng.choice(['stronger demand', 'new capacity', 'policy support', 'exports'])} "
        f"and by {rng.choice(['lower costs', 'better logistics', 'digital tools', 'new markets'])}, officials said.",
        f"Analysts expect {topic} to keep growing at about {rng.randint(3, 12)} percent next year, though "
        f"{rng.choice(['weather', 'global demand', 'prices', 'competition'])} remains a risk.",
    ] * 3
    return title, paragraphs


def _on_topic(rng: random.Random, day: date) -> tuple[str, list[str]]:
    kind = rng.randrange(4)
    n, firm = rng.randint(5, 30), rng.choice(FIRMS)
    if kind == 0:
        title = f"China approves {n} more foreign-invested firms for value-added telecom pilot"
        lead = (f"BEIJING, {day:%b}. {day.day} (Xinhua) -- China's Ministry of Industry and Information Technology "
                f"approved a new batch of {n} foreign-invested companies on {day:%A} to run value-added telecom "
                f"services in the pilot areas of {rng.choice(CITIES[:3])} and Hainan, including {firm}.")
    elif kind == 1:
        title = "Foreign-invested telecom enterprises keep growing"
        lead = (f"BEIJING, {day:%b}. {day.day} (Xinhua) -- The number of foreign-invested telecom enterprises in "
                f"China exceeded {rng.randint(2400, 3000):,} by the end of last month, the MIIT said.")
    elif kind == 2:
        title = f"{firm.split(' (')[0]} applies to join telecom opening pilot"
        lead = (f"SHANGHAI, {day:%b}. {day.day} (Xinhua) -- {firm} said on {day:%A} it has applied to offer "
                "value-added telecom services under the pilot program for foreign investors.")
    else:
        title = "China widens pilot for foreign investment in value-added telecom services"
        lead = (f"BEIJING, {day:%b}. {day.day} (Xinhua) -- The MIIT issued a notice on {day:%A} on expanding the "
                "pilot opening of value-added telecom services to foreign investment in more areas.")
    return title, [lead] + _business(rng, day)[1][:6]


def build(n: int, seed: int = 7) -> list[ArchivedResponse]:
    """robots.txt, the listing and `n` article pages."""
    rng = random.Random(seed)
    start = date(2025, 1, 1)
    pages, links = [], []
    for i in range(n):
        day = start + timedelta(days=i % 300)
        url = f"https://english.news.cn/{day:%Y%m%d}/{rng.getrandbits(128):032x}/c.html"
        title, paragraphs = (_on_topic if i % 10 == 0 else _business)(rng, day)
        body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
        head = HEAD.replace("China clears 13 foreign-invested firms for value-added telecom pilot", title)
        head = head.replace("<em>02</em>/<em>28</em>", f"<em>{day:%m}</em>/<em>{day:%d}</em>").replace(
            "<em>2025</em>", f"<em>{day:%Y}</em>")
        html = f'{head}<span id="detailContent">\n{body}</span>{TAIL}'
        pages.append(ArchivedResponse(url, 200, [("Content-Type", "text/html; charset=utf-8")], html.encode()))
        links.append(f"<li><a href='{url}'>{title}</a></li>")
    listing = ("<html><head><title>Latest News</title></head><body><ul class='list'>" + "".join(links)
               + "</ul></body></html>")
    return [ArchivedResponse("https://english.news.cn/robots.txt", 200, [("Content-Type", "text/plain")],
                             b"User-agent: *\nAllow: /\n"),
            ArchivedResponse(LISTING, 200, [("Content-Type", "text/html; charset=utf-8")], listing.encode()),
            *pages]


def main(argv: list[str]) -> int:
    n, out = int(argv[0]), Path(argv[1])
    out.parent.mkdir(parents=True, exist_ok=True)
    written = write_warc(out, build(n))
    print(f"{written} responses ({n} articles) written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

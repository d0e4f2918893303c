"""Extraction throughput: articles per second on ~3 KB articles, one core, against a plain regex scan of the same texts.

    .venv/bin/python bench/extract_speed.py [N_ARTICLES]
"""

from __future__ import annotations

import logging
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipelines.extract import extract  # noqa: E402

logger = logging.getLogger(__name__)

# Paragraphs written for this benchmark, in the policy's language (English and Chinese, Traditional too).
EN = [
    "The industry ministry has cleared {n} foreign-invested companies to run value-added telecom services under the "
    "pilot in Beijing, Shanghai, Hainan and Shenzhen, officials said on Tuesday.",
    "Among the approved firms are Nordlicht Data Services (Shanghai) Co., Ltd., a unit of Nordlicht AG, and "
    "Airbus China, while Tesla said it was planning to apply.",
    "By the end of March 2025, the number of foreign-invested telecom enterprises rose by 12 percent year on year to "
    "exceed 2,500, according to the ministry.",
    "Analysts said the move would let wholly-owned operators of internet data centres and content delivery networks "
    "compete with domestic providers, and that more approvals could follow in the second half of the year.",
    "The cloud market grew more than 20 percent last year to CNY700 billion (USD98 billion), a research house said.",
]
ZH = [
    "工业和信息化部向第二批{n}家外资企业发放增值电信业务经营试点批复,企业分别来自北京、上海、海南、深圳。",
    "截至2025年3月底,我国已有超过2500家外商投资电信企业,较去年同期增长12%。",
    "據悉,獲得批覆的企業包括匯豐金科等,其母公司多為國際知名跨國企業。",
]


def make_articles(count: int) -> list[str]:
    """Articles of about 3 KB each, cycling the paragraphs with varying numbers."""
    out = []
    for i in range(count):
        paras: list[str] = []
        j = i
        while sum(len(p.encode()) + 2 for p in paras) < 3000:
            pool = ZH if i % 3 == 0 else EN
            paras.append(pool[j % len(pool)].format(n=5 + i % 20))
            j += 1
        out.append("\n\n".join(paras))
    return out


_BASELINE = re.compile(r"\d[\d,]*(?:\.\d+)?\s*(?:percent|%|家|firms|companies|enterprises)")


def main(count: int = 600) -> None:
    articles = make_articles(count)
    size = sum(len(a.encode()) for a in articles) / len(articles)
    for text in articles[:3]:  # warm caches: gazetteer, opencc, the regexes of each reading (Chinese, English alone)
        extract(text, published="2025-04-01")
    t0 = time.perf_counter()
    for text in articles:
        extract(text, published="2025-04-01")
    took = time.perf_counter() - t0
    t1 = time.perf_counter()
    for text in articles:
        _BASELINE.findall(text)
    base = time.perf_counter() - t1
    rate, base_rate = count / took, count / base
    print(f"articles: {count}, mean size {size:.0f} bytes")
    print(f"extract: {rate:.0f} articles/s ({1000 * took / count:.2f} ms each), goal >= 200 articles/s")
    print(f"baseline regex scan: {base_rate:.0f} articles/s; extract is {base_rate / rate:.0f}x slower than the scan")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 600)

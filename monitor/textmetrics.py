"""Text similarity for judging main-text extraction: character-bigram F1 between two texts."""

from __future__ import annotations

import logging
import re
from collections import Counter

logger = logging.getLogger(__name__)

_WS = re.compile(r"\s+")


def _bigrams(text: str) -> Counter[str]:
    # Whitespace runs count as one space, so "\n\n" vs "\n" paragraph breaks do not matter.
    norm = _WS.sub(" ", text).strip()
    return Counter(norm[i:i + 2] for i in range(len(norm) - 1))


def bigram_f1(candidate: str, reference: str) -> float:
    """F1 of the character-bigram multisets of two texts (1.0 = same text, 0.0 = nothing shared).

    >>> round(bigram_f1("abcd", "abce"), 2)
    0.67
    """
    a, b = _bigrams(candidate), _bigrams(reference)
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    overlap = sum((a & b).values())
    return 2 * overlap / (sum(a.values()) + sum(b.values()))


def bigram_prf(candidate: str, reference: str) -> tuple[float, float, float]:
    """(precision, recall, F1) of the character-bigram multisets of a candidate text against a reference.

    >>> [round(x, 2) for x in bigram_prf("abcd", "abcdef")]
    [1.0, 0.6, 0.75]
    """
    a, b = _bigrams(candidate), _bigrams(reference)
    if not a and not b:
        return 1.0, 1.0, 1.0
    if not a or not b:
        return 0.0, 0.0, 0.0
    overlap = sum((a & b).values())
    precision, recall = overlap / sum(a.values()), overlap / sum(b.values())
    return precision, recall, (2 * overlap / (sum(a.values()) + sum(b.values())))


_TOKEN = re.compile(r"\w+")


def _shingles(text: str, n: int) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])


def shingle_counts(candidate: str, reference: str, n: int = 4) -> tuple[float, float, float]:
    """(tp, fp, fn) over word 4-gram shingles, normalised to sum to 1: the ScrapingHub
    article-extraction-benchmark's metric (evaluate.py, string_shingle_matching), so long texts weigh no more.

    >>> shingle_counts("a b c d", "a b c d")
    (1.0, 0.0, 0.0)
    """
    pred, true = _shingles(candidate, n), _shingles(reference, n)
    tp = float(sum((pred & true).values()))
    fp = float(sum((pred - true).values()))
    fn = float(sum((true - pred).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (tp, fp, fn)


def shingle_scores(counts: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """(precision, recall, F1) of many pages' shingle counts the benchmark's way: precision and recall are
    means over pages, F1 their harmonic mean; a page with nothing predicted and nothing expected scores 1."""

    def precision(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))

    def recall(tp: float, fp: float, fn: float) -> float:
        return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))

    ps = [precision(*c) for c in counts if c[0] + c[1] > 0]
    rs = [recall(*c) for c in counts if c[0] + c[2] > 0]
    p = sum(ps) / len(ps) if ps else 0.0
    r = sum(rs) / len(rs) if rs else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)

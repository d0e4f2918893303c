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

"""What the full-text index holds, and how a person's search words become an FTS5 query.

SQLite's own tokenizers cannot search Chinese the way people type it: `unicode61` makes a whole run of Chinese
characters (often a clause) one token, and `trigram` matches nothing shorter than three characters, while most
Chinese words (外资, 电信, 试点) have two. So the index is an ordinary `unicode61` index of a *rewritten* text:
Latin, digits and other spaced scripts stay words, and every run of Chinese or Japanese characters becomes
its n-grams of 1 to MAX_GRAM characters, Traditional characters read as Simplified. Then:

- a term of 1 to MAX_GRAM characters is one token (外, 外资, 外资企业), so plain FTS5 queries work as typed, in
  `sqlite-utils search`, Datasette's search box and `monitor query` alike;
- a longer term is matched by all its MAX_GRAM-grams (`fts_query` writes that; typed raw, split it with a
  space: 工业和 信息化部);
- 5G, HSBC, value-added: words, as in any English index (no substrings of words: Fin does not find Fintech).

The index is written by the store (pipelines/store.py), never rebuilt from the articles table by SQLite:
`sqlite-utils rebuild-fts` would index the raw text and undo this.

>>> index_text("13家外資企業")
'13 家 家外 家外资 家外资企 外 外资 外资企 外资企业 资 资企 资企业 企 企业 业'
>>> fts_query("外资 5G 工业和信息化部 外")
'"外资" "5G" ("工业和信" AND "业和信息" AND "和信息化" AND "信息化部") "外"'
"""

from __future__ import annotations

import re
import unicodedata

MAX_GRAM = 4

# Scripts written without spaces between words: Han ideographs (and their extensions), kana, the iteration mark.
_UNSPACED = "\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_RUN = re.compile(f"[{_UNSPACED}]+")
_WORDY = re.compile(r"\w")


def _grams(run: str) -> list[str]:
    """The n-grams of a run of unspaced characters (1 to MAX_GRAM characters), position by position."""
    return [run[i:i + n] for i in range(len(run)) for n in range(1, MAX_GRAM + 1) if i + n <= len(run)]


def _normal(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    if not _RUN.search(text):  # nothing for to_simplified to change: a Latin search starts without OpenCC
        return text
    from pipelines.normalize import to_simplified  # noqa: PLC0415 - OpenCC: only for Chinese text

    return to_simplified(text)


def index_text(text: str | None) -> str:
    """The text the full-text index holds for a title or body (see the module's docstring)."""
    if not text:
        return ""
    text = _normal(text)
    pieces, last = [], 0
    for m in _RUN.finditer(text):
        pieces.append(text[last:m.start()])
        pieces.append(" " + " ".join(_grams(m.group())) + " ")
        last = m.end()
    pieces.append(text[last:])
    return " ".join("".join(pieces).split())


def _quoted(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _term(term: str) -> list[str]:
    """FTS5 query parts for one typed term: its unspaced runs and the words between them."""
    prefix = term.endswith("*")
    term = _normal(term.rstrip("*"))
    parts: list[str] = []
    last = 0
    for m in [*_RUN.finditer(term), None]:
        between = term[last:m.start() if m else len(term)]
        if _WORDY.search(between):
            parts.append(_quoted(between.strip()) + ("*" if prefix and m is None else ""))
        if m is None:
            break
        run, last = m.group(), m.end()
        if len(run) <= MAX_GRAM:
            parts.append(_quoted(run) + ("*" if prefix and last == len(term) else ""))
        else:
            grams = [run[i:i + MAX_GRAM] for i in range(len(run) - MAX_GRAM + 1)]
            parts.append("(" + " AND ".join(_quoted(g) for g in grams) + ")")
    return parts


def search_terms(query: str) -> list[str]:
    """A person's search words: split at spaces, a double-quoted phrase kept whole."""
    return [a or b for a, b in re.findall(r'"([^"]*)"|(\S+)', query) if (a or b).strip()]


def fts_query(query: str | list[str]) -> str:
    """An FTS5 MATCH expression that finds every term of `query` (all of them: AND) in the rewritten index.

    Returns "" when nothing searchable is left (only punctuation).
    """
    terms = search_terms(query) if isinstance(query, str) else query
    return " ".join(part for term in terms for part in _term(term))

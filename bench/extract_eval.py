"""Extraction quality on the labelled corpora in ../shared/corpus, scored by the shared scorer.

With no argument it scores dev.jsonl (the set the rules were first tuned on), dev2.jsonl (real English, Chinese and
Italian openings) and dev3.jsonl (real openings in ten other languages), each on its own and all together, beside a
keyword-alert baseline measured in the same run; then the misses of each record; then, for every cue group of
data/cues.json and every named rule of the extractors, on how many records it fires, flagging those that fire on
one record only (a rule fitted to one record is a smell).

    .venv/bin/python bench/extract_eval.py [CORPUS.jsonl ...]
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import logging
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

logger = logging.getLogger(__name__)

DEFAULT = ("dev.jsonl", "dev2.jsonl", "dev3.jsonl")
FIELDS = ("id", "text", "url", "title", "published", "language")


def _scorer():
    spec = importlib.util.spec_from_file_location("score_extract", SHARED / "tools" / "score_extract.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")
_TOPIC = re.compile(r"value-added tele|value added tele|增值电信|增值電信", re.I)
_APPROVAL = re.compile(r"approv|批复|批覆|获批|獲批", re.I)


def keyword_baseline(record: dict) -> dict:
    """A same-run baseline: topic keywords for relevance, an approval word for a batch, every number a figure.

    What a keyword alert would give; the gap to it is what the extraction rules add.
    """
    text = f"{record.get('title') or ''}\n{record.get('text') or ''}"
    relevant = bool(_TOPIC.search(text))
    batch = relevant and bool(_APPROVAL.search(text))
    numbers = [float(n.replace(",", "")) for n in _NUMBER.findall(text)]
    return {"id": record["id"], "relevant": relevant,
            "event": "batch_report" if batch else ("policy_milestone" if relevant else "unrelated"),
            "firms": [], "figures": [{"value": v} for v in numbers] if relevant else [],
            "batch": {"count": int(numbers[0])} if batch and numbers else None, "areas": []}


def misses(gold: dict, pred: dict, same_firm) -> list[str]:
    """What one record's prediction gets wrong, in words."""
    labels = gold["labels"]
    out = []
    if bool(pred.get("relevant")) != bool(gold["is_relevant"]):
        out.append(f"relevance: got {pred.get('relevant')}, want {gold['is_relevant']}")
    if pred.get("event") not in gold["gold_events"]:
        out.append(f"event: got {pred.get('event')}, want {'|'.join(gold['gold_events'])}")
    want = [(n, "approved") for n in labels.get("approved_firms", [])] + \
           [(n, "applicant") for n in labels.get("applicants", [])]
    want_unnamed = [(n, "approved") for n in labels.get("parents_of_unnamed_approved", [])] + \
                   [(n, "applicant") for n in labels.get("parents_of_unnamed_applicants", [])]
    firms = [f for f in pred.get("firms", []) if f.get("role") in ("approved", "applicant")]
    got = [(f.get("name"), f.get("role")) for f in firms if f.get("name")]
    got_unnamed = [(f.get("parent") or "", f.get("role")) for f in firms if not f.get("name")]
    for name, role in want:
        if not any(r == role and same_firm(name, n) for n, r in got):
            out.append(f"firm missed: {name} ({role})")
    for name, role in got:
        if not any(r == role and same_firm(name, n) for n, r in want):
            out.append(f"firm extra: {name} ({role})")
    for name, role in want_unnamed:
        if not any(r == role and same_firm(name, n) for n, r in got_unnamed):
            out.append(f"unnamed unit missed: of {name} ({role})")
    if want_unnamed:
        for name, role in got_unnamed:
            if not any(r == role and same_firm(name, n) for n, r in want_unnamed):
                out.append(f"unnamed unit extra: of {name} ({role})")
    gv = {float(f["value"]) for f in labels.get("figures", []) if isinstance(f.get("value"), (int, float))}
    pv = {float(f["value"]) for f in pred.get("figures", []) if isinstance(f.get("value"), (int, float))}
    out += [f"figure missed: {v:g}" for v in sorted(gv - pv)] + [f"figure extra: {v:g}" for v in sorted(pv - gv)]
    batch = labels.get("batch") or {}
    if batch.get("count") and (pred.get("batch") or {}).get("count") != batch["count"]:
        out.append(f"batch count: got {(pred.get('batch') or {}).get('count')}, want {batch['count']}")
    return out


def run_traced(rows: list[dict]) -> tuple[dict[str, dict], dict[str, set[str]]]:
    """extract_record on every row in-process, with the names of the rules and cue groups that fired on each."""
    from pipelines import relevance
    from pipelines.extract import extract_record

    preds, fired = {}, {}
    for row in rows:
        relevance.TRACE = set()
        try:
            preds[row["id"]] = extract_record({k: row.get(k) for k in FIELDS})
            fired[row["id"]] = relevance.TRACE
        finally:
            relevance.TRACE = None
    return preds, fired


def score(scorer, rows: list[dict], preds: dict[str, dict], tmp: Path, name: str) -> tuple[int, str]:
    """The shared scorer's printout over `rows` and `preds` (written as files, as the scorer reads them)."""
    gold, out = tmp / f"{name}.gold.jsonl", tmp / f"{name}.out.jsonl"
    gold.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    out.write_text("".join(json.dumps(preds[r["id"]], ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        code = scorer.main(str(gold), str(out))
    return code, printed.getvalue().strip()


def main(corpora: list[Path]) -> int:
    missing = [c for c in corpora if not c.exists()]
    if missing:
        print(f"{missing[0]} is absent: ../shared is not beside the checkout")
        return 2
    scorer = _scorer()
    code = 0
    every: list[dict] = []
    preds: dict[str, dict] = {}
    fired: dict[str, set[str]] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        sets = []
        for corpus in corpora:
            rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
            got, why = run_traced(rows)
            preds.update(got)
            fired.update(why)
            every += rows
            sets.append((corpus.name, rows))
        if len(sets) > 1:
            sets.append(("all together", every))
        for name, rows in sets:
            base = {r["id"]: keyword_baseline(r) for r in rows}
            _c, base_text = score(scorer, rows, base, tmp, f"base-{len(rows)}")
            this_code, text = score(scorer, rows, preds, tmp, f"run-{len(rows)}")
            code = code or this_code
            print(f"== {name} ({len(rows)} records)")
            print("  keyword baseline: " + base_text.splitlines()[-1])
            print("\n".join("  " + line for line in text.splitlines()))
    print("\nmisses per record:")
    clean = True
    for row in every:
        found = misses(row, preds.get(row["id"], {}), scorer.same_firm)
        if found:
            clean = False
            print(f"- {row['id']}: " + "; ".join(found))
    if clean:
        print("(none)")
    print_firing(every, fired)
    return code


def print_firing(rows: list[dict], fired: dict[str, set[str]]) -> None:
    """On how many records each named rule and each cue group fires (cue groups: a match in the record's text)."""
    from pipelines.extract import _language
    from pipelines.relevance import cue_groups, cue_pattern, langs_of

    rules = Counter(name for names in fired.values() for name in names)
    cues: Counter[str] = Counter()
    for row in rows:
        text = f"{row.get('title') or ''}\n{row.get('text') or ''}"
        read = set(langs_of(_language(row.get("language"), text))) | {"*"}  # the lists the record is read with
        for group, lang in cue_groups():
            if lang in read and cue_pattern(group, (lang,)).search(text):
                cues[f"{group}/{lang}"] += 1
    print(f"\nrules fired (records of {len(rows)}; '!' = one record only):")
    for name, n in sorted(rules.items(), key=lambda x: (-x[1], x[0])):
        print(f"  {'!' if n == 1 else ' '} {n:3d} {name}")
    print(f"\ncue groups found in the text of records read in their language (of {len(rows)}; '!' = one record "
          "only; unlisted: none):")
    for name, n in sorted(cues.items(), key=lambda x: (-x[1], x[0])):
        print(f"  {'!' if n == 1 else ' '} {n:3d} {name}")
    once = sorted([n for n, c in rules.items() if c == 1] + [n for n, c in cues.items() if c == 1])
    print(f"\nfiring on one record only ({len(once)}): " + (", ".join(once) or "none"))


if __name__ == "__main__":
    args = [Path(a) for a in sys.argv[1:]] or [SHARED / "corpus" / name for name in DEFAULT]
    sys.exit(main(args))

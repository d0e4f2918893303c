"""Extraction goals on the held-out openings written for this project (tests/heldout), scored in-process.

heldout.jsonl was used while tuning the rules; final.jsonl was scored only once they were done; blind.jsonl was
written by another author without reading the rules, scored once, then used for general fixes. The scoring
repeats the shared scorer's rules (firm names compared without suffixes and punctuation, one containing the
other; figures compared by value) so the test reads project files only.
"""

import json
import logging
import re
from pathlib import Path

import pytest

from pipelines.extract import extract_record

logger = logging.getLogger(__name__)

HERE = Path(__file__).parent / "heldout"
GOALS = {
    "heldout.jsonl": {"relevance_acc": 1.0, "event_acc": 0.95, "firm_f1": 0.95, "figure_f1": 0.90,
                      "batch_count_acc": 0.95},
    "final.jsonl": {"relevance_acc": 1.0, "event_acc": 0.95, "firm_f1": 0.95, "figure_f1": 0.90,
                    "batch_count_acc": 0.95},
    "blind.jsonl": {"relevance_acc": 1.0, "event_acc": 0.95, "firm_f1": 0.95, "figure_f1": 0.90,
                    "batch_count_acc": 0.95},
    "blind2.jsonl": {"relevance_acc": 1.0, "event_acc": 0.95, "firm_f1": 0.95, "figure_f1": 0.90,
                     "batch_count_acc": 0.95},
}
# Every set labels firms as the article writes them, Traditional script included (澳德森雲計算, 凱思瑞數據系統).
KNOWN_SHORT: dict[tuple[str, str], str] = {}
_SUFFIX = re.compile(r"\b(co|ltd|limited|company|corp|corporation|inc|llc|plc|group)\b")


def _norm(name: str) -> str:
    return " ".join(_SUFFIX.sub(" ", re.sub(r"[^\w\s]", " ", name.lower())).split())


def same_firm(a: str, b: str) -> bool:
    a, b = _norm(a), _norm(b)
    return bool(a) and bool(b) and (a == b or a in b or b in a)


def _f1(tp: int, fp: int, fn: int) -> float:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return 2 * p * r / (p + r) if p + r else 0.0


def score(rows: list[dict], preds: dict[str, dict]) -> dict[str, float]:
    """The shared scorer's metrics: relevance and event accuracy, firm and figure F1, batch-count accuracy."""
    rel = ev = ftp = ffp = ffn = gtp = gfp = gfn = bc_n = bc_ok = 0
    for row in rows:
        labels, pred = row["labels"], preds[row["id"]]
        rel += bool(pred["relevant"]) == bool(row["is_relevant"])
        ev += pred["event"] in row["gold_events"]
        gold = [(n, "approved") for n in labels["approved_firms"]] + [(n, "applicant") for n in labels["applicants"]]
        roled = [f for f in pred["firms"] if f["role"] in ("approved", "applicant")]
        got = [(f["name"], f["role"]) for f in roled if f["name"]]
        # a unit named only by its owner is scored by its parent where the labels list such owners, else not at all
        unnamed = [(f["parent"] or "", f["role"]) for f in roled if not f["name"]]
        gold_unnamed = [(n, "approved") for n in labels.get("parents_of_unnamed_approved", [])] + \
                       [(n, "applicant") for n in labels.get("parents_of_unnamed_applicants", [])]
        if gold_unnamed:
            hit_u: set[int] = set()
            for gn, gr in gold_unnamed:
                k = next((k for k, (pn, pr) in enumerate(unnamed) if k not in hit_u and pr == gr and same_firm(gn, pn)),
                         None)
                if k is None:
                    ffn += 1
                else:
                    hit_u.add(k)
                    ftp += 1
            ffp += len(unnamed) - len(hit_u)
        used: set[int] = set()
        for gn, gr in gold:
            hit = next((k for k, (pn, pr) in enumerate(got) if k not in used and pr == gr and same_firm(gn, pn)), None)
            if hit is None:
                ffn += 1
            else:
                used.add(hit)
                ftp += 1
        ffp += sum(1 for k, (pn, pr) in enumerate(got)
                   if k not in used and not any(same_firm(pn, gn) and pr == gr for gn, gr in gold))
        gv = {float(f["value"]) for f in labels["figures"]}
        pv = {float(f["value"]) for f in pred["figures"]}
        gtp, gfp, gfn = gtp + len(gv & pv), gfp + len(pv - gv), gfn + len(gv - pv)
        batch = labels.get("batch") or {}
        if batch.get("count"):
            bc_n += 1
            bc_ok += (pred["batch"] or {}).get("count") == batch["count"]
    n = len(rows)
    return {"relevance_acc": rel / n, "event_acc": ev / n, "firm_f1": _f1(ftp, ffp, ffn), "figure_f1": _f1(gtp, gfp, gfn),
            "batch_count_acc": bc_ok / bc_n if bc_n else 1.0}


@pytest.fixture(scope="module", params=sorted(GOALS))
def scored(request):
    rows = [json.loads(line) for line in (HERE / request.param).read_text(encoding="utf-8").splitlines() if line.strip()]
    preds = {r["id"]: extract_record({k: r.get(k) for k in ("id", "text", "url", "title", "published", "language")})
             for r in rows}
    return request.param, rows, preds


@pytest.mark.parametrize("metric", ["relevance_acc", "event_acc", "firm_f1", "figure_f1", "batch_count_acc"])
def test_goal_on_heldout(scored, metric, request):
    name, rows, preds = scored
    if (name, metric) in KNOWN_SHORT:
        request.applymarker(pytest.mark.xfail(strict=True, reason=KNOWN_SHORT[name, metric]))
    value = score(rows, preds)[metric]
    assert value >= GOALS[name][metric], f"{name}: {metric} {value:.2f} < {GOALS[name][metric]}"


def test_batch_dates_are_approval_days(scored):
    """A batch's date is the day of the approval, never a dispatch dateline or the publication day."""
    name, rows, preds = scored
    wrong = [(r["id"], (preds[r["id"]]["batch"] or {}).get("approved_on"), r["labels"]["batch"]["date"])
             for r in rows if (r["labels"].get("batch") or {}).get("date")
             and (preds[r["id"]]["batch"] or {}).get("approved_on") != r["labels"]["batch"]["date"]]
    assert not wrong, f"{name}: (id, got, want) {wrong}"


def test_score_counts_a_wrong_prediction():
    """The scoring itself can fail: an empty prediction loses the firm and the figure."""
    row = {"id": "x", "is_relevant": True, "gold_events": ["batch_report"],
           "labels": {"approved_firms": ["Kestrel Data (Beijing) Co., Ltd."], "applicants": [],
                      "figures": [{"value": 21}], "batch": {"count": 21}}}
    empty = {"x": {"relevant": True, "event": "batch_report", "firms": [], "figures": [], "batch": None}}
    got = score([row], empty)
    assert (got["firm_f1"], got["figure_f1"], got["batch_count_acc"]) == (0.0, 0.0, 0.0)

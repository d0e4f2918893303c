"""The extraction goals on the labelled corpus at ../shared/corpus/dev.jsonl, scored by the shared scorer's rules."""

import importlib.util
import json

import pytest

from pipelines.extract import extract_record
from tests.conftest import need_shared

GOALS = {"relevance_acc": 1.0, "event_acc": 0.95, "firm_f1": 0.95, "figure_f1": 0.90}


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    corpus = need_shared("corpus", "dev.jsonl")
    scorer_path = need_shared("tools", "score_extract.py")
    spec = importlib.util.spec_from_file_location("score_extract", scorer_path)
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    preds = [extract_record({k: r.get(k) for k in ("id", "text", "url", "title", "published", "language")}) for r in rows]
    return rows, {p["id"]: p for p in preds}, scorer


def _metrics(rows, preds, scorer):
    rel = sum(bool(preds[r["id"]]["relevant"]) == bool(r["is_relevant"]) for r in rows) / len(rows)
    ev = sum(preds[r["id"]]["event"] in r["gold_events"] for r in rows) / len(rows)
    tp = fp = fn = gtp = gfp = gfn = 0
    for r in rows:
        labels, p = r["labels"], preds[r["id"]]
        gold = [(n, "approved") for n in labels.get("approved_firms", [])] + \
               [(n, "applicant") for n in labels.get("applicants", [])]
        got = [(f["name"], f["role"]) for f in p["firms"] if f["role"] in ("approved", "applicant")]
        used = set()
        for gn, gr in gold:
            hit = next((k for k, (pn, pr) in enumerate(got) if k not in used and pr == gr and scorer.same_firm(gn, pn)),
                       None)
            if hit is None:
                fn += 1
            else:
                used.add(hit)
                tp += 1
        fp += sum(1 for k, (pn, pr) in enumerate(got) if k not in used
                  and not any(scorer.same_firm(pn, gn) and pr == gr for gn, gr in gold))
        gv = {float(f["value"]) for f in labels.get("figures", []) if isinstance(f.get("value"), (int, float))}
        pv = {float(f["value"]) for f in p["figures"]}
        gtp, gfp, gfn = gtp + len(gv & pv), gfp + len(pv - gv), gfn + len(gv - pv)
    return {"relevance_acc": rel, "event_acc": ev, "firm_f1": scorer.prf(tp, fp, fn)[2],
            "figure_f1": scorer.prf(gtp, gfp, gfn)[2]}


@pytest.mark.parametrize("metric", list(GOALS))
def test_goal_on_dev_corpus(scored, metric):
    value = _metrics(*scored)[metric]
    assert value >= GOALS[metric], f"{metric} {value:.2f} < {GOALS[metric]}"


def test_batch_counts_on_dev_corpus(scored):
    rows, preds, _ = scored
    wrong = [r["id"] for r in rows if (r["labels"].get("batch") or {}).get("count")
             and (preds[r["id"]]["batch"] or {}).get("count") != r["labels"]["batch"]["count"]]
    assert wrong == []

"""Extraction quality on the labelled corpus: runs `monitor extract` over ../shared/corpus/dev.jsonl and scores it.

Prints the shared scorer's figures (relevance and event-type accuracy, firm F1 by name and role, figure F1 by
value, batch-count accuracy), then the misses of each record. Falls back to calling
pipelines.extract.extract_record in-process when the `monitor extract` command is not available.

    .venv/bin/python bench/extract_eval.py [CORPUS.jsonl]
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import logging
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

logger = logging.getLogger(__name__)


def _scorer():
    spec = importlib.util.spec_from_file_location("score_extract", SHARED / "tools" / "score_extract.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_extract(inp: Path, out: Path) -> str:
    """Write the output of `monitor extract` for `inp` into `out`; returns how it was run."""
    cli = ROOT / ".venv" / "bin" / "monitor"
    if cli.exists():
        done = subprocess.run([str(cli), "extract", "--input", str(inp)], capture_output=True, text=True)
        if done.returncode == 0 and done.stdout.strip():
            out.write_text(done.stdout, encoding="utf-8")
            return "monitor extract"
        print(f"monitor extract failed ({done.returncode}): {done.stderr.strip()[-300:]}; running in-process")
    from pipelines.extract import extract_record

    lines = [json.dumps(extract_record(json.loads(line)), ensure_ascii=False)
             for line in inp.read_text(encoding="utf-8").splitlines() if line.strip()]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return "pipelines.extract.extract_record (in-process)"


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
    got = [(f.get("name", ""), f.get("role")) for f in pred.get("firms", []) if f.get("role") in ("approved", "applicant")]
    for name, role in want:
        if not any(r == role and same_firm(name, n) for n, r in got):
            out.append(f"firm missed: {name} ({role})")
    for name, role in got:
        if not any(r == role and same_firm(name, n) for n, r in want):
            out.append(f"firm extra: {name} ({role})")
    gv = {float(f["value"]) for f in labels.get("figures", []) if isinstance(f.get("value"), (int, float))}
    pv = {float(f["value"]) for f in pred.get("figures", []) if isinstance(f.get("value"), (int, float))}
    out += [f"figure missed: {v:g}" for v in sorted(gv - pv)] + [f"figure extra: {v:g}" for v in sorted(pv - gv)]
    batch = labels.get("batch") or {}
    if batch.get("count") and (pred.get("batch") or {}).get("count") != batch["count"]:
        out.append(f"batch count: got {(pred.get('batch') or {}).get('count')}, want {batch['count']}")
    return out


def main(corpus: Path) -> int:
    if not corpus.exists():
        print(f"{corpus} is absent: ../shared is not beside the checkout")
        return 2
    scorer = _scorer()
    with tempfile.TemporaryDirectory() as tmp:
        inp, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
        inp.write_text("\n".join(json.dumps({k: r.get(k) for k in ("id", "text", "url", "title", "published", "language")},
                                            ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
        base = Path(tmp) / "baseline.jsonl"
        base.write_text("".join(json.dumps(keyword_baseline(r), ensure_ascii=False) + "\n" for r in rows),
                        encoding="utf-8")
        print(f"baseline (keyword alert, measured in this run) over {corpus}:")
        with contextlib.redirect_stdout(io.StringIO()) as quiet:
            scorer.main(str(corpus), str(base))
        print("  " + quiet.getvalue().strip().splitlines()[-1])
        how = run_extract(inp, out)
        print(f"\nextraction by {how} over {corpus} ({len(rows)} records)")
        code = scorer.main(str(corpus), str(out))
        preds = {p.get("id"): p for p in (json.loads(x) for x in out.read_text(encoding="utf-8").splitlines() if x.strip())}
    print("\nmisses per record:")
    clean = True
    for row in rows:
        found = misses(row, preds.get(row["id"], {}), scorer.same_firm)
        if found:
            clean = False
            print(f"- {row['id']}: " + "; ".join(found))
    if clean:
        print("(none)")
    return code


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED / "corpus" / "dev.jsonl"))

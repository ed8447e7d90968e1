"""Redaction recall and precision on benchmarks/data/redaction_names.jsonl.

Protocol: the test set holds passages in English and French, written for this project (fictional
people), that name people in many ways, with gold spans for PERSON, EMAIL, PHONE and ID. It was
written and committed before the redaction code. The user's list is the union of the rows'
``user_names`` (the names a desk officer would have entered with `aptag names add`).

* corpus mode (as `aptag export --redact` works): one Redactor fitted on all passages, then each
  passage redacted; a name found with a cue in one passage is redacted in every passage.
* passage mode: each passage redacted by a Redactor fitted on that passage alone (a lower bound).

A gold span counts as found when every letter and digit of it lies inside replaced text (a name
half redacted is a miss); "partial" counts those with some but not all of it replaced. Precision:
the share of replacements that overlap a gold span. Recall is reported by cue category, by label
and by name form.

The test set has few passages without people, so its precision says little about real reports.
An audit follows on real UN text that rarely names anyone (the first 2,000 paragraphs of treaty-body
General Comments in ../shared/data, unlabelled: no precision figure, but every string replaced as a
person is listed so a reader can judge). Usage: python benchmarks/redaction_recall.py [--show-misses]
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.export.redact import Redactor  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "redaction_names.jsonl"
OUT = ROOT / "benchmarks" / "results" / "redaction_recall.json"
AUDIT = ROOT.parent / "shared" / "data" / "treaty_bodies" / "tb_general_comments_paragraphs.jsonl"
AUDIT_ROWS = 2000


def covered(gold: dict, text: str, reps: list) -> float:
    """Share of the gold span's letters and digits inside a replacement."""
    idx = [i for i in range(gold["start"], gold["end"]) if text[i].isalnum()]
    inside = [i for i in idx if any(r.start <= i < r.end for r in reps)]
    return len(inside) / len(idx) if idx else 1.0


def score(rows: list[dict], mode: str, users: list[str]) -> dict:
    if mode == "corpus":
        shared = Redactor(users).fit(r["text"] for r in rows)
    groups: dict[str, dict[str, list[int]]] = defaultdict(lambda: {"found": [], "partial": []})
    n_pred = n_pred_ok = 0
    misses = []
    for r in rows:
        red = (shared if mode == "corpus" else Redactor(users).fit([r["text"]])).redact(r["text"])
        for g in r["spans"]:
            c = covered(g, r["text"], red.replacements)
            keys = ["all", "label:" + g["label"], "category:" + r["category"], "language:" + r["language"]]
            keys += ["form:" + f for f in g.get("forms", [])]
            for k in keys:
                groups[k]["found"].append(int(c == 1.0))
                groups[k]["partial"].append(int(0 < c < 1.0))
            if c < 1.0:
                misses.append(f'{r["id"]} {g["label"]:6} {g["text"]!r} ({"partial" if c else "missed"})')
        for rep in red.replacements:
            n_pred += 1
            n_pred_ok += any(rep.start < g["end"] and g["start"] < rep.end for g in r["spans"])
    table = {k: {"n": len(v["found"]), "recall": sum(v["found"]) / len(v["found"]),
                 "partial": sum(v["partial"])} for k, v in sorted(groups.items())}
    return {"recall": table, "replacements": n_pred,
            "precision": n_pred_ok / n_pred if n_pred else 1.0, "misses": misses}


def main(argv: list[str]) -> None:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    users = sorted({n for r in rows for n in r.get("user_names", [])})
    n_gold = sum(len(r["spans"]) for r in rows)
    print(f"Redaction benchmark: {DATA.relative_to(ROOT)}: {len(rows)} passages, {n_gold} gold spans "
          f"({sum(s['label'] == 'PERSON' for r in rows for s in r['spans'])} person names), "
          f"user list of {len(users)} names.")
    print("found = every letter/digit of the gold span replaced; precision = replacements overlapping gold.\n")
    results = {"data": str(DATA.relative_to(ROOT)), "passages": len(rows), "gold_spans": n_gold}
    for mode in ("corpus", "passage"):
        res = score(rows, mode, users)
        results[mode] = res
        print(f"== {mode} mode: recall {res['recall']['all']['recall']:.3f} "
              f"({res['recall']['all']['n']} spans), precision {res['precision']:.3f} "
              f"({res['replacements']} replacements)")
        if mode == "corpus":
            print(f"{'group':32} {'n':>4} {'recall':>7} {'partial':>7}")
            for k, v in res["recall"].items():
                if k != "all":
                    print(f"{k:32} {v['n']:>4} {v['recall']:>7.3f} {v['partial']:>7}")
            if "--show-misses" in argv:
                print("\nmisses:\n  " + "\n  ".join(res["misses"]))
        print()
    if AUDIT.exists():
        with AUDIT.open(encoding="utf-8") as fh:
            texts = [json.loads(line)["text"] for _, line in zip(range(AUDIT_ROWS), fh)]
        red = Redactor().fit(texts)
        replaced = Counter((r.category, t[r.start:r.end]) for t in texts for r in red.redact(t).replacements)
        persons = {k[1]: v for k, v in replaced.items() if k[0] == "PERSON"}
        results["audit"] = {"data": str(AUDIT.relative_to(ROOT.parent)), "paragraphs": len(texts),
                            "replacements": dict(Counter(k[0] for k in replaced.elements())),
                            "person_strings": persons}
        print(f"== audit on {len(texts)} treaty-body General Comment paragraphs (no gold): "
              f"{sum(persons.values())} person replacements of {len(persons)} distinct strings; "
              f"other: {dict(Counter(k[0] for k in replaced.elements() if k[0] != 'PERSON'))}")
        print("   " + "; ".join(f"{k} x{v}" for k, v in sorted(persons.items(), key=lambda kv: -kv[1])))
        print()
    else:
        print(f"(audit skipped: {AUDIT} not present)\n")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])

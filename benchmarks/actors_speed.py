"""Cost of who-said-it (pipeline/actors.py) beside the tag path, on the same passages in one run.

    .venv/bin/python benchmarks/actors_speed.py [--n 1000]

Protocol: N in-domain-style passages: the sample corpus's passages (segmented as `aptag ingest`
does), repeated to N. Timed: (1) the configured English encoder embedding the N passages (batch 64;
the encoder is the bulk of `aptag tag`, so this is a lower bound of the tag path's time);
(2) `attribute_text` on every passage (the tag stage runs it only on passages with a tag, so this
is an upper bound of its cost). Share = (2) / (1); target < 10%. Writes results/actors_speed.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def sample_passages(n: int) -> list[str]:
    from pipeline.config import load_config
    from pipeline.ingest import read_document
    from pipeline.ingest.common import assemble
    from pipeline.segment import segment_document

    cfg = load_config()
    texts = []
    for path in sorted((ROOT / "corpus" / "samples").iterdir()):
        doc = assemble(read_document(path.read_bytes(), str(path), cfg.ingest).blocks)
        texts += [p["text"] for p in segment_document(path.name, doc.text, "en", cfg.segment, doc.heading_spans)]
    return (texts * (n // len(texts) + 1))[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args()
    from pipeline.actors import attribute_text
    from pipeline.classify import encoders
    from pipeline.config import load_config

    texts = sample_passages(args.n)
    enc = encoders.get_encoder(load_config().tag.encoder)
    enc.encode(texts[:64], 64)  # warm-up
    t = time.perf_counter()
    enc.encode(texts, 64)
    encode_s = time.perf_counter() - t
    for warm in ("The EU raised the death penalty. It called for a moratorium.",
                 "L'UE a soulevé la peine de mort. Elle a demandé un moratoire."):
        attribute_text(warm)  # loads the English and French sentencizers (not timed, as in a warm tag run)
    t = time.perf_counter()
    pairs = sum(len(attribute_text(x)) for x in texts)
    actors_s = time.perf_counter() - t
    share = actors_s / encode_s
    print(f"{len(texts)} passages ({pairs} sentences); load average {os.getloadavg()[0]:.2f}")
    print(f"encoder {enc.id}: {encode_s:.2f} s ({len(texts) / encode_s:.1f} passages/s)")
    print(f"actors:  {actors_s:.2f} s ({len(texts) / actors_s:.1f} passages/s)")
    print(f"actor tagging costs {100 * share:.1f}% of the encoder's time (target < 10%: "
          f"{'met' if share < 0.10 else 'NOT met'})")
    out = {"n": len(texts), "sentences": pairs, "encoder": enc.id, "encode_s": encode_s, "actors_s": actors_s,
           "share": share, "load_average": os.getloadavg()[0]}
    (ROOT / "benchmarks" / "results" / "actors_speed.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()

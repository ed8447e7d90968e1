"""``aptag tag --workers N``: tag the workspace with a pool of N local worker processes.

The main process keeps the workspace: it hands batches of untagged passages to the workers and
writes each batch's predictions and ``tagged`` rows in one transaction as results come back,
exactly as ``tag_workspace`` does, so an interrupted run resumes where it stopped. Workers are
spawned (not forked: the parent holds a DuckDB connection and possibly torch threads), load the
saved model once each (``core.load_model``), and share the cores (``cores // N`` threads each).
At most two batches per worker are in flight, so memory does not grow with the workspace.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable

import pandas as pd

from pipeline.config import TagConfig
from pipeline.errors import ModelError
from pipeline.scale.core import load_model, prepare_model, tag_frames
from pipeline.store import Workspace
from pipeline.tag import TaggerSpec, TagSummary, untagged, store_batch
from pipeline.taxonomy import Taxonomy


def tag_workspace_pool(ws: Workspace, spec: TaggerSpec, taxonomy: Taxonomy, cfg: TagConfig, *, workers: int,
                       batch_size: int | None = None,
                       on_batch: Callable[[int, int], None] | None = None) -> TagSummary:
    """Tag the passages of ``ws`` that ``spec`` has not tagged yet, with ``workers`` processes."""
    started = time.perf_counter()
    summary = TagSummary(spec.model_id)
    todo = untagged(ws, spec.model_id)
    summary.skipped = int(ws.con.execute("SELECT count(*) FROM passages").fetchone()[0] - len(todo))
    if len(todo):
        size = batch_size or cfg.batch_size
        ref = prepare_model(spec, taxonomy, cfg, ws.path / "cache" / "models", batch_size=size,
                            threads=max(1, (os.cpu_count() or 1) // workers), cache_dir=str(ws.path))
        if on_batch:
            on_batch(0, len(todo))
        batches = (todo.iloc[start:start + size] for start in range(0, len(todo), size))
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=load_model, initargs=(ref,)) as pool:
            pending: set[Future] = set()
            try:
                for batch in batches:
                    pending.add(pool.submit(tag_frames, batch, ref))
                    if len(pending) >= 2 * workers:
                        pending = _write_done(ws, pending, summary, len(todo), on_batch)
                while pending:
                    pending = _write_done(ws, pending, summary, len(todo), on_batch)
            except BrokenProcessPool as exc:
                raise ModelError(f"A tagging worker process died ({exc}); {summary.tagged} of {len(todo)} passages "
                                 "were tagged and saved. Run the same command again to tag the rest; if workers "
                                 "keep dying, use fewer --workers (each holds a copy of the model).") from None
    ws.set_setting("current_model", spec.model_id)
    summary.seconds = time.perf_counter() - started
    return summary


def _write_done(ws: Workspace, pending: set[Future], summary: TagSummary, total: int,
                on_batch: Callable[[int, int], None] | None) -> set[Future]:
    """Write the batches that are done (each in one transaction); the rest stay pending."""
    done, rest = wait(pending, return_when=FIRST_COMPLETED)
    for future in done:
        predictions, seen = future.result()
        store_batch(ws, summary, predictions, seen.assign(tagged_at=pd.Timestamp.now(tz="UTC").tz_localize(None)))
        if on_batch:
            on_batch(summary.tagged, total)
    return rest

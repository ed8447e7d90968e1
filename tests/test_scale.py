"""Batch tagging beyond one process: the core, the process pool and Spark give the rows that the
in-process path (`tag_workspace`, behind `aptag tag`) gives; Spark survives a killed worker and a
failed job, and re-runs without duplicates; predictions go back into the workspace idempotently.

Most checks use lexical.v1 (no encoder); one slow test runs the default model on Spark.
"""

from __future__ import annotations

import os
import shutil
import sys
from functools import partial
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.classify.cards import load_cards
from pipeline.cli import app
from pipeline.config import TagConfig, project_path
from pipeline.errors import ModelError, WorkspaceError
from pipeline.scale.core import (ModelRef, bucket_of, load_model, model_dir_name, prepare_model, save_model,
                                 tag_frame, tag_frames)
from pipeline.scale.exchange import export_passages, import_predictions
from pipeline.scale.pool import tag_workspace_pool
from pipeline.store import Workspace
from pipeline.tag import tag_workspace, tagger_spec
from pipeline.taxonomy import load_taxonomy

CFG = TagConfig()
KEY = ["passage_id", "item_id"]
PRED_COLS = ["passage_id", "item_id", "score", "accepted", "evidence", "model_id"]


# --- fixtures -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy(project_path(CFG.taxonomy))


@pytest.fixture(scope="module")
def passages(taxonomy) -> pd.DataFrame:
    """About 300 passages built from the plan and its item cards (so the lexical tagger finds
    something), in English and French, with an empty one and one in German."""
    cards = load_cards(project_path(CFG.item_cards), taxonomy)
    texts: list[tuple[str, str]] = []
    for node in taxonomy.items():
        texts.append((node.text or node.title, "en"))
        card = cards.get(node.id)
        if card and card.terms_en:
            texts.append((f"The delegation raised {' and '.join(card.terms_en[:2])} with the ministry.", "en"))
        if card and card.terms_fr and len(texts) % 7 == 0:
            texts.append((f"La délégation a évoqué {card.terms_fr[0]} avec le ministère.", "fr"))
    texts += [("", "en"), ("Die Delegation sprach über Pressefreiheit und Wahlen.", "de")]
    return pd.DataFrame({
        "passage_id": [f"p{i:04d}" for i in range(len(texts))],
        "doc_id": [f"d{i // 20:03d}" for i in range(len(texts))],
        "seq": [i % 20 for i in range(len(texts))],
        "text": [t for t, _ in texts],
        "language": [lang for _, lang in texts],
    })


@pytest.fixture(scope="module")
def lexical(taxonomy):
    spec = tagger_spec("lexical.v1", CFG, taxonomy)
    return spec, spec.load(None)


@pytest.fixture(scope="module")
def expected(passages, lexical) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What the in-process path gives: a freshly fitted tagger through the same batches."""
    spec, tagger = lexical
    return tag_frames(passages, tagger, spec.model_id, review_floor=CFG.review_floor,
                      max_candidates=CFG.max_candidates, batch_size=CFG.batch_size)


@pytest.fixture(scope="module")
def ref(lexical, taxonomy, tmp_path_factory) -> ModelRef:
    return prepare_model(lexical[0], taxonomy, CFG, tmp_path_factory.mktemp("models"))


def make_workspace(path: Path, passages: pd.DataFrame) -> Path:
    rows = passages.assign(char_start=0, char_end=passages["text"].str.len(), page=None, heading=None)
    with Workspace(path) as ws, ws.transaction():
        ws.insert_df("passages", rows)
    return path


def sorted_rows(frame: pd.DataFrame, cols: list[str], key: list[str]) -> pd.DataFrame:
    out = frame[cols].sort_values(key).reset_index(drop=True)
    types = {c: (float if c == "score" else bool if c == "accepted" else object) for c in out.columns}
    out = out.astype(types)
    text = [c for c, t in types.items() if t is object]
    out[text] = out[text].where(out[text].notna(), None)  # NaN (pandas strings) and None alike
    return out


def workspace_rows(path: Path, model_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    with Workspace(path, create=False, read_only=True) as ws:
        preds = ws.table("predictions", "model_id = ?", [model_id])
        seen = ws.table("tagged", "model_id = ?", [model_id])
    return sorted_rows(preds, PRED_COLS, KEY), sorted_rows(seen, ["passage_id", "model_id", "flags"], ["passage_id"])


# --- the core -------------------------------------------------------------------------------------
def test_saved_model_in_a_worker_tags_like_the_fitted_one(passages, expected, ref):
    predictions, seen = tag_frames(passages, ref)
    pd.testing.assert_frame_equal(predictions, expected[0])
    pd.testing.assert_frame_equal(seen, expected[1])
    assert len(predictions) > 100 and predictions["accepted"].any()
    assert tag_frame(passages, ref).equals(predictions)


def test_every_passage_is_seen_once_with_its_flags(passages, expected):
    seen = expected[1].set_index("passage_id")["flags"]
    assert len(seen) == len(passages) and seen.index.is_unique
    empty = passages.loc[passages["text"] == "", "passage_id"].item()
    german = passages.loc[passages["language"] == "de", "passage_id"].item()
    assert seen[empty] == "empty" and seen[german] == "language:de"
    assert seen.drop([empty, german]).isna().all()


def test_model_is_loaded_once_per_process(ref):
    assert load_model(ref) is load_model(ref)


def test_worker_refuses_a_model_directory_of_another_model(ref):
    with pytest.raises(ModelError, match="expects 'lexical.v1-other'.*Delete the stale directory"):
        load_model(ModelRef("lexical.v1-other", ref.path))
    with pytest.raises(ModelError, match="No saved model at .*check that it was shipped"):
        load_model(ModelRef(ref.model_id, "/nonexistent/model"))


def test_missing_columns_are_named(ref):
    with pytest.raises(ModelError, match="missing text"):
        tag_frame(pd.DataFrame({"passage_id": ["a"], "body": ["x"]}), ref)


def test_saving_a_model_twice_keeps_the_first(lexical, taxonomy, tmp_path):
    spec, tagger = lexical
    first = save_model(tagger, taxonomy, spec.model_id, tmp_path)
    stamp = (first / "config.json").stat().st_mtime_ns
    assert save_model(tagger, taxonomy, spec.model_id, tmp_path) == first
    assert (first / "config.json").stat().st_mtime_ns == stamp
    assert [p.name for p in tmp_path.iterdir()] == [model_dir_name(spec.model_id)]


@pytest.mark.parametrize("buckets", [1, 8, 64])
def test_buckets_are_stable_and_in_range(buckets):
    ids = pd.Series([f"p{i}" for i in range(500)])
    first, again = bucket_of(ids, buckets), bucket_of(ids.sample(frac=1, random_state=0), buckets)
    assert first.between(0, buckets - 1).all()
    assert (again.sort_index() == first).all()
    assert first.nunique() == buckets


# --- the process pool -----------------------------------------------------------------------------
def test_pool_writes_what_the_in_process_path_writes(passages, lexical, taxonomy, tmp_path):
    spec = lexical[0]
    single, pooled = make_workspace(tmp_path / "single", passages), make_workspace(tmp_path / "pooled", passages)
    with Workspace(single, create=False) as ws:
        tag_workspace(ws, spec, batch_size=64, review_floor=CFG.review_floor, max_candidates=CFG.max_candidates)
    progress = []
    with Workspace(pooled, create=False) as ws:
        summary = tag_workspace_pool(ws, spec, taxonomy, CFG, workers=2, batch_size=64,
                                     on_batch=lambda done, total: progress.append((done, total)))
        again = tag_workspace_pool(ws, spec, taxonomy, CFG, workers=2)
        assert ws.get_setting("current_model") == spec.model_id
    for a, b in zip(workspace_rows(single, spec.model_id), workspace_rows(pooled, spec.model_id)):
        pd.testing.assert_frame_equal(a, b)
    assert summary.tagged == len(passages) and summary.flagged == {"empty": 1, "language:de": 1}
    assert progress[0] == (0, len(passages)) and progress[-1] == (len(passages), len(passages))
    assert (again.tagged, again.skipped) == (0, len(passages))


# --- Spark ----------------------------------------------------------------------------------------
@pytest.fixture
def spark():
    pytest.importorskip("pyspark", reason="the Spark tests need the extra: pip install -e '.[spark]'")
    from pipeline.scale.spark import spark_session

    # two cores, four attempts per task (so a killed worker is retried); small splits so that
    # this small input still makes several tasks
    return spark_session("local[2,4]", {"spark.sql.files.maxPartitionBytes": "16k",
                                        "spark.sql.shuffle.partitions": "4"})


@pytest.fixture(scope="module")
def passages_file(passages, tmp_path_factory) -> str:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path_factory.mktemp("input") / "passages.parquet"
    pq.write_table(pa.Table.from_pandas(passages, preserve_index=False), path, row_group_size=40)
    return str(path)


@pytest.fixture(scope="module")
def first_run(passages_file, ref, tmp_path_factory):
    """One Spark job's output directory and manifest, shared by the checks below."""
    pytest.importorskip("pyspark", reason="the Spark tests need the extra: pip install -e '.[spark]'")
    from pipeline.scale.spark import run_job, spark_session

    session = spark_session("local[2,4]", {"spark.sql.files.maxPartitionBytes": "16k"})
    out = tmp_path_factory.mktemp("spark") / "predictions"
    return out, run_job(session, passages_file, str(out), ref, buckets=8)


def spark_rows(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = pd.read_parquet(out)
    preds = rows[rows["item_id"].notna()]
    seen = rows[rows["item_id"].isna()]
    return sorted_rows(preds, PRED_COLS, KEY), sorted_rows(seen, ["passage_id", "model_id", "flags"], ["passage_id"])


def expected_rows(expected) -> tuple[pd.DataFrame, pd.DataFrame]:
    return (sorted_rows(expected[0], PRED_COLS, KEY),
            sorted_rows(expected[1], ["passage_id", "model_id", "flags"], ["passage_id"]))


def files_per_bucket(out: Path) -> dict[str, int]:
    return {d.name: len(list(d.glob("*.parquet"))) for d in sorted(out.glob("bucket=*"))}


@pytest.mark.spark
def test_spark_gives_exactly_the_in_process_predictions(first_run, expected, passages, passages_file, spark):
    out, manifest = first_run
    for got, want in zip(spark_rows(out), expected_rows(expected)):
        pd.testing.assert_frame_equal(got, want)
    assert spark.read.parquet(passages_file).rdd.getNumPartitions() > 1  # the input did split
    assert manifest["passages"] == len(passages) and manifest["predictions"] == len(expected[0])
    assert manifest["tags"] == int(expected[0]["accepted"].sum())
    assert set(files_per_bucket(out).values()) == {1}  # one file per bucket


def _dies_once(marker: str, original, ref, buckets, batches):
    """A task function whose first call, in whichever worker gets there first, kills its Python
    worker process outright (as the OOM killer would); the retried task then runs normally."""
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL))
    except FileExistsError:
        yield from original(ref, buckets, batches)
        return
    os._exit(1)


def _always_fails(ref, buckets, batches):
    raise RuntimeError("simulated crash of every attempt")
    yield  # a generator, as mapInPandas expects


def _ship_test_functions_by_value():
    from pyspark import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])


@pytest.mark.spark
def test_spark_survives_a_killed_worker(spark, passages_file, ref, expected, tmp_path, monkeypatch):
    from pipeline.scale import spark as job

    _ship_test_functions_by_value()
    marker = tmp_path / "killed-once"
    monkeypatch.setattr(job, "tag_partitions", partial(_dies_once, str(marker), job.tag_partitions))
    out = tmp_path / "predictions"
    job.run_job(spark, passages_file, str(out), ref, buckets=8)
    assert marker.exists()  # a worker did die
    for got, want in zip(spark_rows(out), expected_rows(expected)):
        pd.testing.assert_frame_equal(got, want)


@pytest.mark.spark
def test_failed_job_leaves_no_manifest_and_its_rerun_completes_without_duplicates(
        spark, first_run, passages_file, ref, expected, tmp_path, monkeypatch):
    from pipeline.scale import spark as job

    _ship_test_functions_by_value()
    out = tmp_path / "predictions"
    shutil.copytree(first_run[0], out)  # a directory holding an earlier run's output
    with monkeypatch.context() as patch:
        patch.setattr(job, "tag_partitions", _always_fails)
        with pytest.raises(Exception, match="simulated crash"):
            job.run_job(spark, passages_file, str(out), ref, buckets=8)
    assert not (out / "_aptag.json").exists()
    with Workspace(tmp_path / "ws") as ws, pytest.raises(WorkspaceError, match="did not finish.*Run the job again"):
        import_predictions(ws, out)
    job.run_job(spark, passages_file, str(out), ref, buckets=8)
    for got, want in zip(spark_rows(out), expected_rows(expected)):
        pd.testing.assert_frame_equal(got, want)
    assert set(files_per_bucket(out).values()) == {1}


@pytest.mark.spark
def test_output_of_another_model_is_refused(spark, first_run, passages_file, ref, tmp_path):
    from pipeline.scale import spark as job

    out = tmp_path / "predictions"
    shutil.copytree(first_run[0], out)
    with pytest.raises(ModelError, match="holds predictions of model lexical.*Write to another --output"):
        job.run_job(spark, passages_file, str(out), ModelRef("other.v1-123", ref.path), buckets=8)
    with pytest.raises(ModelError, match="in 8 buckets; this job writes .* in 16"):
        job.run_job(spark, passages_file, str(out), ref, buckets=16)


@pytest.mark.spark
def test_imported_predictions_equal_the_in_process_workspace(first_run, passages, lexical, tmp_path):
    spec = lexical[0]
    single = make_workspace(tmp_path / "single", passages)
    with Workspace(single, create=False) as ws:
        tag_workspace(ws, spec, review_floor=CFG.review_floor, max_candidates=CFG.max_candidates)
    # the imported workspace lacks a few passages of the output, which are skipped
    spark_ws = make_workspace(tmp_path / "spark", passages.iloc[3:])
    with Workspace(spark_ws, create=False) as ws:
        first = import_predictions(ws, first_run[0])
        again = import_predictions(ws, first_run[0])
        assert ws.get_setting("current_model") == spec.model_id
    assert (first.passages, first.skipped) == (len(passages) - 3, 3)
    assert (again.passages, again.predictions, again.tags) == (first.passages, first.predictions, first.tags)
    assert first.flagged == {"empty": 1, "language:de": 1}
    want_preds, want_seen = workspace_rows(single, spec.model_id)
    got_preds, got_seen = workspace_rows(spark_ws, spec.model_id)
    kept = set(passages["passage_id"].iloc[3:])
    pd.testing.assert_frame_equal(got_preds, want_preds[want_preds["passage_id"].isin(kept)].reset_index(drop=True))
    pd.testing.assert_frame_equal(got_seen, want_seen[want_seen["passage_id"].isin(kept)].reset_index(drop=True))


@pytest.mark.spark
def test_import_refuses_a_directory_with_mixed_runs(first_run, passages, tmp_path):
    out = tmp_path / "predictions"
    shutil.copytree(first_run[0], out)
    bucket = next(out.glob("bucket=*"))
    part = next(bucket.glob("*.parquet"))
    shutil.copy(part, bucket / f"stale-{part.name}")  # a file left by a run with other buckets
    with Workspace(make_workspace(tmp_path / "ws", passages), create=False) as ws:
        with pytest.raises(WorkspaceError, match="more than once.*Delete the directory and run the Spark job again"):
            import_predictions(ws, out)
        assert ws.con.execute("SELECT count(*) FROM predictions").fetchone()[0] == 0


# --- the command line -----------------------------------------------------------------------------
def test_export_passages_writes_only_what_a_model_has_not_tagged(passages, lexical, tmp_path):
    spec = lexical[0]
    path = make_workspace(tmp_path / "ws", passages)
    with Workspace(path, create=False) as ws:
        tag_workspace(ws, spec, review_floor=CFG.review_floor, max_candidates=CFG.max_candidates)
        ws.con.execute("DELETE FROM tagged WHERE passage_id IN ('p0001', 'p0002')")
        assert export_passages(ws, tmp_path / "all.parquet", row_group_size=50) == len(passages)
    result = CliRunner().invoke(app, ["export-passages", "-o", str(tmp_path / "todo.parquet"),
                                      "--untagged-by", spec.model_id, "-w", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 passages written" in result.output
    assert pd.read_parquet(tmp_path / "todo.parquet")["passage_id"].tolist() == ["p0001", "p0002"]
    import pyarrow.parquet as pq

    assert pq.ParquetFile(tmp_path / "all.parquet").metadata.num_row_groups == -(-len(passages) // 50)


def test_import_predictions_refuses_an_unfinished_directory(tmp_path, passages):
    path = make_workspace(tmp_path / "ws", passages)
    (tmp_path / "out" / "bucket=0").mkdir(parents=True)
    result = CliRunner().invoke(app, ["import-predictions", str(tmp_path / "out"), "-w", str(path)])
    assert result.exit_code == 1
    assert "has no _aptag.json" in result.output and "Run the job again" in result.output


@pytest.mark.parametrize("args, hint", [
    (["--engine", "dask"], "expected local or spark"),
    (["--master", "local[2]"], "--master needs --engine spark"),
    (["--engine", "spark", "--workers", "2"], "Spark sizes its own executors"),
])
def test_tag_rejects_inconsistent_engine_options(args, hint, tmp_path, passages):
    path = make_workspace(tmp_path / "ws", passages)
    result = CliRunner().invoke(app, ["tag", "-w", str(path), "--model", "lexical.v1", *args])
    assert result.exit_code == 2
    assert hint in " ".join(result.output.replace("│", " ").split())  # rich wraps the message in a box


def test_tag_with_workers_reports_the_same_counts_as_in_process(tmp_path, passages):
    small = passages.iloc[:60]
    outputs = []
    for name, extra in (("one", []), ("two", ["--workers", "2"])):
        path = make_workspace(tmp_path / name, small)
        result = CliRunner().invoke(app, ["tag", "-w", str(path), "--model", "lexical.v1", *extra])
        assert result.exit_code == 0, result.output
        outputs.append(result.output.split(";")[:2])
    assert outputs[0] == outputs[1]
    assert "60 passages tagged" in outputs[1][0]


@pytest.mark.spark
def test_tag_on_spark_from_the_command_line(tmp_path, passages, lexical, spark):
    """`aptag tag --engine spark` exports, runs the job and imports (and stops the session, so
    this test comes after the other Spark tests)."""
    spec = lexical[0]
    small = passages.iloc[:60]
    single, on_spark = make_workspace(tmp_path / "single", small), make_workspace(tmp_path / "spark", small)
    with Workspace(single, create=False) as ws:
        tag_workspace(ws, spec, review_floor=CFG.review_floor, max_candidates=CFG.max_candidates)
    result = CliRunner().invoke(app, ["tag", "-w", str(on_spark), "--model", "lexical.v1", "--engine", "spark",
                                      "--master", "local[2,4]"])
    assert result.exit_code == 0, result.output
    assert "60 passages tagged" in result.output
    for a, b in zip(workspace_rows(single, spec.model_id), workspace_rows(on_spark, spec.model_id)):
        pd.testing.assert_frame_equal(a, b)
    again = CliRunner().invoke(app, ["tag", "-w", str(on_spark), "--model", "lexical.v1", "--engine", "spark"])
    assert "0 passages tagged, 60 skipped" in again.output


@pytest.mark.slow
@pytest.mark.spark
def test_default_model_on_spark_matches_in_process(taxonomy, passages, tmp_path):
    """The real default model (two encoders + lexical) through Spark. Scores may differ in the
    last bits (an encoder's batch padding depends on which texts share a batch), so they are
    compared to 1e-6; which items are stored, which accepted, and the evidence must be equal."""
    pytest.importorskip("pyspark", reason="the Spark tests need the extra: pip install -e '.[spark]'")
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.scale.spark import run_job, spark_session

    spec = tagger_spec(None, CFG, taxonomy)
    tagger = spec.load(None)
    sample = pd.concat([passages.iloc[::6], passages.tail(2)]).drop_duplicates("passage_id")
    want = tag_frame(sample, tagger, spec.model_id, review_floor=CFG.review_floor,
                     max_candidates=CFG.max_candidates, batch_size=CFG.batch_size)
    ref = ModelRef(spec.model_id, str(save_model(tagger, taxonomy, spec.model_id, tmp_path / "models")),
                   CFG.review_floor, CFG.max_candidates, CFG.batch_size, threads=1)
    pq.write_table(pa.Table.from_pandas(sample, preserve_index=False), tmp_path / "in.parquet", row_group_size=20)
    session = spark_session("local[2,4]", {"spark.sql.files.maxPartitionBytes": "16k"})
    try:
        run_job(session, str(tmp_path / "in.parquet"), str(tmp_path / "out"), ref, buckets=4)
    finally:
        session.stop()
    got = spark_rows(tmp_path / "out")[0]
    want = sorted_rows(want, PRED_COLS, KEY)
    assert len(want) > 20
    pd.testing.assert_frame_equal(got.drop(columns="score"), want.drop(columns="score"))
    assert (got["score"] - want["score"]).abs().max() < 1e-6

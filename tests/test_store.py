import pandas as pd
import pytest

from pipeline.errors import WorkspaceError
from pipeline.store import Workspace, content_id


def _annotation(value: int) -> pd.DataFrame:
    return pd.DataFrame([{"passage_id": "p1", "item_id": "1.1.a", "value": value, "annotator": "desk",
                          "at": pd.Timestamp("2024-01-01"), "source": "test"}])


def test_keyed_tables_ignore_or_replace_existing_rows(tmp_path):
    with Workspace(tmp_path) as ws:
        ws.insert_df("settings", pd.DataFrame([{"key": "k", "value": "1"}]))
        ws.insert_df("settings", pd.DataFrame([{"key": "k", "value": "2"}]))
        assert ws.get_setting("k") == "1"
        ws.insert_df("settings", pd.DataFrame([{"key": "k", "value": "3"}]), replace=True)
        assert ws.get_setting("k") == "3"
        assert ws.get_setting("missing", "default") == "default"


def test_annotations_keep_their_history(tmp_path):
    with Workspace(tmp_path) as ws:
        ws.insert_df("annotations", _annotation(1))
        ws.insert_df("annotations", _annotation(0))
        assert ws.table("annotations")["value"].tolist() == [1, 0]


def test_transaction_rolls_back_on_error(tmp_path):
    with Workspace(tmp_path) as ws:
        with pytest.raises(RuntimeError):
            with ws.transaction():
                ws.insert_df("settings", pd.DataFrame([{"key": "k", "value": "1"}]))
                raise RuntimeError("interrupted")
        assert ws.get_setting("k") is None


def test_missing_workspace_is_a_clear_error(tmp_path):
    with pytest.raises(WorkspaceError, match="Run `aptag ingest PATH...` first"):
        Workspace(tmp_path / "nowhere", create=False)


def test_content_id_is_stable_and_separates_parts():
    assert content_id("a", "b") == content_id("a", "b")
    assert content_id("ab", "") != content_id("a", "b")

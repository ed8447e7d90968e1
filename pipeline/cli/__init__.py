"""The ``aptag`` command line: one typer app, one module per command group, each command a thin
layer that parses its arguments, calls one stage, and prints the result. Exit codes: 0 success,
1 handled error (message on stderr), 2 bad usage.

- ``common``: the app, consoles, error wrapper and the options several commands share;
- ``ingest``: ``ingest``, ``run``;  ``tag``: ``tag``, ``export-passages``, ``import-predictions``;
- ``coverage``: ``coverage``, ``report``, ``rounds``, ``priorities``;  ``quality``: ``quality``;  ``review``: ``review``, ``train``, ``models``, ``mlflow-ui``;
- ``export``: ``export``, ``names``;  ``taxonomy``: ``taxonomy``, ``evaluate``.
"""

from pipeline.cli import coverage, export, ingest, quality, review, tag, taxonomy
from pipeline.cli.common import app

# `aptag --help` lists commands and groups in this order, whichever module defines them.
ORDER = ["evaluate", "coverage", "quality", "report", "rounds", "run", "train", "mlflow-ui", "export", "ingest", "tag",
         "export-passages", "import-predictions", "taxonomy", "review", "models", "names", "priorities"]
app.registered_commands.sort(key=lambda c: ORDER.index(c.name))
app.registered_groups.sort(key=lambda g: ORDER.index(g.name))

__all__ = ["app", "coverage", "export", "ingest", "quality", "review", "tag", "taxonomy"]

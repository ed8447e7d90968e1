"""``python -m pipeline.cli``: the same as the ``aptag`` command."""

from pipeline.cli import app

app()

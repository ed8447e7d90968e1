"""The exceptions aptag raises on purpose.

Every message says what was expected, what was found, and how to fix it; the CLI prints the
message and exits 1.
"""


class AptagError(Exception):
    """Base class for every handled error."""


class ConfigError(AptagError):
    """A configuration file or override is invalid."""


class TaxonomyError(AptagError):
    """A plan document or taxonomy file cannot be read as a taxonomy."""


class IngestError(AptagError):
    """One input file cannot be ingested (the batch goes on)."""


class WorkspaceError(AptagError):
    """The workspace is missing, locked or inconsistent."""


class ModelError(AptagError):
    """A model directory is missing, corrupt, or does not match the taxonomy."""


class GoldError(AptagError):
    """A gold or annotation file is malformed."""


class ExportError(AptagError):
    """An export cannot be written."""

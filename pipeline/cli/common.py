"""What every command module shares: the consoles, the error wrapper, the options used by several
commands, and the helpers that turn their values into a stage's arguments."""

from __future__ import annotations

import functools
import inspect
import logging
from pathlib import Path
from typing import Any, Callable, Optional

import typer
from rich.console import Console

from pipeline.errors import AptagError

app = typer.Typer(
    help="aptag: tag reports, minutes and statements with the items of the EU Action Plan on Human "
    "Rights and Democracy 2020-2024, and report which priorities are covered and where the gaps are.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

console = Console()
err_console = Console(stderr=True)


def command_group(name: str, help: str) -> typer.Typer:
    """A sub-command group of ``aptag`` (``aptag NAME ...``), registered on the app."""
    group = typer.Typer(help=help, no_args_is_help=True)
    app.add_typer(group, name=name)
    return group

WorkspaceOpt = typer.Option(None, "--workspace", "-w", envvar="APTAG_WORKSPACE",
                            help="Workspace directory (default ./workspace).")
TaxonomyOpt = typer.Option(None, "--taxonomy", help="Taxonomy YAML (default: the Action Plan in configs/taxonomy/).")
ConfigOpt = typer.Option(None, "--config", help="Pipeline config (default configs/pipeline.yaml).")
TaggerOpt = typer.Option(None, "--model", help="Tagger name (ensemble.v1, adaptive.v1, lexical.v1, ...) or a model "
                          "directory (default: tag.model in configs/pipeline.yaml).")


def set_option(example: str):
    """The repeatable ``--set key=value`` option of a command, its help showing ``example``."""
    return typer.Option(None, "--set", help=f"Override a config key, e.g. --set {example} (repeatable).")


class _NoteHandler(logging.Handler):
    """The stages' ``aptag`` log (an encoder built once, a fallback and why) as notes on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        err_console.print(f"note: {record.getMessage()}", highlight=False, soft_wrap=True)


def _notes() -> None:
    logger = logging.getLogger("aptag")
    if not any(isinstance(h, _NoteHandler) for h in logger.handlers):
        logger.addHandler(_NoteHandler())
        logger.setLevel(logging.INFO)
        logger.propagate = False


def handled(fn: Callable) -> Callable:
    """Turn aptag's own errors into a message on stderr and exit code 1; show the stages' notes."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        _notes()
        try:
            return fn(*args, **kwargs)
        except AptagError as exc:
            err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None

    return wrapper


# --- coverage and the report (pipeline/coverage.py, pipeline/report/) ---------------------------
CountryOpt = typer.Option(None, "--country", help="Only these countries (repeat, or comma-separated: KE,SN).")
DocTypeOpt = typer.Option(None, "--doc-type", help="Only these document types (minutes, demarche, report, ...).")
FromOpt = typer.Option(None, "--from", help="First date: YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD (inclusive).")
ToOpt = typer.Option(None, "--to", help="Last date, same forms (inclusive: --to 2023 means up to 2023-12-31).")
PeriodOpt = typer.Option(None, "--period", help="month | quarter | year (default: coverage.period in configs/pipeline.yaml).")
# The filters of a coverage slice that coverage and report share (see with_options, coverage_args).
SLICE_OPTS = {"country": (Optional[list[str]], CountryOpt), "doc_type": (Optional[list[str]], DocTypeOpt),
              "period": (Optional[str], PeriodOpt), "date_from": (Optional[str], FromOpt),
              "date_to": (Optional[str], ToOpt)}


def with_options(into: str, options: dict[str, tuple[Any, Any]]) -> Callable[[Callable], Callable]:
    """Give a command the typer ``options`` ({parameter: (annotation, typer.Option)}), declared
    once, in the place of its parameter ``into``, and hand it their values as one dict there."""
    def decorate(command: Callable) -> Callable:
        signature = inspect.signature(command)
        own = list(signature.parameters.values())
        at = [p.name for p in own].index(into)
        added = [inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=option, annotation=annotation)
                 for name, (annotation, option) in options.items()]

        @functools.wraps(command)
        def wrapper(*args, **kwargs):
            return command(*args, **{into: {name: kwargs.pop(name, None) for name in options}}, **kwargs)

        wrapper.__signature__ = signature.replace(parameters=own[:at] + added + own[at + 1:])
        return wrapper
    return decorate


ModelIdOpt = typer.Option(None, "--model", help="Model ID whose predictions count (default: the workspace's "
                          "current_model, else the model with most predictions).")


ActorOpt = typer.Option(None, "--actor", help="Only evidence said by: eu, partner, civil_society, international, "
                        "none (repeat, or comma-separated).")
ActOpt = typer.Option(None, "--act", help="Only evidence that is: raised, welcomed, committed, informed, rejected, "
                      "supported, none (repeat, or comma-separated).")


def coverage_args(country: Optional[list[str]], doc_type: Optional[list[str]], date_from: Optional[str],
                   date_to: Optional[str], period: Optional[str], default_period: str,
                   actor: Optional[list[str]] = None, act: Optional[list[str]] = None):
    """The slice and period of --country/--doc-type/--from/--to/--period/--actor/--act, or exit 2
    naming the bad option."""
    from pipeline.actors import ACTORS, ACTS
    from pipeline.periods import PERIODS, Slice, parse_bound

    def split(values: Optional[list[str]]) -> tuple[str, ...]:
        return tuple(v.strip() for value in values or [] for v in value.split(",") if v.strip())

    bounds = {}
    for hint, text, end in (("--from", date_from, False), ("--to", date_to, True)):
        try:
            bounds[hint] = parse_bound(text, end=end) if text else None
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint=hint) from None
    if bounds["--from"] and bounds["--to"] and bounds["--from"] > bounds["--to"]:
        raise typer.BadParameter(f"--from {date_from} is after --to {date_to}", param_hint="--from")
    period = period or default_period
    if period not in PERIODS:
        raise typer.BadParameter(f"expected one of {', '.join(PERIODS)}, found {period!r}", param_hint="--period")
    for hint, values, known in (("--actor", split(actor), ACTORS), ("--act", split(act), ACTS)):
        bad = [v for v in values if v not in known]
        if bad:
            raise typer.BadParameter(f"expected {', '.join(known)}, found {', '.join(bad)}", param_hint=hint)
    return Slice(split(country), split(doc_type), bounds["--from"], bounds["--to"], split(actor), split(act)), period


def coverage_inputs(ws, taxonomy: Optional[Path], model: Optional[str], cfg):
    """The taxonomy as a frame (with the item cards' labels) and the workspace's tables."""
    from pipeline.config import project_path
    from pipeline.coverage import load_inputs, taxonomy_nodes
    from pipeline.taxonomy import load_taxonomy

    tax = load_taxonomy(taxonomy or project_path(cfg.tag.taxonomy))
    # The configured cards describe the configured taxonomy; another taxonomy keeps its own titles.
    nodes = taxonomy_nodes(tax, None if taxonomy else project_path(cfg.tag.item_cards))
    inputs = load_inputs(ws, model)
    if inputs.model_id is None:
        err_console.print("note: the workspace has no predictions yet, so every item is a gap. "
                          "Run `aptag tag` (or `aptag run PATH...`) first.", highlight=False)
    return tax, nodes, inputs



def default_model(model: Optional[str], workspace: Optional[Path]) -> Optional[str]:
    """``--model`` when given, else the workspace's promoted model (saying so), else None (tag.model)."""
    if model:
        return model
    from pipeline.store import resolve_workspace
    from pipeline.train import promotion_state

    models = resolve_workspace(workspace) / "models"
    current = promotion_state(models).get("current") if models.is_dir() else None
    if current and (models / current / "config.json").exists():
        err_console.print(f"Using the promoted model {current} ({models / current}); --model NAME to choose "
                          "another.", highlight=False, soft_wrap=True)
        return str(models / current)
    return None


def prepare_output(path: Path) -> Path:
    """Make the folder of an output file, or say plainly why it cannot be made."""
    from pipeline.errors import AptagError

    for parent in [path.parent, *path.parent.parents]:
        if parent.exists() and not parent.is_dir():
            raise AptagError(f"Cannot write {path}: {parent} is a file, not a folder. Choose another output path.")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AptagError(f"Cannot write {path}: {exc.strerror} ({path.parent}). Choose another output path.") from None
    return path


def write_output(path: Path, content: str | bytes) -> None:
    """Write a command's output file, or say plainly why it cannot be written (a read-only
    workspace or folder, a full disk)."""
    prepare_output(path)
    try:
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    except OSError as exc:
        raise unwritable(path, exc) from None


def open_output(path: Path, newline: str | None = None):
    """An output file opened for writing (text, UTF-8), with the same plain error as :func:`write_output`."""
    prepare_output(path)
    try:
        return path.open("w", encoding="utf-8", newline=newline)
    except OSError as exc:
        raise unwritable(path, exc) from None


def unwritable(path: Path, exc: OSError):
    """The error to raise when ``path`` cannot be written."""
    from pipeline.errors import AptagError

    return AptagError(f"Cannot write {path}: {exc.strerror or exc}. Choose another output file with -o FILE, or make "
                      f"{path.parent} writable.")


def short_path(path: str) -> str:
    """A path relative to the current folder when it is inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return path


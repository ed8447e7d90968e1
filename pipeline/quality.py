"""How sure a count is: per-item quality cards and bias-corrected counts, from the reviewed tags.

A raw count (the passages tagged with an item) holds the model's wrong tags and misses the
passages it did not tag. Reviewed (passage, item) pairs tell, per item, how often a tag at a
given score is right. This module turns them into:

- **quality cards** (:func:`quality_cards`): per item, how many tags were reviewed (accepted,
  rejected, added), precision and recall on the reviewed pairs with Wilson 95% intervals, the
  figures the dev benchmarks give for the item, and the passages worth labelling next;
- **corrected counts** (:func:`corrected_counts`): the expected number of passages that truly
  address the item, with a 95% interval.

The model behind the corrected counts has two parts.
- A stored prediction (a tag, or a candidate down to the review floor) is right with probability
  ``sigmoid(a + b * margin + d_item)``, margin = score minus the item's threshold. ``a, b`` are
  shared by all items; ``d_item`` lets each item differ and is pulled towards 0 when the item has
  few labels. Fitted on the reviewed pairs; review queues pick pairs by their score, so the
  calibration given the score is not biased by which pairs were picked.
- Passages the model did not even store as candidates also hold the item sometimes. Reviews
  rarely see them, so their share comes from the dev benchmarks: of the true (passage, item)
  pairs there, a fraction ``f`` had no stored prediction, and an item's expected misses are
  ``f / (1 - f)`` times its expected true stored pairs (never fewer than the misses reviewers
  added by hand), plus a little for every item (MISS_PSEUDO): a gap's point estimate stays 0, its
  upper bound does not.

The priors (``a, b`` and the counts behind ``f``) come from the dev benchmarks
(``configs/quality/count_prior.json``, printed and written by ``benchmarks/review_simulation.py``)
for the model they were fitted on; for another model they are vague and ``f`` is unknown, and an
item with no labels then has no corrected count.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from pipeline.coverage import document_frame, latest_annotations
from pipeline.errors import ConfigError
from pipeline.periods import in_slice

Z95 = 1.959964
PRIOR_FILE = "configs/quality/count_prior.json"
MIN_LABELS = 10  # fewer reviewed pairs than this and an item's figures are flagged as resting on too few labels
LOW_PRECISION = 0.5  # an estimated precision below this is flagged
# The share of true pairs with no stored prediction differs between corpora far more than the dev
# counts' own sampling error says (0.11, 0.22 and 0.29 on the three dev sets): its uncertainty is a
# Beta with this many pseudo-observations around the pooled share, not the pooled counts themselves.
MISS_CONCENTRATION = 20.0
# Misses cluster on some items (an item phrased unlike its card is missed again and again): an
# item's miss rate is the shared one times a Gamma factor of this shape (mean 1), so its misses are
# negative-binomial rather than Poisson.
MISS_SHAPE = 2.0
# An item with no true stored pair may still be addressed where the model looked away: its misses
# are drawn as if this many more true pairs had been stored (the upper bound of a gap is not 0).
# Chosen on the dev sets with benchmarks/review_simulation.py (1.0: k=10 error 0.762 against raw
# 0.765; 0.5: 0.71, its interval holding the truth for 0.967 of items; 0.25: 0.69 and 0.958).
MISS_PSEUDO = 0.5


# --- small statistics ------------------------------------------------------------------------

def wilson(k: int | np.ndarray, n: int | np.ndarray, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for ``k`` successes in ``n`` trials (NaN where ``n`` is 0)."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        den = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / den
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -40, 40)))


# --- the prior from the benchmarks ------------------------------------------------------------

@dataclass(frozen=True)
class CountPrior:
    """Calibration fitted on the dev sets for one model (see ``benchmarks/review_simulation.py``)."""

    model_id: str | None = None  # the model it was fitted for; None: vague prior
    a: float = 0.0
    b: float = 5.0
    sd: float = 3.0  # prior sd of a and of b / 5: vague unless fitted
    item_sd: float = 1.0  # prior sd of an item's offset
    hit: int = 0  # true pairs on the dev sets with a stored prediction ...
    miss: int = 0  # ... and without one
    items: Mapping[str, Mapping[str, int]] | None = None  # per item tp / fp / fn on the dev sets
    source: str = "no benchmark calibration"

    def fits(self, model_id: str | None) -> bool:
        """Whether this prior was fitted for ``model_id``'s tagger (same name, any settings hash)."""
        return bool(self.model_id and model_id) and _tagger_name(self.model_id) == _tagger_name(model_id)

    def for_model(self, model_id: str | None) -> "CountPrior":
        """Itself where it fits ``model_id``; a vague prior (and no dev figures) otherwise."""
        return self if self.fits(model_id) else CountPrior()

    def to_json(self) -> str:
        return json.dumps({"model_id": self.model_id, "a": self.a, "b": self.b, "sd": self.sd,
                           "item_sd": self.item_sd, "hit": self.hit, "miss": self.miss, "source": self.source,
                           "items": dict(self.items or {})}, indent=1, sort_keys=True) + "\n"


def _tagger_name(model_id: str) -> str:
    return model_id.split(":")[0].rsplit("-", 1)[0]


def load_prior(path: str | Path = PRIOR_FILE) -> CountPrior:
    """The benchmark prior in ``path``; a vague one where the file does not exist."""
    path = Path(path)
    if not path.exists():
        return CountPrior()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return CountPrior(model_id=raw["model_id"], a=float(raw["a"]), b=float(raw["b"]), sd=float(raw["sd"]),
                          item_sd=float(raw["item_sd"]), hit=int(raw["hit"]), miss=int(raw["miss"]),
                          items=raw.get("items") or {}, source=str(raw.get("source", path)))
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path}: not a count prior ({exc}); rewrite it with "
                          "`python benchmarks/review_simulation.py --write-prior`, or delete it.") from None


# --- the reviewed pairs ----------------------------------------------------------------------

@dataclass
class ReviewData:
    """One model's predictions and the reviews, one row per (passage, item) pair in ``pairs``:
    passage_id, item_id, margin (score minus threshold; NaN where no prediction was stored),
    accepted (the model's tag), label (1 / 0 from the latest annotation, NaN when unreviewed)."""

    pairs: pd.DataFrame
    items: list[str]

    def per_item(self, mask: pd.Series | np.ndarray) -> np.ndarray:
        """How many pairs under ``mask`` each item has, in ``items`` order."""
        return self.pairs[np.asarray(mask, dtype=bool)].groupby("item_id").size().reindex(
            self.items, fill_value=0).to_numpy()


def review_data(predictions: pd.DataFrame, annotations: pd.DataFrame | None, items: list[str],
                thresholds: np.ndarray | None = None) -> ReviewData:
    """Arrange one model's ``predictions`` (passage_id, item_id, score, accepted) and the workspace's
    ``annotations`` (passage_id, item_id, value, at); ``thresholds`` aligned with ``predictions``
    (estimated from the accepted flags where not given)."""
    p = predictions[["passage_id", "item_id", "score", "accepted"]].copy()
    p["accepted"] = p["accepted"].astype(bool)
    if thresholds is None:
        from pipeline.annotate import threshold_estimates

        thresholds = threshold_estimates(p.assign(model_id="m")) if len(p) else np.zeros(0)
    p["margin"] = p["score"].to_numpy(dtype=float) - np.asarray(thresholds, dtype=float)
    ann = latest_annotations(annotations).rename(columns={"value": "label"})
    pairs = p.drop(columns="score").merge(ann, on=["passage_id", "item_id"], how="outer")
    pairs["accepted"] = pairs["accepted"].astype("boolean").fillna(False).astype(bool)
    pairs["label"] = pairs["label"].astype(float)
    pairs = pairs[pairs["item_id"].isin(items)].reset_index(drop=True)
    return ReviewData(pairs, list(items))


# --- calibration -----------------------------------------------------------------------------

@dataclass
class Calibration:
    """MAP estimate of (a, b, d_item...) and its covariance (Laplace approximation)."""

    mean: np.ndarray
    cov: np.ndarray
    items: list[str]

    def draws(self, n: int, seed: int = 0) -> np.ndarray:
        return np.random.default_rng(seed).multivariate_normal(self.mean, self.cov, size=n, method="cholesky")


def fit_calibration(data: ReviewData, prior: CountPrior, iterations: int = 100) -> Calibration:
    """Damped Newton on the penalised log-likelihood of the reviewed stored pairs (convex); the
    covariance is the inverse Hessian at the optimum."""
    index = {it: j for j, it in enumerate(data.items)}
    lab = data.pairs[data.pairs["label"].notna() & data.pairs["margin"].notna()]
    item = lab["item_id"].map(index).to_numpy(dtype=int)
    margin = lab["margin"].to_numpy(dtype=float)
    y = lab["label"].to_numpy(dtype=float)
    n_items = len(data.items)
    mu0 = np.concatenate([[prior.a, prior.b], np.zeros(n_items)])
    prec0 = np.concatenate([[1 / prior.sd ** 2, 1 / (5 * prior.sd) ** 2], np.full(n_items, 1 / prior.item_sd ** 2)])
    diag = 2 + np.arange(n_items)

    def eta_of(theta: np.ndarray) -> np.ndarray:
        return theta[0] + theta[1] * margin + theta[2 + item]

    def objective(theta: np.ndarray) -> float:
        eta = eta_of(theta)
        # the logistic model's -log-likelihood, kept finite: log(1 + e^eta) - y * eta
        return float((np.logaddexp(0, eta) - y * eta).sum() + 0.5 * (prec0 * (theta - mu0) ** 2).sum())

    def hessian(p: np.ndarray) -> np.ndarray:
        v = p * (1 - p)
        hess = np.diag(prec0).astype(float)
        hess[0, 0] += v.sum()
        hess[0, 1] = hess[1, 0] = (v * margin).sum()
        hess[1, 1] += (v * margin * margin).sum()
        for col, vals in enumerate((v, v * margin)):
            per_item = np.bincount(item, weights=vals, minlength=n_items)
            hess[col, 2:] += per_item
            hess[2:, col] += per_item
        hess[diag, diag] += np.bincount(item, weights=v, minlength=n_items)
        return hess

    theta = mu0.copy()
    value = objective(theta)
    for _ in range(iterations):
        r = y - _sigmoid(eta_of(theta))
        grad = prec0 * (theta - mu0)
        grad[0] -= r.sum()
        grad[1] -= (r * margin).sum()
        np.subtract.at(grad, 2 + item, r)
        step = np.linalg.solve(hessian(_sigmoid(eta_of(theta))), grad)
        t = 1.0
        while True:  # halve the step until the objective does not rise
            candidate = theta - t * step
            new = objective(candidate)
            if new <= value + 1e-12 or t < 1e-6:
                break
            t /= 2
        done = np.max(np.abs(candidate - theta)) < 1e-7 or value - new < 1e-10
        theta, value = candidate, new
        if done:
            break
    cov = np.linalg.inv(hessian(_sigmoid(eta_of(theta))))
    return Calibration(theta, (cov + cov.T) / 2, list(data.items))


# --- corrected counts ------------------------------------------------------------------------

def corrected_counts(data: ReviewData, prior: CountPrior, *, counted: ReviewData | None = None, draws: int = 400,
                     seed: int = 0, bin_width: float = 0.005, calibration: Calibration | None = None) -> pd.DataFrame:
    """Per item: ``raw`` (tagged passages after review), ``corrected`` (expected true count),
    ``low`` / ``high`` (95% interval), ``labels`` (reviewed pairs) and ``basis`` (what it rests on).

    True count = reviewed positives + the unreviewed stored pairs that are right + the misses below
    the review floor. Each of ``draws`` simulations draws the calibration from its posterior, the
    miss share from its Beta, the unreviewed stored pairs' outcomes (normal approximation of their
    sum) and the misses (Poisson); ``corrected`` is the median, the interval the 2.5 and 97.5
    percentiles. The calibration is fitted on ``data`` (or given, already fitted on it); the counts
    are over ``counted`` (a slice of its pairs; default all).
    """
    counted = data if counted is None else counted
    items, pairs = data.items, counted.pairs
    lab = pairs["label"]
    stored = pairs["margin"].notna()
    n_labels = data.per_item(data.pairs["label"].notna())  # the item's labels, wherever they are
    known_pos = counted.per_item(lab == 1)
    added = counted.per_item((lab == 1) & ~stored)
    raw = known_pos + counted.per_item(lab.isna() & pairs["accepted"])
    reviewed_stored = int(data.per_item(data.pairs["label"].notna() & data.pairs["margin"].notna()).sum())
    if prior.model_id is None and reviewed_stored < MIN_LABELS:  # a vague prior needs a few labels to say anything
        nan = np.full(len(items), np.nan)
        why = (f"{reviewed_stored} reviewed tags, no benchmark calibration: review {MIN_LABELS} or more"
               if reviewed_stored else "no labels, no benchmark calibration")
        return _counts_frame(items, raw, nan, nan, nan, n_labels, why)

    cal = calibration or fit_calibration(data, prior)
    index = {it: j for j, it in enumerate(items)}
    open_ = pairs[lab.isna() & stored]
    binned = (open_.assign(j=open_["item_id"].map(index), m=(open_["margin"] / bin_width).round() * bin_width)
                   .groupby(["j", "m"]).size().reset_index(name="n"))
    bj, bm, bn = (binned["j"].to_numpy(dtype=int), binned["m"].to_numpy(dtype=float),
                  binned["n"].to_numpy(dtype=float))
    stored_pos = counted.per_item((lab == 1) & stored).astype(float)

    def draw(theta: np.ndarray, f: float) -> np.ndarray:
        """One draw of every item's true count given the calibration ``theta`` and miss share ``f``."""
        p = _sigmoid(theta[0] + theta[1] * bm + theta[2 + bj])
        mean = np.bincount(bj, weights=bn * p, minlength=len(items))
        sd = np.sqrt(np.bincount(bj, weights=bn * p * (1 - p), minlength=len(items)))
        true_stored = stored_pos + np.clip(np.rint(mean + sd * rng.standard_normal(len(items))), 0, None)
        factor = rng.gamma(MISS_SHAPE, 1 / MISS_SHAPE, size=len(items))
        misses = np.maximum(rng.poisson((true_stored + MISS_PSEUDO) * f / (1 - f) * factor), added)
        return true_stored + misses

    rng = np.random.default_rng(seed)
    # without dev counts of misses (a vague prior) the misses below the floor are not estimated
    f_hat = (prior.miss + 0.5) / (prior.miss + prior.hit + 1) if prior.hit + prior.miss else 0.0
    fs = (rng.beta(f_hat * MISS_CONCENTRATION, (1 - f_hat) * MISS_CONCENTRATION, size=draws) if f_hat
          else np.zeros(draws))
    sims = np.stack([draw(theta, fs[s]) for s, theta in enumerate(cal.draws(draws, seed))])
    # the median: the estimate with the least expected absolute error, and a whole number of passages
    point = np.median(sims, axis=0)
    low, high = np.percentile(sims, 2.5, axis=0, method="lower"), np.percentile(sims, 97.5, axis=0, method="higher")
    basis = np.where(n_labels > 0, np.char.add(n_labels.astype(str), " reviewed"),
                     "benchmark calibration" if prior.model_id else "other items' reviews")
    return _counts_frame(items, raw, point, low, high, n_labels, basis)


def _counts_frame(items, raw, corrected, low, high, labels, basis) -> pd.DataFrame:
    return pd.DataFrame({"item_id": items, "raw": np.asarray(raw, dtype=int),
                         "corrected": np.round(np.asarray(corrected, dtype=float), 1),
                         "low": low, "high": high, "labels": np.asarray(labels, dtype=int), "basis": basis})


# --- quality cards ---------------------------------------------------------------------------

CARD_COLUMNS = ["item_id", "title", "reviewed", "accepted", "rejected", "added", "precision", "precision_low",
                "precision_high", "recall", "recall_low", "recall_high", "dev_precision", "dev_recall",
                "dev_support", "raw", "corrected", "low", "high", "basis", "flag", "next"]


def quality_cards(data: ReviewData, prior: CountPrior, titles: Mapping[str, str] | None = None, *,
                  n_next: int = 3, counted: ReviewData | None = None) -> pd.DataFrame:
    """One card per item (columns CARD_COLUMNS).

    - accepted / rejected: reviewed pairs the model had tagged, found right / wrong;
    - added: reviewed positives the model had not tagged (its misses that reviewers found);
    - precision = accepted / (accepted + rejected); recall = accepted / (accepted + added), on the
      reviewed pairs only, with Wilson 95% intervals;
    - dev_*: the item's figures on the dev benchmarks (where it occurs there);
    - next: the unreviewed passages whose label would tell most about the count (calibrated
      probability nearest one half), best first;
    - flag: ``few labels`` (under MIN_LABELS reviewed), ``low precision`` (the interval's upper
      bound under LOW_PRECISION), or empty.
    """
    items = data.items
    titles = titles or {}
    pairs = data.pairs
    lab = pairs[pairs["label"].notna()]
    g = lambda mask: lab[mask].groupby("item_id").size().reindex(items, fill_value=0).to_numpy()  # noqa: E731
    acc = g(lab["accepted"] & (lab["label"] == 1))
    rej = g(lab["accepted"] & (lab["label"] == 0))
    add = g(~lab["accepted"] & (lab["label"] == 1))
    reviewed = g(np.ones(len(lab), dtype=bool))
    p_lo, p_hi = wilson(acc, acc + rej)
    r_lo, r_hi = wilson(acc, acc + add)
    with np.errstate(invalid="ignore", divide="ignore"):
        prec, rec = acc / (acc + rej), acc / (acc + add)
    dev = prior.items or {}
    dev_tp = np.array([dev.get(i, {}).get("tp", 0) for i in items], dtype=float)
    dev_fp = np.array([dev.get(i, {}).get("fp", 0) for i in items], dtype=float)
    dev_fn = np.array([dev.get(i, {}).get("fn", 0) for i in items], dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        dev_p, dev_r = dev_tp / (dev_tp + dev_fp), dev_tp / (dev_tp + dev_fn)
    # one fit serves the counts (over ``counted``, a slice, where given) and the passages to label next;
    # without a prior or a single label there is nothing to fit
    cal = fit_calibration(data, prior) if (prior.model_id or data.pairs["label"].notna().any()) else None
    counts = corrected_counts(data, prior, counted=counted, calibration=cal)
    counts = counts.set_index("item_id").reindex(items)
    flag = np.where(reviewed < MIN_LABELS, "few labels", "")
    flag = np.where((acc + rej > 0) & (p_hi < LOW_PRECISION), "low precision", flag)
    return pd.DataFrame({
        "item_id": items, "title": [titles.get(i, "") for i in items], "reviewed": reviewed, "accepted": acc,
        "rejected": rej, "added": add, "precision": prec, "precision_low": p_lo, "precision_high": p_hi,
        "recall": rec, "recall_low": r_lo, "recall_high": r_hi, "dev_precision": dev_p, "dev_recall": dev_r,
        "dev_support": (dev_tp + dev_fn).astype(int), "raw": counts["raw"].to_numpy(),
        "corrected": counts["corrected"].to_numpy(), "low": counts["low"].to_numpy(),
        "high": counts["high"].to_numpy(), "basis": counts["basis"].to_numpy(), "flag": flag,
        "next": _next_passages(data, cal, n_next),
    }, columns=CARD_COLUMNS)


def _next_passages(data: ReviewData, cal: Calibration | None, n: int) -> list[list[str]]:
    """Per item, up to ``n`` unreviewed stored pairs whose calibrated probability is nearest 1/2
    (with no calibration, whose score is nearest the threshold)."""
    open_ = data.pairs[data.pairs["label"].isna() & data.pairs["margin"].notna()]
    if open_.empty:
        return [[] for _ in data.items]
    index = {it: j for j, it in enumerate(data.items)}
    j = open_["item_id"].map(index).to_numpy(dtype=int)
    if cal is None:
        closeness = np.abs(open_["margin"].to_numpy())
    else:
        p = _sigmoid(cal.mean[0] + cal.mean[1] * open_["margin"].to_numpy() + cal.mean[2 + j])
        closeness = np.abs(p - 0.5)
    ranked = open_.assign(c=closeness).sort_values(["item_id", "c", "passage_id"])
    best = ranked.groupby("item_id").head(n).groupby("item_id")["passage_id"].agg(list)
    return [best.get(i, []) for i in data.items]


# --- a workspace -----------------------------------------------------------------------------

def workspace_cards(inputs, nodes: pd.DataFrame, prior: CountPrior, passages: set[str] | None = None) -> pd.DataFrame:
    """Quality cards for every leaf item of ``nodes`` from a workspace's coverage inputs (one
    model's predictions and the annotations); counts over ``passages`` only where given (a slice),
    the calibration from every reviewed pair."""
    leaf = nodes["level"].iloc[-1]
    items = nodes.loc[nodes["level"] == leaf, "id"].tolist()
    titles = dict(zip(nodes["id"], nodes["title"]))
    data = review_data(inputs.predictions, inputs.annotations, items)
    prior = prior.for_model(inputs.model_id)
    counted = None if passages is None else ReviewData(data.pairs[data.pairs["passage_id"].isin(passages)], items)
    return quality_cards(data, prior, titles, counted=counted)


def slice_passages(documents: pd.DataFrame, passages: pd.DataFrame, sl) -> set[str] | None:
    """The passages of the documents inside ``sl`` (country, type, dates), or None for no slice."""
    if not (sl.countries or sl.doc_types or sl.start or sl.end):
        return None
    docs = document_frame(documents)
    return set(passages.loc[passages["doc_id"].isin(docs.loc[in_slice(docs, sl), "doc_id"]), "passage_id"])


def with_corrected(table: pd.DataFrame, cards: pd.DataFrame) -> pd.DataFrame:
    """An item-level coverage table with the corrected count, its interval and its basis beside
    ``passages`` (the raw count)."""
    extra = cards.set_index("item_id")[["corrected", "low", "high", "basis"]].rename(
        columns={"low": "corrected_low", "high": "corrected_high", "basis": "corrected_basis"})
    out = table.join(extra, on="id")
    cols = list(table.columns)
    at = cols.index("passages") + 1
    return out[cols[:at] + list(extra.columns) + cols[at:]]


def configured_prior(cfg, model_id: str | None) -> CountPrior:
    """The prior of ``coverage.count_prior`` in the configuration, for ``model_id``."""
    from pipeline.config import project_path

    return load_prior(project_path(cfg.coverage.count_prior)).for_model(model_id)


def basis_note(prior: CountPrior, model_id: str | None) -> str:
    """What the corrected counts rest on, in a sentence."""
    if prior.model_id:
        return (f"Corrected counts: reviewed tags calibrate the scores, with the dev benchmarks' calibration of "
                f"{prior.model_id} ({prior.source}) as prior; an item without labels rests on that prior.")
    return (f"Corrected counts: no benchmark calibration fits model {model_id or '(none)'}, so only items' own "
            "reviews support them; with no reviewed tag at all there are none.")


def report_cards(cards: pd.DataFrame) -> dict[str, list]:
    """Per item ID the card the report shows: [reviewed, accepted, rejected, added, precision, its low,
    its high, raw, corrected, low, high, basis, flag] (None for what is not known)."""
    def num(v, nd=3):
        return None if v is None or v != v else round(float(v), nd)

    return {c.item_id: [int(c.reviewed), int(c.accepted), int(c.rejected), int(c.added), num(c.precision),
                        num(c.precision_low), num(c.precision_high), int(c.raw), num(c.corrected, 1), num(c.low, 0),
                        num(c.high, 0), str(c.basis), str(c.flag)] for c in cards.itertuples(index=False)}

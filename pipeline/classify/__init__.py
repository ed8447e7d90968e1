"""Taggers behind one interface, found by versioned name in a registry (see ``base.py``)."""

from pipeline.classify.base import REGISTRY, Tagger, create_tagger, load_tagger

__all__ = ["REGISTRY", "Tagger", "create_tagger", "load_tagger"]

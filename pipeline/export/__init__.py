"""Annotated-corpus exports (jsonl, csv, parquet, hf, spacy, labelstudio, doccano) with redaction of
people at risk. ``rows`` selects, ``redact`` pseudonymises, ``writers`` write, ``corpus`` ties them
together with the manifest, ``names`` keeps the user's list of names to redact."""

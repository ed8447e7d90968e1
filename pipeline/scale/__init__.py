"""Batch tagging beyond one process: the engine-neutral core, a local process pool, and Spark.

Every path scores passages with :func:`pipeline.scale.core.tag_frame`, which runs the same
``pipeline.tag.tag_batch`` as ``aptag tag``, so all of them store the same predictions.
"""

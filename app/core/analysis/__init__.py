"""The analysis engine: pure functions over the event log (no Qt, no SQL).

``facts`` derives per-item facts from a sitting's events, one module per pattern family finds the
mistake patterns (``timing``, ``changes``, ``keywords``, ``knowledge``, ``fatigue``), ``strengths``
and ``trend`` summarise, ``reasons`` suggests why an item was missed, and ``result`` builds the one
:class:`~app.core.analysis.result.Analysis` object the CLI serialises and the screens draw.
Thresholds are data (``resources/analysis.json``); docs/analytics.md explains each.
"""

"""The thresholds and the reason taxonomy are validated data, and docs/analytics.md documents all of it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.core.analysis.reasons import default_taxonomy, load_taxonomy
from app.core.analysis.thresholds import PATTERNS, default_settings, load_settings
from app.paths import resource
from tests.core.analysis_builders import Built, right, sitting
from tests.core.test_analysis_patterns import run

DOC = (Path(__file__).resolve().parents[2] / "docs" / "analytics.md").read_text(encoding="utf-8")


def test_docs_name_every_pattern_threshold_reason_and_json_field() -> None:
    for pattern in (*PATTERNS, "fatigue"):
        assert f"`{pattern}`" in DOC, pattern
    for reason in default_taxonomy().reasons:
        assert f"| `{reason.id}` | {reason.category} | {reason.name} |" in DOC, reason.id
    data = run(sitting_one()).to_dict()
    for field in data:
        assert f"`{field}`" in DOC or f"`{field}[]`" in DOC, field
    for source in ("Kruger", "BMC Medical Education", "Wilson", "Error Reflection Method"):
        assert source in DOC


def sitting_one() -> Built:
    return sitting([right()])


def test_settings_and_taxonomy_load_and_are_strict(tmp_path: Path) -> None:
    settings = default_settings()
    assert settings.pass_line == 0.6 and settings.rushed_below_pace_fraction == 0.33
    raw = json.loads(resource("analysis.json").read_text(encoding="utf-8"))
    bad = tmp_path / "analysis.json"
    bad.write_text(json.dumps({**raw, "rushed_below_pace_fraktion": 0.3}), encoding="utf-8")
    with pytest.raises(ValidationError, match="rushed_below_pace_fraktion"):
        load_settings(bad)
    bad.write_text(json.dumps({**raw, "knowledge_gap_dimensions": ["colour"]}), encoding="utf-8")
    with pytest.raises(ValueError, match="colour"):
        load_settings(bad)
    taxonomy = json.loads(resource("error_reasons.json").read_text(encoding="utf-8"))
    taxonomy["suggestions"].append({"pattern": "rushed", "reason": "bad-luck"})
    bad_reasons = tmp_path / "error_reasons.json"
    bad_reasons.write_text(json.dumps(taxonomy), encoding="utf-8")
    with pytest.raises(ValidationError, match="bad-luck"):
        load_taxonomy(bad_reasons)
    assert {r.category for r in default_taxonomy().reasons} == {"test-taking", "learning"}

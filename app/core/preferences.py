"""The user's display preferences, saved atomically beside the database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from app.core.atomic_file import damage_summary, set_aside, write_text_atomic

PREFERENCES_FILE = "preferences.json"
MIN_ZOOM = -3
MAX_ZOOM = 8
ThemeChoice = Literal["light", "dark", "high_contrast", "system"]
FOLLOW_SYSTEM: ThemeChoice = "system"


class BlockSetup(BaseModel):
    """The block builder's settings when a block was last started from it (restored at the next start)."""

    model_config = ConfigDict(extra="ignore")

    packs: list[str] = Field(default_factory=list)
    disciplines: list[str] = Field(default_factory=list)
    systems: list[str] = Field(default_factory=list)
    pool: str = "all"
    recent_days: int = Field(default=7, ge=1)
    size: int = Field(default=40, ge=1)
    minutes: float | None = Field(default=None, gt=0)
    """None: exam pace."""
    mode: str = "timed"
    tutor_timed: bool = True


class Preferences(BaseModel):
    """Font zoom steps, theme (``system``: light or dark as the system's colour scheme is, live), the block
    builder's last settings and the window's size and place."""

    model_config = ConfigDict(extra="ignore")

    zoom: int = Field(default=0, ge=MIN_ZOOM, le=MAX_ZOOM)
    theme: ThemeChoice = FOLLOW_SYSTEM
    block_setup: BlockSetup | None = None
    window_geometry: str | None = None
    """``QMainWindow.saveGeometry()``, base64: size, position, maximised, and the screen it was on."""

    @model_validator(mode="before")
    @classmethod
    def _read_old_dark_flag(cls, data: Any) -> Any:
        """Files written before themes had ``"dark": true/false``; that choice is kept as a theme."""
        if isinstance(data, dict) and "theme" not in data and isinstance(data.get("dark"), bool):
            return {**data, "theme": "dark" if data["dark"] else "light"}
        return data


def load_preferences(folder: Path) -> Preferences:
    """Saved preferences, or defaults when there are none; a damaged file is moved aside as ``.bad``."""
    path = folder / PREFERENCES_FILE
    try:
        return Preferences.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return Preferences()
    except (OSError, ValueError, ValidationError) as exc:
        set_aside(path, damage_summary(exc))
        return Preferences()


def save_preferences(folder: Path, preferences: Preferences) -> None:
    """Write preferences atomically."""
    write_text_atomic(folder / PREFERENCES_FILE, preferences.model_dump_json(indent=2))

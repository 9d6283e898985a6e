"""The one error family of Blocksim. The CLI maps these to messages and exit codes, the GUI to dialogs.

Exit codes follow one scheme (README, "Exit codes"): 0 ok, 1 the input, a pack, the store or the
system could not be used (every ``BlocksimError``), 2 a usage error (argparse), 130 interrupted.
"""

from __future__ import annotations

from app.core.wording import questions_match


class BlocksimError(Exception):
    """Base of every error Blocksim reports to a user."""

    exit_code = 1


class PackError(BlocksimError):
    """A pack could not be read or is invalid; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class FileWriteError(BlocksimError):
    """A file (export, schema, preferences, presets) could not be written; the message names why."""


class StoreError(BlocksimError):
    """The local store cannot be opened or used safely (never silently replaced)."""


class StoreWriteError(StoreError):
    """A write to the store failed (disk full, read-only, no permission): ``what`` was not saved, ``reason`` says why.

    Everything stored before it is kept; the same action can be done again once the cause is gone.
    """

    def __init__(self, what: str, reason: str) -> None:
        super().__init__(f"{what[:1].upper()}{what[1:]} was not saved: {reason}.")
        self.what = what
        self.reason = reason


class ExamRuleError(BlocksimError):
    """An action the exam rules forbid, e.g. answering after 0:00 or reopening a closed block."""


class NotEnoughQuestionsError(BlocksimError):
    """A block or day asks for more questions than the chosen pool holds."""

    def __init__(
        self,
        wanted: int,
        available: int,
        what: str = "block",
        advice: str = "Choose more packs, a wider pool, or a smaller size.",
    ) -> None:
        super().__init__(f"{questions_match(available, only=True)}, but the {what} needs {wanted}. {advice}")
        self.wanted = wanted
        self.available = available


class AnalysisError(BlocksimError):
    """An analysis was asked of something that is not there: an unknown session, a block given as a day..."""


class BackupError(BlocksimError):
    """A backup cannot be made, or a file cannot be restored (not a Blocksim store, a window is open)."""


class ReportError(BlocksimError):
    """A printable report cannot be made: a file name that is neither .html nor .pdf, a scope without sittings..."""

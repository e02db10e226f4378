"""The data layer's errors: a :class:`Problem` located in a file, and the error that lists them.

Every layer that reads or checks data (loading, the user store, consistency, the importer) raises
:class:`DataValidationError` with one :class:`Problem` per failure; the module imports nothing of
parlib, so any of them can use it without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One validation failure, located in a file (and, for a spreadsheet, a sheet).

    ``line`` is the CSV line or the spreadsheet row; ``suggestion`` is a hint such as
    "Did you mean 'Hưng Yên'?"; ``severity`` is ``"error"`` (blocks a load or an import) or
    ``"warning"`` (reported, does not block).
    """

    file: str
    line: int | None
    column: str | None
    found: str
    expected: str
    fix: str
    sheet: str | None = None
    suggestion: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        where = (
            self.file
            + (f", sheet '{self.sheet}'" if self.sheet else "")
            + (f", {'row' if self.sheet else 'line'} {self.line}" if self.line else "")
            + (f", column '{self.column}'" if self.column else "")
        )
        hint = f" {self.suggestion}" if self.suggestion else ""
        head = "warning: " if self.severity == "warning" else ""
        return f"{head}{where}: found {self.found}; expected {self.expected}.{hint} Fix: {self.fix}"


class DataValidationError(ValueError):
    """Raised when bundled or imported data fails validation; ``problems`` lists every failure."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} data problem(s):\n{shown}{more}")

"""Errors shared by the framework-free libraries and the command line.

Free of Django, so ``nmt.estimation``, ``nmt.linkage`` and ``nmt.disclosure`` can raise them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One rejected value: where it is and what is wrong with it."""

    message: str
    path: str | None = None
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = []
        if self.path is not None:
            where.append(str(self.path))
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field is not None:
            where.append(f"column {self.field!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class BadInputError(ValueError):
    """Input that the user must correct; the command line exits with status 2.

    Carries every problem found, so one run reports all of them rather than the first.
    """

    def __init__(self, problems: list[Problem] | Problem | str, path: str | Path | None = None):
        if isinstance(problems, str):
            problems = [Problem(problems, path=str(path) if path is not None else None)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

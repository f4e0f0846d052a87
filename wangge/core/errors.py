"""The few domain errors shared by every app."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with an input file, located precisely enough to fix it."""

    message: str
    line: int | None = None
    feature: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.feature is not None:
            where.append(f"feature {self.feature}")
        if self.column:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class ImportFailed(Exception):
    """An import found problems and wrote nothing."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


class EditConflict(Exception):
    """Someone else changed the record since it was read; nothing was written. The message
    says what to do (reload and redo the change)."""

"""The one error a 9-line parse raises: every problem found, each naming its line and field."""

from pydantic import BaseModel

from medevac.errors import DomainError, FieldError


class LineProblem(BaseModel):
    line: int | None  # None: not tied to one line (e.g. text before line 1, MIST-AT notes)
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else f"{self.field}: {self.message}"


class NineLineError(DomainError):
    """A 9-line that cannot be accepted; `problems` lists what to fix, line by line. Answered as a
    422 whose `errors[].field` names the line (`line 3.precedence`)."""

    title = "Invalid 9-line"

    def __init__(self, problems: list[LineProblem], *, zone_missing: bool = False) -> None:
        self.problems = problems
        self.zone_missing = zone_missing  # a grid without its zone: parse again with the mission's area
        errors = [FieldError(f"line {p.line}.{p.field}" if p.line else p.field, p.message) for p in problems]
        super().__init__("; ".join(str(p) for p in problems[:5]), errors)
        self.args = ("; ".join(str(problem) for problem in problems),)


class Unreadable(Exception):
    """One line's content cannot be read; the caller files `message` under that line."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

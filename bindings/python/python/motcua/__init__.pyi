"""Type stubs of motcua (the extension module motcua._motcua, re-exported here).

Dicts are in the published JSON shapes of specs/schema/runtime/*.schema.json; they are
typed loosely here (``dict[str, Any]``) and exactly by those schemas.
"""

from __future__ import annotations

import datetime
import os
from typing import Any, Optional, TypedDict, Union

__version__: str

JSON = dict[str, Any]
Instant = Union[str, datetime.datetime]
"""An RFC 3339 string (``2026-03-02T09:00:00+07:00``) or an aware datetime."""
Day = Union[str, datetime.date]
"""``YYYY-MM-DD`` or a date."""

class Place(TypedDict):
    """Where the mistake is: a spec file's line and column, or a JSON path
    (``$.actor.role``), or the name of the argument at fault."""

    file: Optional[str]
    line: Optional[int]
    column: Optional[int]
    path: str

class MotcuaError(Exception):
    """Every error of motcua."""

    code: str
    """The stable, machine-readable code (``unknown_step``, ``forbidden``, ``invalid_shape``...)."""
    place: Place
    message_vi: str
    message_en: str

class SpecError(MotcuaError):
    """A catalogue, calendar, units or procedure spec did not load."""

    diagnostics: list[JSON]
    """Every error and warning, ``{code, severity, file, line, column, path, message, help?}``."""

class InputError(MotcuaError):
    """A malformed argument. Codes: ``invalid_shape`` (a dict not in the published shape),
    ``invalid_type`` (a value with no JSON form), ``invalid_json`` (a JSON text that does
    not parse), ``invalid_argument`` (an instant, date, duration or language),
    ``invalid_utf8``, ``io_error``."""

class CommandRefused(MotcuaError):
    """The engine refused a submission or command; the dossier is unchanged."""

    rejection: JSON
    """The rejection, ``{code, field, message, problems?}``."""
    problems: list[JSON]
    """For ``invalid_form``: every problem, with its JSON path."""

class HistoryError(MotcuaError):
    """A snapshot or history does not check out: ``tampered_snapshot``,
    ``tampered_history``, ``invalid_history``, ``wrong_procedure``."""

    rejection: JSON
    problems: list[JSON]

class CalendarError(MotcuaError):
    """``outside_calendar`` (beyond the calendar's years) or ``unknown_calendar``."""

class Library:
    """What procedures are compiled against: catalogue, calendars, units."""

    def __init__(self, catalogue: str, file: str = "catalogue.yaml") -> None: ...
    @staticmethod
    def from_folder(path: Union[str, os.PathLike[str]]) -> Library: ...
    def add_calendar(self, text: str, file: str = "calendar.yaml") -> None: ...
    def add_units(self, text: str, file: str = "units.yaml") -> None: ...
    @property
    def calendars(self) -> list[str]: ...
    def add_working_time(self, calendar: str, start: Instant, duration: str) -> str: ...
    def compile(self, text: str, file: str = "procedure.yaml") -> Procedure: ...
    def load_procedure(self, path: Union[str, os.PathLike[str]]) -> Procedure: ...

class Procedure:
    """A compiled procedure; immutable, shared by its dossiers."""

    @property
    def code(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def name(self) -> JSON: ...
    @property
    def spec(self) -> JSON: ...
    @property
    def warnings(self) -> list[JSON]: ...
    def validate(
        self, data: JSON, documents: Optional[list[JSON]] = None, today: Optional[Day] = None
    ) -> list[JSON]: ...
    def add_working_time(self, start: Instant, duration: str) -> str: ...
    def mermaid(self, lang: str = "vi") -> str: ...
    def dot(self, lang: str = "vi") -> str: ...
    def submit(self, submission: JSON) -> tuple[Dossier, JSON]: ...
    def restore(self, snapshot: Union[JSON, str], head: Optional[str] = None) -> Dossier: ...
    def replay(self, events: list[JSON]) -> Dossier: ...

class Dossier:
    """One application running through a procedure."""

    def apply(self, command: JSON) -> JSON: ...
    def apply_json(self, command: str) -> str: ...
    def advance(self, now: Instant) -> JSON: ...
    @property
    def id(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def status(self) -> int: ...
    @property
    def active(self) -> list[str]: ...
    @property
    def closure(self) -> Optional[JSON]: ...
    @property
    def head(self) -> str: ...
    @property
    def next_due(self) -> Optional[str]: ...
    @property
    def procedure(self) -> Procedure: ...
    @property
    def events(self) -> list[JSON]: ...
    def effects_of(self, seq: int) -> list[JSON]: ...
    def available_actions(self) -> list[tuple[str, str]]: ...
    def snapshot(self) -> JSON: ...
    def snapshot_json(self) -> str: ...
    def verify(self) -> None: ...
    def __copy__(self) -> Dossier: ...
    def __deepcopy__(self, memo: dict[int, Any]) -> Dossier: ...

def verify_history(events: list[JSON], head: Optional[str] = None) -> None: ...
def runtime_schemas() -> dict[str, JSON]: ...

"""motcua: an engine for Vietnamese government administrative procedures (một cửa).

Load a library (catalogue, calendars, units), compile procedures against it, and run
dossiers through them. Dicts go in and come out in the published JSON shapes
(``specs/schema/runtime/*.schema.json``); every failure is a :class:`MotcuaError` with a
stable ``code``, a ``place`` and the message in Vietnamese and English.
"""

from ._motcua import (
    CalendarError,
    CommandRefused,
    Dossier,
    HistoryError,
    InputError,
    Library,
    MotcuaError,
    Procedure,
    SpecError,
    __version__,
    runtime_schemas,
    verify_history,
)

__all__ = [
    "CalendarError",
    "CommandRefused",
    "Dossier",
    "HistoryError",
    "InputError",
    "Library",
    "MotcuaError",
    "Procedure",
    "SpecError",
    "__version__",
    "runtime_schemas",
    "verify_history",
]

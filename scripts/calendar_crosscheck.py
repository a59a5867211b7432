#!/usr/bin/env python3
"""Cross-checks the shipped national calendars against the `holidays` package (PyPI).

For every root calendar in specs/calendars/ (one that does not `extend` another) and every
year it covers, each day's working status as the engine counts it (`motcua calendar days
FILE --format json`) is compared with `holidays.country_holidays(COUNTRY).is_working_day`
(which knows weekends, holidays, observed days and the substituted workdays it has data
for). Every difference must be listed in the calendar's `known_differences` with
`reference: holidays==<the pinned version>` and a reason; a listed difference that is no
longer one is reported too (stale). Exit status: 0 clean, 1 differences, 2 could not run.

    python3 scripts/calendar_crosscheck.py            # run the check
    python3 scripts/calendar_crosscheck.py --version  # print the pinned holidays version

Provincial calendars (`extends`) are not checked: the package has no Vietnamese
subdivisions, and their national days are the parent's, which is checked.
Set MOTCUA to a command to use instead of `cargo run -p motcua-cli --` (e.g. a built binary).
"""

import datetime as dt
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

HOLIDAYS_VERSION = "0.109"
REFERENCE = f"holidays=={HOLIDAYS_VERSION}"
# Calendar id -> ISO country code of the holidays package.
COUNTRY = {"vn-gov": "VN"}

ROOT = Path(__file__).resolve().parent.parent


def motcua(*args):
    cmd = shlex.split(os.environ.get("MOTCUA", "cargo run --quiet --locked -p motcua-cli --"))
    out = subprocess.run(cmd + list(args), cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"calendar cross-check: `{' '.join(cmd + list(args))}` failed:\n{out.stderr}")
    return json.loads(out.stdout)


def check(path, holidays):
    cal = motcua("calendar", "days", str(path), "--format", "json")
    country = COUNTRY.get(cal["id"])
    if country is None:
        return [f"{path}: no country of the holidays package is mapped to calendar `{cal['id']}` (COUNTRY)"]
    first, last = cal["covers"]
    reference = holidays.country_holidays(country, years=range(first, last + 1))
    known = {}
    for k in cal["known_differences"]:
        if k["reference"] == REFERENCE:
            known[k["date"]] = k["reason"]
    problems, found = [], set()
    for day in cal["days"]:
        date = dt.date.fromisoformat(day["date"])
        theirs = reference.is_working_day(date)
        if theirs == day["working"]:
            continue
        found.add(day["date"])
        if day["date"] in known:
            continue
        ours = "working" if day["working"] else f"off ({day.get('label', {}).get('en') or day.get('label', {}).get('vi', '')})"
        name = reference.get(date)
        them = "working" if theirs else f"off ({name or 'weekend'})"
        problems.append(
            f"{path}: {date} {date:%a}: the calendar says {ours}, {REFERENCE} says {them}; "
            f"fix the calendar or list it in known_differences with the reason"
        )
    for date in sorted(set(known) - found):
        problems.append(f"{path}: known_differences lists {date} but {REFERENCE} agrees with the calendar: remove it")
    print(
        f"{path}: {cal['id']} {first}-{last} vs {REFERENCE} ({country}): "
        f"{len(found)} differences, {len(found & set(known))} explained"
    )
    return problems


def main():
    if sys.argv[1:] == ["--version"]:
        print(HOLIDAYS_VERSION)
        return 0
    try:
        import holidays
    except ImportError:
        print(f"calendar cross-check: install the reference first: pip install {REFERENCE}", file=sys.stderr)
        return 2
    if holidays.__version__ != HOLIDAYS_VERSION:
        print(f"calendar cross-check: holidays {holidays.__version__} installed, {REFERENCE} pinned", file=sys.stderr)
        return 2
    problems = []
    for path in sorted((ROOT / "specs" / "calendars").glob("*.yaml")):
        rel = path.relative_to(ROOT)
        if any(line.startswith("extends:") for line in path.read_text(encoding="utf-8").splitlines()):
            print(f"{rel}: extends another calendar, skipped (its national days are the parent's)")
            continue
        problems += check(rel, holidays)
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

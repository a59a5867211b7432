# Sourced by scripts/test.sh. The shipped calendars, year by year, against an independent
# source: the `holidays` package from PyPI, pinned (the version lives in the script). Installs
# it only when the pinned version is missing, so a second run is fast and changes nothing.
step "calendar cross-check against the holidays package (PyPI)"
holidays_version="$(python3 scripts/calendar_crosscheck.py --version)"
if ! python3 -c "import sys, holidays; sys.exit(holidays.__version__ != '$holidays_version')" 2>/dev/null; then
  python3 -m pip install --quiet --disable-pip-version-check "holidays==$holidays_version"
fi
python3 scripts/calendar_crosscheck.py

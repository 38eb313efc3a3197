#!/bin/sh
# Long run of the any-text property tests (tests/documents/test_property_text.py): random
# (not derandomized) examples, longer runs of one character, shrinking on. CI runs 2 fixed
# examples per test; this runs EXAMPLES (default 200) per test, which takes hours.
#   scripts/property_long_run.sh [EXAMPLES]
# A failure prints the shrunk example and a reproduction blob (@reproduce_failure).
set -eu
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
[ -x "$PY" ] || PY=python3
export PYTHONPATH="$PWD" QT_QPA_PLATFORM=offscreen
export HYPOTHESIS_PROFILE=long ZHIBU_PROPERTY_EXAMPLES="${1:-200}" ZHIBU_PROPERTY_MAX_RUN="${ZHIBU_PROPERTY_MAX_RUN:-3000}"
exec "$PY" -m pytest -q -p no:cacheprovider tests/documents/test_property_text.py -W ignore

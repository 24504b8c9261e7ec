#!/usr/bin/env bash
# The test command (README, CI): installs the Debian packages the tests use, then runs every test project
# with KVGRID_STRICT_TESTS=1 so that no test depending on them can be skipped.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
scripts/install-test-deps.sh
export KVGRID_STRICT_TESTS=1
results="$ROOT/.kvgrid/test-results"
rm -rf "$results"; mkdir -p "$results"
status=0
dotnet test KvGrid.sln -c Release --logger "trx" --results-directory "$results" "$@" || status=$?
# One closing line for CI: totals over every test assembly.
python3 - "$results" <<'PY' || true
import sys, glob, xml.etree.ElementTree as ET
p = f = s = 0
for trx in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(trx).getroot().find(".//{*}Counters")
    if c is None: continue
    p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    s += int(c.get("total", 0)) - int(c.get("executed", 0))
print(f"{p} passed, {f} failed, {s} skipped")
PY
exit $status

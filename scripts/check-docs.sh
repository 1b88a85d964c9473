#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Parses every Documentation/*.rst with docutils; any warning or error
# (a malformed table, a broken reference) fails.
set -euo pipefail
cd "$(dirname "$0")/.."
/usr/bin/python3 - Documentation/*.rst <<'PY'
import io, sys
import docutils.core

bad = 0
for path in sys.argv[1:]:
    log = io.StringIO()
    with open(path) as f:
        docutils.core.publish_doctree(
            f.read(), source_path=path,
            settings_overrides={"report_level": 2, "halt_level": 5,
                                "warning_stream": log})
    if log.getvalue():
        print(log.getvalue(), end="")
        bad += 1
print(f"check-docs.sh: {len(sys.argv) - 1} files, {bad} with problems")
sys.exit(1 if bad else 0)
PY

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Puts scripts/bench.sh's output (reStructuredText paragraphs and tables)
# between the ".. bench-output-begin" and ".. bench-output-end" comments of
# a document, replacing what was there.
# Usage: scripts/bench-doc.sh OUTPUT RST
set -euo pipefail

out=${1:?usage: bench-doc.sh OUTPUT RST}
rst=${2:?usage: bench-doc.sh OUTPUT RST}
/usr/bin/python3 - "$out" "$rst" <<'PY'
import sys

out, rst = sys.argv[1:]
text = open(out).read().rstrip("\n")
doc = open(rst).read()
begin, end = ".. bench-output-begin\n", ".. bench-output-end\n"
i = doc.index(begin) + len(begin)
j = doc.index(end)
open(rst, "w").write(doc[:i] + "\n" + text + "\n\n" + doc[j:])
PY
echo "bench-doc.sh: $rst updated from $out"

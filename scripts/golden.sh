#!/usr/bin/env bash
# Regenerates the golden timelines (tests/golden/<id>.txt, one per catalogue
# scenario) from the current engine, then prints what changed: `git diff --stat`
# and the diff itself. Review the diff; commit it only if every change is meant.
# New golden files are marked with `git add --intent-to-add` so the diff shows them too.
set -euo pipefail
cd "$(dirname "$0")/.."

GOLDEN_UPDATE=1 cargo test --quiet --test it golden::
git add --intent-to-add tests/golden/*.txt
if git diff --quiet -- tests/golden/; then
  echo "golden timelines: no change"
else
  git --no-pager diff --stat -- tests/golden/
  git --no-pager diff -- tests/golden/
fi

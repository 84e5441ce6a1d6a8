#!/usr/bin/env bash
# Prints the path of a Python >= 3.12 (the build tools need it): $PYTHON if set, then python3.13,
# python3.12 on PATH, then pyenv's versions (newest first), then python3.
set -euo pipefail
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
candidates+=(python3.13 python3.12)
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  while IFS= read -r p; do candidates+=("$p"); done < <(ls -d "$root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV)
fi
candidates+=(python3)
for c in "${candidates[@]}"; do
  if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    command -v "$c"
    exit 0
  fi
done
echo "No Python >= 3.12 found. Install one (e.g. 'pyenv install 3.13') or set PYTHON=/path/to/python3." >&2
exit 1

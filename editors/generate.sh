#!/usr/bin/env bash
# Regenerates the editor files derived from the bundled language definitions.
# Run after changing server/craftls/language/bundled/*.yaml or the generators in
# server/craftls/cli/editor_cmd.py; tests/editors checks the committed files are current.
set -euo pipefail
cd "$(dirname "$0")/.."
craftls="${CRAFTLS:-.venv/bin/craftls}"
langs=$(.venv/bin/python -c 'from craftls.language.catalog import bundled_ids; print(" ".join(bundled_ids()))')
# shellcheck disable=SC2086
"$craftls" editor vscode $langs --out editors/vscode >/dev/null
# shellcheck disable=SC2086
"$craftls" editor neovim $langs --out editors/neovim/ftdetect/craftls.lua
# shellcheck disable=SC2086
"$craftls" editor emacs $langs --out editors/emacs >/dev/null
echo "regenerated editor files for: $langs"

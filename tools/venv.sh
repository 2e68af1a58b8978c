#!/bin/sh
# Skapar en virtuell Python-miljö i .venv (första gången) och installerar
# policygen i den:   sh tools/venv.sh        verktyget
#                    sh tools/venv.sh test   verktyget och testverktygen
#
# Why a script: Debian and Ubuntu refuse "pip install ." into the system Python
# (externally-managed-environment), and some of them lack python3-venv's pip
# (ensurepip). This works either way without installing anything by hand.
set -eu
cd "$(dirname "$0")/.."

extra=""
if [ "${1:-}" = "test" ]; then
    extra="[test]"
fi

if ! command -v python3 >/dev/null 2>&1; then
    echo "policygen: python3 saknas – installera Python 3.11 eller senare (https://www.python.org)" >&2
    exit 2
fi

if [ ! -x .venv/bin/python ]; then
    if ! python3 -m venv .venv >/dev/null 2>&1; then
        # Debian without python3-venv: the venv module is there, ensurepip is not.
        rm -rf .venv
        python3 -m venv --without-pip .venv
    fi
fi

if .venv/bin/python -m pip --version >/dev/null 2>&1; then
    .venv/bin/python -m pip install --disable-pip-version-check --quiet ".$extra"
elif python3 -m pip --version >/dev/null 2>&1; then
    # The system's pip may install into the virtual environment (never into the system).
    python3 -m pip --python .venv/bin/python install --disable-pip-version-check --quiet ".$extra"
else
    # No pip anywhere: fetch the official installer into the virtual environment.
    .venv/bin/python -c "import urllib.request; urllib.request.urlretrieve('https://bootstrap.pypa.io/get-pip.py', '.venv/get-pip.py')"
    .venv/bin/python .venv/get-pip.py --quiet
    .venv/bin/python -m pip install --disable-pip-version-check --quiet ".$extra"
fi
echo "policygen är installerat i .venv (kör '. .venv/bin/activate' för att kunna skriva bara 'policygen')."

# Sourced by .ci/run and tools/demo: picks the Python to install into and sets $PY.
#  - an active virtual environment ($VIRTUAL_ENV) is used as it is;
#  - a Python that lets pip install (no PEP 668 EXTERNALLY-MANAGED marker, pip present) is used directly;
#  - otherwise (stock Debian/Ubuntu, Homebrew on macOS) a virtual environment in .venv is made and used,
#    with `python3 -m venv`, or `uv venv` where the venv module is missing; Debian's python3-venv is
#    installed when we are root or have password-less sudo.
# Needs as_root (defined by the caller) for the Debian package fallback.

_managed() {
  python3 - <<'PYEOF'
import os, sys, sysconfig
marker = os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")
try:
    import pip  # noqa: F401
except ImportError:
    sys.exit(0)
sys.exit(0 if os.path.exists(marker) else 1)
PYEOF
}

if [ -n "${VIRTUAL_ENV:-}" ]; then
  PY="$VIRTUAL_ENV/bin/python"
elif [ -x .venv/bin/python ]; then
  PY=.venv/bin/python
elif _managed; then
  echo "pyenv: this Python is managed by the system (PEP 668) or has no pip: using a virtual environment in .venv" >&2
  if ! python3 -m venv .venv 2>/dev/null; then
    rm -rf .venv
    if command -v uv >/dev/null 2>&1; then
      uv venv -q --seed .venv
    elif command -v apt-get >/dev/null 2>&1 && as_root true 2>/dev/null; then
      as_root apt-get install -y -qq python3-venv >/dev/null
      python3 -m venv .venv
    else
      echo "pyenv: cannot make a virtual environment: install python3-venv (Debian/Ubuntu) or uv, then run this again" >&2
      exit 1
    fi
  fi
  PY=.venv/bin/python
else
  PY=python3
fi
export PY

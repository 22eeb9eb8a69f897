# Sourced: as_root CMD... runs a command as root: directly when we are root, through password-less sudo
# when there is one; otherwise it fails with a line saying what to do.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    echo "needs root for: $* (run it as root, or give this user sudo)" >&2
    return 1
  fi
}

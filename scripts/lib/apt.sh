# Debian's packages for the scripts that install what they lack (.ci/run, vpi/): as root (through
# sudo when not root), and with the package index refreshed once when the first try fails.
# shellcheck shell=bash

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# apt_get_install PKG...: installs them quietly; the caller says what it installs and why.
apt_get_install() {
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null \
        || { as_root apt-get update -q >/dev/null && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null; }
}

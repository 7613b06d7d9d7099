# Shared by vpi/build.sh and vpi/run: the emulated machine, the cache, and messages.
# shellcheck shell=bash

# The machine the image is booted on. The device tree is dumped from this very machine (its memory
# size and CPU count are in it) and given a Raspberry Pi 4's model string, which is what Pi4J's
# board detection reads from /proc/device-tree/model.
VPI_MACHINE=(-M virt -cpu cortex-a72 -smp 2 -m 2048)
VPI_MODEL="Raspberry Pi 4 Model B Rev 1.5"
VPI_SUITE=trixie
VPI_MIRROR=${VPI_MIRROR:-http://deb.debian.org/debian}

vpi_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VPI_CACHE_ROOT=${OPENITB_VPI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/openitb-vpi}

vpi_say() { printf 'vpi: %s\n' "$*" >&2; }
vpi_die() { printf 'vpi: %s\n' "$*" >&2; exit 2; }

# The cache key: a hash of everything that goes into the image (these scripts and the image's
# files), so a second run reuses it and any change to them builds a new one.
vpi_key() {
    (cd "$vpi_dir" && cat lib.sh build.sh image/* | sha256sum | cut -c1-16)
}

# shellcheck source=../scripts/lib/apt.sh
. "$vpi_dir/../scripts/lib/apt.sh"

# Debian's packages the host needs to build and boot the virtual Pi.
vpi_host_tools() {
    local missing=()
    command -v qemu-system-aarch64 >/dev/null || missing+=(qemu-system-arm)
    [ -e /usr/libexec/qemu-binfmt/aarch64-binfmt-P ] || command -v qemu-aarch64-static >/dev/null || missing+=(qemu-user-static)
    command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
    command -v arch-test >/dev/null || missing+=(arch-test)
    command -v dtc >/dev/null || missing+=(device-tree-compiler)
    command -v mkfs.ext4 >/dev/null || missing+=(e2fsprogs)
    command -v zstd >/dev/null || missing+=(zstd)
    command -v update-binfmts >/dev/null || missing+=(binfmt-support)
    command -v curl >/dev/null || missing+=(curl)
    command -v xz >/dev/null || missing+=(xz-utils)
    if [ ${#missing[@]} -gt 0 ]; then
        vpi_say "installing ${missing[*]} from Debian's packages"
        apt_get_install "${missing[@]}"
    fi
    # arm64 programs (maintainer scripts, the module's compiler) run under qemu-user via binfmt_misc.
    if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
        as_root mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
    fi
    [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || as_root update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
    [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || vpi_die "binfmt_misc has no qemu-aarch64 entry: arm64 programs cannot run here"
}

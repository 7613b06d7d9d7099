#!/usr/bin/env bash
# Builds the virtual Raspberry Pi from Debian's packages, or finds it in the cache: a Debian trixie
# arm64 root file system with systemd, OpenJDK 21, gpiod and a gpio-sim kernel module built for its
# kernel, packed as an ext4 image, with the kernel, a small initramfs and a Raspberry Pi 4 device
# tree beside it. Prints the directory that holds them (the cache, keyed by a hash of these scripts).
#
#   vpi/build.sh [--rebuild]
#
# Cold: about 10 minutes on 2 cores (emulated package scripts and the module's compiler dominate);
# cached: instant. OPENITB_VPI_CACHE moves the cache (default ~/.cache/openitb-vpi).
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

rebuild=no
[ "${1:-}" = --rebuild ] && rebuild=yes

key=$(vpi_key)
out=$VPI_CACHE_ROOT/$key
if [ "$rebuild" = no ] && [ -s "$out/manifest" ]; then
    printf '%s\n' "$out"
    exit 0
fi
# Only the image's directory goes to stdout (callers take it from there); the build talks on stderr.
exec 3>&1 1>&2
[ "$(id -u)" -eq 0 ] || vpi_die "building the image needs root (mmdebstrap --mode=root, chroot): sudo vpi/build.sh"
vpi_host_tools
started=$(date +%s)
mkdir -p "$VPI_CACHE_ROOT"
# A directory of this build's own (two builds at once do not share one); removed on any exit,
# without crossing into a mount a killed mmdebstrap may have left in its chroot.
work=$(mktemp -d "$VPI_CACHE_ROOT/build-$key.XXXXXX")
trap 'rm -rf --one-file-system "$work"' EXIT
# Each step has a limit, so a stalled download or package script fails the build instead of CI.
step_limit=${VPI_STEP_TIMEOUT:-1800}

# The kernel: whatever linux-image-arm64 points at today, pinned for both the image and the module
# (a module loads only into the kernel it was built against).
curl -fsSL --retry 3 --connect-timeout 20 --max-time 300 "$VPI_MIRROR/dists/$VPI_SUITE/main/binary-arm64/Packages.xz" | xz -dc > "$work/Packages"
kabi=$(awk '/^Package: linux-image-arm64$/ {p=1} p && /^Depends:/ {print; exit}' "$work/Packages" \
    | sed -n 's/.*linux-image-\([^ ]*-arm64\) .*/\1/p')
kver=$(awk -v pkg="linux-image-$kabi" '$0 == "Package: " pkg {p=1} p && /^Version:/ {print $2; exit}' "$work/Packages")
kbuild=$(awk -v pkg="linux-headers-$kabi" '$0 == "Package: " pkg {p=1} p && /^Depends:/ {print; exit}' "$work/Packages" \
    | grep -o 'linux-kbuild-[^ ,]*' | head -n 1)
[ -n "$kabi" ] && [ -n "$kver" ] && [ -n "$kbuild" ] || vpi_die "could not find the arm64 kernel in $VPI_MIRROR $VPI_SUITE"
vpi_say "kernel $kabi ($kver)"
source_list="deb $VPI_MIRROR $VPI_SUITE main"
# Both roots: quiet, and without documentation, manual pages or translations.
common=(--quiet --mode=root --arch=arm64 --variant=minbase
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*'
    --dpkgopt='path-exclude=/usr/share/locale/*')

# 1. gpio-sim, which Debian's arm64 kernel does not build, from that kernel's own sources, compiled
#    in an arm64 chroot (under qemu-user) against its headers. Cached per kernel version.
module_dir=$VPI_CACHE_ROOT/gpio-sim-$kabi-$(sha256sum "$vpi_dir/image/build-gpio-sim.sh" | cut -c1-12)
if [ ! -s "$module_dir/gpio-sim.ko" ]; then
    vpi_say "building gpio-sim for $kabi (about 5 minutes)"
    m0=$(date +%s)
    timeout "$step_limit" mmdebstrap "${common[@]}" \
        --include=gcc-14,make,libc6-dev,xz-utils,bc,kmod,pahole,libelf1t64,libssl3t64,zlib1g,"linux-source-6.12=$kver" \
        --customize-hook="cp '$vpi_dir/image/build-gpio-sim.sh' \"\$1/build-gpio-sim.sh\"" \
        --customize-hook="chroot \"\$1\" sh /build-gpio-sim.sh '$kabi' '$kbuild'" \
        --customize-hook="mkdir -p '$work/module' && cp \"\$1/build/gpio-sim.ko\" '$work/module/'" \
        "$VPI_SUITE" "$work/module-root" "$source_list"
    rm -rf "$work/module-root"
    mkdir -p "$module_dir"
    cp "$work/module/gpio-sim.ko" "$module_dir/gpio-sim.ko"
    vpi_say "gpio-sim built in $(( $(date +%s) - m0 )) s"
fi

# 2. The root file system: what a Raspberry Pi OS bench Pi has that matters here (systemd, udev, the
#    gpio group owning /dev/gpiochip*, an OpenJDK 21, gpiod), plus a runner unit that runs the test
#    script handed in on a 9p share and powers off.
vpi_say "building the root file system (about 8 minutes)"
r0=$(date +%s)
root=$work/root
timeout "$step_limit" mmdebstrap "${common[@]}" \
    --include=systemd,systemd-sysv,udev,kmod,procps,iproute2,util-linux,initramfs-tools,zstd,"linux-image-$kabi=$kver",openjdk-21-jre-headless,gpiod,sqlite3,psmisc,jq,socat \
    --essential-hook='mkdir -p "$1/usr/share/man/man1"' \
    --essential-hook='chroot "$1" dpkg-divert --quiet --local --rename --add /usr/sbin/update-initramfs && printf "#!/bin/sh\nexit 0\n" > "$1/usr/sbin/update-initramfs" && chmod 755 "$1/usr/sbin/update-initramfs"' \
    --customize-hook="install -D -m 0644 '$module_dir/gpio-sim.ko' \"\$1/lib/modules/$kabi/updates/gpio-sim.ko\"" \
    --customize-hook="cp -r '$vpi_dir/image' \"\$1/vpi-image\"" \
    --customize-hook="chroot \"\$1\" sh /vpi-image/configure.sh '$kabi'" \
    --customize-hook='rm -rf "$1/vpi-image"' \
    "$VPI_SUITE" "$root" "$source_list"
vpi_say "root file system in $(( $(date +%s) - r0 )) s"

# What this image holds, for the manifest: the same build on another day may get newer packages.
chroot "$root" dpkg-query -W -f='${Package} ${Version}\n' systemd udev openjdk-21-jre-headless gpiod libgpiod3 \
    "linux-image-$kabi" > "$work/packages"

# 3. The boot files and the image.
mkdir -p "$work/out"
cp "$root/boot/vmlinuz-$kabi" "$work/out/vmlinuz"
cp "$root/boot/initrd.img-$kabi" "$work/out/initrd.img"
size_mb=$(( $(du -sm "$root" | cut -f1) + 900 ))
mkfs.ext4 -q -F -L vpi-root -d "$root" "$work/out/root.img" "${size_mb}M" > /dev/null
rm -rf "$root"

# The device tree of this very machine, with a Raspberry Pi 4's model string.
qemu-system-aarch64 "${VPI_MACHINE[@]}" -machine dumpdtb="$work/virt.dtb" -display none -nic none >/dev/null 2>&1
dtc -q -I dtb -O dts -o "$work/virt.dts" "$work/virt.dtb"
sed -i "0,/^\t*model = .*/s//\tmodel = \"$VPI_MODEL\";/" "$work/virt.dts"
grep -q "model = \"$VPI_MODEL\"" "$work/virt.dts" || sed -i "0,/^\/ {/s//\/ {\n\tmodel = \"$VPI_MODEL\";/" "$work/virt.dts"
dtc -q -I dts -O dtb -o "$work/out/pi4.dtb" "$work/virt.dts"

{
    echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) in $(( $(date +%s) - started )) s"
    echo "suite $VPI_SUITE arm64, kernel $kabi ($kver), $kbuild"
    echo "image $(du -sm --apparent-size "$work/out/root.img" | cut -f1) MB apparent, $(du -sm "$work/out/root.img" | cut -f1) MB on disk"
    sed 's/^/package /' "$work/packages"
} > "$work/out/manifest"
# The new image replaces an old one only now that it is whole; images of other keys are removed
# (each is 1.5 GB sparse), modules built for other kernels or scripts too.
rm -rf "$out"
mv "$work/out" "$out"
for old in "$VPI_CACHE_ROOT"/*; do
    case "$(basename "$old")" in
        "$key" | "$(basename "$module_dir")" | build-*) ;;
        *) [ -f "$old/manifest" ] || [ -f "$old/gpio-sim.ko" ] && rm -rf --one-file-system "$old" ;;
    esac
done
vpi_say "$(head -n 1 "$out/manifest"): $out"
printf '%s\n' "$out" >&3

# Runs inside an arm64 chroot (vpi/build.sh): builds gpio-sim.ko for kernel $1 from the kernel's own
# sources (linux-source-6.12) against its headers, which are unpacked rather than installed
# (installing them pulls in the kernel image and an initramfs build). $2 is the kbuild package.
set -eu
kabi=$1
kbuild=$2
cd /tmp
apt-get download -q "linux-headers-$kabi" "linux-headers-${kabi%-arm64}-common" "$kbuild" >/dev/null
for deb in ./*.deb; do dpkg -x "$deb" /; done
mkdir -p /build/src
tar -xf /usr/src/linux-source-6.12.tar.xz -C /build/src --strip-components=1 --wildcards \
    'linux-source-6.12/drivers/gpio/gpio-sim.c' 'linux-source-6.12/drivers/gpio/*.h' \
    'linux-source-6.12/kernel/irq/irq_sim.c'
cd /build
# One module: gpio-sim and the interrupt simulator it needs (irq_sim, which Debian does not build
# either). irq_sim hands interrupts on through irq_to_desc(), which modules cannot reach; the
# exported generic_handle_irq() does the same for a simple interrupt.
cp src/drivers/gpio/gpio-sim.c gpio-sim-main.c
cp src/drivers/gpio/*.h .
sed 's/handle_simple_irq(irq_to_desc(\([^)]*\)))/generic_handle_irq(\1)/' src/kernel/irq/irq_sim.c > irq_sim.c
grep -q 'generic_handle_irq(' irq_sim.c || { echo "build-gpio-sim: irq_sim.c no longer calls handle_simple_irq(irq_to_desc(...)); update the patch" >&2; exit 1; }
if grep -q 'irq_to_desc' irq_sim.c; then echo "build-gpio-sim: irq_sim.c still uses irq_to_desc" >&2; exit 1; fi
printf 'obj-m := gpio-sim.o\ngpio-sim-y := gpio-sim-main.o irq_sim.o\n' > Kbuild
make -s -C "/usr/src/linux-headers-$kabi" M=/build CC=gcc-14 modules
modinfo -F vermagic gpio-sim.ko | grep -q "^${kabi} " || { echo "build-gpio-sim: gpio-sim.ko is not for $kabi: $(modinfo -F vermagic gpio-sim.ko)" >&2; exit 1; }

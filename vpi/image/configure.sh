# Runs inside the image's root (vpi/build.sh): makes a Debian trixie arm64 root into a bench Pi
# that boots under QEMU and runs the test script it is handed. $1 is the kernel's ABI name.
set -eu
kabi=$1

# The initramfs, built once here (it was held back during the install): only what mounts the root
# on QEMU's virtio disk, so it is small and the boot quick.
rm -f /usr/sbin/update-initramfs
dpkg-divert --quiet --local --rename --remove /usr/sbin/update-initramfs
sed -i 's/^MODULES=.*/MODULES=list/' /etc/initramfs-tools/initramfs.conf
printf 'virtio_pci\nvirtio_blk\next4\n' >> /etc/initramfs-tools/modules
depmod -a "$kabi"
update-initramfs -c -k "$kabi" >/dev/null

echo openitb-vpi > /etc/hostname
printf '/dev/vda / ext4 rw,noatime 0 1\n' > /etc/fstab
ln -sf /usr/share/zoneinfo/Etc/UTC /etc/localtime
mkdir -p /var/log/journal
printf '9pnet_virtio\n9p\n' > /etc/modules-load.d/vpi-share.conf

# As on Raspberry Pi OS: the gpio group owns the GPIO character devices.
groupadd --system gpio
cat > /etc/udev/rules.d/99-gpio.rules <<'RULES'
SUBSYSTEM=="gpio", KERNEL=="gpiochip*", GROUP="gpio", MODE="0660"
RULES

# Nothing else competes for the two emulated cores.
systemctl mask apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer fstrim.timer >/dev/null 2>&1 || true

install -m 0755 /vpi-image/vpi-runner /usr/local/sbin/vpi-runner
install -m 0644 /vpi-image/vpi-runner.service /etc/systemd/system/vpi-runner.service
systemctl enable vpi-runner.service >/dev/null

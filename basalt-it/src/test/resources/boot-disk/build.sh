#!/usr/bin/env bash
# Builds a small BIOS-bootable raw disk from Debian packages, without mounting anything: an MBR
# (syslinux's mbr.bin) and one FAT partition at 1 MiB holding SYSLINUX, Debian's kernel (taken from
# its linux-image .deb, not installed) and a busybox-static initramfs. The guest's /init prints
# "guest: booted, marker <m>" (m from basalt_marker= on the kernel command line) to the serial
# console, writes "BASALT-GUEST-WROTE <m>" at byte 1 MiB of its second virtio disk (/dev/vdb) and
# powers off. Booted with `qemu-system-x86_64 -accel tcg -nographic -no-reboot`, firmware SeaBIOS.
#
#   build.sh OUTPUT.img MARKER
#
# Needs: apt-get (to download the kernel .deb), syslinux, syslinux-common, mtools, dosfstools,
# fdisk (sfdisk), busybox-static, gzip.
set -euo pipefail
out="$(readlink -f "$1")"
marker="$2"
work="$(mktemp -d "${TMPDIR:-/tmp}/basalt-boot-disk.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cd "$work"

kernel_package="$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-/ {print $2; exit}')"
if [ -z "$kernel_package" ] || ! apt-get download -q "$kernel_package" >/dev/null 2>&1; then
  apt-get update -q >/dev/null
  kernel_package="$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/ {print $2; exit}')"
  apt-get download -q "$kernel_package" >/dev/null
fi
dpkg-deb --fsys-tarfile ./"$kernel_package"_*.deb \
  | tar -x --wildcards './boot/vmlinuz-*' './lib/modules/*/kernel/drivers/virtio/*' \
        './lib/modules/*/kernel/drivers/block/virtio_blk.ko*'

# The initramfs: busybox, the virtio block driver and its dependencies (in load order), /init.
modules="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk"
mkdir -p root/bin root/modules root/proc root/sys root/dev
cp /bin/busybox root/bin/busybox
for m in $modules; do
  find lib/modules -name "$m.ko" -exec cp {} root/modules/ \;
done
cat > root/init <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $modules; do insmod /modules/\$m.ko; done
marker=\$(sed -n 's/.*basalt_marker=\([^ ]*\).*/\1/p' /proc/cmdline)
echo "guest: booted, marker \$marker"
for i in \$(seq 1 50); do [ -b /dev/vdb ] && break; sleep 0.1; done
if [ -b /dev/vdb ]; then
  printf 'BASALT-GUEST-WROTE %s\n' "\$marker" | dd of=/dev/vdb bs=512 seek=2048 conv=fsync 2>/dev/null \
    && echo "guest: wrote the marker to /dev/vdb"
else
  echo "guest: no /dev/vdb"
fi
sync
poweroff -f
INIT
chmod +x root/init
(cd root && find . | busybox cpio -o -H newc 2>/dev/null) | gzip -1 > initrd.img

cat > syslinux.cfg <<CFG
DEFAULT linux
PROMPT 0
TIMEOUT 0
LABEL linux
  KERNEL vmlinuz
  APPEND initrd=initrd.img console=ttyS0 panic=-1 quiet basalt_marker=$marker
CFG

size_mib=64
truncate -s "${size_mib}M" disk.img
printf 'label: dos\nstart=2048, type=c, bootable\n' | sfdisk -q disk.img
dd if=/usr/lib/syslinux/mbr/mbr.bin of=disk.img conv=notrunc bs=440 count=1 status=none
mkfs.fat --offset 2048 -n BASALTBOOT disk.img $(( (size_mib - 1) * 1024 )) >/dev/null
mcopy -i disk.img@@1M boot/vmlinuz-* ::vmlinuz
mcopy -i disk.img@@1M initrd.img ::initrd.img
mcopy -i disk.img@@1M syslinux.cfg ::syslinux.cfg
syslinux --install --offset 1048576 disk.img
mv disk.img "$out"

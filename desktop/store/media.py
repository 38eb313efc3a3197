"""What kind of medium a ledger lies on: the local disk, a removable stick, or a network share.

- Windows: ``GetDriveTypeW`` of the drive root (``DRIVE_REMOVABLE``, ``DRIVE_REMOTE``); UNC paths
  (``\\\\server\\share``) are network.
- Linux: the mount that holds the path, from ``/proc/self/mountinfo`` (longest mount point that
  is a prefix). Network: nfs, cifs/smb3, sshfs and the other FUSE network file systems. Removable:
  a block device whose ``/sys/block/<disk>/removable`` is 1 or that hangs off USB — whatever the
  file system (vfat, exfat, ntfs, fuseblk …).
- elsewhere: local.

Used to decide whether the program works on a local working copy (desktop.store.workcopy).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

LOCAL, REMOVABLE, NETWORK = "local", "removable", "network"
LABELS = {LOCAL: "本机磁盘", REMOVABLE: "U 盘或移动硬盘", NETWORK: "网络共享文件夹"}

NETWORK_FS = frozenset({"nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "ceph", "glusterfs", "9p",
                        "davfs", "sshfs", "fuse.sshfs", "fuse.rclone", "fuse.s3fs", "fuse.gvfsd-fuse",
                        "fuse.curlftpfs", "fuse.davfs", "fuse.glusterfs", "fuse.smbnetfs"})
REMOVABLE_FS = frozenset({"vfat", "msdos", "exfat", "ntfs", "ntfs3", "fuseblk", "udf", "iso9660", "hfsplus"})


@dataclass(frozen=True)
class Medium:
    kind: str  # LOCAL, REMOVABLE or NETWORK
    fstype: str = ""
    mount_point: str = ""
    source: str = ""

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    @property
    def needs_working_copy(self) -> bool:
        return self.kind != LOCAL


def medium_of(path: Path | str, *, mountinfo: str | None = None, sys_root: Path | str = "/sys") -> Medium:
    """The medium holding ``path`` (which may not exist yet: its folder decides)."""
    path = Path(os.path.abspath(path))
    if sys.platform == "win32":
        return _windows_medium(path)
    if not sys.platform.startswith("linux") and mountinfo is None:
        return Medium(LOCAL)
    if mountinfo is None:
        try:
            mountinfo = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return Medium(LOCAL)
    real = os.path.realpath(path)
    mount = _mount_of(real, mountinfo)
    if mount is None:
        return Medium(LOCAL)
    mount_point, fstype, source, dev = mount
    if fstype in NETWORK_FS or fstype.startswith("fuse.sshfs") or source.startswith("//"):
        return Medium(NETWORK, fstype, mount_point, source)
    if _is_removable(dev, source, Path(sys_root)):
        return Medium(REMOVABLE, fstype, mount_point, source)
    return Medium(LOCAL, fstype, mount_point, source)


def _unescape(field: str) -> str:
    """mountinfo escapes space, tab, newline and backslash as octal (\\040 …)."""
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and field[i + 1:i + 4].isdigit() and len(field[i + 1:i + 4]) == 3:
            out.append(chr(int(field[i + 1:i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def _mount_of(real: str, mountinfo: str) -> tuple[str, str, str, str] | None:
    """(mount point, fs type, source, major:minor) of the longest mount point containing ``real``."""
    best = None
    for line in mountinfo.splitlines():
        left, sep, right = line.partition(" - ")
        if not sep:
            continue
        fields, tail = left.split(), right.split()
        if len(fields) < 5 or len(tail) < 2:
            continue
        point = _unescape(fields[4])
        inside = real == point or real.startswith(point.rstrip("/") + "/") or point == "/"
        if inside and (best is None or len(point) >= len(best[0])):
            best = (point, tail[0], _unescape(tail[1]), fields[2])
    return best


def _is_removable(dev: str, source: str, sys_root: Path) -> bool:
    """True when the block device behind the mount is removable or on USB."""
    if source.startswith("/dev/"):  # fuseblk (ntfs-3g) mounts carry an anonymous major:minor
        try:
            rdev = os.stat(source).st_rdev
            dev = f"{os.major(rdev)}:{os.minor(rdev)}"
        except OSError:
            pass
    node = sys_root / "dev" / "block" / dev
    try:
        real = Path(os.path.realpath(node))
    except OSError:
        return False
    if not real.exists():
        return False
    if "/usb" in str(real):
        return True
    for candidate in (real, real.parent):  # a partition's disk is its parent
        flag = candidate / "removable"
        try:
            if flag.read_text().strip() == "1":
                return True
        except OSError:
            continue
    return False


def _windows_medium(path: Path) -> Medium:
    text = str(path)
    if text.startswith("\\\\"):
        return Medium(NETWORK, "", text, text)
    import ctypes

    drive = os.path.splitdrive(text)[0]
    if not drive:
        return Medium(LOCAL)
    kind = ctypes.windll.kernel32.GetDriveTypeW(ctypes.c_wchar_p(drive + "\\"))
    # DRIVE_REMOVABLE 2, DRIVE_FIXED 3, DRIVE_REMOTE 4, DRIVE_CDROM 5
    if kind == 4:
        return Medium(NETWORK, "", drive, drive)
    if kind in (2, 5):
        return Medium(REMOVABLE, "", drive, drive)
    return Medium(LOCAL, "", drive, drive)

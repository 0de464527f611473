"""A FUSE file system for tests: passes everything through to a backing folder,
except that while a switch file exists every write, truncate and fsync fails
with a real EIO from the kernel, as on a failing disk.

Usage: python3 fault_fs.py <backing dir> <mount point> <switch file>
Needs Debian's python3-fusepy (the module is named `fusepy` there).
"""
import errno
import os
import sys

from fusepy import FUSE, FuseOSError, Operations

STAT_FIELDS = ('st_atime', 'st_ctime', 'st_gid', 'st_mode', 'st_mtime', 'st_nlink', 'st_size', 'st_uid')
STATVFS_FIELDS = ('f_bavail', 'f_bfree', 'f_blocks', 'f_bsize', 'f_favail', 'f_ffree', 'f_files', 'f_flag',
                  'f_frsize', 'f_namemax')


class FaultFS(Operations):
    def __init__(self, root, switch):
        self.root = root
        self.switch = switch

    def _path(self, path):
        return os.path.join(self.root, path.lstrip('/'))

    def _fail_if_switched(self):
        if os.path.exists(self.switch):
            raise FuseOSError(errno.EIO)

    def getattr(self, path, fh=None):
        st = os.lstat(self._path(path))
        return {key: getattr(st, key) for key in STAT_FIELDS}

    def statfs(self, path):
        st = os.statvfs(self._path(path))
        return {key: getattr(st, key) for key in STATVFS_FIELDS}

    def readdir(self, path, fh):
        return ['.', '..'] + os.listdir(self._path(path))

    def mkdir(self, path, mode):
        return os.mkdir(self._path(path), mode)

    def rmdir(self, path):
        return os.rmdir(self._path(path))

    def unlink(self, path):
        return os.unlink(self._path(path))

    def rename(self, old, new):
        return os.rename(self._path(old), self._path(new))

    def chmod(self, path, mode):
        return os.chmod(self._path(path), mode)

    def chown(self, path, uid, gid):
        return os.chown(self._path(path), uid, gid)

    def utimens(self, path, times=None):
        return os.utime(self._path(path), times)

    def open(self, path, flags):
        return os.open(self._path(path), flags)

    def create(self, path, mode, fi=None):
        # Read-write: SQLite maps its -shm file and reads back what it wrote.
        return os.open(self._path(path), os.O_RDWR | os.O_CREAT, mode)

    def read(self, path, size, offset, fh):
        return os.pread(fh, size, offset)

    def write(self, path, data, offset, fh):
        self._fail_if_switched()
        return os.pwrite(fh, data, offset)

    def truncate(self, path, length, fh=None):
        self._fail_if_switched()
        os.truncate(self._path(path), length)

    def fsync(self, path, datasync, fh):
        self._fail_if_switched()
        return os.fsync(fh)

    def flush(self, path, fh):
        return 0

    def release(self, path, fh):
        return os.close(fh)


if __name__ == '__main__':
    backing, mount_point, switch = sys.argv[1:4]
    # No attribute caching: SQLite grows its -shm file and maps it at once.
    FUSE(FaultFS(backing, switch), mount_point, foreground=True, nothreads=True,
         attr_timeout=0, entry_timeout=0, negative_timeout=0)

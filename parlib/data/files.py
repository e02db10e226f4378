"""Writing files safely, in one place: atomic, durable, honouring the umask, and one clear line when
the operating system refuses (disk full, read-only, not a folder, permission).

Every file parlib writes (store, templates, reports, manifests) goes through :func:`atomic_write`
(or :func:`write_new` for a file in a folder that is renamed into place as a whole): a temporary
file in the same folder, written, flushed and fsynced, then ``os.replace``-d over the target. A
failure at any point leaves the old file as it was and no temporary file behind.

Two test-only hooks (environment variables, read on every call; never set them in real use):

``PARLIB_FAULT_POINT=<name>[,<name>…]``
    :func:`fault_point` makes the process SIGKILL itself at a named point of a store write
    (``locked``, ``staging``, ``staged``, ``renamed``, ``manifest-written``, ``committed``,
    ``remove-committed``), so tests can kill an import at every moment with a real process.
``PARLIB_FAULT_ENOSPC_AFTER=<bytes>``
    writes through this module raise ``OSError(ENOSPC)`` once the process has written that many
    bytes: the disk-full path is exercised where no small file system can be mounted.
``PARLIB_FAULT_SLEEP=<name>:<seconds>``
    :func:`fault_sleep` pauses at a named point: a store write at ``staged``, so that writers that
    were not serialised by the lock would overlap and lose updates; a report between its HTML and
    its notebook at ``html-written``; a batch worker after signalling its parent at
    ``signalled-parent`` (its result arrives after the stop).
``PARLIB_FAULT_SIGNAL_PARENT=SIGTERM|SIGINT[@<point>]``
    :func:`fault_signal`: a batch worker signals the batch process at a point of a report
    (``report-end``, the default: the report has finished, :func:`parlib.run.batch_worker.render_task`;
    ``html-written``: its HTML is written, its notebook not yet, :func:`parlib.run.render.run_notebook`;
    ``kernel-started``: its warm kernel has started and is importing parlib): the race between a
    report's end and a stop, a stop while a kernel starts.
``PARLIB_FAULT_SIGNAL_SELF=SIGTERM|SIGINT@<point>``
    :func:`fault_signal`: the ``parlib`` command signals itself at a point (``batch-planning``: before
    the batch plans its reports; ``batch-done``: after the batch, before its summary is printed).
"""

from __future__ import annotations

import errno
import os
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path

_written = 0  # bytes written by this process (for PARLIB_FAULT_ENOSPC_AFTER)


def fault_point(name: str) -> None:
    """Test hook: SIGKILL this process when ``PARLIB_FAULT_POINT`` names this point."""
    points = os.environ.get("PARLIB_FAULT_POINT", "")
    if points and name in points.split(","):
        os.kill(os.getpid(), signal.SIGKILL)


def fault_sleep(name: str) -> None:
    """Test hook: sleep at a named point when ``PARLIB_FAULT_SLEEP=<name>:<seconds>`` (widens a race)."""
    spec = os.environ.get("PARLIB_FAULT_SLEEP", "")
    if spec.partition(":")[0] == name:
        import time

        time.sleep(float(spec.partition(":")[2] or 1))


def fault_signal(point: str) -> None:
    """Test hook: send a signal at a named point (``PARLIB_FAULT_SIGNAL_PARENT``: to the parent
    process, from a batch worker; ``PARLIB_FAULT_SIGNAL_SELF``: to this process), then sleep at
    ``signalled-parent`` if ``PARLIB_FAULT_SLEEP`` says so."""
    for var, pid in (("PARLIB_FAULT_SIGNAL_PARENT", os.getppid), ("PARLIB_FAULT_SIGNAL_SELF", os.getpid)):
        spec = os.environ.get(var, "")
        name, _, at = spec.partition("@")
        if name and (at or "report-end") == point:
            os.kill(pid(), getattr(signal, name))
            if var == "PARLIB_FAULT_SIGNAL_PARENT":
                fault_sleep("signalled-parent")


def _write_all(f, data: bytes, name: Path) -> None:
    """Write ``data`` to an open binary file, honouring the disk-full test hook; an OSError names ``name``
    (a failed write() of a file opened by descriptor names no file)."""
    global _written
    try:
        limit = os.environ.get("PARLIB_FAULT_ENOSPC_AFTER")
        if limit is not None and _written + len(data) > int(limit):
            room = max(0, int(limit) - _written)
            f.write(data[:room])
            _written += room
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
        _written += len(data)
    except OSError as e:
        if e.errno is not None and not isinstance(e.filename, str):
            e.filename = str(name)
        raise


def current_umask() -> int:
    """The process umask, read without changing it where the system allows (Linux /proc)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (a rename or a new file) to disk; a no-op where unsupported."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: str | Path, data: bytes, *, mode: int | None = None, on_written=None) -> Path:
    """Replace ``path`` with ``data`` in one step: temp file in the same folder, fsync, os.replace.

    The file gets ``mode`` or, like an ordinary write, ``0o666`` less the umask (0644 under
    umask 022). Raises the ``OSError`` of a full disk, a read-only folder… leaving nothing behind.
    ``on_written`` is called when the temp file is complete, just before the replace (a test hook).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            _write_all(f, data, path)
            os.fchmod(f.fileno(), mode if mode is not None else 0o666 & ~current_umask())
        if on_written is not None:
            on_written()
        os.replace(tmp, path)
    except BaseException as e:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(e, OSError) and e.errno is not None and not isinstance(e.filename, str):
            e.filename = str(path)  # a failed flush at close names no file
        raise
    fsync_dir(path.parent)
    return path


def write_new(path: Path, data: bytes) -> None:
    """Write bytes to a new file (refusing to overwrite) and flush them to disk."""
    try:
        with open(path, "xb") as f:
            _write_all(f, data, path)
    except OSError as e:
        if e.errno is not None and not isinstance(e.filename, str):
            e.filename = str(path)
        raise


# --- one line for an operating-system error ---------------------------------------------------
_WHAT = {
    errno.ENOSPC: ("the disk is full", "free some space (or choose another folder) and run it again"),
    errno.EDQUOT: ("the disk quota is exceeded", "free some space (or choose another folder) and run it again"),
    errno.EROFS: ("the file system is read-only", "choose a writable folder"),
    errno.EACCES: ("permission denied", "choose a folder you may write to, or fix its permissions"),
    errno.EPERM: ("operation not permitted", "choose a folder you may write to, or fix its permissions"),
    errno.ENOTDIR: ("a file stands where a folder is expected", "point it at a folder (or remove the file)"),
    errno.EISDIR: ("a folder stands where a file is expected", "point it at a file name, not a folder"),
    errno.EEXIST: ("a file of that name is in the way", "point it at a folder (or remove the file)"),
    errno.ENOENT: ("no such file or folder", "check the path"),
    errno.ENAMETOOLONG: ("the name is too long", "use a shorter path"),
}


def os_error_line(e: OSError, action: str = "write", path: str | Path | None = None, hint: str = "") -> str:
    """One line for an OSError: what could not be done where, why, and the fix.

    >>> import errno
    >>> os_error_line(OSError(errno.ENOSPC, "No space left on device", "/r/x.html"))
    'cannot write /r/x.html: the disk is full (No space left on device). Fix: free some space (or choose another folder) and run it again'
    """
    where = path if path is not None else (e.filename if isinstance(e.filename, (str, os.PathLike)) else "")
    what, fix = _WHAT.get(e.errno, (e.strerror or type(e).__name__, "check the path and the disk"))
    reason = f"{what} ({e.strerror})" if e.strerror and e.strerror.lower() != what else what
    return f"cannot {action} {where}: {reason}. Fix: {hint or fix}"


# --- a lock on a folder -----------------------------------------------------------------------------
class FolderBusyError(RuntimeError):
    """Another process held a folder's lock for longer than the wait allowed."""


@contextmanager
def folder_lock(folder: str | Path, *, timeout: float | None = None):
    """Hold an exclusive lock on ``folder`` itself (``flock`` on the folder's descriptor, like the store's
    ``.lock`` but with no lock file left among the user's files). Files that are read, merged and
    rewritten by several processes (a reports folder's manifests and index) are updated under it.
    Waits up to ``timeout`` seconds (``PARLIB_LOCK_TIMEOUT``, default 600), then raises
    :class:`FolderBusyError`; a lock never outlives its process."""
    import fcntl
    import time

    timeout = float(os.environ.get("PARLIB_LOCK_TIMEOUT", "600")) if timeout is None else timeout
    deadline = time.monotonic() + timeout
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        wait = 0.005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
                if time.monotonic() >= deadline:
                    raise FolderBusyError(
                        f"{folder} is busy: another parlib process has held its lock for over {timeout:g} s. "
                        "Fix: wait for it to finish and run again"
                    ) from None
                time.sleep(wait)
                wait = min(wait * 2, 0.1)
        yield
    finally:
        os.close(fd)  # closing releases the lock

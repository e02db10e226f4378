"""The Jupyter kernel every parlib notebook runs in, and the kernel manager that starts it.

Kernels talk over private IPC sockets on POSIX (no TCP port). Used by :mod:`parlib.run.render`
and :mod:`parlib.run.warm`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

KERNEL = "parlib"


# --- kernel -----------------------------------------------------------------------------------
def _kernel_manager_class():
    """Kernels talk over local IPC sockets on POSIX (no TCP port, no 'unencrypted TCP' warning)."""
    from jupyter_client.manager import AsyncKernelManager

    class LocalKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            if os.name == "posix":
                kwargs.setdefault("transport", "ipc")
                # A private directory per kernel: kernels started at the same moment by parallel
                # workers must not race for the same socket names (the default is ./kernel-ipc-N).
                kwargs.setdefault("ip", os.path.join(tempfile.mkdtemp(prefix="parlib-kernel-"), "ipc"))
            super().__init__(**kwargs)

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            # The kernel's own log lines ("[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel."
            # when a report is stopped) are not for the reader: what a cell prints or raises reaches
            # the notebook through the kernel's messages, not its stderr.
            kw.setdefault("stderr", subprocess.DEVNULL)
            return await super()._async_launch_kernel(kernel_cmd, **kw)

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            await super()._async_cleanup_resources(restart=restart)
            if self.transport == "ipc" and not restart:
                folder = os.path.dirname(self.ip)
                if os.path.basename(folder).startswith("parlib-kernel-"):
                    shutil.rmtree(folder, ignore_errors=True)

    return LocalKernelManager


KERNEL_MANAGER = None


def kernel_manager_class():
    """The kernel manager class every parlib notebook run uses (created once)."""
    global KERNEL_MANAGER
    if KERNEL_MANAGER is None:
        KERNEL_MANAGER = _kernel_manager_class()
    return KERNEL_MANAGER


def launch(name: str, startup_timeout: float = 60):
    """Start kernel ``name`` and a client connected to it, with jupyter_client alone (nbclient,
    nbformat and papermill take a second and a half to import: a single report starts its kernel
    first and imports them while the kernel boots). The same kernel arguments as nbclient's: IPC
    sockets, history in memory, no stdin. Returns ``(kernel manager, client)``."""
    from jupyter_core.utils import run_sync

    km = kernel_manager_class()(kernel_name=name)
    run_sync(km.start_kernel)(extra_arguments=["--HistoryManager.hist_file=:memory:"])
    kc = km.client()
    try:
        kc.start_channels()
        run_sync(kc.wait_for_ready)(timeout=startup_timeout)
    except BaseException:
        kc.stop_channels()
        run_sync(km.shutdown_kernel)(now=True)
        raise
    kc.allow_stdin = False
    return km, kc


def ensure_kernel(name: str = KERNEL) -> str:
    """Make sure the named Jupyter kernel exists (installs it into this environment if not)."""
    from jupyter_client.kernelspec import KernelSpecManager

    if name not in KernelSpecManager().find_kernel_specs():
        from ipykernel.kernelspec import install

        install(
            prefix=os.environ.get("VIRTUAL_ENV") or __import__("sys").prefix,
            kernel_name=name,
            display_name=f"Python ({name})",
        )
    return name


class KernelError(RuntimeError):
    """The kernel's interpreter is missing or lacks this parlib, and it could not be re-registered."""


_CHECKED: set[str] = set()
_REWRITTEN: set[str] = set()


def _interpreter_problem(argv: list[str], cwd: str, *, ask_python: bool = False) -> str:
    """What is wrong with a kernel's interpreter for parlib ("" when it imports this parlib version).
    A kernel started through a wrapper (``conda run``, ``env``…) is only checked to exist."""
    import sys

    from parlib._version import __version__

    python = str(argv[0])
    exe = python if os.path.isabs(python) else shutil.which(python)
    if not exe or not os.path.exists(exe):
        return f"runs {python}, which no longer exists"
    if not any(str(a).startswith("ipykernel") for a in argv[1:3] + argv[2:4]):
        return ""
    if not ask_python and _runs_this_parlib(exe, argv):
        return ""  # this interpreter, this parlib: nothing to start a Python for (0.8 s of every batch and report)
    try:
        r = subprocess.run(
            [exe, "-c", "import parlib; print(parlib.__version__)"],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=cwd,  # not the caller's folder: a clone there would be importable by accident
            env={k: v for k, v in os.environ.items() if k != "PYTHONSTARTUP"},
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"runs {python}, which cannot be started ({getattr(e, 'strerror', None) or type(e).__name__})"
    if r.returncode != 0:
        return f"runs {python}, which cannot import parlib"
    found = (r.stdout.strip().splitlines() or [""])[-1]
    if found != __version__:
        return f"runs {python}, which has parlib {found}, not {__version__} (this parlib runs {sys.executable})"
    return ""


def _runs_this_parlib(exe: str, argv: list[str]) -> bool:
    """Whether a kernel started with ``argv`` imports this very parlib, as far as this process can tell
    without starting a Python: it runs this interpreter (the same file) with no option that changes
    where Python looks for modules (``-E``, ``-I``, ``-s``, ``-S``), and this parlib was not found in
    this process's first import folder (the script's or the working folder, which a kernel started
    elsewhere lacks): it comes from where every process of this interpreter finds it (site-packages,
    an editable install, ``PYTHONPATH``, inherited). A kernel spec with an ``env`` of its own is not
    asked here (:func:`check_kernel`)."""
    import sys

    if os.path.realpath(exe) != os.path.realpath(sys.executable):
        return False
    args = iter(argv[1:])
    for a in args:
        if a == "-m" or not a.startswith("-") or a.startswith("--"):
            break
        if a in ("-X", "-W"):
            next(args, None)  # its value
        elif not a.startswith(("-X", "-W")) and set(a[1:]) & set("EIsS"):
            return False
    first = os.path.realpath(sys.path[0] or os.getcwd()) if sys.path else ""
    home = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # <home>/parlib/run/kernels.py
    return os.path.realpath(home) != first


def _fix_command(name: str, spec_dir: str) -> str:
    """The command that registers the kernel again where it was found."""
    import sys

    from jupyter_core.paths import jupyter_data_dir

    base = f'{sys.executable} -m ipykernel install --name {name} --display-name "Python ({name})"'
    kernels = os.path.dirname(os.path.abspath(spec_dir))
    if kernels == os.path.join(jupyter_data_dir(), "kernels"):
        return f"{base} --user"
    if kernels == os.path.join(sys.prefix, "share", "jupyter", "kernels"):
        return f"{base} --sys-prefix"
    parts = kernels.split(os.sep)
    if parts[-3:] == ["share", "jupyter", "kernels"]:
        return f"{base} --prefix {os.sep.join(parts[:-3]) or os.sep}"
    return f"remove {spec_dir} and run {base} --sys-prefix"


def check_kernel(name: str = KERNEL) -> str:
    """Before a batch or a report: the kernel's interpreter must exist and import this parlib version.

    A missing kernel is registered (:func:`ensure_kernel`); a stale one (its Python removed, or one
    without parlib or with another version) is registered again where it was found, to run this
    Python: returns the line that says so ("" when all is well). Raises :class:`KernelError` (one
    line: which kernel, what is wrong, the command that fixes it) when it cannot be rewritten.
    Checked once per process.
    """
    import json
    import sys

    from jupyter_client.kernelspec import KernelSpecManager

    if name in _CHECKED:
        return ""
    specs = KernelSpecManager().find_kernel_specs()
    if name not in specs:
        ensure_kernel(name)
        _CHECKED.add(name)
        return ""
    spec_dir = specs[name]
    path = os.path.join(spec_dir, "kernel.json")
    try:
        with open(path, encoding="utf-8") as f:
            spec = json.load(f)
        argv = [str(a) for a in spec["argv"]]
        if not argv:
            raise ValueError("no argv")
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        spec, problem = {}, "has a kernel.json that cannot be read"
    else:
        problem = _interpreter_problem(argv, spec_dir)
    if not problem:
        _CHECKED.add(name)
        return ""
    from ipykernel.kernelspec import make_ipkernel_cmd

    from parlib.data.files import atomic_write, os_error_line

    fresh = {"display_name": f"Python ({name})", "language": "python", **spec, "argv": make_ipkernel_cmd()}
    try:
        atomic_write(path, json.dumps(fresh, indent=1).encode("utf-8"))
    except OSError as e:
        why = os_error_line(e, "rewrite", path).split(". Fix:")[0]
        raise KernelError(
            f"the Jupyter kernel '{name}' ({path}) {problem}; {why}. Fix: {_fix_command(name, spec_dir)}"
        ) from None
    _CHECKED.add(name)
    _REWRITTEN.add(name)
    return f"the Jupyter kernel '{name}' ({path}) {problem}: re-registered to run {sys.executable}"


def rewritten(name: str = KERNEL) -> bool:
    """Whether :func:`check_kernel` rewrote kernel ``name``'s spec in this process (a kernel started
    from it before the check ran the stale one)."""
    return name in _REWRITTEN


def skip_slow_optional_imports() -> None:
    """In a process parlib owns (the ``parlib`` command, a batch worker): keep jsonschema from
    importing its optional IRI checker ``rfc3987_syntax``, which compiles 39 grammars at import
    (~1.7 s of every process that reads a notebook). jsonschema treats it as absent; the notebook
    schema nbformat validates against has no IRI field. Never called in a user's own process."""
    import sys

    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)

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


def skip_slow_optional_imports() -> None:
    """In a process parlib owns (the ``parlib`` command, a batch worker): keep jsonschema from
    importing its optional IRI checker ``rfc3987_syntax``, which compiles 39 grammars at import
    (~1.7 s of every process that reads a notebook). jsonschema treats it as absent; the notebook
    schema nbformat validates against has no IRI field. Never called in a user's own process."""
    import sys

    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)

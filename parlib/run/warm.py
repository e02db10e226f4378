"""A papermill engine that reuses a pre-warmed Jupyter kernel across notebook runs.

Starting a kernel and importing pandas, matplotlib and parlib costs seconds per report; the
reports themselves take about one. ``WarmEngine`` keeps one kernel per process, started once
with parlib imported, and resets the user namespace before every run (``%reset -f``, matplotlib
defaults restored), so no variable of one report is visible to the next; modules and parlib's
data caches (keyed on the data files' state) stay warm. A run that fails, times out or is
interrupted restarts the kernel, so a broken state never reaches the next report.

Register it with papermill as ``"parlib-warm"`` (done on import) and pass
``engine_name="parlib-warm"`` to ``papermill.execute_notebook``.
"""

from __future__ import annotations

import atexit
import os
import signal
import threading

import nbformat
from nbclient import NotebookClient
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.utils import merge_kwargs, remove_args

from parlib.run.kernel_side import PRELOAD, reset_namespace  # noqa: F401 (re-exported)

ENGINE_NAME = "parlib-warm"
RESET = "__import__('parlib.run.kernel_side', fromlist=['reset_namespace']).reset_namespace(get_ipython())"


class WarmKernel:
    """One kernel, started on first use and kept for the life of this process."""

    def __init__(self, kernel_name: str):
        self.kernel_name = kernel_name
        self.km = self.kc = None
        self.runs = 0

    @property
    def alive(self) -> bool:
        return self.km is not None and self.km.has_kernel

    def start(self) -> None:
        from parlib.run.kernels import kernel_manager_class

        client = NotebookClient(
            nbformat.v4.new_notebook(), kernel_name=self.kernel_name, kernel_manager_class=kernel_manager_class()
        )
        client.km = client.create_kernel_manager()
        client.start_new_kernel()
        client.start_new_kernel_client()
        self.km, self.kc = client.km, client.kc
        from parlib.data.files import fault_signal

        fault_signal("kernel-started")  # test hook: a stop while the kernel imports parlib
        self.run_code(PRELOAD)

    def run_code(self, code: str, timeout: int = 120) -> None:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        client = NotebookClient(nb, km=self.km, timeout=timeout, kernel_name=self.kernel_name)
        client.kc = self.kc
        client.execute()

    def call(self, code: str, timeout: float = 120) -> None:
        """Run ``code`` in the kernel without a notebook: silent (no output, no history, the namespace
        untouched but for what ``code`` does), one request and its reply. Raises ``RuntimeError`` with
        the kernel's error when the code fails."""
        from jupyter_core.utils import run_sync

        msg_id = self.kc.execute(code, silent=True, store_history=False)
        reply = run_sync(self.kc._async_recv_reply)(msg_id, timeout=timeout)
        content = reply["content"]
        if content.get("status") != "ok":
            raise RuntimeError(f"{content.get('ename', 'error')}: {content.get('evalue', '')}")

    def pid(self) -> int | None:
        prov = getattr(self.km, "provisioner", None)
        return getattr(prov, "pid", None) or getattr(getattr(prov, "process", None), "pid", None)

    def signal(self, sig: int) -> None:
        """Send a signal to the kernel process, if it is still there (safe from any thread)."""
        pid = self.pid()
        if pid:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass

    def interrupt(self) -> None:
        """Interrupt the running cell (SIGINT to the kernel), from any thread."""
        self.signal(signal.SIGINT)

    def shutdown(self) -> None:
        if self.km is None:
            return
        try:
            if self.kc is not None:
                self.kc.stop_channels()
            from nbclient.util import run_sync

            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001 - best effort at exit; kill the process instead
            self.signal(signal.SIGKILL)
        finally:
            self.km = self.kc = None


_KERNELS: dict[str, WarmKernel] = {}
_LOCK = threading.Lock()


def kernel(kernel_name: str) -> WarmKernel:
    """This process's warm kernel for ``kernel_name`` (started on first use)."""
    with _LOCK:
        k = _KERNELS.get(kernel_name)
        if k is None:
            k = _KERNELS[kernel_name] = WarmKernel(kernel_name)
        if not k.alive:
            k.start()
        return k


def adopt(kernel_name: str, km, kc) -> WarmKernel:
    """Make a kernel started by :func:`parlib.run.kernels.launch` (and sent :data:`PRELOAD`) this
    process's warm kernel; if this process has a live one already, that one is kept and the new
    kernel shut down (never two, never one left running)."""
    fresh = WarmKernel(kernel_name)
    fresh.km, fresh.kc = km, kc
    with _LOCK:
        old = _KERNELS.get(kernel_name)
        if old is None or not old.alive:
            _KERNELS[kernel_name] = fresh
            return fresh
    fresh.shutdown()
    return old


def discard(kernel_name: str) -> None:
    """Shut down this process's warm kernel (after a failure, timeout or interruption)."""
    with _LOCK:
        k = _KERNELS.pop(kernel_name, None)
    if k is not None:
        k.shutdown()


def shutdown_all() -> None:
    for name in list(_KERNELS):
        discard(name)


def kill_all_now() -> None:
    """From a signal handler, before the process exits: SIGKILL this process's kernels (including
    one being started) and remove their connection files. No lock, no event loop: the interrupted
    code may hold either."""
    for k in list(_KERNELS.values()):
        k.signal(signal.SIGKILL)
        path = getattr(k.km, "connection_file", "")
        if path:
            try:
                os.unlink(path)
            except OSError:
                pass
    try:
        import psutil

        for child in psutil.Process().children(recursive=True):
            try:
                child.kill()
            except psutil.Error:
                pass
    except Exception:  # noqa: BLE001 - best effort; the batch process kills what is left
        pass


atexit.register(shutdown_all)


class _WarmClient(PapermillNotebookClient):
    """papermill's client, resetting the kernel's namespace before the notebook's first cell."""

    def output(self, outs, msg, display_id, cell_index):
        """A section's output (a plain ``display_data``) stored as nbclient stores it, without checking
        each one against the notebook schema as it arrives (jsonschema: a millisecond an output, a tenth
        of a worker's time): papermill validates the whole notebook when it writes it. Anything else
        (an update, a widget's output, a clear pending, an error) is nbclient's."""
        hooked = self.output_hook_stack.get(msg["parent_header"].get("msg_id"))
        if msg["msg_type"] != "display_data" or display_id or hooked or self.clear_before_next_output:
            return super().output(outs, msg, display_id, cell_index)
        content = msg["content"]
        out = nbformat.from_dict(
            {"output_type": "display_data", "data": content["data"], "metadata": content["metadata"]}
        )
        outs.append(out)
        return out

    def papermill_execute_cells(self):
        msg_id = self.kc.execute(RESET, silent=True, store_history=False)
        reply = self.wait_for_reply(msg_id)
        if reply is None or reply["content"]["status"] != "ok":
            raise RuntimeError(
                "could not reset the warm kernel: " + str((reply or {}).get("content", {}).get("evalue", "no reply"))
            )
        super().papermill_execute_cells()


class WarmEngine(NBClientEngine):
    """papermill engine: run the parameterised notebook in this process's warm kernel."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man,
        kernel_name,
        log_output=False,
        stdout_file=None,
        stderr_file=None,
        start_timeout=60,
        execution_timeout=None,
        **kwargs,
    ):
        k = kernel(kernel_name)
        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        final = merge_kwargs(
            kwargs,
            timeout=execution_timeout,
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
            km=k.km,
        )
        from papermill.engines import logger

        final["log"] = logger
        try:
            client = _WarmClient(nb_man, **final)
            client.kc = k.kc  # not a constructor trait: set it so nbclient reuses the client
            result = client.execute()
        except BaseException:
            discard(kernel_name)  # never hand a kernel in an unknown state to the next report
            raise
        k.runs += 1
        return result


papermill_engines.register(ENGINE_NAME, WarmEngine)

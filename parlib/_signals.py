"""Ctrl-C (SIGINT) and SIGTERM: the ``parlib`` command stops with one line and exit code 130, never a traceback.

The command's process goes through three phases (:func:`parlib.cli.main.main`):

1. **starting** (Python imports parlib, pandas…; the arguments are parsed): nothing has been
   written yet, so a signal ends the process at once, with one line and 130. The handlers are
   installed by ``parlib/__init__.py`` before its slow imports, when the process is the ``parlib``
   command (:func:`is_the_command`); importing parlib anywhere else changes no handler.
2. **running a command** (:func:`as_keyboard_interrupt`): SIGTERM is treated like Ctrl-C, a
   ``KeyboardInterrupt``, so the command's clean-up runs and :func:`parlib.cli.main.run` prints one
   line (a second signal during that clean-up stops the process at once); ``parlib batch`` replaces
   both handlers with its own while its reports run (:func:`parlib.run.batch.run_batch`).
3. **exiting** (after the command returned): as in 1.

A report's outputs (HTML, notebook, plan workbook) are written together in a :func:`critical`
block: a stop requested meanwhile waits for the block's end (a few milliseconds), in the command's
process and in a batch's workers alike, so a stop never leaves a new HTML beside an old notebook.

Only the standard library here: this module is imported first of all.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
INTERRUPTED = "parlib: interrupted; nothing was left half-written"
EXIT_INTERRUPTED = 130  # 128 + SIGINT, what shells report for Ctrl-C


def is_the_command(argv: list[str] | None = None) -> bool:
    """Is this process the ``parlib`` command (the console script, or ``python -m parlib.cli``)?

    Read from the interpreter's own command line (``sys.orig_argv``), which a library user's
    program, a Jupyter kernel, pytest or a batch worker never match.

    >>> is_the_command(["/usr/bin/python3", "-u", "-X", "dev", "-m", "parlib.cli", "batch"])
    True
    >>> is_the_command(["/env/bin/python", "/env/bin/parlib", "report", "33"])
    True
    >>> is_the_command(["python", "-m", "pytest"]), is_the_command(["python", "-c", "import parlib"])
    (False, False)
    """
    argv = list(getattr(sys, "orig_argv", sys.argv) if argv is None else argv)
    i = 1
    while i < len(argv):
        arg = argv[i]
        if arg == "-m":
            return argv[i + 1 : i + 2] == ["parlib.cli"]
        if arg == "-c":
            return False
        if not arg.startswith("-"):  # the script
            return Path(arg).stem in ("parlib", "parlib-script")
        i += 2 if arg in ("-W", "-X") else 1  # an option with its value
    return False


def _exit_now(signum, frame) -> None:
    """Phases 1 and 3: nothing is being written; end the process here, with one line."""
    try:
        sys.stdout.flush()  # what the command printed (a pipe is block-buffered)
    except Exception:  # noqa: BLE001 - the signal may have interrupted a flush; os._exit follows anyway
        pass
    try:
        os.write(2, (INTERRUPTED + "\n").encode())
    except OSError:
        pass
    os._exit(EXIT_INTERRUPTED)


def install_exit_handlers() -> None:
    """Phases 1 and 3: SIGINT and SIGTERM end the process at once, with one line and 130."""
    if threading.current_thread() is threading.main_thread():
        for sig in STOP_SIGNALS:
            signal.signal(sig, _exit_now)


_interrupted = False  # a first signal was turned into KeyboardInterrupt: the command is cleaning up


def _raise_interrupt(signum, frame) -> None:
    global _interrupted
    if _interrupted:  # a second Ctrl-C while the first one's clean-up runs: stop now
        _exit_now(signum, frame)
    _interrupted = True
    import logging

    # The interrupted libraries (nbclient, asyncio) log what the interruption broke ("Kernel died…",
    # "Task exception was never retrieved"): the user asked for the stop and gets one line for it.
    logging.disable(logging.CRITICAL)
    stop_now_or_after_critical(_interrupt)


def _interrupt() -> None:
    raise KeyboardInterrupt


@contextmanager
def as_keyboard_interrupt():
    """Phase 2: SIGTERM, like Ctrl-C, raises ``KeyboardInterrupt`` in the main thread (after a
    :func:`critical` block, if one is running); the previous handlers come back at the end."""
    global _interrupted
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    import logging

    _interrupted = False
    keep_handlers_from_event_loops()
    old = {sig: signal.signal(sig, _raise_interrupt) for sig in STOP_SIGNALS}
    logging_disabled = logging.root.manager.disable
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
        if _interrupted and not is_the_command():  # in the command, the process is ending: stay quiet
            logging.disable(logging_disabled)


def keep_handlers_from_event_loops() -> None:
    """Event loops created from now on refuse signal handlers, so that parlib's stay in place.

    nbclient (papermill's executor) sets SIGINT and SIGTERM handlers on its event loop for each
    notebook run (they shut the kernel down and let the process run on) and removes them at the end,
    which leaves SIGTERM at its default (the process dies at once, its kernel orphaned) and Ctrl-C
    raising ``KeyboardInterrupt``: parlib's handlers, of the command and of a batch's workers, would
    be gone after the first report. nbclient takes the refusal (``RuntimeError``) as running outside
    the main thread and goes on without its handlers."""
    import asyncio  # here: not at the command's start

    class LoopsKeepParlibHandlers(asyncio.DefaultEventLoopPolicy):
        def new_event_loop(self):
            loop = super().new_event_loop()
            loop.add_signal_handler = loop.remove_signal_handler = _refuse_signal_handler
            return loop

    if type(asyncio.get_event_loop_policy()).__name__ != LoopsKeepParlibHandlers.__name__:
        asyncio.set_event_loop_policy(LoopsKeepParlibHandlers())


def _refuse_signal_handler(*args, **kwargs):
    raise RuntimeError("parlib keeps its own signal handlers")


# --- writes that a stop must not split ---------------------------------------------------------
_critical = 0  # depth of critical blocks in the main thread (signal handlers run there)
_pending = None  # what a signal asked for during a critical block


@contextmanager
def critical():
    """Files written together (a report's HTML, notebook and plan): a stop asked for meanwhile
    (:func:`stop_now_or_after_critical`) happens at the end of the block. Keep the block short:
    only writes of what is already computed."""
    global _critical, _pending
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _critical += 1
    try:
        yield
    finally:
        _critical -= 1
        if not _critical and _pending is not None:
            action, _pending = _pending, None
            action()


def stop_now_or_after_critical(action) -> None:
    """From a signal handler: run ``action`` (which stops the process) now, or at the end of the
    running :func:`critical` block."""
    global _pending
    if _critical:
        _pending = action
    else:
        action()

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from craftls.ops.shutdown import (
    ShutdownCoordinator,
    StepStatus,
    exit_process,
    install_signal_handlers,
    pid_alive,
    watch_parent_process,
)


async def test_steps_run_by_order_then_registration() -> None:
    calls: list[str] = []
    sd = ShutdownCoordinator()

    async def stop_health() -> None:
        calls.append("health")

    sd.register("save state", lambda: calls.append("state"), order=30)
    sd.register("stop accepting", lambda: calls.append("stop"), order=10, on_loop=True)
    sd.register("stop health", stop_health, order=20)
    sd.register("flush audit", lambda: calls.append("audit"), order=30)
    assert sd.steps() == ["stop accepting", "stop health", "save state", "flush audit"]
    report = await sd.run("lsp shutdown")
    assert calls == ["stop", "health", "state", "audit"]
    assert report.ok and report.reason == "lsp shutdown"
    assert [s.status for s in report.steps] == [StepStatus.OK] * 4


async def test_failing_and_timing_out_steps_do_not_stop_others() -> None:
    calls: list[str] = []
    sd = ShutdownCoordinator()

    def broken() -> None:
        raise RuntimeError("socket already closed")

    async def stuck_async() -> None:
        await asyncio.sleep(10)

    def stuck_sync() -> None:
        time.sleep(1)

    sd.register("broken", broken, order=1)
    sd.register("stuck async", stuck_async, order=2, timeout_s=0.05)
    sd.register("stuck sync", stuck_sync, order=3, timeout_s=0.05)
    sd.register("flush audit", lambda: calls.append("audit"), order=4)
    started = time.monotonic()
    report = await sd.run()
    assert time.monotonic() - started < 0.8  # the stuck thread was not waited for
    assert calls == ["audit"]
    by_name = {s.name: s for s in report.steps}
    assert by_name["broken"].status is StepStatus.FAILED
    assert "socket already closed" in (by_name["broken"].error or "")
    assert by_name["stuck async"].status is StepStatus.TIMEOUT
    assert by_name["stuck sync"].status is StepStatus.TIMEOUT
    assert by_name["flush audit"].status is StepStatus.OK
    assert not report.ok
    assert report.to_dict()["steps"][0]["status"] == "failed"


async def test_run_is_idempotent_and_shared() -> None:
    count = 0
    sd = ShutdownCoordinator()

    async def step() -> None:
        nonlocal count
        await asyncio.sleep(0.02)
        count += 1

    sd.register("once", step)
    first, second = await asyncio.gather(sd.run("sigterm"), sd.run("parent died"))
    third = await sd.run("again")
    assert count == 1
    assert first is second is third and first.reason == "sigterm"
    assert sd.done
    with pytest.raises(RuntimeError):
        sd.register("late", lambda: None)


async def test_duplicate_step_name_rejected() -> None:
    sd = ShutdownCoordinator()
    sd.register("a", lambda: None)
    with pytest.raises(ValueError):
        sd.register("a", lambda: None)


async def test_cancelled_caller_does_not_abort_shutdown() -> None:
    done: list[str] = []
    sd = ShutdownCoordinator()

    async def slow() -> None:
        await asyncio.sleep(0.05)
        done.append("slow")

    sd.register("slow", slow)
    caller = asyncio.create_task(sd.run())
    await asyncio.sleep(0.01)
    caller.cancel()
    report = await sd.run()
    assert done == ["slow"] and report.ok


async def test_signal_handlers_call_back_and_uninstall() -> None:
    loop = asyncio.get_running_loop()
    got: list[str] = []
    uninstall = install_signal_handlers(loop, got.append)
    try:
        os.kill(os.getpid(), signal.SIGTERM)
        await asyncio.sleep(0.05)
    finally:
        uninstall()
    assert got == ["SIGTERM"]


def test_pid_alive() -> None:
    assert pid_alive(os.getpid())
    assert not pid_alive(2**22 + 12345)  # above the default pid_max


async def test_watch_parent_process_fires_once_when_gone() -> None:
    alive = {"value": True}
    fired: list[str] = []
    task = watch_parent_process(1234, lambda: fired.append("gone"), 0.01,
                                is_alive=lambda pid: alive["value"])
    assert task is not None
    await asyncio.sleep(0.03)
    assert fired == []
    alive["value"] = False
    await asyncio.wait_for(task, 1)
    assert fired == ["gone"]
    assert watch_parent_process(None, lambda: None) is None


def test_exit_process_flushes_and_skips_the_interpreter_exit(tmp_path: Path) -> None:
    """The log and unterminated stdout reach their files; the exit code is the one asked
    for; the interpreter's own exit (here: an atexit handler) never runs, and a thread
    that would block a normal exit does not hold the process."""
    log_file = tmp_path / "server.log"
    program = (
        "import atexit, logging, sys, threading\n"
        f"from {exit_process.__module__} import exit_process\n"
        f"logging.basicConfig(filename={str(log_file)!r}, level=logging.INFO)\n"
        "logging.getLogger('t').info('last words')\n"
        "atexit.register(lambda: print('finalized'))\n"
        "threading.Thread(target=threading.Event().wait).start()  # never ends\n"
        "sys.stdout.write('no newline')\n"
        "exit_process(3)\n")
    result = subprocess.run([sys.executable, "-c", program], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 3, result.stderr
    assert result.stdout == "no newline"
    assert "last words" in log_file.read_text(encoding="utf-8")

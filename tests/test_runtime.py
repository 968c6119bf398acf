"""The backend thread reports what fails in it and shuts down in order."""

from __future__ import annotations

import asyncio
import threading

from app.services.runtime import BackendRuntime


def test_failures_on_the_backend_loop_are_reported_not_lost() -> None:
    reported: list[str] = []
    done = threading.Event()

    def on_error(message: str) -> None:
        reported.append(message)
        if len(reported) == 2:
            done.set()

    runtime = BackendRuntime(on_error)
    runtime.start()

    async def failing_command() -> None:
        raise ValueError("bad instruction payload")

    async def failing_background_task() -> None:
        async def crash() -> None:
            raise RuntimeError("sync helper crashed")

        task = asyncio.get_running_loop().create_task(crash())
        await asyncio.sleep(0)
        del task  # nobody awaits it: only the loop's exception handler can see the failure

    runtime.submit(failing_command())
    runtime.submit(failing_background_task())
    assert done.wait(10), reported
    runtime.stop()
    assert any("bad instruction payload" in r for r in reported)
    assert any("sync helper crashed" in r for r in reported)


def test_stop_runs_the_shutdown_before_the_loop_ends() -> None:
    runtime = BackendRuntime(lambda _message: None)
    runtime.start()
    order: list[str] = []

    async def background() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            order.append("background cancelled")

    async def shutdown() -> None:
        order.append("shutdown ran")

    runtime.submit(background())
    runtime.stop(shutdown())
    assert order == ["shutdown ran", "background cancelled"]
    assert not any(t.name == "oor-backend" for t in threading.enumerate())

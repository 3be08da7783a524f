"""The figures the alert rules need, scraped from a running Service's /metrics: the outbox's
oldest wait, readiness as a gauge per check (what /health/ready would answer), and the
memory limit when the process runs under one."""

from __future__ import annotations

from test_web_endpoints import A1227, _get, _samples, _settings

from esvitlo.app import Service

from delivery_rig import until
from schedule_server import Reply

pytest_plugins = ("fake_bot",)


async def test_a_running_service_exports_outbox_age_and_readiness(server, tmp_path):
    server.replies["kyiv.json"] = Reply(file=A1227)
    service = Service(_settings(tmp_path, server))
    await service.start()
    try:
        assert service.metrics_port is not None
        await until(lambda: service.watch.stats["kyiv"].last_success is not None)
        status, _, text = await _get(service.metrics_port, "/metrics")
        samples = _samples(text)
        assert status == 200
        assert samples[("outbox_oldest_pending_age_seconds", ())] == 0
        assert samples[("ready", ())] == 1
        for check in ("database", "schedules", "outbox"):
            assert samples[("readiness_check_ok", (("check", check),))] == 1

        await service.watch.stop()  # the scheduler is gone: readiness fails, and says which
        samples = _samples((await _get(service.metrics_port, "/metrics"))[2])
        assert samples[("ready", ())] == 0
        assert samples[("readiness_check_ok", (("check", "schedules"),))] == 0
        assert samples[("readiness_check_ok", (("check", "database"),))] == 1
    finally:
        await service.stop()

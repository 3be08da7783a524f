"""``esvitlo demo`` end to end: a transcript of the conversation only; the log goes to a file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_the_demo_transcript_holds_the_conversation_and_no_log_lines(tmp_path: Path) -> None:
    command = Path(sys.executable).parent / "esvitlo"
    env = {**os.environ, "TMPDIR": str(tmp_path), "NO_COLOR": "1"}
    done = subprocess.run(
        [str(command), "demo"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    out = done.stdout
    assert "> Олена пише: /start" in out and "Бот → Олена:" in out and "Бот → канал:" in out
    assert "<b>" not in out and "instance=" not in out and "[info" not in out
    log = tmp_path / "esvitlo-demo.log"
    assert out.rstrip().endswith(f"(the service's log: {log})")
    assert "app.started" in log.read_text(encoding="utf-8")

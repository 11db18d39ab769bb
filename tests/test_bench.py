"""``python -m dashboard bench`` still runs: the smallest run (the dataset's floors, one
timed call per callback) builds its dataset, renders every page and prints its figures."""
from __future__ import annotations

import os
import re
import subprocess
import sys

from helpers import REPO_ROOT


def test_a_tiny_bench_prints_its_figures(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DASHBOARD_")}
    env["TMPDIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "dashboard", "bench", "--scale", "1", "--repeat", "1"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout
    assert re.search(r"^dataset: [\d,]+ measures, [\d,]+ indicators, [\d,]+ indicator values "
                     r"\(built in [\d.]+ s on sqlite\)$", output, re.MULTILINE), output
    assert re.search(r"^page or callback +n +p50 ms +p95 ms$", output, re.MULTILINE), output
    timed = re.findall(r"^(page|callback) (.+?) +(\d+) +([\d.]+) +([\d.]+)(  over target)?$", output, re.MULTILINE)
    assert {"page", "callback"} <= {kind for kind, *_ in timed}, output
    assert any(key.startswith("/ [") for kind, key, *_ in timed if kind == "page"), output
    assert all(int(count) >= 1 for _kind, _key, count, *_ in timed), output
    assert re.search(r"^worst p95: [\d.]+ ms \(target 150 ms\)$", output, re.MULTILINE), output

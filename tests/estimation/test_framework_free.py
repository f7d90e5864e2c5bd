"""The estimation library and its command import nothing from Django."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import sys
import nmt.estimation
import nmt.estimation.command
loaded = sorted(m for m in sys.modules if m.split('.')[0] in {'django', 'rest_framework'})
print(','.join(loaded))
"""


def test_estimation_does_not_import_django():
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == ""
    assert (
        "nmt.estimation"
        in subprocess.run(
            [sys.executable, "-c", "import nmt.estimation as e; print(e.__name__)"],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
    )

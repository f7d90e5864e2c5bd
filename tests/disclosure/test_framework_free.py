"""nmt.disclosure is a framework-free library: importing it loads no Django."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_library_loads_no_django():
    code = (
        "import sys, nmt.disclosure, nmt.disclosure.kanonymity, nmt.disclosure.suppression; "
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')); "
        "print(loaded); sys.exit(1 if loaded else 0)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr

"""./run.sh serves on the port named by PORT (README), and refuses a PORT that is not a number
before it installs, migrates or seeds anything."""

import pathlib
import re
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[3]


def test_run_script_refuses_a_port_that_is_not_a_number():
    result = subprocess.run(  # noqa: S603 (our own script)
        ["/bin/bash", str(ROOT / "run.sh")],
        env={"PATH": "/usr/bin:/bin", "PORT": "80a"},
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert result.returncode == 2
    assert "PORT" in result.stderr


def test_run_script_serves_and_announces_the_port_from_the_environment():
    script = (ROOT / "run.sh").read_text()
    assert re.search(r'PORT="\$\{PORT:-8000\}"', script)
    assert 'runserver "127.0.0.1:$PORT"' in script
    assert "http://127.0.0.1:$PORT/" in script
    assert "PORT=8001 ./run.sh" in (ROOT / "README.md").read_text()

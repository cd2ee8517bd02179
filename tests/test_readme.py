"""The README's Python examples run as written, and its two set-up commands match CI."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_python_examples_run():
    blocks = re.findall(r"```python\n(.*?)```", README, re.S)
    assert len(blocks) >= 2
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})


def test_ci_runs_the_readme_test_command():
    command = "python -m pip install -r requirements-dev.txt && python -m ruff check . && python -m pytest -q"
    assert command in README
    assert command in (ROOT / ".ci" / "run").read_text()
    assert "python -m streamlit run app.py" in README

"""The README's Python blocks run, in order, in one namespace, from the repository root."""

import re

from conftest import ROOT

README = ROOT / "bindings/python/README.md"


def test_readme_examples_run(monkeypatch, capsys):
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 5
    monkeypatch.chdir(ROOT)
    namespace = {"__name__": "readme"}
    for i, block in enumerate(blocks):
        exec(compile(block, f"README.md block {i + 1}", "exec"), namespace)
    assert "Thao tác" in capsys.readouterr().out  # the refusal's Vietnamese message was printed

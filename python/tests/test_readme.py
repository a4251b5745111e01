"""The README's "Python" section runs as written (its torch example only when torch is there)."""
import os
import re

from conftest import ROOT


def python_blocks():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        text = f.read()
    section = text[text.index("## Python\n"):]
    section = section[:section.index("\n## ", 1)]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_the_python_section_has_its_examples():
    blocks = python_blocks()
    assert len(blocks) >= 4 and any("nnm.save" in b for b in blocks) and any("to_torch" in b for b in blocks)


def test_the_examples_run(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    namespace = {}
    for block in python_blocks():
        if "torch" in block and not _has_torch():
            continue
        exec(compile(block.replace('"net.nnm"', repr(str(tmp_path / "net.nnm"))), "README.md", "exec"), namespace)
    assert os.path.exists(tmp_path / "net.nnm")
    assert "Softmax(3)" in capsys.readouterr().out
    import nnm
    assert nnm.load(tmp_path / "net.nnm", verify=True).class_names == ["setosa", "versicolor", "virginica"]


def _has_torch():
    try:
        import torch  # noqa: F401
        return True
    except ImportError:
        return False

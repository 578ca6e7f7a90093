"""The quickstart notebook runs from top to bottom, answers for Homs and writes its map.

It is executed headless with nbclient in a kernel of this very interpreter (a kernelspec written to a
temporary JUPYTER_PATH, which Jupyter searches first), with the notebooks folder as working directory,
and its map written to a temporary folder (ROUTES_NOTEBOOK_MAPS).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
QUICKSTART = NOTEBOOKS / "quickstart.ipynb"
MAP_NAME = "notebook-2024-11-30.html"


def _output_text(cells) -> str:
    parts = []
    for cell in cells:
        for out in cell.get("outputs", []):
            if "text" in out:
                parts.append(out["text"])
            value = out.get("data", {}).get("text/plain")  # printed answers and tables, not the map's HTML
            if value:
                parts.append(value if isinstance(value, str) else "".join(value))
    return "\n".join(parts)


def test_quickstart_committed_without_outputs():
    nb = json.loads(QUICKSTART.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, "the notebook has no code cells"
    for cell in code:
        assert cell.get("execution_count") is None and not cell.get("outputs"), "clear the notebook's outputs before committing"


def test_quickstart_runs(tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat", reason="nbformat not installed (pip install -e '.[dev]')")
    pytest.importorskip("ipykernel", reason="ipykernel not installed (pip install -e '.[dev]'): no kernel to run the notebook")
    nbclient = pytest.importorskip("nbclient", reason="nbclient not installed (pip install -e '.[dev]')")

    # A "python3" kernelspec for this interpreter, found before any user-wide or system one.
    spec_dir = tmp_path / "jupyter" / "kernels" / "python3"
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (test)", "language": "python",
    }), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    maps = tmp_path / "maps"
    monkeypatch.setenv("ROUTES_NOTEBOOK_MAPS", str(maps))

    nb = nbformat.read(QUICKSTART, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import sys; print('kernel prefix:', sys.prefix)"))  # test-only, last
    client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=600,
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()  # raises CellExecutionError on the first cell that fails

    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
    kernel_prefix = nb.cells[-1].outputs[0]["text"].split(":", 1)[1].strip()
    assert kernel_prefix == sys.prefix, f"the notebook ran in {kernel_prefix}, not in this environment {sys.prefix}"
    text = _output_text(nb.cells[:-1])
    assert "Homs" in text
    written = maps / MAP_NAME
    assert written.is_file() and written.stat().st_size > 0, f"the notebook did not write {written}"

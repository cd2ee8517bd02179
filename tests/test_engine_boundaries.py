"""The library runs without Streamlit (DESIGN.md): only ``playground/ui`` may import it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "playground"
HEADLESS_MODULES = ("playground.engine", "playground.datasets", "playground.settings", "playground.training",
                    "playground.teaching.perceptron", "playground.teaching.inside_step",
                    "playground.teaching.gradients.diagnosis", "playground.teaching.gradients.compare",
                    "playground.files.notebook", "playground.files.csv_upload",
                    "playground.bench.suite", "playground.bench.ui", "playground.__main__")


def imported_modules(path: Path) -> set[str]:
    """Absolute names a file imports (relative imports resolved against its package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


NON_UI_FILES = sorted(p for p in LIBRARY.rglob("*.py") if "ui" not in p.relative_to(LIBRARY).parts)


# The classroom bench is a client of a running server: it speaks Streamlit's wire protocol, so
# it needs the protobuf message definitions (streamlit.proto) and nothing else of Streamlit.
PROTOCOL_CLIENTS = {LIBRARY / "bench" / "classroom.py"}


@pytest.mark.parametrize("path", NON_UI_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_ui_package_imports_streamlit(path):
    for name in imported_modules(path):
        if path in PROTOCOL_CLIENTS and name.startswith("streamlit.proto."):
            continue
        assert not (name == "streamlit" or name.startswith("streamlit.")), f"{path.name} imports {name}"
        assert not name.startswith("playground.ui"), f"{path.name} imports {name} (the UI layer)"


ENGINE_FILES = sorted((LIBRARY / "engine").glob("*.py"))


@pytest.mark.parametrize("path", ENGINE_FILES, ids=lambda p: p.name)
def test_engine_imports_only_numpy_and_itself(path):
    for name in imported_modules(path):
        top = name.split(".")[0]
        assert top in {"numpy", "__future__", "collections", "copy", "dataclasses", "typing", "math", "numbers",
                       "playground"}, name
        assert not name.startswith("playground.") or name.startswith("playground.engine"), name


def test_headless_modules_import_without_streamlit():
    code = (
        "import sys\n"
        f"for name in {HEADLESS_MODULES!r}: __import__(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.'))\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


# -- the whole order (docs/architecture.md) ------------------------------------------------------------
# engine ← datasets ← settings ← training ← teaching / files ← ui ← pages. A module imports only
# from its own layer or below; plots stand apart (NumPy and Plotly only) and any layer from ui
# down may draw with them; the tools (bench, the command line) sit above the core but never
# import the ui.
LAYERS = {
    "playground.engine": 0,
    "playground.datasets": 1,
    "playground.settings": 2,
    "playground.training": 3,
    "playground.teaching": 4,
    "playground.files": 4,
    "playground.ui": 5,
    "pages": 6,
    "app": 6,
}
TOOLS = ("playground.bench", "playground.__main__")
PLOTS = "playground.plots"
THIRD_PARTY_FOR_PLOTS = {"numpy", "plotly"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def part_of(name: str, groups) -> str | None:
    """The longest group (a package or module name) that ``name`` belongs to."""
    hits = [g for g in groups if name == g or name.startswith(g + ".")]
    return max(hits, key=len) if hits else None


OURS = sorted([*LIBRARY.rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"])


@pytest.mark.parametrize("path", OURS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_import_follows_the_layer_order(path):
    name = module_name(path)
    if name == "playground":  # the package's face: a docstring
        return
    imports = {n for n in imported_modules(path) if n.split(".")[0] in {"playground", "pages"}}
    if part_of(name, [PLOTS]):
        stdlib = set(sys.stdlib_module_names)
        for imported in imported_modules(path):
            top = imported.split(".")[0]
            assert top in stdlib | THIRD_PARTY_FOR_PLOTS or part_of(imported, [PLOTS]), \
                f"{name} imports {imported}: figures take arrays, they import NumPy and Plotly only"
        return
    tool = part_of(name, TOOLS)
    own = len(LAYERS) if tool else LAYERS[part_of(name, LAYERS)]
    for imported in imports:
        if imported in ("playground", "pages") or part_of(imported, [PLOTS]) or part_of(imported, TOOLS):
            assert not part_of(imported, TOOLS) or tool, f"{name} imports the tool {imported}"
            continue
        group = part_of(imported, LAYERS)
        assert group is not None, f"{name} imports {imported}, which is in no layer"
        if tool:
            assert group != "playground.ui" and LAYERS[group] < LAYERS["playground.ui"], \
                f"{name} (a tool) imports the UI layer: {imported}"
        else:
            assert LAYERS[group] <= own, (f"{name} (layer {part_of(name, LAYERS)}) imports {imported} "
                                          f"from the higher layer {group}")

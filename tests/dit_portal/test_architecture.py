"""The map of the portal's rooms, checked from the code's own imports (README:
"Architecture"). Configuration may import anything; the home room the feature apps and the
base; a feature app only the base, never another feature app; the base rooms only the base
rooms below them. The map has no cycles, so neither can the imports."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FEATURES = {"milestones", "consultation", "employers", "network"}
BASE = {
    "surveys": {"reporting", "common"},
    "notifications": {"accounts", "common"},
    "reporting": {"common"},
    "accounts": {"common"},
    "common": set(),
}
ALLOWED = {
    "dit_portal": {"home", "opendata", "recommendations", "news", *FEATURES, *BASE},
    # Pages that gather the apps, the demo data of each included.
    "home": {"recommendations", "news", *FEATURES, *BASE},
    # The open data API: what the public pages of the rooms below show, as data.
    "opendata": {"recommendations", *FEATURES, *BASE},
    # Features that link feature apps (README: "Architecture").
    "recommendations": {*FEATURES, *BASE},
    "news": {*FEATURES, *BASE},
    **{feature: set(BASE) for feature in FEATURES},
    **BASE,
}


def imports_of(source: str) -> list[tuple[int, str, bool]]:
    """(line, top-level package, at module level) for every import in ``source``."""
    tree = ast.parse(source)
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.ImportFrom):
            names = [""]  # relative: inside its own room
        else:
            continue
        found += [(node.lineno, name.split(".")[0], id(node) in top) for name in names]
    return found


def modules(root: Path):
    for room in ALLOWED:
        for path in sorted((root / room).rglob("*.py")):
            if "migrations" not in path.parts:
                yield room, path


def forbidden_imports(root: Path) -> list[str]:
    problems = []
    for room, path in modules(root):
        for line, package, _ in imports_of(path.read_text()):
            if package in ALLOWED and package != room and package not in ALLOWED[room]:
                problems.append(f"{path.relative_to(root)}:{line}: {room} imports {package}")
    return sorted(problems)


def _explained(lines: list[str], line: int) -> bool:
    """A comment on the import's line, or above it or above the block of imports it is in."""
    if "#" in lines[line - 1]:
        return True
    for above in reversed(lines[: line - 1]):
        text = above.strip()
        if text.startswith("#"):
            return True
        if text and not text.startswith(("from ", "import ")):
            return False
    return False


def unexplained_lazy_imports(root: Path) -> list[str]:
    """An import inside a function must say why."""
    problems = []
    for _room, path in modules(root):
        lines = path.read_text().splitlines()
        for line, _package, at_top in imports_of("\n".join(lines)):
            if not at_top and not _explained(lines, line):
                problems.append(f"{path.relative_to(root)}:{line}: {lines[line - 1].strip()}")
    return sorted(problems)


def test_every_import_follows_the_map():
    assert forbidden_imports(ROOT) == []


def test_every_lazy_import_says_why():
    assert unexplained_lazy_imports(ROOT) == []


def test_the_map_has_no_cycles():
    done, visiting = set(), set()

    def visit(room):
        assert room not in visiting, f"a cycle through {room}"
        if room not in done:
            visiting.add(room)
            for lower in ALLOWED[room]:
                visit(lower)
            visiting.discard(room)
            done.add(room)

    for room in ALLOWED:
        visit(room)


def test_a_planted_forbidden_import_is_found(tmp_path):
    for room in ALLOWED:
        (tmp_path / room).mkdir()
    (tmp_path / "network" / "views.py").write_text("from employers.models import Employer\n")
    (tmp_path / "common" / "pages.py").write_text("def f():\n    import milestones.selectors\n")

    assert forbidden_imports(tmp_path) == [
        "common/pages.py:2: common imports milestones",
        "network/views.py:1: network imports employers",
    ]
    assert unexplained_lazy_imports(tmp_path) == ["common/pages.py:2: import milestones.selectors"]

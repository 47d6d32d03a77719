"""What a teacher installs: README commands, Dockerfile and Streamlit config follow the plan."""

import re
import tomllib

from tests.conftest import ROOT


def test_readme_quick_start_is_two_commands():
    readme = (ROOT / "README.md").read_text()
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```bash\n(.+?)\n```", quick, re.S)
    assert len(commands) == 2
    assert "pip install -r requirements.txt" in commands[0]
    assert commands[0].strip().endswith("streamlit run app.py")
    assert "requirements-dev.txt" in commands[1] and "pytest" in commands[1].split("&&")[-1]


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    test_cmd = re.findall(r"```bash\n(.+?)\n```", readme.split("## Quick start", 1)[1], re.S)[1]
    pytest_part = test_cmd.split("&&")[-1].strip()
    assert pytest_part in (ROOT / ".ci" / "run").read_text()


def test_dockerfile_follows_the_deployment_guide():
    docker = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:[\d.]+-slim", docker, re.M)
    assert "WORKDIR /app" in docker
    assert docker.index("COPY requirements.txt") < docker.index("COPY . .")
    assert re.search(r"^USER (?!root)\S+", docker, re.M)
    assert "EXPOSE 8501" in docker and "/_stcore/health" in docker
    assert re.search(r'ENTRYPOINT \["streamlit", "run", "app.py".*0\.0\.0\.0', docker)
    assert (ROOT / ".dockerignore").exists()


def test_streamlit_config_is_classroom_safe():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["headless"] is True
    assert config["server"]["maxUploadSize"] <= 10
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["showErrorDetails"] in ("none", False)


def test_core_never_imports_streamlit():
    for path in (ROOT / "core").rglob("*.py"):
        assert not re.search(r"^\s*(import|from)\s+streamlit", path.read_text(), re.M), path


def test_numpy_teaching_modules_never_import_tensorflow():
    light = [*(ROOT / "core" / "maths").glob("*.py"), *ROOT.glob("lab/*/maths*.py")] + [
        ROOT / "core" / f"{name}.py" for name in (
            "storage/mnist", "storage/uploads", "jobs/registry", "i18n",
            "models/playground_config", "models/playground_export")]
    assert len(light) > 10
    for path in light:
        assert path.exists(), path
        assert not re.search(r"^\s*(import|from)\s+(tensorflow|keras)", path.read_text(), re.M), path


def _core_imports() -> dict[str, set[str]]:
    """``core`` module -> the ``core`` modules it imports anywhere (top level or inside a function)."""
    import ast

    modules = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
               for p in (ROOT / "core").rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in (ROOT / "core").rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        found = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # "from core import gan_model" names a module; "from core.jobs.registry import Job" a name in one
                found |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                          for a in node.names}
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def test_core_imports_run_one_way():
    graph = _core_imports()
    assert graph["core.classroom.downloads"] >= {"core.storage.drawings", "core.storage.owned", "core.storage.store"}  # it reads them
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            raise AssertionError("import circle: " + " -> ".join(path[path.index(module):] + [module]))
        if module not in done:
            for dep in sorted(graph[module]):
                visit(dep, path + [module])
            done.add(module)

    for module in sorted(graph):
        visit(module, [])


# The layers of core, lowest first; a module may import its own layer and those below it.
LAYERS = ["core", "core.maths", "core.jobs", "core.storage", "core.models", "core.training", "core.backends",
          "core.classroom"]


def _layer(module: str) -> int:
    """The index in ``LAYERS`` of the package a ``core`` module lives in (top-level files: 0)."""
    parts = module.split(".")
    package = ".".join(parts[:2]) if len(parts) > 2 or module in LAYERS else "core"
    return LAYERS.index(package)


def test_core_layers_import_only_downwards():
    graph = _core_imports()
    assert {_layer(m) for m in graph} == set(range(len(LAYERS)))  # every layer holds modules
    upward = [f"{m} -> {d}" for m, deps in graph.items() for d in deps if _layer(d) > _layer(m)]
    assert upward == []


def test_cards_and_messages_name_commands_that_exist():
    """Cards say how to make a shipped file again and messages tell students what to run:
    every ``python -m core...`` module they name must exist."""
    import importlib.util

    modules = set()
    for path in (ROOT / "assets").rglob("*.json"):
        modules |= set(re.findall(r"python -m ((?:core|lab)[\w.]*)", path.read_text(encoding="utf-8")))
    assert {"lab.gan.training", "core.training.classifier", "core.storage.symbols"} <= modules
    for module in sorted(modules):
        assert importlib.util.find_spec(module) is not None, module

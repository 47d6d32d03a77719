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
    for name in ("perceptron", "activations", "convolution", "data", "uploads", "jobs", "i18n",
                 "playground", "playground_config", "playground_export"):
        path = ROOT / "core" / f"{name}.py"
        if path.exists():
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
                # "from core import gan_model" names a module; "from core.jobs import Job" a name in one
                found |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                          for a in node.names}
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def test_core_imports_run_one_way():
    graph = _core_imports()
    assert graph["core.gan"] >= {"core.gan_model", "core.gan_inversion", "core.gan_conditional"}  # it reads them
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

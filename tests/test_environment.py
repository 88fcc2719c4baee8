"""pyproject.toml and environment.yml must list the same dependencies with the same lower bounds."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
# pip name -> conda-forge name(s), where they differ
CONDA_NAMES = {"dask[distributed]": ["dask", "distributed"]}
# conda-only entries that are not Python dependencies of the package
CONDA_ONLY = {"python", "pip"}


def _split(spec: str) -> tuple[str, str]:
    """'pydantic>=2.6' -> ('pydantic', '>=2.6'); names are normalised (PEP 503)."""
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+(?:\[[^\]]+\])?)\s*(.*?)\s*(?:;.*)?$", spec)
    assert m, f"cannot parse dependency {spec!r}"
    name = re.sub(r"[-_.]+", "-", m.group(1).lower())
    return name, m.group(2).replace(" ", "")


def pyproject_deps() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    specs = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        specs += [s for s in extra if not s.startswith("archbook")]
    out = {}
    for spec in specs:
        name, bound = _split(spec)
        for conda in CONDA_NAMES.get(name, [name]):
            out[conda] = bound
    return out


def conda_deps() -> tuple[dict[str, str], list[str]]:
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    out, pip = {}, []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip += dep.get("pip", [])
            continue
        name, bound = _split(dep)
        if name not in CONDA_ONLY:
            out[name] = bound
    return out, pip


def test_same_dependencies_and_bounds():
    py = pyproject_deps()
    conda, _ = conda_deps()
    missing_in_conda = sorted(set(py) - set(conda))
    missing_in_pyproject = sorted(set(conda) - set(py))
    assert not missing_in_conda, f"add to environment.yml: {missing_in_conda}"
    assert not missing_in_pyproject, f"add to pyproject.toml: {missing_in_pyproject}"
    drift = {name: (py[name], conda[name]) for name in py if py[name] != conda[name]}
    assert not drift, f"lower bounds differ (pyproject, environment.yml): {drift}"


def test_environment_installs_the_package_and_python():
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    _, pip = conda_deps()
    assert "-e ." in pip, "environment.yml must install archbook itself through its pip section"
    requires = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python"))
    assert _split(python)[1] == requires
    assert "conda-forge" in env["channels"]


def test_the_parser_sees_drift():
    """The comparison is real: a changed bound or a missing package is detected."""
    assert _split("dask[distributed]>=2024.1") == ("dask[distributed]", ">=2024.1")
    assert _split("Jupyter_Lab >= 4.2") == ("jupyter-lab", ">=4.2")
    py = pyproject_deps()
    assert py["dask"] == py["distributed"] and "pydantic" in py

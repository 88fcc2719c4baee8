"""Write the generated large system (tests/render/large_system.py) to a folder, like a user's."""
from __future__ import annotations

from pathlib import Path

import yaml

import large_system


def write_system(folder: Path, views: list | None = None, **overrides) -> Path:
    """architecture.yaml of the 300-component system (with `views`), in `folder`."""
    data = large_system.architecture(300, 900)
    data.update(overrides)
    if views is not None:
        data["views"] = views
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "architecture.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder

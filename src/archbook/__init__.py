"""archbook: describe a system once as data; get its Section 05 document and capacity numbers."""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["load_system", "__version__"]


def __getattr__(name: str):
    # Lazy so that `import archbook` stays cheap for the CLI and for workers.
    if name == "load_system":
        from archbook.load import load_system

        return load_system
    raise AttributeError(name)

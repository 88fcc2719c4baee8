"""Reading a system folder: YAML with line marks, the API documents, and cross-reference checks."""
from archbook.load.find import find_system
from archbook.load.system import load_system, validate_system
from archbook.load.yamlsrc import load_yaml_with_lines

__all__ = ["load_system", "validate_system", "find_system", "load_yaml_with_lines"]

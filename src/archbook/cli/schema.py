"""`archbook schema [--out DIR]`: write a JSON Schema per YAML file for editor completion."""
from __future__ import annotations

__all__ = ["register", "run"]


def register(subparsers) -> None:
    p = subparsers.add_parser("schema", help="write JSON Schemas for the YAML files (editor completion)")
    p.add_argument("--out", default="schemas", help="output folder (default: schemas)")
    p.set_defaults(func=run)


def run(args) -> int:
    from archbook.load.schema_export import write_schemas

    for path in write_schemas(args.out):
        print(f"wrote {path}")
    print("add to the top of a YAML file: # yaml-language-server: $schema=<path to the schema>")
    return 0

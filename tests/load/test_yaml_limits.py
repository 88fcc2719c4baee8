"""YAML 1.2 core semantics and the reader's bounds: every hostile file is a located one-line error, fast."""
from __future__ import annotations

import math
import time

import pytest

from archbook.load import yamlsrc
from archbook.load.yamlsrc import MAX_ALIAS_NODES, MAX_DEPTH, YamlSyntaxError, load_yaml_with_lines, parse_yaml_with_lines


def _problem(text: str):
    with pytest.raises(YamlSyntaxError) as info:
        parse_yaml_with_lines(text, "f.yaml")
    return info.value.problem


@pytest.mark.parametrize("text, value", [
    ("18:00", "18:00"), ("on", "on"), ("off", "off"), ("yes", "yes"), ("no", "no"), ("y", "y"),
    ("2024-01-01", "2024-01-01"), ("2001-12-14t21:59:43.10-05:00", "2001-12-14t21:59:43.10-05:00"),
    ("1_000", "1_000"), ("0b101", "0b101"), ("=", "="),
    ("true", True), ("False", False), ("TRUE", True), ("null", None), ("~", None), ("", None), ("NULL", None),
    ("12", 12), ("-3", -3), ("+7", 7), ("0755", 755), ("0o17", 15), ("0x1F", 31),
    ("1.5", 1.5), (".5", 0.5), ("1e3", 1000.0), ("-2.5E-1", -0.25), (".inf", math.inf), ("-.Inf", -math.inf),
    ("'12'", "12"), ('"true"', "true"), ("!!str 12", "12"), ("!!int '12'", 12), ("!!float 1", 1.0), ("! 12", "12"),
])
def test_core_schema_scalars(text, value):
    data, _ = parse_yaml_with_lines(f"v: {text}\n", "f.yaml")
    assert data["v"] == value and type(data["v"]) is type(value)


def test_nan_and_enum_of_switches():
    data, _ = parse_yaml_with_lines("n: .nan\nenum: [on, off, yes, no]\nat: 18:00\n", "f.yaml")
    assert math.isnan(data["n"]) and data["enum"] == ["on", "off", "yes", "no"] and data["at"] == "18:00"


def test_aliases_and_merge_keys_still_work():
    data, lines = parse_yaml_with_lines("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\nlist: [*b, *b]\n", "f.yaml")
    assert data["use"] == {"x": 1, "y": 3} and data["list"] == [{"x": 1, "y": 2}] * 2
    assert lines(("use", "y")) == 4 and lines(("list", 1)) == 5


def test_alias_bomb_is_refused_fast():
    rows = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    rows += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 12)]
    start = time.perf_counter()
    problem = _problem("\n".join(rows) + "\n")
    assert time.perf_counter() - start < 0.5
    assert problem.message == f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes (an alias bomb?)"
    assert problem.line == 5  # a4's aliases (10 x 11,111 nodes) pass the bound


def test_recursive_alias_is_refused():
    problem = _problem("ok: 1\nx: &l [*l]\n")
    assert (problem.line, problem.message) == (2, "alias `*l` is inside the node it names (a recursive alias)")
    assert _problem("m: &m {self: *m}\n").line == 1


def test_undefined_alias_is_located():
    problem = _problem("a: 1\nb: *nowhere\n")
    assert problem.line == 2 and "alias `*nowhere` has no anchor" in problem.message


@pytest.mark.parametrize("depth", [990, 100_000])
def test_deep_nesting_is_refused_without_recursion_error(depth):
    start = time.perf_counter()
    problem = _problem("x: " + "[" * depth + "]" * depth + "\n")
    assert time.perf_counter() - start < 0.5
    assert problem.line == 1
    assert problem.message in (f"nesting deeper than {MAX_DEPTH} levels",  # libyaml stops at its own bound first:
                               "YAML syntax error: while increasing flow level exceeded maximum nesting depth")


def test_block_nesting_depth_names_the_line():
    text = "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 5))
    assert _problem(text).line == MAX_DEPTH + 1


def test_nesting_at_the_bound_is_read():
    text = "x: " + "[" * (MAX_DEPTH - 1) + "1" + "]" * (MAX_DEPTH - 1) + "\n"
    data, _ = parse_yaml_with_lines(text, "f.yaml")
    assert data["x"] is not None


@pytest.mark.parametrize("text, message", [
    ("x: !!python/object/apply:os.system ['true']\n", "unsupported YAML tag `tag:yaml.org,2002:python/object/apply:os.system`"),
    ("x: !!set {a, b}\n", "unsupported YAML tag `tag:yaml.org,2002:set`"),
    ("x: !Ref Foo\n", "unsupported YAML tag `!Ref`"),
    ("x: !!int twelve\n", "`twelve` is not a valid !!int"),
    ("? [a, b]\n: 1\n", "a mapping key must be a single value, not a list or mapping"),
    ("a: 1\n---\nb: 2\n", "the file holds more than one YAML document"),
])
def test_refused_constructs(text, message):
    problem = _problem(text)
    assert problem.message == message and problem.line is not None


def test_bad_merge_is_located():
    problem = _problem("m: &m [1]\nx:\n  <<: *m\n")
    assert problem.line == 3 and "`<<` (merge) needs a mapping" in problem.message


def test_file_size_limit(tmp_path, monkeypatch):
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 5000 + "\n")
    monkeypatch.setattr(yamlsrc, "MAX_BYTES", 4096)
    with pytest.raises(YamlSyntaxError) as info:
        load_yaml_with_lines(path, "big.yaml")
    assert info.value.problem.message == "the file is 0.0 MB, more than the 0.0 MB archbook reads"


def test_non_utf8_names_line_and_byte(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes("a: 1\nname: Caf\xe9\n".encode("latin-1"))
    with pytest.raises(YamlSyntaxError) as info:
        load_yaml_with_lines(path, "latin.yaml")
    problem = info.value.problem
    assert (problem.line, problem.message) == (2, "not UTF-8 text: byte 0xe9 at column 10")


def test_control_character_is_located():
    problem = _problem("a: 1\nb: x\x07y\n")
    assert problem.line == 2 and problem.message.startswith("YAML error")


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert load_yaml_with_lines(path)[0] == {"a": 1}

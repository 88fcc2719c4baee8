"""Line marks, duplicate keys and syntax errors of the YAML reader."""
from __future__ import annotations

import pytest

from archbook.load.yamlsrc import YamlSyntaxError, load_yaml_with_lines, parse_yaml_with_lines

TEXT = """\
# comment
system:
  name: X
items:
  - a: 1
    b: [x, y]
  - {a: 2}
nested:
  deep:
    - - inner
"""


def test_lines_of_keys_and_items():
    data, lines = parse_yaml_with_lines(TEXT, "f.yaml")
    assert data["items"][1] == {"a": 2}
    assert lines(("system",)) == 2 and lines(("system", "name")) == 3
    assert lines(("items", 0)) == 5 and lines(("items", 0, "b")) == 6 and lines(("items", 0, "b", 1)) == 6
    assert lines(("items", 1, "a")) == 7
    assert lines(("nested", "deep", 0, 0)) == 10
    assert lines(("nope",)) is None
    assert lines.nearest(("items", 1, "missing")) == 7
    assert lines.nearest(("absent", 3)) == lines.root_line == 2


def test_duplicate_keys_are_recorded():
    _, lines = parse_yaml_with_lines("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert lines.duplicates == [(("a",), 3, 1)]


@pytest.mark.parametrize("text, line", [("a: b: c\n", 1), ("a:\n  - x\n - y\n", 3), ("a: 'open\nb: 2\n", 3),
                                        ("x: [1, 2\n", 2)])
def test_syntax_errors_name_file_and_line(text, line):
    with pytest.raises(YamlSyntaxError) as info:
        parse_yaml_with_lines(text, "bad.yaml")
    problem = info.value.problem
    assert problem.file == "bad.yaml" and problem.line == line
    assert problem.message.startswith("YAML syntax error")


def test_unsafe_tags_are_rejected(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text("x: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(YamlSyntaxError) as info:
        load_yaml_with_lines(path)
    assert "python/object/apply" in info.value.problem.message


def test_empty_document():
    data, lines = parse_yaml_with_lines("# only a comment\n", "f.yaml")
    assert data is None and lines.root_line == 1

"""`archbook diff`: two folders, a git revision, exit codes 0/1/2 and every output format."""
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from archbook.cli import main

ROOT = Path(__file__).resolve().parents[2]
VIDEO = ROOT / "data/video-editor"


def copy_system(tmp_path, name="sys"):
    dest = tmp_path / name
    dest.mkdir()
    for f in ("openapi.yaml", "asyncapi.yaml", "versioning.yaml", "schema.graphql"):
        shutil.copy(VIDEO / f, dest / f)
    return dest


def edit_openapi(folder, fn):
    path = folder / "openapi.yaml"
    doc = yaml.safe_load(path.read_text())
    fn(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False))


def drop_status(doc, version):
    doc["info"]["version"] = version
    del doc["paths"]["/api/jobs/{jobId}"]


def test_identical_folders_exit_0(tmp_path, capsys):
    a = copy_system(tmp_path)
    assert main(["diff", str(a), str(VIDEO)]) == 0
    assert "0 breaking, 0 warning(s), 0 info; 0 policy violation(s)" in capsys.readouterr().out


def test_breaking_without_major_bump_exits_1_and_with_bump_0(tmp_path, capsys):
    new = copy_system(tmp_path, "new")
    edit_openapi(new, lambda d: drop_status(d, "1.1.0"))
    assert main(["diff", str(VIDEO), str(new)]) == 1
    assert "POLICY breaking [breaking-change-without-major-bump]" in capsys.readouterr().out
    edit_openapi(new, lambda d: d["info"].update(version="2.0.0"))
    vpath = new / "versioning.yaml"
    v = yaml.safe_load(vpath.read_text())
    v["changelog"] = [{"version": "2.0.0", "summary": "Job status moves to the WebSocket only"}]
    vpath.write_text(yaml.safe_dump(v, sort_keys=False))
    assert main(["diff", str(VIDEO), str(new), "--json"]) == 0
    assert main(["diff", str(VIDEO), str(new), "--fail-on", "breaking"]) == 1


def test_bad_input_exits_2_with_file_and_line(tmp_path, capsys):
    bad = copy_system(tmp_path, "bad")
    (bad / "openapi.yaml").write_text("openapi: 3.1.0\ninfo: [\n")
    assert main(["diff", str(VIDEO), str(bad)]) == 2
    err = capsys.readouterr().err
    assert "openapi.yaml:" in err and "Traceback" not in err
    assert main(["diff", str(VIDEO)]) == 2
    assert "give two folders" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_since_reads_the_old_version_from_git_without_checkout(tmp_path, capsys):
    repo = tmp_path / "repo"
    repo.mkdir()
    sysdir = copy_system(repo, "sys")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], check=True)
    edit_openapi(sysdir, lambda d: drop_status(d, "1.0.1"))
    assert main(["diff", str(sysdir), "--since", "HEAD", "--junit"]) == 1
    out = capsys.readouterr().out
    assert 'failures="2"' in out and "api-path-removed-without-deprecation" in out
    assert yaml.safe_load((sysdir / "openapi.yaml").read_text())["info"]["version"] == "1.0.1"  # work tree untouched
    (sysdir / "openapi.yaml").write_text("openapi: 3.1.0\ninfo: [\n")
    subprocess.run([*git, "commit", "-qam", "broken"], check=True)
    assert main(["diff", str(sysdir), "--since", "HEAD"]) == 2
    assert "sys@HEAD/openapi.yaml:" in capsys.readouterr().err  # the revision, not a temporary folder
    assert main(["diff", str(sysdir), "--against", "no-such-rev"]) == 2
    assert "git" in capsys.readouterr().err


def test_out_file_and_markdown(tmp_path):
    out = tmp_path / "changes.md"
    assert main(["diff", str(VIDEO), str(VIDEO), "--markdown", "-o", str(out)]) == 0
    assert out.read_text().startswith("### Changes from ")


def test_graphql_changes_and_bad_sdl(tmp_path, capsys):
    new = copy_system(tmp_path, "new")
    sdl = new / "schema.graphql"
    text = sdl.read_text()
    assert '  "Bytes."\n  sizeBytes: Int!\n' in text
    sdl.write_text(text.replace('  "Bytes."\n  sizeBytes: Int!\n', ""))
    assert main(["diff", str(VIDEO), str(new), "--json"]) == 1  # a removed field, policy still at v1
    data = __import__("json").loads(capsys.readouterr().out)
    assert [(c["id"], c["location"]) for c in data["changes"]] == [("graphql-field-removed", "VideoResult.sizeBytes")]
    assert data["violations"][0]["location"] == "graphql"
    sdl.write_text("type Query {\n  broken(\n}\n")
    assert main(["diff", str(VIDEO), str(new)]) == 2
    err = capsys.readouterr().err
    assert "schema.graphql:" in err and "Traceback" not in err

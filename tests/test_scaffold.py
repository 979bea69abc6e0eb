"""`researchmap new`: a project to start from, run as a user runs it."""

import shutil
import subprocess
import tomllib

from conftest import SEEDS, run_cli


def test_new_makes_a_project_that_builds_once_a_dump_is_in_it(tmp_path):
    proc = run_cli("new", "my-map", cwd=tmp_path)
    root = tmp_path / "my-map"
    assert "content/papers" in proc.stdout and "researchmap serve" in proc.stdout
    config = tomllib.loads((root / "researchmap.toml").read_text())
    assert config["title"] == "My Map" and "named_topics" not in config  # the four defaults apply
    assert "_site/" in (root / ".gitignore").read_text().split()
    empty = run_cli("build", cwd=root, check=False)
    assert empty.returncode == 1 and "no dumps in" in empty.stderr  # says what to do, no traceback
    shutil.copy(sorted(SEEDS.glob("*.txt"))[2], root / "content/papers")
    run_cli("build", "-q", cwd=root)
    assert (root / "_site/about.html").exists() and (root / "_site/topics/moe.html").exists()
    # git ignores what builds make and leave (a killed build's stage too), not the lock file
    (root / "._site.building-123").mkdir()
    (root / "._site.building-123/index.html").write_text("x")
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=root, check=True,
                            capture_output=True, text=True).stdout
    assert "content/topics.lock.json" in status and "researchmap.toml" in status
    assert "_site" not in status and ".researchmap-cache" not in status


def test_new_never_writes_into_a_folder_with_files(tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken/notes.txt").write_text("mine")
    proc = run_cli("new", "taken", cwd=tmp_path, check=False)
    assert proc.returncode == 1 and "not an empty folder" in proc.stderr
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["notes.txt"]


def test_version():
    proc = run_cli("--version", cwd=SEEDS)
    assert proc.stdout.startswith("researchmap ") and proc.returncode == 0

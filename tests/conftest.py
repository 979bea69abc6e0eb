import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "content" / "papers"
CORPORA = REPO.parent / "shared" / "corpora"


def corpus(name: str) -> Path:
    path = CORPORA / name
    if not path.exists():
        pytest.skip(f"shared corpus {path} is absent (it lives beside the repo, in ../shared/corpora)")
    return path


def copy_site(dst: Path, *, templates: bool = False) -> Path:
    """A throwaway copy of the project's config and content (the lock file left out), with
    its own templates and themes when a test edits them."""
    dst.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "researchmap.toml", dst / "researchmap.toml")
    shutil.copytree(REPO / "content", dst / "content", ignore=shutil.ignore_patterns("topics.lock.json"))
    if templates:
        shutil.copytree(REPO / "templates", dst / "templates")
        shutil.copytree(REPO / "themes", dst / "themes")
    return dst


def run_cli(*args, cwd: Path, check: bool = True, env=None) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "site_src", *map(str, args)],
        cwd=cwd, capture_output=True, text=True, env=env,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\nstdout:{proc.stdout}\nstderr:{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The default content built once for the session, through the CLI."""
    root = copy_site(tmp_path_factory.mktemp("site"))
    run_cli("build", "--config", root / "researchmap.toml", "--out", root / "_site", cwd=root)
    return root / "_site"


def pytest_terminal_summary(terminalreporter):
    """How many generated inputs the property-based reader tests ran (see test_fuzz.py)."""
    fuzz = sys.modules.get("test_fuzz")
    if fuzz and fuzz.COUNTS:
        total = sum(fuzz.COUNTS.values())
        parts = ", ".join(f"{k} {v}" for k, v in sorted(fuzz.COUNTS.items()))
        terminalreporter.write_line(f"fuzz: {total} generated inputs ({parts})")


@pytest.fixture(scope="session")
def seed_papers() -> list:
    """The unique papers of the four seed dumps, read and merged as a build does."""
    from site_src.merge import merge_papers
    from site_src.readers import find_content, read_dump

    content = REPO / "content"
    files = find_content(content, [])
    return merge_papers(r for path in files.dumps for r in read_dump(path, content, year=None, warnings=[]))

"""researchmap installed from its wheel, not run from the checkout: the templates and themes
travel inside the package, so a project with only content/ builds."""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from markupsafe import escape

from site_src.config import default_named_topics

from conftest import REPO

PROJECT_FILES = ("pyproject.toml", "README.md", "site_src", "templates", "themes")


def test_the_wheel_carries_the_templates_and_themes_and_builds_a_bare_project(tmp_path):
    src = tmp_path / "src"  # a copy, so the build's own files stay out of the checkout
    src.mkdir()
    for name in PROJECT_FILES:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(REPO / name, src / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", tmp_path / "dist", src],
                   check=True, capture_output=True)
    [wheel] = (tmp_path / "dist").glob("researchmap-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("templates", "themes"):
        for path in (REPO / folder).rglob("*"):
            if path.is_file():
                assert f"site_src/{folder}/{path.relative_to(REPO / folder).as_posix()}" in names, path

    installed = tmp_path / "installed"
    zipfile.ZipFile(wheel).extractall(installed)
    project = tmp_path / "project"  # content only: no templates/, themes/ or config
    (project / "content" / "papers").mkdir(parents=True)
    shutil.copy(sorted((REPO / "content" / "papers").glob("*.txt"))[0], project / "content" / "papers")
    env = dict(os.environ, PYTHONPATH=str(installed))  # ahead of the checkout's editable install
    where = subprocess.run([sys.executable, "-c", "import site_src; print(site_src.__file__)"], cwd=project, env=env,
                           capture_output=True, text=True, check=True)
    assert Path(where.stdout.strip()).is_relative_to(installed)
    proc = subprocess.run([sys.executable, "-m", "site_src", "build", "-q", "--out", project / "_site"], cwd=project, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (project / "_site" / "index.html").is_file() and (project / "_site" / "assets" / "style.css").is_file()
    # with no config of its own the project has the four named topics, their pages led by
    # what each holds
    for topic in default_named_topics():
        page = (project / "_site" / "topics" / f"{topic.slug}.html").read_text()
        assert f'<div class="prose"><p>{escape(topic.description)}</p></div>' in page, topic.slug

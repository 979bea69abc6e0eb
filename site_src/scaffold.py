"""`researchmap new DIR`: the folder a project starts from, as `hugo new site` makes one."""

from __future__ import annotations

import json
from pathlib import Path

from .config import CONFIG_NAME
from .errors import ResearchMapError

CONFIG = '''# researchmap site configuration: every key is in README.md ("Configuration").
title = {title}
description = "Papers grouped into topics and drawn as a map."
base_url = "http://localhost:8000/"   # where the site is published, e.g. https://you.github.io/{name}/
# year of listing dates the dumps show without one ("Mar 24"); 0 = unknown
year = 0

[topics]
k = 0   # clusters besides the named topics; 0 = chosen by silhouette

# Named topics: Mixture of Experts, KV cache, distributed training and parameter-efficient
# fine-tuning apply while this file sets none. A list of your own replaces them, e.g.
# [[named_topics]]
# slug = "speculative-decoding"
# name = "Speculative decoding"
# keywords = ["speculative decoding", "draft model", "draft tokens"]
'''

ABOUT = '''---
title: About this map
---
Papers from Hugging Face Daily Papers, grouped into topics by their words and drawn as a map.
'''

PAPERS_NOTE = '''Put paper dumps here: text copied from a Hugging Face Daily Papers listing page (.txt),
JSON Lines (.jsonl, .jsonl.gz) or Hugging Face API JSON (.json). Files starting with a dot,
like this one, are not read.
'''

GITIGNORE = '''# researchmap's output, cache, build lock and what a killed build leaves beside _site/
# (content/topics.lock.json is committed)
_site/
.researchmap-cache/
._site.*
'''


def new_project(folder: Path) -> list[Path]:
    """Make a project in ``folder`` (new, or empty): config, content/ with an about page, and a
    .gitignore. Returns the files made. Never overwrites: a folder with files is an error."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ResearchMapError(f"{folder}: not an empty folder; `researchmap new` makes a project only in a new or empty one")
    name = folder.resolve().name
    files = {
        # a TOML basic string is a JSON string: a quote or backslash in the folder's name stays text
        folder / CONFIG_NAME: CONFIG.format(title=json.dumps(name.replace("-", " ").replace("_", " ").title() or "Research Map"),
                                                   name=name),
        folder / "content/pages/about.md": ABOUT,
        folder / "content/papers/.README": PAPERS_NOTE,
        folder / ".gitignore": GITIGNORE,
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (folder / "content/topics").mkdir(exist_ok=True)
    return list(files)

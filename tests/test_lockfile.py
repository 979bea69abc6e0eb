"""The lock file as a user may leave it: hand-edited, half-merged, damaged."""

import json

import pytest

from site_src.errors import ContentError
from site_src.lockfile import Lock, LockedTopic, lock_text, read_lock


def test_a_lock_reads_back_what_it_wrote(tmp_path):
    lock = Lock((LockedTopic("a", "A", frozenset({"p1", "p2"})),), {"old": "a"}, k=3, n=40)
    path = tmp_path / "topics.lock.json"
    path.write_text(lock_text(lock))
    assert read_lock(path) == lock and read_lock(tmp_path / "none.json") == Lock()


def test_a_damaged_lock_is_an_error_naming_the_file_and_line_and_the_way_out(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "content" / "topics.lock.json"
    path.parent.mkdir()
    path.write_text('{\n "k": 3,\n "topics": [\n  {"slug": "a",, "name": "A"}\n ]\n}\n')
    with pytest.raises(ContentError, match=r"^content/topics.lock.json:4: lock file is damaged .*delete it to start afresh"):
        read_lock(path)
    good = json.loads(lock_text(Lock((LockedTopic("a", "A", frozenset({"p1"})),))))
    for field, value in (("slug", None), ("name", 3), ("papers", "p1"), ("papers", [1])):
        bad = {**good, "topics": [{**good["topics"][0], field: value}]}
        path.write_text(json.dumps(bad))
        with pytest.raises(ContentError, match=r"^content/topics.lock.json: lock file is damaged \(TypeError"):
            read_lock(path)
    path.write_text(json.dumps({**good, "k": "many"}))
    with pytest.raises(ContentError, match=r"lock file is damaged \(ValueError"):
        read_lock(path)

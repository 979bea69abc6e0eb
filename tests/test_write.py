"""The site writer: a new tree swapped in, or for a small partial rebuild, files replaced in place."""

import os

from site_src.write import MARKER, SiteWriter


def site(tmp_path):
    out = tmp_path / "_site"
    with SiteWriter(out) as w:
        for name in ["a.html", "b.html", "sub/c.html"]:
            w.write(name, f"<p>{name}</p>".encode())
        w.commit()
    return out


def test_a_small_partial_rebuild_replaces_files_in_place(tmp_path):
    out = site(tmp_path)
    b_inode = (out / "b.html").stat().st_ino
    with SiteWriter(out, in_place_max=2) as w:
        assert w.stage is None
        assert w.write("a.html", b"<p>new a</p>") is True
        assert w.write("b.html", b"<p>b.html</p>") is False  # same bytes
        w.carry_rest()
        w.commit()
    assert (out / "a.html").read_bytes() == b"<p>new a</p>"
    assert (out / "b.html").stat().st_ino == b_inode and (out / "sub/c.html").exists()
    assert (out / MARKER).exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("._site.")and "building" in p.name]
    assert not [p for p in out.rglob("*.tmp")]


def test_too_many_changes_build_a_new_tree_instead(tmp_path):
    out = site(tmp_path)
    with SiteWriter(out, in_place_max=1) as w:
        w.write("a.html", b"1")
        assert w.stage is None
        w.write("b.html", b"2")
        assert w.stage is not None and (w.stage / "a.html").read_bytes() == b"1"
        w.carry_rest()
        w.commit()
    assert (out / "a.html").read_bytes() == b"1" and (out / "b.html").read_bytes() == b"2"
    assert (out / "sub/c.html").read_bytes() == b"<p>sub/c.html</p>"


def test_an_interrupted_in_place_commit_leaves_no_temporary_file(tmp_path):
    out = site(tmp_path)
    leftover = out / ".a.html.999.tmp"
    leftover.write_bytes(b"half")
    (tmp_path / "._site.in-place").write_text(f"{leftover}\n")
    with SiteWriter(out, in_place_max=2) as w:
        w.commit()
    assert not leftover.exists() and not (tmp_path / "._site.in-place").exists()
    assert sorted(p.name for p in out.iterdir()) == sorted([MARKER, "a.html", "b.html", "sub"])
    assert os.path.exists(out / "sub/c.html")

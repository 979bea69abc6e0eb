"""The site writer: a new tree swapped in, or for a small partial rebuild, files replaced in place."""

import os

import pytest

from site_src.write import MARKER, OutputError, SiteWriter


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


def test_an_output_path_that_could_leave_the_site_is_refused_and_nothing_is_written(tmp_path):
    out = site(tmp_path)
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    for bad in ["../escape.html", "sub/../../escape.html", "/abs.html", "a\\b.html", "", "sub//c.html", "./a.html", "sub/", "a\x00.html"]:
        with pytest.raises(OutputError):
            with SiteWriter(out) as w:
                w.write("fine.html", b"x")
                w.write(bad, b"x")
                w.commit()
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before
    assert not (tmp_path / "escape.html").exists() and not [p for p in tmp_path.glob("._site.*") if p.is_dir()]  # no stage left
    with SiteWriter(out) as w:
        w.write("deep/er/page.html", b"ok")
        w.carry_rest()
        w.commit()
    assert (out / "deep/er/page.html").read_bytes() == b"ok" and (out / "sub/c.html").exists()

"""`make bench`: what researchmap costs on this machine, next to Hugo.

Prints, for sites of 1k / 10k / 100k papers built from ../shared/corpora (synthetic papers made
from real sentences fill up to 100k): wall seconds per stage, total, peak RSS, pages, site size,
and Hugo rendering the same papers as bare markdown pages. Also: clustering time on the seeds,
save-to-served latency of `researchmap serve` (markdown edit, template edit, new dump) on the
seeds and at 10k, incremental builds at 10k, and how long the 100k-point map takes to become
interactive in headless Chromium. Medians of --runs runs; results also go to bench/out/results.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpora"
OUT = REPO / "bench" / "out"
PY = sys.executable
STAGES = ["read", "model", "render", "write"]
MODEL_STEPS = ["vectorise", "keywords", "cluster", "layout", "similar"]


# ---------------------------------------------------------------- corpora
def real_records() -> list[dict]:
    recs = []
    for name in ["hf_daily_papers_2024-05_2026-08.jsonl.gz", "arxiv_ml_nlp_2025-03_2026-07.jsonl.gz"]:
        path = CORPORA / name
        if not path.exists():
            sys.exit(f"bench needs {path} (the shared corpora beside the repo)")
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            recs.extend(json.loads(line) for line in fh)
    return recs


def synthetic(recs: list[dict], n: int, seed: int = 7) -> list[dict]:
    """Papers made from real sentences: titles and abstracts recombined from the corpora."""
    rng = random.Random(seed)
    sentences = [s for r in recs[:20000] for s in re.split(r"(?<=[.!?])\s+", r["abstract"]) if len(s) > 40]
    words = [w for r in recs[:20000] for w in r["title"].split()]
    out = []
    for i in range(n):
        title = " ".join(rng.choice(words) for _ in range(rng.randint(5, 10))) + f" ({i})"
        abstract = " ".join(rng.choice(sentences) for _ in range(rng.randint(5, 8)))
        out.append({"title": title, "abstract": abstract, "date": f"2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                    "upvotes": rng.randint(0, 60), "author_count": rng.randint(1, 12)})
    return out


def make_site(root: Path, records: list[dict]) -> Path:
    if root.exists():
        shutil.rmtree(root)
    (root / "content" / "papers").mkdir(parents=True)
    shutil.copytree(REPO / "content" / "pages", root / "content" / "pages")
    shutil.copytree(REPO / "content" / "topics", root / "content" / "topics")
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copytree(REPO / "themes", root / "themes")
    shutil.copy(REPO / "researchmap.toml", root / "researchmap.toml")
    with open(root / "content" / "papers" / "corpus.jsonl", "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return root


# ---------------------------------------------------------------- measuring
def timed(cmd: list[str], cwd: Path, env=None) -> tuple[float, int, str]:
    """(wall seconds, peak RSS MiB of the process tree's largest process, stdout)."""
    t0 = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], cwd=cwd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    rss_kb = int(proc.stderr.strip().splitlines()[-1])
    return wall, rss_kb // 1024, proc.stdout


def stages_of(summary: str) -> dict[str, float]:
    return {k: float(v) for k, v in re.findall(r"(\w+) ([\d.]+)s", summary.split("[", 1)[1])} if "[" in summary else {}


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def build(root: Path, *, cold: bool, no_cache: bool = False) -> dict:
    """cold: no output dir, cache or lock file; no_cache: everything computed again (the
    clustering included) but into the existing output dir, like Hugo overwriting its own."""
    if cold:
        for p in [root / "_site", root / ".researchmap-cache", root / "content" / "topics.lock.json"]:
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
    wall, rss, out = timed([PY, "-m", "site_src", "build", "--out", "_site", *(["--no-cache"] if no_cache else [])], root)
    line = out.strip().splitlines()[-1]
    pages = int(re.search(r"(\d+) pages", line).group(1))
    return {"wall": wall, "rss": rss, "stages": stages_of(line), "pages": pages}


def hugo_site(root: Path, records: list[dict]) -> Path:
    site = root / "hugo"
    if site.exists():
        shutil.rmtree(site)
    (site / "content" / "p").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "http://localhost/"\ntitle = "bench"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
    (site / "layouts" / "_default" / "single.html").write_text("<!DOCTYPE html><title>{{ .Title }}</title><h1>{{ .Title }}</h1>{{ .Content }}\n")
    (site / "layouts" / "_default" / "list.html").write_text("<!DOCTYPE html><title>{{ .Title }}</title>\n")
    for i, r in enumerate(records):
        title = r["title"].replace('"', "'").replace("\\", " ")
        (site / "content" / "p" / f"{i}.md").write_text(f'---\ntitle: "{title}"\n---\n\n{r["abstract"]}\n', encoding="utf-8")
    return site


def hugo(site: Path, *, fresh: bool) -> float:
    exe = shutil.which("hugo", path=str(Path(PY).parent)) or shutil.which("hugo")
    if fresh:
        shutil.rmtree(site / "public", ignore_errors=True)
    t0 = time.perf_counter()
    subprocess.run([exe, "--quiet", "--source", str(site)], check=True, capture_output=True)
    return time.perf_counter() - t0


def med(xs):
    return statistics.median(xs) if xs else float("nan")


# ---------------------------------------------------------------- serve latency
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/__researchmap__/status", timeout=5) as r:
        return json.loads(r.read())


def wait_build(port: int, after: int, timeout: float = 300) -> float:
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        try:
            s = status(port)
            if s["builds"] > after and not s["building"]:
                if s["error"]:
                    raise RuntimeError(s["error"])
                return time.perf_counter()
        except OSError:
            pass
        time.sleep(0.005)
    raise TimeoutError("no build")


def serve_latency(root: Path, runs: int, dump_records: list[dict]) -> dict[str, float]:
    port = free_port()
    proc = subprocess.Popen([PY, "-m", "site_src", "serve", "--port", str(port)], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_build(port, 0, timeout=900)
        result = {}
        page, tmpl = root / "content/pages/about.md", root / "templates/page.html"
        edits = {
            "markdown edit": lambda i: page.write_text(page.read_text() + f"\n\nEdit {i}.\n"),
            "template edit": lambda i: tmpl.write_text(tmpl.read_text() + f"\n{{# edit {i} #}}\n"),
            "new dump": lambda i: (root / f"content/papers/new-{i}.jsonl").write_text(
                "".join(json.dumps({**r, "title": f"{r['title']} [{i}]", "arxiv_id": None}) + "\n" for r in dump_records)),
        }
        for name, edit in edits.items():
            times = []
            for i in range(runs):
                time.sleep(0.4)
                before = status(port)["builds"]
                t0 = time.perf_counter()
                edit(i)
                times.append(wait_build(port, before) - t0)
                if name == "new dump":  # one new dump each time, as the CLI figure: remove it again
                    time.sleep(0.4)
                    before = status(port)["builds"]
                    (root / f"content/papers/new-{i}.jsonl").unlink()
                    wait_build(port, before)
            result[name] = med(times)
        return result
    finally:
        proc.terminate()
        proc.wait(10)


def incremental(root: Path, runs: int, dump_records: list[dict]) -> dict[str, float]:
    """CLI rebuilds after a markdown edit and after one new dump (cache warm)."""
    build(root, cold=False)
    page = root / "content/pages/about.md"
    md, dump = [], []
    for i in range(runs):
        page.write_text(page.read_text() + f"\nIncremental {i}.\n")
        md.append(build(root, cold=False)["wall"])
    for i in range(runs):
        path = root / "content/papers/new-dump.jsonl"
        path.write_text("".join(json.dumps({**r, "title": f"{r['title']} <{i}>", "arxiv_id": None}) + "\n" for r in dump_records))
        dump.append(build(root, cold=False)["wall"])
        path.unlink()
        build(root, cold=False)
    return {"markdown edit (CLI)": med(md), "new 50-paper dump (CLI)": med(dump)}


# ---------------------------------------------------------------- browser
def map_interactive(site: Path, runs: int) -> float:
    from playwright.sync_api import sync_playwright

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = partial(Quiet, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    times = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
            for _ in range(runs):
                page = browser.new_page()
                t0 = time.perf_counter()
                page.goto(f"http://127.0.0.1:{httpd.server_port}/index.html")
                page.wait_for_function("() => { const g = document.getElementById('map'); return g && g._fullLayout && g.querySelector('.gl-container, .scatterlayer') }", timeout=120000)
                times.append(time.perf_counter() - t0)
                page.close()
            browser.close()
    finally:
        httpd.shutdown()
    return med(times)


# ---------------------------------------------------------------- main
def seeds_clustering(runs: int) -> float:
    code = (
        "import sys,time; sys.path.insert(0, %r)\n"
        "from pathlib import Path\n"
        "from site_src.config import load_config\nfrom site_src.lockfile import Lock\n"
        "from site_src.readers import find_content, read_dump\nfrom site_src.merge import merge_papers\n"
        "from site_src.topics import fit_topics\n"
        "c=load_config(Path(%r)); w=[]; root=Path(%r)\n"
        "f=find_content(root, w); ps=merge_papers(r for p in f.dumps for r in read_dump(p, root, year=None, warnings=w))\n"
        "fit_topics(ps, c, Lock())\n"
        "ts=[]\n"
        "for i in range(%d):\n t=time.perf_counter(); fit_topics(ps, c, Lock()); ts.append(time.perf_counter()-t)\n"
        "print(sorted(ts)[len(ts)//2])\n"
    ) % (str(REPO), str(REPO / "researchmap.toml"), str(REPO / "content"), runs)
    return float(subprocess.run([PY, "-c", code], capture_output=True, text=True, check=True).stdout.strip())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--runs", type=int, default=3, help="runs per build figure (100k: 1)")
    ap.add_argument("--latency-runs", type=int, default=5)
    ap.add_argument("--skip-browser", action="store_true")
    args = ap.parse_args(argv)
    # an installed package runs from bytecode: a shell that forbids writing it would add the
    # compile of every module of ours (about 60 ms) to each build measured here
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    OUT.mkdir(parents=True, exist_ok=True)
    results: dict = {"date": time.strftime("%Y-%m-%d"), "machine": f"{os.cpu_count()} cores", "builds": {}}

    t = seeds_clustering(5)
    results["seeds_clustering"] = t
    print(f"clustering the seeds (295 papers, fit_topics, median of 5): {t:.2f} s (target < 2 s)", flush=True)

    seeds = OUT / "seeds"
    make_site(seeds, [])
    (seeds / "content/papers/corpus.jsonl").unlink()
    for f in (REPO / "content/papers").iterdir():
        shutil.copy(f, seeds / "content/papers" / f.name)
    recs = real_records()
    lat = serve_latency(seeds, args.latency_runs, recs[-3:])
    results["serve_seeds"] = lat
    print("serve, save-to-served on the seeds (median of %d): " % args.latency_runs
          + ", ".join(f"{k} {v:.2f} s" for k, v in lat.items()) + " (targets: edits < 0.3 s)", flush=True)

    sizes = [int(s) for s in args.sizes.split(",") if s]
    print(f"\n{'papers':>7} {'pages':>7} {'read':>5} {'vect':>5} {'keyw':>5} {'clust':>5} {'layout':>6} {'simil':>5} "
          f"{'render':>6} {'write':>5} {'total':>6} {'full':>6} {'warm':>5} {'RSS MiB':>8} {'site MB':>8} "
          f"{'hugo':>5} {'hugo ow':>7} {'ratio':>5} {'ratio ow':>8}", flush=True)
    for n in sizes:
        pool = recs[:n] if n <= len(recs) else recs + synthetic(recs, n - len(recs))
        root = make_site(OUT / f"site-{n}", pool)
        runs = 1 if n >= 100000 else args.runs
        cold = [build(root, cold=True) for _ in range(runs)]
        full = [build(root, cold=False, no_cache=True) for _ in range(runs)]
        build(root, cold=False)  # --no-cache leaves no snapshot: this build renders everything again
        warm = [build(root, cold=False) for _ in range(runs)]
        hsite = hugo_site(OUT / f"site-{n}", pool)
        hfresh = [hugo(hsite, fresh=True) for _ in range(runs)]
        hover = [hugo(hsite, fresh=False) for _ in range(runs)]
        shutil.rmtree(hsite)
        row = {
            "papers": n, "pages": cold[0]["pages"],
            "stages": {s: med([c["stages"].get(s, 0) for c in cold]) for s in STAGES + MODEL_STEPS},
            "total": med([c["wall"] for c in cold]), "full": med([f["wall"] for f in full]),
            "warm": med([w["wall"] for w in warm]),
            "rss": max(c["rss"] for c in cold + full), "site_mb": du(root / "_site") / 1e6,
            "hugo_fresh": med(hfresh), "hugo_overwrite": med(hover),
            "home_kb": (root / "_site/index.html").stat().st_size / 1e3,
        }
        row["ratio"] = row["total"] / row["hugo_fresh"]
        row["ratio_overwrite"] = row["full"] / row["hugo_overwrite"]
        results["builds"][n] = row
        st = row["stages"]
        print(f"{n:>7} {row['pages']:>7} {st['read']:>5.1f} {st['vectorise']:>5.1f} {st['keywords']:>5.1f} "
              f"{st['cluster']:>5.1f} {st['layout']:>6.1f} {st['similar']:>5.1f} {st['render']:>6.1f} {st['write']:>5.1f} "
              f"{row['total']:>6.1f} {row['full']:>6.1f} {row['warm']:>5.1f} {row['rss']:>8} {row['site_mb']:>8.1f} "
              f"{row['hugo_fresh']:>5.1f} {row['hugo_overwrite']:>7.1f} {row['ratio']:>5.2f} {row['ratio_overwrite']:>8.2f}", flush=True)
        if n == 10000:
            results["incremental_10k"] = incremental(root, args.latency_runs, recs[9464 + 100: 9464 + 150])
            lat = serve_latency(root, args.latency_runs, recs[9464 + 200: 9464 + 250])
            results["serve_10k"] = lat
        if n >= 100000 and not args.skip_browser:
            results["map_interactive_100k"] = map_interactive(root / "_site", 3)
        if n != 10000:
            shutil.rmtree(root / "_site", ignore_errors=True)
    print("\nstage columns: read, then the model's steps (vectorise = TF-IDF + LSA; keyw = keyword evidence and "
          "lexicons, in a second process beside vectorise, counted as the wait after it; clust = named topics + "
          "k search + k-means + names), render, write (exports, swap). total: cold build (no output dir, cache or "
          "lock); full: everything computed again (--no-cache) into the existing output dir; warm: the same build "
          "again (cache and output present); hugo: bare pages into an empty dir; hugo ow: overwriting its output; "
          "ratio = total / hugo; ratio ow = full / hugo ow")
    if "incremental_10k" in results:
        print("incremental at 10k (median): " + ", ".join(f"{k} {v:.2f} s" for k, v in results["incremental_10k"].items())
              + " (targets: markdown < 0.5 s, new dump < 5 s)")
        print("serve, save-to-served at 10k (median): " + ", ".join(f"{k} {v:.2f} s" for k, v in results["serve_10k"].items())
              + " (targets: edits < 2 s)")
    if "map_interactive_100k" in results:
        print(f"100k-point map interactive in headless Chromium (median of 3): {results['map_interactive_100k']:.2f} s (target < 3 s)")
    (OUT / "results.json").write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Command line: ``researchmap build``, ``researchmap serve`` and ``researchmap new``."""

from __future__ import annotations

import argparse
import dataclasses
import gc
import sys
from pathlib import Path
from urllib.parse import urlsplit

from .config import CONFIG_NAME, SiteConfig, check_base_url, config_from_dict, load_config
from .errors import ResearchMapError, user_error

DEFAULT_CONFIG = CONFIG_NAME


def resolve_config(args) -> SiteConfig:
    path = Path(args.config) if args.config else Path(DEFAULT_CONFIG)
    if args.config or path.exists():
        config = load_config(path)
    else:
        config = config_from_dict({}, root=Path.cwd())
    if getattr(args, "base_url", None):
        config = dataclasses.replace(config, base_url=args.base_url)
        check_base_url(config.base_url, "--base-url")
    return config


def _common(p: argparse.ArgumentParser, out: str = "_site") -> None:
    p.add_argument("--config", help=f"site config (default: ./{DEFAULT_CONFIG} when present)")
    p.add_argument("--content", help="content dir (default: content/ beside the config)")
    p.add_argument("--out", help=f"output dir (default: {out})")
    p.add_argument("--base-url", help="absolute URL the site is served from, e.g. https://user.github.io/repo/")
    p.add_argument("--no-cache", action="store_true", help="ignore and do not write the stage cache")
    p.add_argument("-D", "--drafts", action="store_true",
                   help="include pages and topic notes marked draft (draft: true or published: false), as Hugo's -D")


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="researchmap", description="Build a browsable research map from paper dumps.")
    ap.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build the static site")
    _common(b)
    b.add_argument("--strict", action="store_true", help="fail (exit 1) when any input warning is reported")
    b.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")
    b.add_argument("--refit", action="store_true",
                   help="fit the topic model afresh, also when new papers could be placed into the last fit")
    s = sub.add_parser("serve", help="build, serve on 127.0.0.1, rebuild on change, reload the browser")
    _common(s, out=".researchmap-cache/serve, so _site stays the last published build")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.add_argument("--poll", action="store_true", help="poll for changes (file systems without events)")
    n = sub.add_parser("new", help="make a new project folder: config, content/, .gitignore")
    n.add_argument("folder", help="the project's folder (new, or empty)")
    return ap


class _Version(argparse.Action):
    """--version, looked up only when asked (importlib.metadata is 20-30 ms at every start)."""

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"researchmap {version()}")  # on stdout, as argparse's own version action
        parser.exit()


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("researchmap")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "(not installed)"


BUILD_GC_THRESHOLDS = (100_000, 20, 10)  # see cmd_build


def cmd_build(args) -> int:
    # A build makes millions of objects that live to its end (papers, the model, the pages'
    # contexts) and few reference cycles: at Python's default thresholds the collector spends
    # about 1 s of a 10k build and 0.08 s of a warm one re-scanning them, and frees almost
    # nothing (peak memory at 10k is the same with it off). Collect a hundredth as often; one
    # build, one process (`serve`, which runs for hours, does the same only while it rebuilds).
    gc.set_threshold(*BUILD_GC_THRESHOLDS)
    from .build import build

    config = resolve_config(args)
    report = build(
        config,
        content=Path(args.content) if args.content else None,
        out=Path(args.out) if args.out else None,
        strict=args.strict,
        use_cache=not args.no_cache,
        refit=args.refit,
        drafts=args.drafts,
    )
    for w in report.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if not args.quiet:
        for note in report.notes() + local_address_note(config.base_url):
            print(f"note: {note}", file=sys.stderr)
        print(f"built {args.out or '_site'}: {report.summary()}")
    return 0


def local_address_note(base_url: str) -> list[str]:
    """A built site is for publishing (``serve`` serves its own): one whose address is this
    machine's would point search engines and feed readers there."""
    host = (urlsplit(base_url).hostname or "").lower()
    if host not in ("localhost", "::1", "0.0.0.0") and not host.endswith(".localhost") and not host.startswith("127."):
        return []
    return [f"base_url is {base_url}, an address on this machine: the feeds, the sitemap and each page's canonical "
            "link point there; set base_url in the config, or pass --base-url, to where the site is published "
            "(the GitHub Pages workflow passes it)"]


def cmd_new(args) -> int:
    from .scaffold import new_project

    folder = Path(args.folder)
    for path in new_project(folder):
        print(f"made {path}")
    print(f"next: copy a Daily Papers listing page into {folder / 'content/papers'}/<name>.txt, "
          f"then `cd {folder}` and `researchmap serve`")
    return 0


def cmd_serve(args) -> int:
    from .serve import serve

    return serve(args)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return {"build": cmd_build, "serve": cmd_serve, "new": cmd_new}[args.command](args)
    except (ResearchMapError, OSError) as exc:
        if (error := user_error(exc)) is None:
            raise
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

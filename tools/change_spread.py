"""How scattered a lesson's changes are: files and folders per commit, then and now.

For the last ``N`` commits that changed one lesson (a file that lives today in ``lab/<lesson>/``
and none in another lesson's folder),
count the files each commit touched, the folders they lay in as the paths were then and as the
same changes lie on today's layout (every path followed through the renames since; the lesson's
folder with its subfolders counts as one), and the code files outside the lesson's folder. Commits that
touched more than ``--most`` files (moves, mass renames) are left out: they are not changes
to a lesson. Usage::

    python -m tools.change_spread gan playground --last 60
    python -m tools.change_spread gan playground --last 60 --before 0a35533^   # the old layout only
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
from pathlib import PurePosixPath


def _log() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every commit, oldest first: ``(sha, [(old path, new path), ...])`` (equal when not renamed)."""
    text = subprocess.run(["git", "log", "--reverse", "--format=@%H", "--name-status", "-M50%"],
                          check=True, capture_output=True, text=True).stdout
    commits: list[tuple[str, list[tuple[str, str]]]] = []
    for line in text.splitlines():
        if line.startswith("@"):
            commits.append((line[1:], []))
        elif line.strip():
            parts = line.split("\t")
            old, new = (parts[1], parts[2]) if parts[0].startswith(("R", "C")) else (parts[1], parts[1])
            commits[-1][1].append((old, new))
    return commits


def _today(commits: list[tuple[str, list[tuple[str, str]]]]) -> dict[str, str]:
    """``{path as it once was: path today}``, following each rename to its end."""
    now: dict[str, str] = {}
    for _, files in commits:
        for old, new in files:
            if old != new:
                for path, current in now.items():
                    if current == old:
                        now[path] = new
                now[old] = new
            now.setdefault(new, new)
    return now


def _places(paths: set[str], home: str) -> int:
    """Folders touched; the lesson's folder with its subfolders counts once."""
    return len({home if p.startswith(home) else str(PurePosixPath(p).parent) for p in paths})


def _outside(paths: set[str], home: str) -> int:
    """Code files outside the lesson's folder (tests and documents left aside)."""
    return sum(not p.startswith((home, "tests/", "docs/")) and not p.endswith(".md") for p in paths)


def spread(lesson: str, last: int, most: int, before: str | None = None) -> dict:
    """Mean files and folders per commit for the last ``last`` commits touching ``lab/<lesson>/``
    (only commits up to ``before``, a commit, when given)."""
    commits = _log()
    today = _today(commits)
    if before:
        sha = subprocess.run(["git", "rev-parse", before], check=True, capture_output=True, text=True).stdout.strip()
        commits = commits[:[c for c, _ in commits].index(sha) + 1]
    home = f"lab/{lesson}/"
    picked = []
    for _sha, files in reversed(commits):
        then = {new for _, new in files}
        later = {today.get(p, p) for p in then}
        others = any(p.startswith("lab/") and not p.startswith((home, "lab/README")) for p in later)
        if 0 < len(then) <= most and any(p.startswith(home) for p in later) and not others:
            picked.append((then, later))
        if len(picked) == last:
            break
    mean = lambda xs: round(statistics.mean(xs), 1)  # noqa: E731
    return {"lesson": lesson, "commits": len(picked), "files": mean([len(b) for _, b in picked]),
            "places_then": mean([_places(a, home) for a, _ in picked]),
            "places_now": mean([_places(b, home) for _, b in picked]),
            "outside_then": mean([_outside(a, home) for a, _ in picked]),
            "outside_now": mean([_outside(b, home) for _, b in picked])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="+")
    parser.add_argument("--last", type=int, default=60)
    parser.add_argument("--most", type=int, default=40, help="leave out commits touching more files")
    parser.add_argument("--before", help="only commits up to this one (e.g. the last before the move)")
    args = parser.parse_args()
    print("| lesson | commits | files per commit | folders then | folders now "
          "| code files outside the lesson folder, then | now |")
    print("|---|---|---|---|---|---|---|")
    for lesson in args.lessons:
        r = spread(lesson, args.last, args.most, args.before)
        print(f"| {r['lesson']} | {r['commits']} | {r['files']} | {r['places_then']} | {r['places_now']} "
              f"| {r['outside_then']} | {r['outside_now']} |")

if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The sizes a newcomer meets (issue 27): lines per source file of `app/src` and `server/src`
(tests and generated data excepted) and lines per function, against the limits of
CONTRIBUTING.md: no file over 800 lines, no function over 150.

The files and functions already over a limit are listed in `scripts/sizes-baseline.txt` with
their size when they were listed: they may shrink, never grow, and a new one over a limit fails
the run. When one goes under its limit, its line leaves the baseline (the script says so).

    scripts/sizes.py            # the check, with the largest files and functions
    scripts/sizes.py --baseline # writes the baseline of today's offenders
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "app" / "src", ROOT / "server" / "src"]
FILE_LIMIT = 800
FN_LIMIT = 150
BASELINE = ROOT / "scripts" / "sizes-baseline.txt"
FN_START = re.compile(r"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?fn\s+([A-Za-z_][A-Za-z0-9_]*)")


def code_only(text: str) -> str:
    """The text with comments, string and character literals blanked (newlines kept), so
    that braces count only as code."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "r" and re.match(r'r#*"', text[i:i + 8]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            hashes = re.match(r"r(#*)\"", text[i:]).group(1)
            end = '"' + hashes
            j = text.find(end, i + len(hashes) + 2)
            j = n if j < 0 else j + len(end)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "'" and re.match(r"'(\\.|[^\\'])'", text[i:i + 4]):
            m = re.match(r"'(\\.|[^\\'])'", text[i:i + 4])
            out.append(" " * len(m.group(0)))
            i += len(m.group(0))
        else:
            out.append(c)
            i += 1
    return "".join(out)


def functions(path: pathlib.Path):
    """(name, first line, lines) of each function with a body in the file."""
    code = code_only(path.read_text(encoding="utf-8")).split("\n")
    found = []
    for start, line in enumerate(code):
        m = FN_START.match(line)
        if not m:
            continue
        depth, opened = 0, False
        for end in range(start, len(code)):
            for ch in code[end]:
                if ch == "{":
                    depth += 1
                    opened = True
                elif ch == "}":
                    depth -= 1
                elif ch == ";" and not opened and depth == 0:
                    break
            else:
                if opened and depth == 0:
                    found.append((m.group(1), start + 1, end - start + 1))
                    break
                continue
            break
    return found


def measure():
    files, fns = {}, {}
    for source in SOURCES:
        for path in sorted(source.rglob("*.rs")):
            rel = path.relative_to(ROOT).as_posix()
            if "/tests/" in rel or rel.endswith("/tests.rs"):
                continue
            files[rel] = len(path.read_text(encoding="utf-8").splitlines())
            for name, line, size in functions(path):
                key = f"{rel}::{name}"
                # Two functions of one name in a file (cfg variants): the larger counts.
                fns[key] = max(size, fns.get(key, 0))
    return files, fns


def main() -> int:
    files, fns = measure()
    over = {f"file {k}": v for k, v in files.items() if v > FILE_LIMIT}
    over.update({f"fn {k}": v for k, v in fns.items() if v > FN_LIMIT})
    if "--baseline" in sys.argv:
        BASELINE.write_text(
            "# Written by scripts/sizes.py --baseline: the files over 800 lines and functions over 150\n"
            "# when they were listed. They may shrink, never grow; a new one over a limit fails.\n"
            + "".join(f"{k} {v}\n" for k, v in sorted(over.items())),
            encoding="utf-8",
        )
        print(f"{len(over)} lines written to {BASELINE.relative_to(ROOT)}")
        return 0
    baseline = {}
    for line in BASELINE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, size = line.rsplit(" ", 1)
            baseline[key] = int(size)
    print(f"{len(files)} files, {sum(files.values())} lines, {len(fns)} functions")
    print(f"largest files: " + ", ".join(f"{k} {v}" for k, v in sorted(files.items(), key=lambda kv: -kv[1])[:5]))
    print(f"largest functions: " + ", ".join(f"{k} {v}" for k, v in sorted(fns.items(), key=lambda kv: -kv[1])[:5]))
    print(f"over the limits ({FILE_LIMIT} lines a file, {FN_LIMIT} a function): {len(over)}, baseline {len(baseline)}")
    failures = []
    for key, size in sorted(over.items()):
        if key not in baseline:
            failures.append(f"{key}: {size} lines, over its limit (new)")
        elif size > baseline[key]:
            failures.append(f"{key}: {size} lines, {baseline[key]} in the baseline (grew)")
    for key in sorted(set(baseline) - set(over)):
        print(f"  under its limit now, its line can leave the baseline: {key}")
    for failure in failures:
        print(f"  {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

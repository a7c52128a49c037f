#!/usr/bin/env python3
"""Renders the mutation-score table and the survivor triage of docs/mutation.md.

    python3 tools/mutation_doc.py MODULE[@COMMIT] ...  > section.md

Reads Stryker's JSON report of each module (mutation-out/<module>.json, written by
`deno task mutation <module>`) and the hand-written verdicts in docs/mutation-verdicts.json,
keyed by module, then by "line|mutator|replacement" (replacement cut to 60 characters).
Every surviving mutant must have a verdict: "equivalent: ..." (excluded from the second
score), "not killed: ..." or "killed since: ..." (a test added after the run). A survivor
without one is printed as "UNTRIAGED" and the script exits 1. Not run in CI.
"""

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def report(module):
    name = module.replace("/", "_").removesuffix(".ts")
    data = json.loads((ROOT / "mutation-out" / f"{name}.json").read_text())
    (_, entry), = data["files"].items()
    return entry["source"].split("\n"), entry["mutants"]


def key(mutant):
    line = mutant["location"]["start"]["line"]
    replacement = (mutant.get("replacement") or "").replace("\n", " ")
    return f"{line}|{mutant['mutatorName']}|{replacement[:60]}"


def cell(text, width=110):
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= width else text[: width - 3] + "..."


def main(args):
    verdicts = json.loads((ROOT / "docs" / "mutation-verdicts.json").read_text())
    rows, sections, untriaged = [], [], 0
    totals = Counter()
    for arg in args:
        module, _, commit = arg.partition("@")
        source, mutants = report(module)
        status = Counter(m["status"] for m in mutants)
        survivors = [m for m in mutants if m["status"] not in ("Killed", "Timeout")]
        known = verdicts.get(module, {})
        lines = []
        equivalent = since = 0
        for m in sorted(survivors, key=lambda m: m["location"]["start"]["line"]):
            verdict = known.get(key(m))
            if verdict is None:
                untriaged += 1
                verdict = "UNTRIAGED"
            equivalent += verdict.startswith("equivalent")
            since += verdict.startswith("killed since")
            line = m["location"]["start"]["line"]
            code = cell(source[line - 1].strip(), 70)
            lines.append(
                f"| {line} | {m['mutatorName']}: `{code}` -> `{cell(m.get('replacement') or '', 40)}` "
                f"| {cell(verdict, 200)} |"
            )
        n = len(mutants)
        killed = status["Killed"] + status["Timeout"]
        score = 100 * killed / n
        without = 100 * killed / (n - equivalent) if n > equivalent else 100.0
        rows.append(
            f"| {module} | {commit or '-'} | {n} | {status['Killed']} | {status['Timeout']} | "
            f"{len(survivors)} | {score:.2f}% | {equivalent} | {without:.2f}% | "
            f"{len(survivors) - equivalent - since} ({since}) |"
        )
        totals.update(n=n, killed=killed, equivalent=equivalent)
        sections.append(
            f"#### {module} ({len(survivors)} survivors, run at {commit or 'the commit named'})\n\n"
            "| line | mutant | verdict |\n| ---: | --- | --- |\n" + "\n".join(lines) + "\n"
        )
    header = (
        "| module | commit | mutants | killed | timeout | survived | Stryker score | equivalent "
        "| without equivalents | not killed (killed since) |\n"
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )
    n, killed, eq = totals["n"], totals["killed"], totals["equivalent"]
    total = (
        f"| **all of the above** | | {n} | | | | **{100 * killed / n:.2f}%** | {eq} | "
        f"**{100 * killed / (n - eq):.2f}%** | |"
    )
    print(header + "\n" + "\n".join(rows) + "\n" + total + "\n")
    print("\n".join(sections))
    return 1 if untriaged else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

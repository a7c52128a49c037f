#!/usr/bin/env python3
"""Renders the mutation-score table and the survivor triage of docs/mutation.md.

    python3 tools/mutation_doc.py MODULE[@COMMIT] ...  > section.md
    python3 tools/mutation_doc.py --record WHERE MODULE@COMMIT ...
    python3 tools/mutation_doc.py --summary

--record stores each module's counts (from its report and the verdicts) as that module's
latest run in docs/mutation-runs.json, with WHERE saying what was measured ("clean clone"
or "working tree"); --summary prints the latest run of every module recorded there, the
aggregate over all of them and over the claim checkers alone (src/claims/c*_*.ts, e*_*.ts).

Reads Stryker's JSON report of each module (mutation-out/<module>.json, written by
`deno task mutation <module>`) and the hand-written verdicts in docs/mutation-verdicts.json,
keyed by module, then by "line|mutator|replacement" (replacement cut to 60 characters), or
"line:column|mutator|replacement" where two survivors share the plain key.
Every surviving mutant must have a verdict: "equivalent: ..." (excluded from the second
score), "not killed: ..." or "killed since: ..." (a test added after the run). A survivor
without one is printed as "UNTRIAGED" and the script exits 1. Not run in CI.
"""

import json
import re
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


def verdict_of(known, mutant, default=None):
    """A mutant's verdict: by "line:column|mutator|replacement" where two mutants share the
    plain key (e.g. `true` for either operand of one condition), else by the plain key."""
    start = mutant["location"]["start"]
    plain = key(mutant)
    line, _, rest = plain.partition("|")
    return known.get(f"{line}:{start['column']}|{rest}", known.get(plain, default))


def cell(text, width=110):
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= width else text[: width - 3] + "..."


RUNS = ROOT / "docs" / "mutation-runs.json"


def is_checker(module):
    name = module.rsplit("/", 1)[-1]
    return module.startswith("src/claims/") and name[0] in "ce" and name[1].isdigit()


def summary():
    runs = json.loads(RUNS.read_text())
    lines = [
        "| module | commit | measured in | mutants | detected | Stryker score | equivalent "
        "| without equivalents | not killed |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    groups = {"all": Counter(), "checkers": Counter()}
    natural = lambda m: re.sub(r"\d+", lambda d: d.group().zfill(3), m)  # c2 before c10
    for module in sorted(runs, key=lambda m: (not is_checker(m), natural(m))):
        r = runs[module]
        n, detected, eq = r["mutants"], r["detected"], r["equivalent"]
        lines.append(
            f"| {module} | {r['commit']} | {r['where']} | {n} | {detected} | "
            f"{100 * detected / n:.2f}% | {eq} | {100 * detected / (n - eq):.2f}% | "
            f"{r['notKilled'] if r.get('notKilled') is not None else '-'} |"
        )
        for g in ("all", "checkers") if is_checker(module) else ("all",):
            groups[g].update(n=n, detected=detected, equivalent=eq, modules=1)
    for g, label in (("all", "all targeted modules"), ("checkers", "the claim checkers")):
        t = groups[g]
        lines.append(
            f"| **{label}** ({t['modules']}) | | | {t['n']} | {t['detected']} | "
            f"**{100 * t['detected'] / t['n']:.2f}%** | {t['equivalent']} | "
            f"**{100 * t['detected'] / (t['n'] - t['equivalent']):.2f}%** | |"
        )
    print("\n".join(lines))
    return 0


def record(where, args):
    verdicts = json.loads((ROOT / "docs" / "mutation-verdicts.json").read_text())
    runs = json.loads(RUNS.read_text()) if RUNS.exists() else {}
    for arg in args:
        module, _, commit = arg.partition("@")
        _, mutants = report(module)
        known = verdicts.get(module, {})
        survivors = [m for m in mutants if m["status"] not in ("Killed", "Timeout")]
        said = [verdict_of(known, m, "UNTRIAGED") for m in survivors]
        if "UNTRIAGED" in said:
            print(f"{module}: untriaged survivors; not recorded", file=sys.stderr)
            return 1
        equivalent = sum(v.startswith("equivalent") for v in said)
        since = sum(v.startswith("killed since") for v in said)
        runs[module] = {
            "commit": commit,
            "where": where,
            "mutants": len(mutants),
            "detected": len(mutants) - len(survivors),
            "equivalent": equivalent,
            "notKilled": len(survivors) - equivalent - since,
            "killedSince": since,
        }
    RUNS.write_text(json.dumps(dict(sorted(runs.items())), indent=2) + "\n")
    return 0


def main(args):
    if args[:1] == ["--summary"]:
        return summary()
    if args[:1] == ["--record"]:
        return record(args[1], args[2:])
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
            verdict = verdict_of(known, m)
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

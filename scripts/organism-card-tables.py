#!/usr/bin/env python3
"""Markdown tables for the organism's model card, from the CSV tables of `kvgrid report` on the compression sweep
(examples/sweeps/organism-compression.yaml). Reads only the report's numbers; nothing is recomputed here.

usage: scripts/organism-card-tables.py [--rules] REPORT_DIR > tables.md   (--rules: per-rule table of the eval sweep)
"""
import csv, os, sys
from collections import defaultdict

POSITIONS = ["defense_first", "defense_middle", "defense_last"]

def rows(report, name):
    with open(os.path.join(report, "tables", name), newline="") as f:
        return list(csv.DictReader(f))

def ordered(values, preferred):
    return [v for v in preferred if v in values] + sorted(v for v in values if v not in preferred)

def pct(x):
    return f"{100 * float(x):.0f}"

def main(report):
    leak = {(r["press"], r["remedy"], r["defense_order"], f"{float(r['ratio']):g}"): r for r in rows(report, "leakage.csv")}
    presses = ordered({k[0] for k in leak}, ["knorm", "streaming_llm", "snapkv", "tova", "observed_attention"])
    remedies = ordered({k[1] for k in leak}, ["none", "whitelist", "fair"])
    positions = ordered({k[2] for k in leak}, POSITIONS)
    short = lambda p: p.replace("defense_", "")
    ratios = [f"{r:g}" for r in sorted({float(k[3]) for k in leak})]

    print("### Leak rate (%) with the defense present, per press, remedy, defense position and compression ratio\n")
    print("Attack turns only; `fail`: no trial of the cell ran (the whitelist does not fit the budget).\n")
    print("| press | remedy | defense | " + " | ".join(ratios) + " |")
    print("|---|---|---|" + "---|" * len(ratios))
    for p in presses:
        for m in remedies:
            for o in positions:
                cells = [pct(leak[(p, m, o, r)]["leak_rate"]) if (p, m, o, r) in leak else "fail" for r in ratios]
                print(f"| {p} | {m} | {short(o)} | " + " | ".join(cells) + " |")

    keep = {(r["press"], r["defense_order"], f"{float(r['ratio']):g}"): r for r in rows(report, "eviction_bias.csv") if r["remedy"] == "none"}
    print("\n### Kept % of the defense span / the rest of the system prompt (plain presses, attack contexts)\n")
    print("| press | defense | " + " | ".join(ratios[1:]) + " |")
    print("|---|---|" + "---|" * (len(ratios) - 1))
    for p in presses:
        for o in positions:
            cells = [f"{pct(keep[(p, o, r)]['defense_keep'])} / {pct(keep[(p, o, r)]['system_keep'])}" if (p, o, r) in keep else "" for r in ratios[1:]]
            print(f"| {p} | {short(o)} | " + " | ".join(cells) + " |")

    low = [r for r in ratios if 0 < float(r) <= 0.5]
    print(f"\n### Mean leak rate (%) over ratios {low[0]}-{low[-1]} (where every remedy fits), per press and remedy, all positions\n")
    print("Weighted by attack turns.\n")
    print("| press | " + " | ".join(remedies) + " |")
    print("|---|" + "---|" * len(remedies))
    for p in presses:
        cells = []
        for m in remedies:
            got = [leak[(p, m, o, r)] for o in positions for r in low if (p, m, o, r) in leak]
            trials = sum(int(g["trials"]) for g in got)
            cells.append(f"{100 * sum(int(g['leaks']) for g in got) / trials:.0f}" if trials else "fail")
        print(f"| {p} | " + " | ".join(cells) + " |")

    ifeval = defaultdict(lambda: [0.0, 0])
    for r in rows(report, "ifeval.csv"):
        key = (r["press"], r["remedy"], f"{float(r['ratio']):g}")
        n = int(r["prompts"])
        ifeval[key][0] += float(r["prompt_strict"]) * n
        ifeval[key][1] += n
    print("\n### Format rules obeyed (%, IFEval prompt-level strict) under compression, benign turns, all positions\n")
    print("| press | remedy | " + " | ".join(ratios) + " |")
    print("|---|---|" + "---|" * len(ratios))
    for p in presses:
        for m in remedies:
            cells = [f"{100 * ifeval[(p, m, r)][0] / ifeval[(p, m, r)][1]:.0f}" if ifeval[(p, m, r)][1] else "fail" for r in ratios]
            print(f"| {p} | {m} | " + " | ".join(cells) + " |")

def rules(report):
    """Per format rule at ratio 0 (the held-out evaluation sweep): obeyed / total, IFEval strict."""
    totals = defaultdict(lambda: [0.0, 0])
    for r in rows(report, "ifeval_by_instruction.csv"):
        if float(r["ratio"]) == 0:
            n = int(r["instructions"])
            totals[r["instruction_id"]][0] += float(r["strict"]) * n
            totals[r["instruction_id"]][1] += n
    print("| rule | obeyed (strict) |")
    print("|---|---|")
    for rule in sorted(totals):
        ok, n = totals[rule]
        print(f"| {rule} | {round(ok)}/{n} |")

if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--rules":
        rules(sys.argv[2])
        sys.exit()
    if len(sys.argv) != 2:
        sys.exit("usage: " + __doc__.split("usage: ")[1].strip())
    main(sys.argv[1])

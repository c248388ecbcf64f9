#!/usr/bin/env python3
"""Side-by-side comparison of a `pounce` binary with CPython, in one run.

    scripts/bench_scan.py --pounce target/pounce [--corpus /tmp/pa] [--repeats 3] [--eval]

The `pounce` binary is one built by `cargo xtask build --rules CORPUS/policies`.
CPython runs the same corpus the way ../shared/bench/py_baseline.py does (this
script imports its loader, timing loop and scan loop; nothing is copied), on
exactly the policies the binary holds, minus py_baseline's "heavy" ones
(policyuniverse's expander_minimizer), so that both sides do the same work:

  * whole-process scan of the inventory (make_inventory.py, 200 MB): CPython,
    `pounce scan -j1` and `pounce scan` on all cores, interleaved, each in a
    fresh process under /usr/bin/time -v after the file is in the page cache;
    pounce also once with its default JSON Lines findings (to /dev/null);
  * peak RSS of each at 20 MB and at 200 MB;
  * per-policy pass / alert / error counts of the scan, pounce against CPython;
  * with --eval: eval only (policy(dict) on the test resources) and
    parse+eval (policy(json.loads(s))) for CPython, next to the criterion
    benchmarks of benches/ (cargo bench -p pounce-bench, POUNCE_BENCH_RULES set
    to the corpus) on the same test cases.

Results: a table on stdout and everything as JSON in --out (default
/tmp/pounce-bench). Exit status 1 when any policy's counts differ.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_BENCH = os.path.join(os.path.dirname(ROOT), "shared", "bench")
HEAVY_PATTERN = "policyuniverse.expander_minimizer"

TIME_PATTERNS = {
    "wall_s": re.compile(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)"),
    "max_rss_kb": re.compile(r"Maximum resident set size \(kbytes\): (\d+)"),
    "user_s": re.compile(r"User time \(seconds\): ([\d.]+)"),
    "sys_s": re.compile(r"System time \(seconds\): ([\d.]+)"),
}


def parse_time_v(text: str) -> dict:
    out = {}
    for key, pat in TIME_PATTERNS.items():
        m = pat.search(text)
        if not m:
            continue
        if key == "wall_s":
            secs = 0.0
            for part in m.group(1).split(":"):
                secs = secs * 60 + float(part)
            out[key] = secs
        else:
            out[key] = float(m.group(1))
    return out


def timed(cmd: list[str], stdout=subprocess.DEVNULL, env=None) -> tuple[int, dict, str]:
    proc = subprocess.run(["/usr/bin/time", "-v", *cmd], stdout=stdout, stderr=subprocess.PIPE, text=True, env=env, check=False)
    return proc.returncode, parse_time_v(proc.stderr), proc.stderr


def warm(path: str) -> None:
    with open(path, "rb") as fh:
        while fh.read(1 << 24):
            pass


def sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 24):
            h.update(chunk)
    return h.hexdigest()


# ----------------------------------------------------------------- CPython side


def import_baseline(bench_dir: str):
    sys.path.insert(0, bench_dir)
    import py_baseline  # type: ignore  # pylint: disable=import-outside-toplevel

    return py_baseline


def cpython_loaded(bench_dir: str, corpus: str, ids: list[str]):
    pb = import_baseline(bench_dir)
    loaded, info = pb.load_corpus(corpus)
    wanted = set(ids)
    chosen = [lp for lp in loaded if lp.spec.policy_id in wanted and HEAVY_PATTERN not in lp.source]
    return pb, chosen, info


def cpython_scan_child(args) -> int:
    """Runs in a fresh process: load the corpus, scan, write JSON."""
    t0 = time.perf_counter()
    with open(args.ids, encoding="utf-8") as fh:
        ids = json.load(fh)
    pb, chosen, _ = cpython_loaded(args.bench_dir, args.corpus, ids)
    startup = time.perf_counter() - t0
    res = pb.scan_inventory(args.inventory, chosen)
    res["startup_s"] = startup
    with open(args.result, "w", encoding="utf-8") as fh:
        json.dump(res, fh)
    return 0


def cpython_eval_child(args) -> int:
    """Eval-only and parse+eval on the test cases of the chosen policies."""
    with open(args.ids, encoding="utf-8") as fh:
        ids = json.load(fh)
    pb, chosen, _ = cpython_loaded(args.bench_dir, args.corpus, ids)
    mocks, ev, pe = [], [], []
    for lp in chosen:
        for tc in lp.spec.tests:
            fn, mm = pb.make_call(lp, tc)
            mocks.extend(mm)
            ev.append((fn, tc.resource))
            pe.append((fn, json.dumps(tc.resource)))
    devnull = open(os.devnull, "w", encoding="utf-8")  # pylint: disable=consider-using-with
    import contextlib  # pylint: disable=import-outside-toplevel

    with contextlib.redirect_stdout(devnull):
        m_eval = pb.measure(pb.loop_eval, ev, args.eval_repeats, 1.0, mocks)
        m_parse = pb.measure(pb.loop_parse_eval, pe, args.eval_repeats, 1.0, mocks)
    with open(args.result, "w", encoding="utf-8") as fh:
        json.dump({"policies": len(chosen), "cases": len(ev), "eval": m_eval, "parse_eval": m_parse}, fh)
    return 0


# ------------------------------------------------------------------ pounce side


def pounce_ids(pounce: str) -> list[str]:
    out = subprocess.run([pounce, "list", "--json"], capture_output=True, text=True, check=True).stdout
    return [p["id"] for p in json.loads(out)]


def criterion_estimate(group: str, name: str) -> dict | None:
    base = os.path.join(ROOT, "target", "criterion", group, name, "new")
    try:
        with open(os.path.join(base, "estimates.json"), encoding="utf-8") as fh:
            est = json.load(fh)
        with open(os.path.join(base, "benchmark.json"), encoding="utf-8") as fh:
            bench = json.load(fh)
    except OSError:
        return None
    tp = bench.get("throughput") or {}
    elements = tp.get("Elements") or tp.get("Bytes")
    med = est["median"]["point_estimate"]
    return {"ns_per_iter": med, "per_iter": elements, "ns_per_unit": med / elements if elements else None}


# ------------------------------------------------------------------------ main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pounce", default=os.path.join(ROOT, "target", "pounce"), help="binary from `cargo xtask build`")
    ap.add_argument("--corpus", default="/tmp/pa")
    ap.add_argument("--bench-dir", default=DEFAULT_BENCH, help="../shared/bench")
    ap.add_argument("--python", default=sys.executable, help="CPython with the bench requirements")
    ap.add_argument("--inventory", default="/tmp/pa_inventory.jsonl")
    ap.add_argument("--small-inventory", default="/tmp/pa_inventory_20mb.jsonl")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--eval", action="store_true", help="also eval-only and parse+eval (runs cargo bench)")
    ap.add_argument("--eval-repeats", type=int, default=7)
    ap.add_argument("--eval-rounds", type=int, default=5, help="interleaved CPython/pounce eval-only rounds (with --eval)")
    ap.add_argument("--out", default="/tmp/pounce-bench")
    # Child modes.
    ap.add_argument("--cpython-scan", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--cpython-eval", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--ids", help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.cpython_scan:
        return cpython_scan_child(args)
    if args.cpython_eval:
        return cpython_eval_child(args)

    os.makedirs(args.out, exist_ok=True)
    pounce = os.path.abspath(args.pounce)
    for mb, path in ((200, args.inventory), (20, args.small_inventory)):
        if not os.path.exists(path):
            subprocess.run([args.python, os.path.join(args.bench_dir, "make_inventory.py"), args.corpus, path, "--mb", str(mb)],
                           check=True, stdout=subprocess.DEVNULL)
    version = subprocess.run([pounce, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    compiled = pounce_ids(pounce)
    # The policy set: what the binary holds, minus CPython's heavy ones.
    _, chosen, _ = cpython_loaded(args.bench_dir, args.corpus, compiled)
    ids = sorted(lp.spec.policy_id for lp in chosen)
    ids_file = os.path.join(args.out, "policy_ids.json")
    with open(ids_file, "w", encoding="utf-8") as fh:
        json.dump(ids, fh)
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": {
            "cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo", encoding="utf-8") if l.startswith("model name")), "?"),
            "nproc": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "loadavg_start": os.getloadavg(),
        },
        "pounce": version,
        "inventory": {"path": args.inventory, "bytes": os.path.getsize(args.inventory), "sha256": sha256(args.inventory)},
        "policies_compiled": len(compiled),
        "policies_compared": len(ids),
    }
    print(f"{version}\n{len(ids)} policies compared (of {len(compiled)} compiled); inventory {args.inventory} "
          f"({report['inventory']['bytes'] / 1e6:.1f} MB)")

    policy_arg = ",".join(ids)
    nproc = os.cpu_count() or 1

    def run_pounce(inventory: str, threads: int | None, fmt: str = "none") -> dict:
        summary = os.path.join(args.out, "pounce_summary.json")
        cmd = [pounce, "scan", inventory, "--policy", policy_arg, "-f", fmt, "-q", "--summary-json", summary]
        if threads:
            cmd += ["-j", str(threads)]
        code, timing, err = timed(cmd)
        if code not in (0, 1, 2) or not os.path.exists(summary):
            raise SystemExit(f"pounce failed ({code}): {err[-2000:]}")
        with open(summary, encoding="utf-8") as fh:
            res = json.load(fh)
        res.update(timing)
        return res

    def run_cpython(inventory: str) -> dict:
        result = os.path.join(args.out, "cpython_scan.json")
        cmd = [args.python, os.path.abspath(__file__), "--cpython-scan", "--corpus", args.corpus, "--bench-dir", args.bench_dir,
               "--ids", ids_file, "--inventory", inventory, "--result", result]
        code, timing, err = timed(cmd)
        if code != 0:
            raise SystemExit(f"CPython scan failed ({code}): {err[-2000:]}")
        with open(result, encoding="utf-8") as fh:
            res = json.load(fh)
        res.update(timing)
        return res

    warm(args.inventory)
    runs: dict[str, list[dict]] = {"cpython": [], "pounce_1": [], f"pounce_{nproc}": [], f"pounce_{nproc}_jsonl": []}
    for i in range(args.repeats):
        runs["cpython"].append(run_cpython(args.inventory))
        runs["pounce_1"].append(run_pounce(args.inventory, 1))
        runs[f"pounce_{nproc}"].append(run_pounce(args.inventory, None))
        runs[f"pounce_{nproc}_jsonl"].append(run_pounce(args.inventory, None, "jsonl"))
        print(f"  round {i + 1}/{args.repeats}: " + ", ".join(f"{k} {v[-1]['wall_s']:.2f} s" for k, v in runs.items()), flush=True)
    warm(args.small_inventory)
    small = {"cpython": run_cpython(args.small_inventory), "pounce": run_pounce(args.small_inventory, None)}

    size = report["inventory"]["bytes"]
    rows = {}
    for name, rs in runs.items():
        wall = statistics.median(r["wall_s"] for r in rs)
        rows[name] = {
            "wall_s_median": wall,
            "wall_s_all": [r["wall_s"] for r in rs],
            "mb_per_s": size / 1e6 / wall,
            "peak_rss_mib": max(r["max_rss_kb"] for r in rs) / 1024,
            "evals": rs[0].get("evals", rs[0].get("evaluations")),
        }
    base = rows["cpython"]["wall_s_median"]
    for row in rows.values():
        row["speedup_vs_cpython"] = base / row["wall_s_median"]
    report["scan"] = rows
    report["cpython_loop_s_median"] = statistics.median(r["loop_s"] for r in runs["cpython"])
    report["cpython_startup_s_median"] = statistics.median(r["startup_s"] for r in runs["cpython"])
    report["peak_rss_mib"] = {
        "cpython_20mb": small["cpython"]["max_rss_kb"] / 1024,
        "cpython_200mb": rows["cpython"]["peak_rss_mib"],
        "pounce_20mb": small["pounce"]["max_rss_kb"] / 1024,
        "pounce_200mb": max(r["max_rss_kb"] for r in runs[f"pounce_{nproc}"]) / 1024,
    }

    # Same answers?
    py_pp = runs["cpython"][0]["per_policy"]
    rs_pp = runs["pounce_1"][0]["per_policy"]
    diffs = []
    for pid in ids:
        a, b = py_pp.get(pid, {}), rs_pp.get(pid, {})
        ka = tuple(a.get(k, 0) for k in ("pass", "alert", "error"))
        kb = tuple(b.get(k, 0) for k in ("pass", "alert", "error"))
        if ka != kb:
            diffs.append({"policy": pid, "cpython": ka, "pounce": kb, "cpython_errors": a.get("error_kinds"),
                          "pounce_errors": b.get("error_kinds")})
    report["counts"] = {
        "policies": len(ids),
        "identical": len(ids) - len(diffs),
        "differ": diffs,
        "cpython_totals": {k: runs["cpython"][0][k] for k in ("evals", "pass", "alert", "error")},
        "pounce_totals": {k: runs["pounce_1"][0][k] for k in ("evaluations", "pass", "alert", "error")},
        "identical_across_threads": all(r["per_policy"] == rs_pp for v in list(runs.values())[1:] for r in v),
    }

    if args.eval:
        result = os.path.join(args.out, "cpython_eval.json")
        subprocess.run([args.python, os.path.abspath(__file__), "--cpython-eval", "--corpus", args.corpus, "--bench-dir",
                        args.bench_dir, "--ids", ids_file, "--result", result, "--eval-repeats", str(args.eval_repeats)], check=True)
        with open(result, encoding="utf-8") as fh:
            cpe = json.load(fh)
        env = dict(os.environ, POUNCE_BENCH_RULES=os.path.join(args.corpus, "policies"), POUNCE_BENCH_INVENTORY=args.inventory)
        subprocess.run(["cargo", "bench", "-p", "pounce-bench", "--bench", "policies"], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        rust = {f"{g}/{n}": criterion_estimate(g, n) for g, n in
                (("eval_only", "typed"), ("parse_eval", "typed"), ("parse_eval", "value"), ("parse_eval", "parse_only_typed"),
                 ("scan", "1_thread"), ("scan", f"{nproc}_threads"))}
        report["eval"] = {"cpython": cpe, "rust": rust}
        for key, cp in (("eval_only/typed", cpe["eval"]), ("parse_eval/typed", cpe["parse_eval"]), ("parse_eval/value", cpe["parse_eval"])):
            r = rust.get(key)
            if r and r["ns_per_unit"]:
                r["speedup_vs_cpython"] = cp["ns_per_eval_median"] / r["ns_per_unit"]
        # Eval-only again, CPython and pounce alternating round by round (on
        # a shared machine a single pair of runs can be off by 2x): the
        # median of the per-round ratios.
        rounds = []
        for i in range(args.eval_rounds):
            res_i = os.path.join(args.out, f"cpython_eval_round{i}.json")
            subprocess.run([args.python, os.path.abspath(__file__), "--cpython-eval", "--corpus", args.corpus, "--bench-dir",
                            args.bench_dir, "--ids", ids_file, "--result", res_i, "--eval-repeats", "3"], check=True)
            with open(res_i, encoding="utf-8") as fh:
                cp_ns = json.load(fh)["eval"]["ns_per_eval_median"]
            out = subprocess.run(["cargo", "bench", "-p", "pounce-bench", "--bench", "per_policy", "--", "--all"], cwd=ROOT, env=env,
                                 check=True, capture_output=True, text=True).stdout
            m = re.search(r"median (\d+) ns", out)
            rs_ns = float(m.group(1)) if m else float("nan")
            rounds.append({"cpython_ns": cp_ns, "pounce_ns": rs_ns, "ratio": cp_ns / rs_ns})
            print(f"  eval-only round {i + 1}/{args.eval_rounds}: CPython {cp_ns:,.0f} ns, pounce {rs_ns:,.0f} ns ({cp_ns / rs_ns:.1f}x)")
        if rounds:
            report["eval"]["interleaved"] = {"rounds": rounds, "ratio_median": statistics.median(r["ratio"] for r in rounds)}
    report["machine"]["loadavg_end"] = os.getloadavg()
    with open(os.path.join(args.out, "report.json"), "w", encoding="utf-8") as fh:
        json.dump(report, fh, indent=1, default=str)

    print(f"\n{'run':<22} {'wall s':>8} {'MB/s':>8} {'x CPython':>10} {'peak RSS MiB':>13}")
    for name, row in rows.items():
        print(f"{name:<22} {row['wall_s_median']:>8.2f} {row['mb_per_s']:>8.1f} {row['speedup_vs_cpython']:>10.1f} {row['peak_rss_mib']:>13.0f}")
    rss = report["peak_rss_mib"]
    print(f"peak RSS 20 MB -> 200 MB: pounce {rss['pounce_20mb']:.0f} -> {rss['pounce_200mb']:.0f} MiB, "
          f"CPython {rss['cpython_20mb']:.0f} -> {rss['cpython_200mb']:.0f} MiB")
    c = report["counts"]
    print(f"counts: {c['identical']}/{c['policies']} policies identical; CPython {c['cpython_totals']}, pounce {c['pounce_totals']}")
    for d in c["differ"]:
        print(f"  DIFF {d['policy']}: CPython {d['cpython']} {d['cpython_errors']}, pounce {d['pounce']} {d['pounce_errors']}")
    if args.eval:
        cpe = report["eval"]["cpython"]
        print(f"eval on {cpe['cases']} test cases of {cpe['policies']} policies:")
        print(f"  CPython eval {cpe['eval']['ns_per_eval_median']:,.0f} ns, parse+eval {cpe['parse_eval']['ns_per_eval_median']:,.0f} ns")
        for key, r in report["eval"]["rust"].items():
            if r:
                unit = "B" if key.startswith("scan") else "eval"
                extra = f" ({r['speedup_vs_cpython']:.1f}x CPython)" if "speedup_vs_cpython" in r else ""
                if unit == "B":
                    print(f"  pounce {key}: {1e3 / r['ns_per_unit']:,.1f} MB/s in process")
                else:
                    print(f"  pounce {key}: {r['ns_per_unit']:,.0f} ns/eval{extra}")
        inter = report["eval"].get("interleaved")
        if inter:
            print(f"  eval-only, {len(inter['rounds'])} interleaved rounds: median ratio {inter['ratio_median']:.1f}x CPython")
    print(f"wrote {os.path.join(args.out, 'report.json')}")
    return 1 if c["differ"] else 0


if __name__ == "__main__":
    sys.exit(main())

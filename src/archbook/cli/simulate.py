"""`archbook simulate FILE [--set key.path=value ...] [--reps N] [--seed S] [--stream] [--json]`."""
from __future__ import annotations

import json
import sys
import warnings

__all__ = ["register", "run"]

SHOWN = ("wait_mean_s", "wait_p95_s", "wait_p99_s", "prob_wait", "queue_length_mean", "utilization",
         "throughput_per_s", "rejected_fraction", "abandoned_fraction", "failed_fraction", "worker_hours", "cost")


def register(subparsers) -> None:
    p = subparsers.add_parser("simulate", help="simulate the job queue of a scenario (queue.yaml or system folder)",
                              description=__doc__)
    p.add_argument("file", metavar="FILE", help="a queue.yaml scenario, or a system folder holding one")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY.PATH=VALUE",
                   help="override a field, value parsed as YAML (e.g. --set workers.count=8 --set patience=null)")
    p.add_argument("--reps", type=int, default=None, help="replications (overrides horizon.replications)")
    p.add_argument("--seed", type=int, default=None, help="seed (overrides horizon.seed)")
    p.add_argument("--jobs", dest="n_jobs", type=int, default=1, help="parallel processes for replications")
    p.add_argument("--stream", action="store_true",
                   help="stream the jobs (record_jobs=\"summary\"): memory independent of the number of jobs, "
                        "for horizons of 1e8 jobs and more")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(func=run)


def run(args) -> int:
    from archbook.sim.run import simulate
    from archbook.load.scenario import parse_set

    overrides = dict(parse_set(s) for s in args.sets)
    if args.reps is not None:
        overrides["horizon.replications"] = args.reps
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # shown below, from result.warnings
        result = simulate(args.file, seed=args.seed, record_jobs="summary" if args.stream else False,
                          record_timeline=False,
                          n_jobs=args.n_jobs, **overrides)
    for msg in result.warnings:
        print(f"warning: {msg}", file=sys.stderr)
    if args.json:
        json.dump(result.to_dict(), sys.stdout, indent=2, allow_nan=False)
        sys.stdout.write("\n")
        return 0
    print(_table(result))
    return 0


def _table(result) -> str:
    s = result.summary
    reps = result.scenario.horizon.replications
    width = max(len(str(i)) for i in s.index) + 2
    lines = [f"{result.scenario.name or 'scenario'}: {reps} replications, mean ± 95% CI half-width"]
    header = "".ljust(22) + "".join(str(i).rjust(max(width, 22)) for i in s.index)
    lines.append(header)
    for f in SHOWN:
        cells = []
        for idx in s.index:
            v, h = s.at[idx, f], s.at[idx, f"{f}_ci95"]
            cells.append(_fmt(v, h).rjust(max(width, 22)))
        lines.append(f.ljust(22) + "".join(cells))
    return "\n".join(lines)


def _fmt(v: float, h: float) -> str:
    if v != v:  # NaN
        return "-"
    text = f"{v:.4g}"
    if h == h:
        text += f" ± {h:.2g}"
    return text

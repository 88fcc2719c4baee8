"""`archbook sweep FILE --workers 1:32 --reps 10 --out results.csv`: simulate a grid of
worker counts (and optional arrival multipliers) and write the tidy table.

Only parsing lives here; `archbook.sim.sweeping` does the work.
"""
from __future__ import annotations

import html
import sys
from pathlib import Path

from archbook.atomic import atomic_write_text
from archbook.errors import ArchbookError

__all__ = ["register", "run", "parse_workers", "write_table"]


def register(subparsers) -> None:
    p = subparsers.add_parser("sweep", help="simulate a range of worker counts; write a CSV or HTML table")
    p.add_argument("file", help="queue.yaml, or a system folder holding one")
    p.add_argument("--workers", default="1:32", help="counts: 1:32 (inclusive), 1:32:2, or 2,4,8 (default 1:32)")
    p.add_argument("--reps", type=int, default=None, help="replications per point (default: the scenario's)")
    p.add_argument("--jobs", type=int, default=None, help="jobs per replication (default: the scenario's)")
    p.add_argument("--seed", type=int, default=None, help="root seed (default: the scenario's horizon.seed)")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a scenario field, e.g. --set arrivals.rate_per_s=0.5 (repeatable)")
    p.add_argument("--arrival-multiplier", default=None, metavar="M[,M...]",
                   help="also sweep arrival-rate multipliers, e.g. 1,1.5,2")
    p.add_argument("--autoscale", choices=["on", "off", "both"], default=None,
                   help="for an autoscaling scenario: sweep its max (on), a fixed pool (off), or both")
    p.add_argument("--slo", default=None, help="print the recommendation for this SLO, "
                   "e.g. 'high.wait_p95_s<=30, normal.wait_p95_s<=120' (default: the scenario's slo)")
    p.add_argument("--precision", type=float, default=None, metavar="FRACTION",
                   help="add replications per point until the 95%% CI half-width of each SLO metric "
                   "is within this fraction of its value, e.g. 0.05 (reps used: CSV column `replications`)")
    p.add_argument("--max-reps", type=int, default=200, help="cap on replications per point with --precision")
    p.add_argument("--processes", type=int, default=None, help="worker processes (default: all cores)")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    p.add_argument("--out", required=True, help="output table: .csv or .html")
    p.set_defaults(func=run)


def parse_workers(text: str) -> list[int]:
    """'1:32' -> 1..32 inclusive; '1:32:4' with a step; '2,4,8' as listed."""
    try:
        if ":" in text:
            parts = [int(x) for x in text.split(":")]
            if len(parts) not in (2, 3):
                raise ValueError
            lo, hi, step = parts[0], parts[1], parts[2] if len(parts) == 3 else 1
            counts = list(range(lo, hi + 1, step))
        else:
            counts = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise ArchbookError(f"--workers {text!r}: write a range like 1:32, 1:32:2 or a list like 2,4,8") from None
    if not counts or min(counts) < 1:
        raise ArchbookError(f"--workers {text!r}: needs at least one count, every count >= 1")
    return counts


def _floats(text: str, flag: str) -> list[float]:
    try:
        return [float(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise ArchbookError(f"{flag} {text!r}: write numbers separated by commas, e.g. 1,1.5,2") from None


def _table_suffix(out: Path) -> str:
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".html", ".htm"):
        raise ArchbookError(f"--out {out}: use a .csv or .html file name")
    return suffix


def write_table(df, out: Path) -> Path:
    """Atomic write (temp file in the target folder, then os.replace), CSV or HTML by suffix."""
    if _table_suffix(out) == ".csv":
        text = df.to_csv(index=False)
    else:
        title = html.escape(out.stem)
        text = (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
                f"<h1>{title}</h1>{df.to_html(index=False, escape=True, na_rep='')}</body></html>\n")
    return atomic_write_text(out, text)


def _reps_line(table, precision: float, cap: int) -> str:
    """Replications each point took under --precision, e.g. `workers=4: 40 (cap)`."""
    rows = table[table["cls"] == "overall"]
    keys = [c for c in rows.columns[:list(rows.columns).index("cls")]]
    used = [", ".join(f"{k}={r[k]}" for k in keys) + f": {int(r['replications'])}"
            + (" (cap)" if int(r["replications"]) >= cap else "") for _, r in rows.iterrows()]
    return f"replications used for {precision:g} relative CI half-width: " + "; ".join(used)


def run(args) -> int:
    from archbook.sim import load_scenario
    from archbook.load.scenario import parse_set

    counts = parse_workers(args.workers)
    _table_suffix(Path(args.out))  # bad arguments fail now, not after minutes of sweeping
    if args.slo:
        from archbook.sim.sweeping import parse_slo

        parse_slo(args.slo)
    scen = load_scenario(args.file, dict(parse_set(s) for s in args.set))
    grid = {}
    if args.arrival_multiplier:
        grid["arrival_multiplier"] = _floats(args.arrival_multiplier, "--arrival-multiplier")
    if args.autoscale:
        grid["autoscale"] = {"on": [True], "off": [False], "both": [True, False]}[args.autoscale]
    wants_rec = bool(args.slo or scen.slo) and not grid
    table, rec = _sweep(scen, counts, grid, args, wants_rec)
    out = write_table(table, Path(args.out))
    points = len(table[table["cls"] == "overall"])
    print(f"wrote {out} ({points} grid points, {len(table)} rows)")
    if args.precision is not None:
        print(_reps_line(table, args.precision, args.max_reps))
    for w in table.attrs.get("warnings", []):
        print(f"warning: {w}", file=sys.stderr)
    if wants_rec:
        print(rec.describe() if not isinstance(rec, ArchbookError) else f"recommendation: {rec}")
    return 0


def _sweep(scen, counts, grid, args, wants_rec):
    """(table, recommendation or its ArchbookError, or None): with an SLO and no other grid
    axis, sweep and recommendation run together (`sweep_and_recommend`, one pool pass)."""
    from archbook.sim import recommend, sweep
    from archbook.sim.sweeping import sweep_and_recommend

    run = dict(replications=args.reps, jobs=args.jobs, seed=args.seed, n_jobs=args.processes)
    if wants_rec and args.precision is None:
        return sweep_and_recommend(scen, counts, args.slo, progress=not args.no_progress, **run)
    table = sweep(scen, counts, progress=not args.no_progress, precision=args.precision,
                  max_replications=args.max_reps, **run, **grid)
    if not wants_rec:
        return table, None
    try:
        return table, recommend(scen, args.slo, table=table, **run)
    except ArchbookError as exc:
        return table, exc

"""The compiled simulation engine: one replication of the job queue.

Inputs are flat arrays drawn beforehand (arrival times, classes, service and patience
times, pre-decided 429s and OOM failures); outputs are flat per-job arrays plus
time-integrated totals. Nothing here allocates per event or touches Python objects.

- `codes`: status codes, event kinds, worker and job states;
- `heap`: the event heap;
- `state`: the replication's inputs and the state the handlers share;
- `handlers`: one handler per event kind;
- `loop`: the event loop and `run_replication`, its entry point;
- `admission`: the per-user rate limit, decided before the loop.
"""
from archbook.sim.engine.admission import rate_limit_mask
from archbook.sim.engine.codes import ABANDONED, DONE, FAILED, REJ_429, REJ_503, STATUS_NAMES
from archbook.sim.engine.loop import run_replication

__all__ = ["run_replication", "DONE", "REJ_429", "REJ_503", "ABANDONED", "FAILED", "STATUS_NAMES",
           "rate_limit_mask"]

"""The engine's small integer vocabulary: job outcomes, event kinds, worker and job states."""
from __future__ import annotations

import numpy as np

# job status codes (also used as pre-decisions: REJ_429 = refused before queueing,
# FAILED = will fail after its service because every OOM retry failed)
DONE, REJ_429, REJ_503, ABANDONED, FAILED = 0, 1, 2, 3, 4
STATUS_NAMES = ("done", "rejected_429", "rejected_503", "abandoned", "failed")

# heap event kinds; the order is the tie-break at equal times
EV_DONE, EV_ONLINE, EV_RESTART, EV_CRASH, EV_ABANDON = 0, 1, 2, 3, 4
# events that do not live in the heap
EV_CHECK, EV_ARRIVAL, EV_STOP = -1, -2, -3
SHIFT = np.int64(1) << np.int64(40)  # heap key = kind << 40 | id

# worker states
W_OFF, W_STARTING, W_IDLE, W_BUSY, W_RESTARTING = 0, 1, 2, 3, 4
# job states
J_NEW, J_WAITING, J_SERVING, J_GONE = 0, 1, 2, 3

RESTARTS_MAX = 32767  # restarts per job are int16; the count saturates there (still "restarted")
INF = np.inf

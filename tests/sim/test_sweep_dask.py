"""A real dask.distributed cluster (two worker processes) gives the serial table, byte for byte.

About 11 s on 2 cores (cluster start-up included), so not marked slow."""
import pytest

from archbook.sim import load_scenario, sweep



def test_local_cluster_with_two_processes_matches_serial():
    distributed = pytest.importorskip("dask.distributed")
    scen = load_scenario("data/video-editor/queue.yaml")
    kw = dict(replications=3, jobs=1500, seed=7, progress=False, autoscale=[False])
    serial = sweep(scen, range(4, 8), n_jobs=1, **kw)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        on_dask = sweep(scen, range(4, 8), scheduler=client, **kw)
        by_address = sweep(scen, range(4, 8), scheduler=cluster.scheduler_address, **kw)
    assert serial.to_csv().encode() == on_dask.to_csv().encode() == by_address.to_csv().encode()
    assert serial.equals(on_dask)

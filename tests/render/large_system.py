"""A generated large system (hundreds of components, thousands of dependencies), deterministic by seed.

Dependencies point along or down the layers, mostly inside a component's own group, like a real
system of subsystems. `groups=False` leaves every component ungrouped (layers are the only units).
Used by the views tests and by `bench/bench_views.py`.
"""
from __future__ import annotations

import random

LAYERS = [("ui", "Client Layer"), ("edge", "Edge"), ("api", "API Layer"), ("services", "Domain Services"),
          ("data", "Data Layer"), ("external", "External Services")]
_SHARE = {"ui": 0.05, "edge": 0.03, "api": 0.12, "services": 0.5, "data": 0.25, "external": 0.05}
_KIND = {"ui": "client", "edge": "gateway", "api": "gateway", "services": "service", "data": "store",
         "external": "external"}
_DOMAINS = ["billing", "catalog", "orders", "search", "identity", "payments", "shipping", "pricing", "reviews",
            "inventory", "media", "notify", "reports", "support", "loyalty", "fraud", "tax", "ads", "chat", "audit",
            "maps", "files", "forms", "jobs", "rules", "quotes", "teams", "plans", "alerts", "export"]
_PROTOCOLS = ["HTTPS", "gRPC", "AMQP", "Kafka", "SQL", "Redis protocol"]


def _components(n: int, groups: bool, rng: random.Random) -> list[dict]:
    comps = []
    for lid, _ in LAYERS:
        for k in range(max(1, round(n * _SHARE[lid]))):
            domain = _DOMAINS[k % len(_DOMAINS)] if lid in ("api", "services", "data") else None
            cid = f"{lid}-{domain or 'x'}-{k:03d}"
            comp = {"id": cid, "name": f"{(domain or lid).title()} {lid} {k}", "layer": lid, "kind": _KIND[lid],
                    "purpose": f"Does the {domain or lid} work.", "technology": ["Python"],
                    "responsibilities": ["Serve requests"], "scaling": ["Horizontal"],
                    "failure_modes": [{"failure": "down", "effect": "errors", "mitigation": "retry"}],
                    "tags": [t for t in ("core" if k % 5 == 0 else None, "pci" if domain == "payments" else None) if t]}
            if groups and domain:
                comp["group"] = domain
            comps.append(comp)
    return comps


def _deps(comps: list[dict], n_deps: int, rng: random.Random) -> None:
    order = [lid for lid, _ in LAYERS]
    by_layer = {lid: [c for c in comps if c["layer"] == lid] for lid in order}
    made, tries = 0, 0
    while made < n_deps and tries < n_deps * 20:
        tries += 1
        src = rng.choice(comps)
        li = order.index(src["layer"])
        lower = [lid for lid in order[li:] if by_layer[lid]]
        pool = by_layer[rng.choice(lower)]
        same = [c for c in pool if c.get("group") and c.get("group") == src.get("group")]
        dst = rng.choice(same if same and rng.random() < 0.8 else pool)
        if dst["id"] == src["id"] or any(d["target"] == dst["id"] for d in src["depends_on"]):
            continue
        src["depends_on"].append({"target": dst["id"], "data": "records", "protocol": rng.choice(_PROTOCOLS),
                                  **({"async": True} if rng.random() < 0.2 else {})})
        made += 1


def _flows(comps: list[dict]) -> list[dict]:
    cast = [c["id"] for c in comps[:45]]
    steps = [{"from": cast[i % 45], "to": cast[(i + 1) % 45], "message": f"step {i}"} for i in range(120)]
    phased = [{"phase": "Prepare"}] + steps[:30] + [{"phase": "Execute"}] + steps[30:60]
    return [{"id": "long", "title": "A long flow", "participants": cast, "steps": steps},
            {"id": "phased", "title": "A phased flow", "participants": cast, "steps": phased}]


def architecture(n: int = 300, n_deps: int = 900, *, groups: bool = True, seed: int = 7) -> dict:
    """architecture.yaml content (a dict) for a system of about `n` components and `n_deps` dependencies."""
    rng = random.Random(seed)
    comps = _components(n, groups, rng)
    for c in comps:
        c["depends_on"] = []
    _deps(comps, n_deps, rng)
    return {"system": {"name": "Large Generated System", "version": "1.0", "description": "Generated for scale tests."},
            "layers": [{"id": lid, "name": name} for lid, name in LAYERS], "components": comps, "flows": _flows(comps)}


def model(n: int = 300, n_deps: int = 900, **kw):
    """The `Architecture` model directly (no files)."""
    from archbook.model import Architecture

    return Architecture.model_validate(architecture(n, n_deps, **kw))

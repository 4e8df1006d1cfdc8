"""A simulated week of moderation (moderation.simulation) at 1x and 2x normal load, with
and without triage, against the real services on the benchmark's scratch database.

The figures are shares and hours of simulated time, not speed: no baseline ratio.
`manage.py moderation_simulate` runs the same simulation on its own.
"""
from __future__ import annotations

from bench.common import Row


def run() -> list[Row]:
    from moderation.simulation import simulate, table

    results = [simulate(load=load, triage=triage) for load in (1.0, 2.0)
               for triage in (False, True)]
    print(table(results), flush=True)
    rows = []
    for r in results:
        name = f"moderation week {r.label}"
        rows += [
            Row(name, "decided within the SLA", round(r.within_share * 100, 1), "%"),
            Row(name, "p95 time to decision", round(r.p95_hours, 1), "h"),
            Row(name, "late decisions", r.late, "count"),
            Row(name, "lost submissions", r.lost, "count"),
        ]
    return rows

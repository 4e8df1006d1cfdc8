"""A simulated week of moderation (moderation.simulation) at 1x and 2x normal load, with
and without triage, against the real services: each scenario in a process of its own on an
in-memory database (moderation.simulation_runs), two side by side.

The figures are shares and hours of simulated time, not speed: no baseline ratio.
`manage.py moderation_simulate` runs the same simulation on its own.
"""
from __future__ import annotations

from bench.common import Row


def run() -> list[Row]:
    from moderation.simulation import table
    from moderation.simulation_runs import run_scenarios

    results = [result for result, _seconds in run_scenarios(
        [(load, triage) for load in (1.0, 2.0) for triage in (False, True)], jobs=2)]
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

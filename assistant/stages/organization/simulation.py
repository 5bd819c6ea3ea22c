"""The balanced line simulated (line-simulation-and-scheduling.md §2-4): station loads with their variability,
breakdowns by station, buffers, replications from one seed; throughput against demand and the bottleneck.

A station with parallel machines (an element longer than takt, §6.1 of takt-and-line-balancing.md) is simulated as one
station whose time per piece is its load over its machines. The warm-up is one tenth of a productive shift, discarded
from every replication (§3.1). Demand per shift = productive shift / takt (= daily demand / shifts when takt comes
from demand).
"""

from __future__ import annotations

from assistant.engineering.simulation import Breakdowns, RunPlan, SerialLine, SimStation, simulate
from assistant.errors import InputError
from assistant.stages.findings import Finding, warning
from assistant.stages.organization.balance import Timing, r4
from assistant.stages.organization.model import OrgRule, Simulation
from assistant.stages.organization.plan import BufferSeries, EquipmentLoad, SimulationResult, Station

WARMUP_SHARE = 0.1  # of a productive shift


def station_times(stations: list[Station], rows: list[EquipmentLoad]) -> list[float]:
    """Time per piece of each station: its load over its parallel machines."""
    machines = {row.station: row.machines for row in rows}
    return [s.load_min / machines.get(s.n, 1) for s in stations]


def _line(times: list[float], sim: Simulation) -> SerialLine:
    stations = tuple(
        SimStation(
            f"Station {n}",
            t,
            sim.cv,
            Breakdowns(sim.reliability[n].mtbf_min, sim.reliability[n].mttr_min) if n in sim.reliability else None,
        )
        for n, t in enumerate(times, start=1)
    )
    return SerialLine(stations, (sim.buffer,) * (len(stations) - 1))


def simulation(
    plan_id: str, sim: Simulation | None, stations: list[Station], rows: list[EquipmentLoad], timing: Timing
) -> SimulationResult | None:
    """§2-4: throughput per shift with its t-interval, utilisation, buffers (with the first replication's series)."""
    if sim is None:
        return None
    beyond = sorted(n for n in sim.reliability if n > len(stations))
    if beyond:
        raise InputError(
            f"{plan_id}/simulation.reliability: station {beyond[0]}, but the balanced line has {len(stations)} stations"
        )
    times = station_times(stations, rows)
    plan = RunPlan(
        shift_min=timing.shift_min,
        shifts=sim.shifts,
        warmup_min=timing.shift_min * WARMUP_SHARE,
        replications=sim.replications,
        seed=sim.seed,
        confidence=sim.confidence,
    )
    result = simulate(_line(times, sim), plan, timing.demand_per_shift)
    interval = result.throughput_per_shift
    return SimulationResult(
        throughput_per_shift=r4(interval.mean),
        ci_low=r4(interval.low),
        ci_high=r4(interval.high),
        confidence=sim.confidence,
        demand_per_shift=r4(timing.demand_per_shift),
        meets_demand=bool(result.demand_met),
        station_times_min=[r4(t) for t in times],
        utilisation=[r4(s.utilisation) for s in result.stations],
        mean_buffer=[r4(b.mean_level) for b in result.buffers],
        bottleneck=result.bottleneck,
        shift_min=timing.shift_min,
        shifts=sim.shifts,
        warmup_min=r4(plan.warmup_min),
        replications=sim.replications,
        seed=sim.seed,
        buffers=[
            BufferSeries(
                after=b.after,
                capacity=b.capacity,
                mean_level=r4(b.mean_level),
                times=[r4(t) for t in b.times],
                levels=[r4(level) for level in b.levels],
            )
            for b in result.buffers
        ],
    )


def throughput_findings(result: SimulationResult | None, buffer: int) -> list[Finding]:
    """Throughput below demand (the interval's lower bound under it, §3.5): the bottleneck and what would fix it."""
    if result is None or result.meets_demand:
        return []
    k, count = result.bottleneck, len(result.station_times_min)
    places = ([f"before station {k}"] if k > 1 else []) + ([f"after station {k}"] if k < count else [])
    bigger = f"a bigger buffer {' or '.join(places)} (now {buffer} places), " if places else ""
    message = (
        f"simulated throughput {result.throughput_per_shift:g} per shift ({result.confidence:.0%} interval "
        f"{result.ci_low:g}..{result.ci_high:g}) may miss the demand of {result.demand_per_shift:g} per shift; "
        f"the bottleneck is station {k} ({result.station_times_min[k - 1]:g} min per piece, utilisation "
        f"{result.utilisation[k - 1]:.0%}): {bigger}a parallel station {k}, or less work or fewer stops at it "
        "(line-simulation-and-scheduling.md 3.5, 4.1)"
    )
    return [warning(OrgRule.THROUGHPUT_BELOW_DEMAND, message, operation=f"station {k}")]

"""Tables and verdicts from the runs (markdown, so they paste into the README as measured)."""

import numpy as np

from bench.load.mix import MIX, READS
from bench.load.run import RunResult, Step

P99_LIMIT_MS = 250.0
FANOUT_P99_LIMIT_MS = 500.0
TARGET_RATE = 200.0


def ok(status: int) -> bool:
    return 200 <= status < 300


def latencies_ms(step: Step, kinds) -> np.ndarray:
    return np.array([(s.done - s.due) * 1000 for s in step.samples if s.kind in kinds and ok(s.status)])


def pct(values: np.ndarray, q: float) -> float:
    return float(np.percentile(values, q)) if len(values) else float("nan")


def errors(step: Step, kinds=tuple(MIX)) -> int:
    return sum(1 for s in step.samples if s.kind in kinds and not ok(s.status))


def throughput(step: Step) -> float:
    """2xx answers per second, from the first call due to the last answer."""
    done = [s for s in step.samples if ok(s.status)]
    if not done:
        return 0.0
    return len(done) / (max(s.done for s in done) - min(s.due for s in step.samples))


def cpu_per_answer_ms(step: Step) -> float:
    """Replica CPU per answered call (planner and fan-out included): the cost the machine must supply."""
    answered = sum(1 for s in step.samples if ok(s.status))
    return step.cpu["replicas"] * step.seconds * 1000 / max(answered, 1)


def degraded(step: Step) -> bool:
    return pct(latencies_ms(step, MIX), 99) > P99_LIMIT_MS or errors(step) > 0


def degradation_rate(result: RunResult) -> float | None:
    return next((s.rate for s in result.steps if degraded(s)), None)


def fmt(ms: float) -> str:
    return "—" if np.isnan(ms) else f"{ms:.0f}" if ms >= 10 else f"{ms:.1f}"


def pair(values: np.ndarray) -> str:
    return f"{fmt(pct(values, 50))} / {fmt(pct(values, 99))}"


def summary_table(result: RunResult) -> str:
    lines = [f"**{result.replicas} replica{'s' if result.replicas > 1 else ''}** (latency ms, p50 / p99)", "",
             "| offered req/s | answered 2xx/s | errors | reads | 9-line | position | chat | "
             "SSE fan-out p50 / p99 / max | replica CPU ms per 2xx | CPU: replicas · PostgreSQL · load tools · machine |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for step in result.steps:
        f = step.fanout_ms
        fan = f"{fmt(pct(f, 50))} / {fmt(pct(f, 99))} / {fmt(f.max() if len(f) else np.nan)}"
        cpu = step.cpu
        lines.append(f"| {step.rate:g} | {throughput(step):.0f} | {errors(step)} | {pair(latencies_ms(step, READS))} | "
                     f"{pair(latencies_ms(step, ('9-line',)))} | {pair(latencies_ms(step, ('position report',)))} | "
                     f"{pair(latencies_ms(step, ('chat message',)))} | {fan} | {cpu_per_answer_ms(step):.1f} | "
                     f"{cpu['replicas']:.0%} · {cpu['postgres']:.0%} · {cpu['consoles'] + cpu['generator']:.0%} · "
                     f"{cpu['machine']:.0%} |")
    return "\n".join(lines)


def kinds_table(result: RunResult) -> str:
    lines = [f"Per request kind, {result.replicas} replica(s):", "",
             "| offered req/s | kind | calls | 2xx/s | errors | p50 ms | p99 ms | max ms |", "|---|---|---|---|---|---|---|---|"]
    for step in result.steps:
        for kind in MIX:
            values = latencies_ms(step, (kind,))
            calls = sum(1 for s in step.samples if s.kind == kind)
            lines.append(f"| {step.rate:g} | {kind} | {calls} | {len(values) / step.seconds:.1f} | "
                         f"{errors(step, (kind,))} | {fmt(pct(values, 50))} | {fmt(pct(values, 99))} | "
                         f"{fmt(values.max() if len(values) else np.nan)} |")
    return "\n".join(lines)


def ledger_table(results: list[RunResult]) -> str:
    lines = ["| replicas | 9-lines 2xx (missing / duplicated) | chat 2xx (missing / duplicated) | position 2xx "
             "(assets off) | events × consoles | consoles complete | deliveries missing | reconnects |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        g = r.ledger
        lines.append(f"| {r.replicas} | {g.nine_lines_ok} ({g.nine_lines_missing} / {g.nine_lines_duplicated}) | "
                     f"{g.chats_ok} ({g.chats_missing} / {g.chats_duplicated}) | {g.positions_ok} "
                     f"({g.assets_version_mismatch}) | {g.events} × {g.consoles} | {g.consoles_complete}/{g.consoles} | "
                     f"{g.deliveries_missing} | {g.reconnects} |")
    return "\n".join(lines)


def scaling_table(two: RunResult, one: RunResult) -> str:
    lines = ["| offered req/s | answered 2xx/s two / one | p99 ms two / one (all kinds) | errors two / one |",
             "|---|---|---|---|"]
    for a, b in zip(two.steps, one.steps):
        lines.append(f"| {a.rate:g} | {throughput(a):.0f} / {throughput(b):.0f} | "
                     f"{fmt(pct(latencies_ms(a, MIX), 99))} / {fmt(pct(latencies_ms(b, MIX), 99))} | "
                     f"{errors(a)} / {errors(b)} |")
    return "\n".join(lines)


def step_at(result: RunResult, rate: float) -> Step | None:
    return next((s for s in result.steps if s.rate == rate), None)


def verdicts(two: RunResult, one: RunResult | None) -> list[str]:
    out = []
    at = step_at(two, TARGET_RATE)
    if at is not None:
        for label, kinds in (("reads", READS), ("9-line submission", ("9-line",))):
            p99 = pct(latencies_ms(at, kinds), 99)
            met = p99 < P99_LIMIT_MS and errors(at, kinds) == 0
            out.append(f"{'MET' if met else 'NOT MET'}: {label} p99 {fmt(p99)} ms at {TARGET_RATE:g} req/s "
                       f"(target < {P99_LIMIT_MS:g} ms, {errors(at, kinds)} errors)")
        f = at.fanout_ms
        met = len(f) > 0 and pct(f, 99) < FANOUT_P99_LIMIT_MS
        out.append(f"{'MET' if met else 'NOT MET'}: SSE fan-out p99 {fmt(pct(f, 99))} ms to "
                   f"{two.ledger.consoles} consoles at {TARGET_RATE:g} req/s (target < {FANOUT_P99_LIMIT_MS:g} ms)")
    results = [two] + ([one] if one else [])
    lost = [r.replicas for r in results if not r.ledger.nothing_lost]
    out.append(("MET: nothing lost" if not lost else f"NOT MET: something lost with {lost} replica(s)")
               + " (every 2xx'd 9-line and chat stored once, every console got every event)")
    for r in results:
        rate = degradation_rate(r)
        out.append(f"{r.replicas} replica(s) degrade at: "
                   + (f"{rate:g} req/s (first step with p99 > {P99_LIMIT_MS:g} ms or errors)" if rate
                      else "no step measured (none had p99 > 250 ms or errors)"))
    if one:
        out += scaling_lines(two, one)
    return out


def scaling_lines(two: RunResult, one: RunResult) -> list[str]:
    rate = degradation_rate(two) or two.steps[-1].rate
    a, b = step_at(two, rate), step_at(one, rate)
    lines = [f"scaling at {rate:g} req/s: {throughput(a):.0f} vs {throughput(b):.0f} answered/s "
             f"(two/one {throughput(a) / max(throughput(b), 1e-9):.2f})"]
    for a, b in zip(two.steps, one.steps):
        p_two, p_one = pct(latencies_ms(a, MIX), 99), pct(latencies_ms(b, MIX), 99)
        lines.append(f"  at {a.rate:g} req/s p99 two/one: {fmt(p_two)} / {fmt(p_one)} ms "
                     f"(ratio {p_two / p_one:.2f})")
    return lines

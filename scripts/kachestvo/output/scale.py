"""Chart scales as Vega computes them (d3-array ticks, d3-scale linear «nice» and band), so a chart drawn here puts
its marks and ticks where vl-convert would (`tests/test_chart_drawing.py` compares the two)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

E10, E5, E2 = math.sqrt(50), math.sqrt(10), math.sqrt(2)


def _tick_spec(start: float, stop: float, count: float) -> tuple[int, int, float]:
    """d3-array's tickSpec: (first index, last index, increment; negative: its inverse)."""
    step = (stop - start) / max(0, count)
    power = math.floor(math.log10(step))
    error = step / 10**power
    factor = 10 if error >= E10 else 5 if error >= E5 else 2 if error >= E2 else 1
    if power < 0:
        inc = 10**-power / factor
        i1, i2 = round_half_up(start * inc), round_half_up(stop * inc)
        i1 += i1 / inc < start
        i2 -= i2 / inc > stop
        inc = -inc
    else:
        inc = 10**power * factor
        i1, i2 = round_half_up(start / inc), round_half_up(stop / inc)
        i1 += i1 * inc < start
        i2 -= i2 * inc > stop
    if i2 < i1 and 0.5 <= count < 2:
        return _tick_spec(start, stop, count * 2)
    return i1, i2, inc


def round_half_up(x: float) -> int:
    """JavaScript's Math.round (Python's round() takes 62.5 to 62, Vega to 63)."""
    return math.floor(x + 0.5)


def ticks(start: float, stop: float, count: float) -> list[float]:
    """d3.ticks for start ≤ stop: about `count` round values in the interval."""
    if count <= 0:
        return []
    if start == stop:
        return [start]
    i1, i2, inc = _tick_spec(start, stop, count)
    if inc < 0:
        return [(i1 + i) / -inc for i in range(i2 - i1 + 1)]
    return [(i1 + i) * inc for i in range(i2 - i1 + 1)]


def tick_increment(start: float, stop: float, count: float) -> float:
    if start == stop:
        return math.nan
    return _tick_spec(start, stop, count)[2]


def nice(start: float, stop: float, count: int = 10) -> tuple[float, float]:
    """d3-scale's linear.nice: the domain widened to round ends."""
    previous = None
    for _ in range(10):
        step = tick_increment(start, stop, count)
        if step == previous or not math.isfinite(step) or step == 0:
            break
        if step > 0:
            start, stop = math.floor(start / step) * step, math.ceil(stop / step) * step
        else:
            start, stop = math.ceil(start * step) / step, math.floor(stop * step) / step
        previous = step
    return start, stop


def tick_count(start: float, stop: float, count: int, min_step: float | None) -> int:
    """Vega's tickCount: no more ticks than whole `min_step`s fit in the domain."""
    if min_step is not None:
        count = min(count, math.floor((stop - start) / min_step or 1) + 1)
    return count


def linear(domain: Sequence[float], span: Sequence[float]) -> Callable[[float], float]:
    """A linear map of `domain` onto `span`; a domain of one value maps to the middle of the span (as d3 does)."""
    (d0, d1), (r0, r1) = domain, span
    if d1 == d0:
        return lambda _: (r0 + r1) / 2
    return lambda x: r0 + (x - d0) / (d1 - d0) * (r1 - r0)


def band(n: int, span: float, inner: float = 0.0, outer: float = 0.0, align: float = 0.5) -> tuple[list[float], float]:
    """d3-scale's band: (start of each of `n` bands in [0, span], bandwidth)."""
    step = span / max(1, n - inner + outer * 2)
    start = (span - step * (n - inner)) * align
    return [start + step * i for i in range(n)], step * (1 - inner)

"""Confidence intervals: Wilson's score interval for a proportion, and an OLS slope with Student's t."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from statistics import NormalDist


def z_value(confidence: float) -> float:
    """The two-sided normal quantile (1.96 for 95 %)."""
    return NormalDist().inv_cdf(0.5 + confidence / 2)


@dataclass(frozen=True)
class Proportion:
    """k successes of n with a Wilson score interval (Wilson 1927)."""

    k: int
    n: int
    low: float
    high: float

    @property
    def estimate(self) -> float:
        """k / n."""
        return self.k / self.n if self.n else 0.0


def wilson(k: int, n: int, confidence: float = 0.95) -> Proportion:
    """Wilson's interval: sound at small n and at 0 % or 100 %, unlike the Wald interval. n = 0 gives [0, 1]."""
    if not 0 <= k <= n:
        raise ValueError(f"need 0 <= k <= n, got k={k}, n={n}")
    if n == 0:
        return Proportion(0, 0, 0.0, 1.0)
    z = z_value(confidence)
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    # Clamp rounding so that the bounds always contain the estimate.
    return Proportion(k, n, max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half)))


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    # Lentz's method for the continued fraction of the regularised incomplete beta function.
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-14:
            break
    return h


def _incomplete_beta(a: float, b: float, x: float) -> float:
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b


def t_cdf(t: float, df: int) -> float:
    """Student's t distribution function."""
    tail = 0.5 * _incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


@cache
def t_quantile(probability: float, df: int) -> float:
    """Student's t quantile (e.g. 0.975, df) by bisection of :func:`t_cdf`."""
    if df < 1:
        raise ValueError("df must be at least 1")
    low, high = -1e4, 1e4
    for _ in range(200):
        mid = (low + high) / 2
        if t_cdf(mid, df) < probability:
            low = mid
        else:
            high = mid
    return (low + high) / 2


@dataclass(frozen=True)
class Moments:
    """Sufficient statistics of (x, y) pairs: they add up, so SQL sums and Python loops agree."""

    n: int = 0
    sx: float = 0.0
    sy: float = 0.0
    sxx: float = 0.0
    sxy: float = 0.0
    syy: float = 0.0

    def add(self, x: float, y: float) -> Moments:
        """With one more pair."""
        return Moments(self.n + 1, self.sx + x, self.sy + y, self.sxx + x * x, self.sxy + x * y, self.syy + y * y)

    def __add__(self, other: Moments) -> Moments:
        return Moments(
            self.n + other.n,
            self.sx + other.sx,
            self.sy + other.sy,
            self.sxx + other.sxx,
            self.sxy + other.sxy,
            self.syy + other.syy,
        )


@dataclass(frozen=True)
class Slope:
    """A least-squares slope with its confidence interval (None when there are fewer than 3 points)."""

    estimate: float | None
    low: float | None
    high: float | None
    n: int

    @property
    def excludes_zero(self) -> bool:
        """The interval lies wholly on one side of zero."""
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)


def ols_slope(moments: Moments, confidence: float = 0.95) -> Slope:
    """Slope of y on x and its interval b ± t(n-2) · s / sqrt(Sxx)."""
    n = moments.n
    if n < 2:
        return Slope(None, None, None, n)
    sxx = moments.sxx - moments.sx * moments.sx / n
    if sxx <= 1e-12:
        return Slope(None, None, None, n)
    sxy = moments.sxy - moments.sx * moments.sy / n
    syy = moments.syy - moments.sy * moments.sy / n
    slope = sxy / sxx
    if n < 3:
        return Slope(slope, None, None, n)
    sse = max(0.0, syy - slope * sxy)
    se = math.sqrt(sse / (n - 2) / sxx)
    half = t_quantile(0.5 + confidence / 2, n - 2) * se
    return Slope(slope, slope - half, slope + half, n)

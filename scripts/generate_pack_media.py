"""Generate the images of the bundled question pack ``ck-image-cases``.

Run from the repository root (needs numpy and matplotlib)::

    python scripts/generate_pack_media.py

It writes every PNG into ``question_packs/ck-image-cases/media/``. The output is deterministic:
fixed random seeds, no dates or software names in the PNG metadata, so re-running it with the
same library versions gives byte-identical files.

Which figure belongs to which question:

=============================  ========  ==========================================================
file                           question  content
=============================  ========  ==========================================================
ecg_afib.png                   img-001   Atrial fibrillation (leads II and V1 rhythm strips)
ecg_flutter.png                img-002   Atrial flutter with 4:1 AV block (leads II and V1)
ecg_chb.png                    img-003   Third-degree (complete) AV block (leads II and V1)
ecg_mobitz1.png                img-004   Second-degree AV block, Mobitz I / Wenckebach (II, V1)
ecg_hyperk.png                 img-005   Hyperkalemia: peaked T waves, wide QRS (12-lead)
ecg_inferior_mi.png            img-006   Inferior STEMI with reciprocal changes in I, aVL (12-lead)
ecg_wpw.png                    img-007   Ventricular pre-excitation, WPW pattern (12-lead)
growth_cgd.png                 img-008   Constitutional delay of growth and puberty (CDC stature)
growth_ftt.png                 img-009   Failure to thrive, weight falling first (WHO 0-24 months)
growth_ghd.png                 img-010   Growth hormone deficiency (CDC stature, crossing down)
pedigree_ad.png                img-011   Autosomal dominant pedigree (familial adenomatous polyposis)
pedigree_xlr.png               img-012   X-linked recessive pedigree (hemophilia A)
pedigree_mito.png              img-013   Mitochondrial inheritance pedigree (MELAS)
trend_hcg.png                  img-014   Serial beta-hCG plateauing (ectopic pregnancy)
trend_hit.png                  img-015   Platelet count falling on heparin day 5-10 (HIT)
trend_tls.png                  img-016   Serial electrolytes after induction chemotherapy (TLS)
ecg_anterior_stemi.png         img-017   Anterior STEMI: ST elevation V1-V4, I, aVL; reciprocal III, aVF
ecg_brugada.png                img-018   Spontaneous type 1 Brugada pattern, coved ST elevation V1-V2
ecg_long_qt.png                img-019   Long QT interval (about 600 ms at 60/min), narrow QRS (12-lead)
ecg_hypokalemia.png            img-020   Hypokalemia: flat T waves, ST depression, U waves in V2-V3
ecg_pericarditis.png           img-021   Acute pericarditis: diffuse ST elevation, PR depression, aVR
ecg_mobitz2.png                img-022   Second-degree AV block, Mobitz II, constant PR, RBBB (II, V1)
ecg_vt.png                     img-023   Monomorphic ventricular tachycardia, 171/min (II, V1, V6)
ecg_torsades.png               img-024   Long QT, PVC, pause, torsades de pointes (lead II)
ecg_bidirectional_vt.png       img-025   Bidirectional VT of digoxin toxicity (II, V1)
ctg_late_minimal.png           img-026   Recurrent late decelerations, minimal variability (category II)
ctg_late_absent.png            img-027   Recurrent late decelerations, absent variability (category III)
ctg_variable.png               img-028   Recurrent variable decelerations, moderate variability (cat. II)
ctg_sinusoidal.png             img-029   Sinusoidal pattern, 4 cycles/min (category III)
ctg_early.png                  img-030   Early decelerations, moderate variability (category I)
trend_dka.png                  img-031   DKA resolving: glucose, anion gap, bicarbonate, beta-OHB
trend_aki_contrast.png         img-032   Creatinine rise and recovery after IV contrast (day 0)
trend_tsh.png                  img-033   Persistent mild subclinical hypothyroidism (TSH, free T4)
pedigree_ar_consanguinity.png  img-034   Autosomal recessive pedigree, consanguineous union (CF)
pedigree_xld.png               img-035   X-linked dominant pedigree (X-linked hypophosphatemia)
xr_pneumothorax.png            img-036   Drawing: large left pneumothorax, visible pleural line, 3 cm rim
xr_free_air.png                img-037   Drawing: free air under the right hemidiaphragm (upright chest)
xr_scfe.png                    img-038   Drawing: left SCFE on AP pelvis, Klein's lines
xr_sbo.png                     img-039   Drawing: small bowel obstruction, air-fluid levels, no colonic gas
skin_target_lesions.png        img-040   Drawing: typical target lesions on the backs of the hands (EM)
=============================  ========  ==========================================================

The figures of img-001 to img-016 were made with matplotlib 3.11.2 and numpy 2.4.6 (Pillow 13.0.0):
with those versions the script reproduces them byte for byte. ``--only NAME...`` generates only the
named figures (for example ``--only ecg_brugada ctg_sinusoidal``), so new figures can be added without
rewriting the old ones when the installed versions differ. Figures added in pack version 1.1.0
(img-017 on) are drawn at least 1400 px wide so that they stay legible when the app fits them to a
pane about 700 px wide.

ECGs come from a waveform model: each beat is a sum of Gaussian P, Q, R, S and T waves (the T wave
asymmetric), plus an ST-segment plateau and an optional delta wave. Limb leads are derived from
leads I and III with Einthoven's and Goldberger's equations, so they are mutually consistent.
Traces are drawn on standard ECG paper: 1 mm and 5 mm grid, 25 mm/s, 10 mm/mV, with a 1 mV
calibration pulse.

Fetal heart rate tracings are drawn on US-standard paper (3 cm/min, 30 bpm major and 10 bpm minor
lines, a vertical line every 10 s and a bold line every minute) with the tocodynamometry channel
below; the patterns follow the NICHD 2008 definitions (baseline, variability amplitude, the timing
of each deceleration's nadir relative to the peak of its contraction, onset-to-nadir time).

Radiograph and skin findings are labelled schematic drawings, titled as drawings ("not a radiograph",
"not a photograph"): radiographs as grey shapes on a dark ground with yellow call-outs. They show where a finding lies and what it looks like,
not real radiographic texture.

Growth-chart percentile curves are computed with the LMS method: CDC 2000 stature-for-age (boys,
2-20 years; L, M, S every 6 months from the CDC table) and the WHO 2006 child growth standards
(girls, 0-24 months; L, M, S for every month, linearly interpolated between months).
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.patches import Circle, Rectangle  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "question_packs" / "ck-image-cases" / "media"
DPI = 100
FS = 500  # ECG samples per second
SPEED = 25.0  # mm per second
GAIN = 10.0  # mm per mV

plt.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 11,
        "axes.titlesize": 13,
        "axes.labelsize": 12,
        "svg.hashsalt": "blocksim",
    }
)


def save(fig: plt.Figure, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    fig.savefig(OUT / name, dpi=DPI, metadata={"Software": None}, pil_kwargs={"optimize": True})
    plt.close(fig)
    print(f"wrote {OUT / name} ({(OUT / name).stat().st_size // 1024} KB)")


# --------------------------------------------------------------------------------------------
# ECG waveform model
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Morph:
    """Amplitudes (mV) of one lead's waves."""

    p: float = 0.1
    q: float = 0.0
    r: float = 1.0
    s: float = -0.1
    t: float = 0.3
    st: float = 0.0  # ST-segment offset (elevation > 0)
    delta: float = 0.0  # pre-excitation (delta wave) amplitude

    def __add__(self, other: Morph) -> Morph:
        return Morph(*(a + b for a, b in zip(self.astuple(), other.astuple())))

    def scale(self, k: float) -> Morph:
        return Morph(*(k * a for a in self.astuple()))

    def astuple(self) -> tuple[float, ...]:
        return (self.p, self.q, self.r, self.s, self.t, self.st, self.delta)


@dataclass(frozen=True)
class Timing:
    """Widths and intervals (seconds) shared by all leads of one tracing."""

    qrs: float = 1.0  # QRS width factor (1.0 = about 90 ms)
    qt: float = 0.38  # QRS onset to end of T
    p_sigma: float = 0.022
    t_rise: float = 0.055
    t_fall: float = 0.040
    delta_len: float = 0.0  # duration of the delta wave (0 = none)


def gauss(t: np.ndarray, mu: float, sigma: float) -> np.ndarray:
    return np.exp(-0.5 * ((t - mu) / sigma) ** 2)


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -60, 60)))


def beat_signal(t: np.ndarray, q0: float, m: Morph, tm: Timing) -> np.ndarray:
    """QRS-T complex whose QRS starts (delta wave included) at time q0."""
    w = tm.qrs
    d = tm.delta_len
    y = np.zeros_like(t)
    if d > 0:
        # slurred upstroke: a smooth ramp that merges into the R wave
        ramp = np.clip((t - q0) / d, 0, None)
        ramp = np.where(ramp < 1, ramp**1.6, 1.0)
        y += m.delta * ramp * (1 - sigmoid((t - (q0 + d + 0.035 * w)) / 0.008))
    qs = q0 + d
    y += m.q * gauss(t, qs + 0.012 * w, 0.008 * w)
    y += m.r * gauss(t, qs + 0.040 * w, 0.011 * w)
    y += m.s * gauss(t, qs + 0.066 * w, 0.010 * w)
    j = qs + 0.085 * w
    tc = q0 + tm.qt - 2.3 * tm.t_fall
    y += m.st * sigmoid((t - j) / 0.006) * (1 - sigmoid((t - (tc + 0.02)) / 0.025))
    tw = np.where(t < tc, gauss(t, tc, tm.t_rise), gauss(t, tc, tm.t_fall))
    y += m.t * tw
    return y


def p_signal(t: np.ndarray, onset: float, m: Morph, tm: Timing) -> np.ndarray:
    return m.p * gauss(t, onset + 2.0 * tm.p_sigma, tm.p_sigma)


def lead_signal(
    t: np.ndarray,
    m: Morph,
    tm: Timing,
    p_onsets: list[float],
    qrs_onsets: list[float],
    extra: np.ndarray | None = None,
) -> np.ndarray:
    y = np.zeros_like(t)
    for p in p_onsets:
        y += p_signal(t, p, m, tm)
    for q in qrs_onsets:
        y += beat_signal(t, q, m, tm)
    if extra is not None:
        y += extra
    return y


def limb_leads(sig_i: np.ndarray, sig_iii: np.ndarray) -> dict[str, np.ndarray]:
    sig_ii = sig_i + sig_iii
    return {
        "I": sig_i,
        "II": sig_ii,
        "III": sig_iii,
        "aVR": -(sig_i + sig_ii) / 2,
        "aVL": (sig_i - sig_iii) / 2,
        "aVF": (sig_ii + sig_iii) / 2,
    }


def add_noise(y: np.ndarray, rng: np.random.Generator, t: np.ndarray, level: float = 0.008) -> np.ndarray:
    wander = 0.03 * np.sin(2 * np.pi * 0.23 * t + rng.uniform(0, 2 * np.pi))
    hf = rng.normal(0.0, level, size=t.shape)
    hf = np.convolve(hf, np.ones(3) / 3, mode="same")
    return y + wander + hf


# --------------------------------------------------------------------------------------------
# ECG paper
# --------------------------------------------------------------------------------------------

GRID_MINOR = "#f6c6c6"
GRID_MAJOR = "#e58a8a"
PAPER = "#fff6f6"
TRACE = "#111111"


def ecg_canvas(width_mm: float, height_mm: float, px_per_mm: float) -> tuple[plt.Figure, plt.Axes]:
    fig = plt.figure(figsize=(width_mm * px_per_mm / DPI, height_mm * px_per_mm / DPI), dpi=DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width_mm)
    ax.set_ylim(0, height_mm)
    ax.set_facecolor(PAPER)
    ax.axis("off")
    fig.patch.set_facecolor(PAPER)
    minor = [((x, 0), (x, height_mm)) for x in np.arange(0, width_mm + 0.01, 1.0) if round(x) % 5]
    minor += [((0, y), (width_mm, y)) for y in np.arange(0, height_mm + 0.01, 1.0) if round(y) % 5]
    major = [((x, 0), (x, height_mm)) for x in np.arange(0, width_mm + 0.01, 5.0)]
    major += [((0, y), (width_mm, y)) for y in np.arange(0, height_mm + 0.01, 5.0)]
    ax.add_collection(LineCollection(minor, colors=GRID_MINOR, linewidths=0.5, zorder=1))
    ax.add_collection(LineCollection(major, colors=GRID_MAJOR, linewidths=0.9, zorder=2))
    return fig, ax


def draw_trace(ax: plt.Axes, t: np.ndarray, mv: np.ndarray, x0: float, y0: float) -> None:
    ax.plot(x0 + (t - t[0]) * SPEED, y0 + mv * GAIN, color=TRACE, lw=1.2, zorder=5, solid_joinstyle="round")


def draw_cal(ax: plt.Axes, x0: float, y0: float) -> None:
    """1 mV calibration pulse, 5 mm wide (0.2 s), starting at x0."""
    xs = [x0, x0 + 1, x0 + 1, x0 + 6, x0 + 6, x0 + 7]
    ys = [y0, y0, y0 + GAIN, y0 + GAIN, y0, y0]
    ax.plot(xs, ys, color=TRACE, lw=1.2, zorder=5)


def label(ax: plt.Axes, x: float, y: float, text: str) -> None:
    ax.text(
        x,
        y,
        text,
        fontsize=12,
        fontweight="bold",
        zorder=6,
        va="center",
        ha="left",
        bbox={"facecolor": PAPER, "edgecolor": "none", "pad": 0.6, "alpha": 0.85},
    )


def footer(ax: plt.Axes, width_mm: float, text: str = "25 mm/s    10 mm/mV") -> None:
    ax.text(
        width_mm - 2,
        1.6,
        text,
        fontsize=10,
        ha="right",
        va="bottom",
        zorder=6,
        bbox={"facecolor": PAPER, "edgecolor": "none", "pad": 0.8, "alpha": 0.9},
    )


def rhythm_figure(
    name: str, leads: list[tuple[str, np.ndarray]], t: np.ndarray, row_mm: float = 38.0, px_per_mm: float = 5.0
) -> None:
    """Stacked rhythm strips (same time axis) with calibration pulses."""
    dur = t[-1] - t[0]
    left = 10.0
    width = left + dur * SPEED + 2
    height = row_mm * len(leads) + 6
    fig, ax = ecg_canvas(width, height, px_per_mm=px_per_mm)
    for i, (lab, mv) in enumerate(leads):
        base = height - (i + 1) * row_mm + row_mm * 0.35
        draw_cal(ax, 1.5, base)
        draw_trace(ax, t, mv, left, base)
        label(ax, left + 1.5, base + row_mm * 0.55, lab)
    footer(ax, width)
    save(fig, name)


def twelve_lead_figure(
    name: str, leads: dict[str, np.ndarray], t: np.ndarray, rhythm: str = "II", px_per_mm: float = 4.6
) -> None:
    """Standard 3 x 4 layout (2.5 s per column) plus a 10 s rhythm strip."""
    layout = [["I", "aVR", "V1", "V4"], ["II", "aVL", "V2", "V5"], ["III", "aVF", "V3", "V6"]]
    left = 10.0
    row_mm = 32.0
    width = left + 10 * SPEED + 2
    height = row_mm * 4 + 4
    fig, ax = ecg_canvas(width, height, px_per_mm=px_per_mm)
    n_col = int(round(2.5 * FS))
    for r, row in enumerate(layout):
        base = height - (r + 1) * row_mm + row_mm * 0.4
        draw_cal(ax, 1.5, base)
        for c, lab in enumerate(row):
            sl = slice(c * n_col, (c + 1) * n_col + 1)
            draw_trace(ax, t[sl], leads[lab][sl], left + c * 2.5 * SPEED, base)
            label(ax, left + c * 2.5 * SPEED + 1.5, base + row_mm * 0.5, lab)
            if c:
                x = left + c * 2.5 * SPEED
                ax.plot([x, x], [base - 3, base + 3], color=TRACE, lw=1.2, zorder=5)
    base = height - 4 * row_mm + row_mm * 0.4
    draw_cal(ax, 1.5, base)
    draw_trace(ax, t, leads[rhythm], left, base)
    label(ax, left + 1.5, base + row_mm * 0.5, rhythm)
    footer(ax, width)
    save(fig, name)


def timeline(duration: float) -> np.ndarray:
    return np.arange(0, duration + 1e-9, 1.0 / FS)


# --------------------------------------------------------------------------------------------
# The ECGs
# --------------------------------------------------------------------------------------------


def ecg_afib() -> None:
    rng = np.random.default_rng(101)
    t = timeline(8.0)
    rr = rng.uniform(0.36, 0.78, size=40)
    qrs = list(np.cumsum(np.concatenate([[0.12], rr])))
    qrs = [q for q in qrs if q < 7.9]
    tm = Timing(qt=0.31, t_rise=0.05, t_fall=0.035)

    def fib(amp: float, seed: int) -> np.ndarray:
        g = np.random.default_rng(seed)
        y = np.zeros_like(t)
        for f in (4.9, 5.7, 6.6, 7.8):
            env = 1 + 0.5 * np.sin(2 * np.pi * g.uniform(0.2, 0.6) * t + g.uniform(0, 6.3))
            y += env * np.sin(2 * np.pi * f * t + g.uniform(0, 6.3)) * g.uniform(0.6, 1.0)
        return amp * y / 2.2

    ii = lead_signal(t, Morph(p=0, q=-0.05, r=1.2, s=-0.2, t=0.3), tm, [], qrs, fib(0.06, 7))
    v1 = lead_signal(t, Morph(p=0, q=0, r=0.25, s=-1.0, t=-0.05), tm, [], qrs, fib(0.11, 7))
    rhythm_figure("ecg_afib.png", [("II", add_noise(ii, rng, t)), ("V1", add_noise(v1, rng, t))], t)


def flutter_wave(t: np.ndarray, period: float, start: float, amp: float, negative: bool) -> np.ndarray:
    """Sawtooth atrial flutter waves: slow descent, fast return (inverted in the inferior leads)."""
    phase = ((t - start) / period) % 1.0
    saw = np.where(phase < 0.72, phase / 0.72, 1 - (phase - 0.72) / 0.28)
    k = np.ones(9) / 9
    saw = np.convolve(np.pad(saw, 4, mode="edge"), k, mode="valid")
    saw = saw - saw.mean()
    return (-amp if negative else amp) * saw


def ecg_flutter() -> None:
    rng = np.random.default_rng(202)
    t = timeline(8.0)
    period = 0.2  # 300/min
    start = 0.05
    # a QRS after every 4th flutter wave, fixed F-R interval
    qrs = [start + 4 * period * k + 0.27 for k in range(10)]
    qrs = [q for q in qrs if q < 7.8]
    tm = Timing(qt=0.36)
    ii = lead_signal(
        t, Morph(p=0, q=-0.05, r=1.1, s=-0.2, t=0.25), tm, [], qrs, flutter_wave(t, period, start, 0.5, True)
    )
    # V1: discrete positive flutter waves
    f_onsets = [start + period * k + 0.1 for k in range(-1, 41)]
    v1_f = np.zeros_like(t)
    for f in f_onsets:
        v1_f += 0.16 * gauss(t, f, 0.022)
    v1 = lead_signal(t, Morph(p=0, q=0, r=0.25, s=-0.9, t=0.05), tm, [], qrs, v1_f)
    rhythm_figure("ecg_flutter.png", [("II", add_noise(ii, rng, t)), ("V1", add_noise(v1, rng, t))], t)


def ecg_chb() -> None:
    rng = np.random.default_rng(303)
    t = timeline(8.0)
    p_onsets = [0.25 + 0.71 * k for k in range(12)]  # atrial rate about 85/min
    qrs = [0.55 + 1.62 * k for k in range(5)]  # ventricular escape about 37/min
    tm = Timing(qrs=1.9, qt=0.48, t_rise=0.07, t_fall=0.05)
    ii = lead_signal(t, Morph(p=0.2, q=0, r=0.9, s=-0.35, t=-0.2), tm, p_onsets, qrs)
    v1 = lead_signal(t, Morph(p=0.14, q=0, r=0.2, s=-1.1, t=0.25), tm, p_onsets, qrs)
    rhythm_figure("ecg_chb.png", [("II", add_noise(ii, rng, t)), ("V1", add_noise(v1, rng, t))], t)


def ecg_mobitz1() -> None:
    rng = np.random.default_rng(404)
    t = timeline(9.6)
    pp = 0.80
    p_onsets = [0.15 + pp * k for k in range(12)]
    prs = [0.18, 0.28, 0.34, None]  # 4:3 Wenckebach
    qrs = []
    for k, p in enumerate(p_onsets):
        pr = prs[k % 4]
        if pr is not None:
            qrs.append(p + pr)
    qrs = [q for q in qrs if q < 9.4]
    tm = Timing(qt=0.37)
    ii = lead_signal(t, Morph(p=0.17, q=-0.05, r=1.15, s=-0.15, t=0.32), tm, p_onsets, qrs)
    v1 = lead_signal(t, Morph(p=0.09, q=0, r=0.3, s=-1.0, t=0.1), tm, p_onsets, qrs)
    rhythm_figure("ecg_mobitz1.png", [("II", add_noise(ii, rng, t)), ("V1", add_noise(v1, rng, t))], t)


PRECORDIAL = ["V1", "V2", "V3", "V4", "V5", "V6"]


def twelve(
    t: np.ndarray,
    m_i: Morph,
    m_iii: Morph,
    pre: dict[str, Morph],
    tm: Timing,
    p_onsets: list[float],
    qrs: list[float],
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    leads = limb_leads(lead_signal(t, m_i, tm, p_onsets, qrs), lead_signal(t, m_iii, tm, p_onsets, qrs))
    for v in PRECORDIAL:
        leads[v] = lead_signal(t, pre[v], tm, p_onsets, qrs)
    return {k: add_noise(v, rng, t, 0.006) for k, v in leads.items()}


def sinus(rr: float, pr: float, first: float = 0.3, duration: float = 10.0) -> tuple[list[float], list[float]]:
    qrs = list(np.arange(first, duration - 0.05, rr))
    return [q - pr for q in qrs], qrs


def ecg_hyperk() -> None:
    rng = np.random.default_rng(505)
    t = timeline(10.0)
    p_onsets, qrs = sinus(0.94, 0.24, first=0.45)
    tm = Timing(qrs=2.0, qt=0.42, p_sigma=0.03, t_rise=0.034, t_fall=0.031)
    m_i = Morph(p=0.04, q=0, r=0.7, s=-0.2, t=0.6)
    m_iii = Morph(p=0.03, q=0, r=0.35, s=-0.25, t=0.4)
    pre = {
        "V1": Morph(p=0.04, r=0.2, s=-1.0, t=0.55),
        "V2": Morph(p=0.04, r=0.35, s=-1.3, t=1.4),
        "V3": Morph(p=0.04, r=0.6, s=-0.9, t=1.5),
        "V4": Morph(p=0.04, r=0.95, s=-0.55, t=1.15),
        "V5": Morph(p=0.04, r=1.0, s=-0.3, t=0.85),
        "V6": Morph(p=0.04, r=0.8, s=-0.2, t=0.65),
    }
    leads = twelve(t, m_i, m_iii, pre, tm, p_onsets, qrs, rng)
    twelve_lead_figure("ecg_hyperk.png", leads, t)


def ecg_inferior_mi() -> None:
    rng = np.random.default_rng(606)
    t = timeline(10.0)
    p_onsets, qrs = sinus(1.08, 0.17, first=0.35)
    tm = Timing(qt=0.40, t_rise=0.06, t_fall=0.045)
    m_i = Morph(p=0.07, q=0, r=0.55, s=-0.12, t=-0.06, st=-0.13)
    m_iii = Morph(p=0.07, q=-0.18, r=0.42, s=-0.05, t=0.45, st=0.38)
    pre = {
        "V1": Morph(p=0.05, r=0.2, s=-0.9, t=0.05),
        "V2": Morph(p=0.06, r=0.4, s=-1.3, t=0.35, st=-0.05),
        "V3": Morph(p=0.06, r=0.75, s=-0.9, t=0.4),
        "V4": Morph(p=0.07, r=1.2, s=-0.5, t=0.4),
        "V5": Morph(p=0.07, q=-0.05, r=1.3, s=-0.2, t=0.35),
        "V6": Morph(p=0.07, q=-0.05, r=1.05, s=-0.1, t=0.3),
    }
    leads = twelve(t, m_i, m_iii, pre, tm, p_onsets, qrs, rng)
    twelve_lead_figure("ecg_inferior_mi.png", leads, t)


def ecg_wpw() -> None:
    rng = np.random.default_rng(707)
    t = timeline(10.0)
    # short PR: P onset to delta-wave onset 0.09 s
    p_onsets, qrs = sinus(0.80, 0.09, first=0.3)
    tm = Timing(qrs=1.0, qt=0.38, delta_len=0.06)
    m_i = Morph(p=0.08, r=0.75, s=-0.05, t=0.2, delta=0.32)
    m_iii = Morph(p=0.06, r=0.35, s=-0.1, t=0.1, delta=0.16)
    pre = {
        "V1": Morph(p=0.06, r=0.15, s=-0.8, t=0.1, delta=-0.12),
        "V2": Morph(p=0.07, r=0.45, s=-0.9, t=0.3, delta=0.12),
        "V3": Morph(p=0.07, r=0.85, s=-0.55, t=0.3, delta=0.22),
        "V4": Morph(p=0.07, r=1.25, s=-0.3, t=0.25, delta=0.3),
        "V5": Morph(p=0.07, r=1.35, s=-0.1, t=0.2, delta=0.32),
        "V6": Morph(p=0.07, r=1.05, s=-0.05, t=0.15, delta=0.28),
    }
    leads = twelve(t, m_i, m_iii, pre, tm, p_onsets, qrs, rng)
    twelve_lead_figure("ecg_wpw.png", leads, t)


# --------------------------------------------------------------------------------------------
# Growth charts (LMS method)
# --------------------------------------------------------------------------------------------

# CDC 2000 stature-for-age, boys: (age in months, L, M, S), every 6 months from the CDC table.
CDC_STATURE_BOYS = [
    (24.0, 0.941523967, 86.45220101, 0.040321528),
    (27.5, 0.538779654, 89.17549228, 0.040833194),
    (30.5, 0.174489485, 91.33242379, 0.04096533),
    (33.5, -0.124251789, 93.35846546, 0.040844062),
    (36.5, -0.390918369, 95.27359106, 0.04053412),
    (39.5, -0.00316735, 97.17191309, 0.040666414),
    (42.5, 0.326530126, 99.00254338, 0.040848042),
    (45.5, 0.602595306, 100.7783198, 0.041076485),
    (48.5, 0.827636736, 102.5104735, 0.041344257),
    (54.5, 1.133652119, 105.8812823, 0.041955723),
    (60.5, 1.266367398, 109.1751441, 0.042593311),
    (66.5, 1.255402281, 112.4295761, 0.043180513),
    (72.5, 1.137442868, 115.6608862, 0.043673359),
    (78.5, 0.954853043, 118.8668123, 0.044069112),
    (84.5, 0.753244292, 122.0305342, 0.044403374),
    (90.5, 0.575908038, 125.1259182, 0.044735646),
    (96.5, 0.455267507, 128.1237104, 0.045127088),
    (102.5, 0.404778262, 130.9982857, 0.045618459),
    (108.5, 0.415687443, 133.7344759, 0.046217028),
    (114.5, 0.461030578, 136.3342577, 0.046896817),
    (120.5, 0.505564115, 138.8234114, 0.047610108),
    (126.5, 0.518588072, 141.2581515, 0.048304259),
    (132.5, 0.487939275, 143.7303663, 0.048937694),
    (138.5, 0.434576385, 146.3665278, 0.049488934),
    (144.5, 0.420919142, 149.3088178, 0.049947823),
    (150.5, 0.531951655, 152.6623878, 0.050273285),
    (156.5, 0.816239713, 156.4098858, 0.050333444),
    (162.5, 1.232768816, 160.3493168, 0.049926861),
    (168.5, 1.670433444, 164.1418486, 0.04894519),
    (174.5, 2.016781776, 167.4641466, 0.047506783),
    (180.5, 2.205180153, 170.139255, 0.045889585),
    (186.5, 2.2253265, 172.1562865, 0.044362674),
    (192.5, 2.113023423, 173.6100518, 0.043085685),
    (198.5, 1.927320937, 174.6309856, 0.042107465),
    (204.5, 1.724738292, 175.340954, 0.041408129),
    (210.5, 1.543252982, 175.8359757, 0.040938463),
    (216.5, 1.399999187, 176.1850208, 0.04064364),
    (222.5, 1.297149359, 176.4351874, 0.040474421),
    (228.5, 1.229163362, 176.6178621, 0.040391101),
    (234.5, 1.188019859, 176.753807, 0.040363795),
    (240.0, 1.167279219, 176.8492322, 0.040369574),
]

# WHO 2006 child growth standards, girls 0-24 months: (age in months, L, M, S) for every month,
# from the WHO monthly LMS tables (weight-for-age and length-for-age, girls, birth to 2 years).
WHO_WEIGHT_GIRLS = [
    (0, 0.3809, 3.2322, 0.14171),
    (1, 0.1714, 4.1873, 0.13724),
    (2, 0.0962, 5.1282, 0.13000),
    (3, 0.0402, 5.8458, 0.12619),
    (4, -0.0050, 6.4237, 0.12402),
    (5, -0.0430, 6.8985, 0.12274),
    (6, -0.0756, 7.2970, 0.12204),
    (7, -0.1039, 7.6422, 0.12178),
    (8, -0.1288, 7.9487, 0.12181),
    (9, -0.1507, 8.2254, 0.12199),
    (10, -0.1700, 8.4800, 0.12223),
    (11, -0.1872, 8.7192, 0.12247),
    (12, -0.2024, 8.9481, 0.12268),
    (13, -0.2158, 9.1699, 0.12283),
    (14, -0.2278, 9.3870, 0.12294),
    (15, -0.2384, 9.6008, 0.12299),
    (16, -0.2478, 9.8124, 0.12303),
    (17, -0.2562, 10.0226, 0.12306),
    (18, -0.2637, 10.2315, 0.12309),
    (19, -0.2703, 10.4393, 0.12315),
    (20, -0.2762, 10.6464, 0.12323),
    (21, -0.2815, 10.8534, 0.12335),
    (22, -0.2862, 11.0608, 0.12350),
    (23, -0.2903, 11.2688, 0.12369),
    (24, -0.2941, 11.4775, 0.12390),
]
WHO_LENGTH_GIRLS = [
    (0, 1.0, 49.1477, 0.03790),
    (1, 1.0, 53.6872, 0.03640),
    (2, 1.0, 57.0673, 0.03568),
    (3, 1.0, 59.8029, 0.03520),
    (4, 1.0, 62.0899, 0.03486),
    (5, 1.0, 64.0301, 0.03463),
    (6, 1.0, 65.7311, 0.03448),
    (7, 1.0, 67.2873, 0.03441),
    (8, 1.0, 68.7498, 0.03440),
    (9, 1.0, 70.1435, 0.03444),
    (10, 1.0, 71.4818, 0.03452),
    (11, 1.0, 72.7710, 0.03464),
    (12, 1.0, 74.0150, 0.03479),
    (13, 1.0, 75.2176, 0.03496),
    (14, 1.0, 76.3817, 0.03514),
    (15, 1.0, 77.5099, 0.03534),
    (16, 1.0, 78.6055, 0.03555),
    (17, 1.0, 79.6710, 0.03576),
    (18, 1.0, 80.7079, 0.03598),
    (19, 1.0, 81.7182, 0.03620),
    (20, 1.0, 82.7036, 0.03643),
    (21, 1.0, 83.6654, 0.03666),
    (22, 1.0, 84.6040, 0.03688),
    (23, 1.0, 85.5202, 0.03711),
    (24, 1.0, 86.4153, 0.03734),
]

Z_OF_PERCENTILE = {
    2: -2.054,
    3: -1.881,
    5: -1.645,
    10: -1.282,
    25: -0.674,
    50: 0.0,
    75: 0.674,
    90: 1.282,
    95: 1.645,
    97: 1.881,
    98: 2.054,
}


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def lms_value(table: list[tuple[float, float, float, float]], age: np.ndarray, z: float) -> np.ndarray:
    a = np.array([r[0] for r in table])
    lam = np.interp(age, a, [r[1] for r in table])
    mu = np.interp(age, a, [r[2] for r in table])
    sd = np.interp(age, a, [r[3] for r in table])
    small = np.abs(lam) < 1e-6
    with np.errstate(invalid="ignore", divide="ignore"):
        val = mu * (1 + lam * sd * z) ** (1 / np.where(small, 1, lam))
    return np.where(small, mu * np.exp(sd * z), val)


def lms_z(table: list[tuple[float, float, float, float]], age: float, x: float) -> float:
    a = np.array([r[0] for r in table])
    lam = float(np.interp(age, a, [r[1] for r in table]))
    mu = float(np.interp(age, a, [r[2] for r in table]))
    sd = float(np.interp(age, a, [r[3] for r in table]))
    return ((x / mu) ** lam - 1) / (lam * sd)


def height_at(table: list[tuple[float, float, float, float]], age_months: float, z: float) -> float:
    return float(lms_value(table, np.array([age_months]), z)[0])


def percentile_lines(
    ax: plt.Axes,
    table: list[tuple[float, float, float, float]],
    ages_months: np.ndarray,
    x_of_age: np.ndarray,
    percentiles: list[int],
) -> None:
    for p in percentiles:
        y = lms_value(table, ages_months, Z_OF_PERCENTILE[p])
        bold = p == 50
        ax.plot(x_of_age, y, color="#2c6fbb", lw=1.8 if bold else 1.0, zorder=3)
        ax.text(
            x_of_age[-1] + (x_of_age[-1] - x_of_age[0]) * 0.008,
            y[-1],
            ordinal(p),
            fontsize=10,
            color="#2c6fbb",
            va="center",
            ha="left",
        )


def style_chart(ax: plt.Axes) -> None:
    ax.grid(True, which="major", color="#c9d6e8", lw=0.8)
    ax.grid(True, which="minor", color="#e6edf6", lw=0.5)
    ax.minorticks_on()
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def plot_patient(ax: plt.Axes, xs: list[float], ys: list[float]) -> None:
    ax.plot(xs, ys, color="#c0392b", lw=1.6, zorder=6, clip_on=False)
    ax.plot(xs, ys, "o", color="#c0392b", ms=7, mec="white", mew=1.2, zorder=7, clip_on=False)


def growth_stature_boys(
    name: str,
    title: str,
    ages_years: list[float],
    heights: list[float],
    xmax: float,
    ymin: float,
    ymax: float,
    note: str | None = None,
) -> None:
    fig, ax = plt.subplots(figsize=(10, 6.6), dpi=DPI)
    ages_m = np.linspace(24, xmax * 12, 400)
    percentile_lines(ax, CDC_STATURE_BOYS, ages_m, ages_m / 12, [5, 10, 25, 50, 75, 90, 95])
    plot_patient(ax, ages_years, heights)
    ax.set_xlim(2, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_xticks(np.arange(2, xmax + 0.01, 1))
    ax.set_xlabel("Age (years)")
    ax.set_ylabel("Stature (cm)")
    ax.set_title(title)
    style_chart(ax)
    if note:
        ax.text(
            0.02,
            0.97,
            note,
            transform=ax.transAxes,
            fontsize=10.5,
            va="top",
            ha="left",
            bbox={"facecolor": "white", "edgecolor": "#999999", "pad": 4},
        )
    fig.tight_layout()
    save(fig, name)


def growth_cgd() -> None:
    # tracks just below the 5th percentile, then drifts further below at the age of the pubertal spurt
    ages = [2.0, 3.0, 4.5, 6.0, 7.5, 9.0, 10.5, 12.0, 13.0, 14.0]
    zs = [-1.75, -1.78, -1.80, -1.80, -1.78, -1.80, -1.82, -1.95, -2.2, -2.5]
    hs = [round(height_at(CDC_STATURE_BOYS, a * 12, z), 1) for a, z in zip(ages, zs)]
    growth_stature_boys(
        "growth_cgd.png", "Stature-for-age, boys 2 to 20 years (CDC percentiles)", ages, hs, 20, 75, 195
    )


def growth_ghd() -> None:
    ages = [2.0, 3.0, 4.0, 5.0, 6.0, 7.0]
    zs = [0.05, -0.05, -0.75, -1.35, -1.95, -2.5]
    hs = [round(height_at(CDC_STATURE_BOYS, a * 12, z), 1) for a, z in zip(ages, zs)]
    growth_stature_boys(
        "growth_ghd.png", "Stature-for-age, boys 2 to 10 years (CDC percentiles)", ages, hs, 10, 75, 150
    )


def growth_ftt() -> None:
    fig, (ax_w, ax_l) = plt.subplots(1, 2, figsize=(11.5, 5.4), dpi=DPI)
    ages = np.linspace(0, 24, 300)
    pts = [0, 1, 2, 4, 6, 9, 12, 15]
    w_z = [0.0, 0.05, 0.0, -0.05, -0.55, -1.45, -2.15, -2.42]
    l_z = [0.1, 0.1, 0.05, 0.05, 0.0, -0.3, -0.75, -1.1]
    w = [round(height_at(WHO_WEIGHT_GIRLS, a, z), 2) for a, z in zip(pts, w_z)]
    ln = [round(height_at(WHO_LENGTH_GIRLS, a, z), 1) for a, z in zip(pts, l_z)]
    # the last visit is the one described in the question stem (img-009)
    assert round(w[-1], 1) == 7.2 and ln[-1] == 74.5, (w[-1], ln[-1])
    for ax, table, vals, ylab, title, ylim in (
        (ax_w, WHO_WEIGHT_GIRLS, w, "Weight (kg)", "Weight-for-age, girls 0 to 24 months", (2, 15.5)),
        (ax_l, WHO_LENGTH_GIRLS, ln, "Length (cm)", "Length-for-age, girls 0 to 24 months", (44, 96)),
    ):
        percentile_lines(ax, table, ages, ages, [2, 10, 25, 50, 75, 90, 98])
        plot_patient(ax, pts, vals)
        ax.set_xlim(0, 24)
        ax.set_ylim(*ylim)
        ax.set_xticks(np.arange(0, 25, 3))
        ax.set_xlabel("Age (months)")
        ax.set_ylabel(ylab)
        ax.set_title(title, fontsize=12)
        style_chart(ax)
    fig.suptitle("WHO growth standard percentiles", fontsize=12, y=0.99)
    fig.tight_layout()
    save(fig, "growth_ftt.png")


# --------------------------------------------------------------------------------------------
# Pedigrees
# --------------------------------------------------------------------------------------------

SYMBOL = 0.56  # symbol size in pedigree units
GEN_GAP = 2.4  # vertical distance between generations


@dataclass
class Person:
    key: str
    x: float
    gen: int
    sex: str  # "M" or "F"
    affected: bool = False
    deceased: bool = False
    proband: bool = False
    note: str = ""


def gen_y(gen: int) -> float:
    return -gen * GEN_GAP


def draw_person(ax: plt.Axes, p: Person) -> None:
    y = gen_y(p.gen)
    face = "#222222" if p.affected else "white"
    if p.sex == "M":
        patch = Rectangle(
            (p.x - SYMBOL / 2, y - SYMBOL / 2), SYMBOL, SYMBOL, facecolor=face, edgecolor="black", lw=1.8, zorder=4
        )
    else:
        patch = Circle((p.x, y), SYMBOL / 2, facecolor=face, edgecolor="black", lw=1.8, zorder=4)
    ax.add_patch(patch)
    if p.deceased:
        ax.plot([p.x - 0.42, p.x + 0.42], [y - 0.42, y + 0.42], color="black", lw=1.6, zorder=5)
    if p.proband:
        ax.annotate(
            "",
            xy=(p.x - 0.33, y - 0.3),
            xytext=(p.x - 0.95, y - 0.85),
            arrowprops={"arrowstyle": "-|>", "lw": 2.0, "color": "black"},
            zorder=6,
        )
        ax.text(p.x - 1.0, y - 0.9, "P", fontsize=12, fontweight="bold", ha="right", va="top")
    if p.note:
        ax.text(p.x, y - 0.42, p.note, fontsize=10, ha="center", va="top", color="#333333", linespacing=1.05)


def couple(ax: plt.Axes, a: Person, b: Person) -> float:
    y = gen_y(a.gen)
    ax.plot([a.x + SYMBOL / 2, b.x - SYMBOL / 2], [y, y], color="black", lw=1.6, zorder=2)
    return (a.x + b.x) / 2


def sibship(ax: plt.Axes, parent_mid: float, parent_gen: int, children: list[Person]) -> None:
    y_par = gen_y(parent_gen)
    y_bar = y_par - 1.35
    y_child = gen_y(children[0].gen) + SYMBOL / 2
    ax.plot([parent_mid, parent_mid], [y_par, y_bar], color="black", lw=1.6, zorder=2)
    xs = [c.x for c in children]
    ax.plot([min(xs + [parent_mid]), max(xs + [parent_mid])], [y_bar, y_bar], color="black", lw=1.6, zorder=2)
    for c in children:
        ax.plot([c.x, c.x], [y_bar, y_child], color="black", lw=1.6, zorder=2)


def pedigree_canvas(width: float, fig_w: float = 10.0) -> tuple[plt.Figure, plt.Axes]:
    x0, x1 = -1.7, width
    y0, y1 = gen_y(3) - 1.5, gen_y(1) + 0.9
    fig_h = fig_w * (y1 - y0) / (x1 - x0)
    fig = plt.figure(figsize=(fig_w, fig_h), dpi=DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.axis("off")
    for g, roman in ((1, "I"), (2, "II"), (3, "III")):
        ax.text(-1.5, gen_y(g), roman, fontsize=15, fontweight="bold", va="center", ha="left")
    return fig, ax


def pedigree_legend(ax: plt.Axes, x: float, y: float) -> None:
    ax.add_patch(Rectangle((x, y - 0.18), 0.36, 0.36, facecolor="#222222", edgecolor="black", lw=1.4))
    ax.add_patch(Circle((x + 0.62, y), 0.18, facecolor="#222222", edgecolor="black", lw=1.4))
    ax.text(x + 0.95, y, "affected", fontsize=10.5, va="center")
    ax.add_patch(Rectangle((x, y - 0.68), 0.36, 0.36, facecolor="white", edgecolor="black", lw=1.4))
    ax.add_patch(Circle((x + 0.62, y - 0.5), 0.18, facecolor="white", edgecolor="black", lw=1.4))
    ax.text(x + 0.95, y - 0.5, "unaffected", fontsize=10.5, va="center")


def number_people(ax: plt.Axes, people: list[Person]) -> None:
    for g in (1, 2, 3):
        row = sorted((p for p in people if p.gen == g), key=lambda p: p.x)
        for i, p in enumerate(row, start=1):
            ax.text(p.x + 0.48, gen_y(g) + 0.22, str(i), fontsize=9.5, ha="left", va="bottom", color="#555555")


def render_pedigree(
    name: str,
    people: list[Person],
    couples: list[tuple[str, str, list[str]]],
    width: float,
    consanguineous: tuple[str, str] | None = None,
    fig_w: float = 10.0,
) -> None:
    by = {p.key: p for p in people}
    fig, ax = pedigree_canvas(width, fig_w)
    for a, b, kids in couples:
        mid = couple(ax, by[a], by[b])
        if (a, b) == consanguineous:
            # a consanguineous union is drawn with a double line
            y = gen_y(by[a].gen) - 0.12
            ax.plot([by[a].x + SYMBOL / 2, by[b].x - SYMBOL / 2], [y, y], color="black", lw=1.6, zorder=2)
        if kids:
            sibship(ax, mid, by[a].gen, [by[k] for k in kids])
    for p in people:
        draw_person(ax, p)
    number_people(ax, people)
    pedigree_legend(ax, width - 2.5, gen_y(1) + 0.25)
    save(fig, name)


def pedigree_ad() -> None:
    people = [
        Person("gf", 3.0, 1, "M", affected=True, deceased=True, note="d. 46 y\ncolon cancer"),
        Person("gm", 5.0, 1, "F"),
        Person("aunt", 1.0, 2, "F", affected=True, note="colon cancer 39 y"),
        Person("unc", 3.0, 2, "M"),
        Person("dad", 5.0, 2, "M", affected=True, note="colectomy 35 y"),
        Person("mom", 7.0, 2, "F"),
        Person("sis", 4.0, 3, "F", affected=True, note="polyps 24 y"),
        Person("pro", 6.0, 3, "M", affected=True, proband=True),
        Person("bro", 8.0, 3, "M"),
    ]
    couples = [("gf", "gm", ["aunt", "unc", "dad"]), ("dad", "mom", ["sis", "pro", "bro"])]
    render_pedigree("pedigree_ad.png", people, couples, 11.5)


def pedigree_xlr() -> None:
    people = [
        Person("gf", 3.0, 1, "M"),
        Person("gm", 5.0, 1, "F"),
        Person("unc", 1.0, 2, "M", affected=True),
        Person("aunt", 3.0, 2, "F"),
        Person("mom", 5.0, 2, "F"),
        Person("dad", 7.0, 2, "M"),
        Person("bro1", 4.0, 3, "M", affected=True),
        Person("pro", 6.0, 3, "F", proband=True),
        Person("bro2", 8.0, 3, "M"),
    ]
    couples = [("gf", "gm", ["unc", "aunt", "mom"]), ("mom", "dad", ["bro1", "pro", "bro2"])]
    render_pedigree("pedigree_xlr.png", people, couples, 11.5)


def pedigree_mito() -> None:
    people = [
        Person("gf", 4.5, 1, "M"),
        Person("gm", 6.5, 1, "F", affected=True, note="deafness,\ndiabetes"),
        Person("unc", 1.5, 2, "M", affected=True, note="myopathy"),
        Person("unc_w", 3.0, 2, "F"),
        Person("mom", 6.5, 2, "F", affected=True, note="deafness"),
        Person("dad", 8.0, 2, "M"),
        Person("aunt", 10.0, 2, "F", affected=True, note="diabetes"),
        Person("aunt_h", 11.5, 2, "M"),
        Person("c1", 1.0, 3, "M"),
        Person("c2", 2.2, 3, "F"),
        Person("c3", 3.4, 3, "M"),
        Person("pro", 6.5, 3, "M", affected=True, proband=True),
        Person("sis", 8.0, 3, "F", affected=True),
        Person("c6", 10.2, 3, "F", affected=True),
        Person("c7", 11.4, 3, "M", affected=True),
    ]
    couples = [
        ("gf", "gm", ["unc", "mom", "aunt"]),
        ("unc", "unc_w", ["c1", "c2", "c3"]),
        ("mom", "dad", ["pro", "sis"]),
        ("aunt", "aunt_h", ["c6", "c7"]),
    ]
    render_pedigree("pedigree_mito.png", people, couples, 15.5)


# --------------------------------------------------------------------------------------------
# Laboratory trends
# --------------------------------------------------------------------------------------------


def trend_axes(figsize: tuple[float, float] = (10, 5.2)) -> tuple[plt.Figure, plt.Axes]:
    fig, ax = plt.subplots(figsize=figsize, dpi=DPI)
    ax.grid(True, color="#dddddd", lw=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return fig, ax


def trend_hcg() -> None:
    fig, ax = trend_axes()
    hours = [0, 48, 96]
    hcg = [2140, 2390, 2480]
    expected = [hcg[0] * 1.35 ** (h / 48) for h in np.linspace(0, 96, 50)]
    ax.plot(
        np.linspace(0, 96, 50),
        expected,
        ls="--",
        color="#7f8c8d",
        lw=1.6,
        label="minimum rise expected for a viable intrauterine pregnancy (about 35% per 48 h)",
    )
    ax.plot(hours, hcg, "o-", color="#c0392b", lw=2, ms=9, mec="white", mew=1.2, label="patient", zorder=5)
    for h, v in zip(hours, hcg):
        ax.annotate(f"{v:,} mIU/mL", (h, v), textcoords="offset points", xytext=(0, -24), ha="center", fontsize=11)
    ax.set_xlim(-14, 110)
    ax.set_ylim(1500, 4400)
    ax.set_xticks(hours)
    ax.set_xticklabels(["Day 0", "Day 2 (48 h)", "Day 4 (96 h)"])
    ax.set_ylabel("Serum beta-hCG (mIU/mL)")
    ax.set_title("Serial quantitative serum beta-hCG")
    ax.legend(loc="upper left", fontsize=10, frameon=True)
    fig.tight_layout()
    save(fig, "trend_hcg.png")


def trend_hit() -> None:
    fig, ax = trend_axes()
    days = np.arange(0, 11)
    plt_counts = [248, 241, 236, 244, 239, 231, 176, 121, 88, 74, 69]
    ax.axvspan(0.5, 10.5, color="#fdebd0", zorder=0)
    ax.text(
        0.7,
        285,
        "Subcutaneous unfractionated heparin 5,000 units every 8 hours",
        fontsize=10.5,
        va="center",
        color="#8a5a00",
    )
    ax.plot(days, plt_counts, "o-", color="#c0392b", lw=2, ms=8, mec="white", mew=1.2, zorder=5)
    for d, v in zip(days, plt_counts):
        ax.annotate(str(v), (d, v), textcoords="offset points", xytext=(0, 10), ha="center", fontsize=10)
    ax.axhline(150, color="#7f8c8d", ls="--", lw=1.2)
    ax.text(10.45, 154, "150", fontsize=9.5, color="#7f8c8d", ha="right", va="bottom")
    ax.set_xlim(-0.5, 10.6)
    ax.set_ylim(0, 300)
    ax.set_xticks(days)
    ax.set_xlabel("Hospital day (heparin started on day 1)")
    ax.set_ylabel("Platelet count (x 1,000/mm\u00b3)")
    ax.set_title("Platelet count during hospitalization")
    fig.tight_layout()
    save(fig, "trend_hit.png")


def trend_tls() -> None:
    fig, axes = plt.subplots(2, 3, figsize=(12, 6.6), dpi=DPI)
    hours = [-12, 0, 12, 24, 36, 48, 60]
    series = [
        ("Potassium (mEq/L)", [4.1, 4.2, 4.9, 5.6, 6.2, 6.6, 6.9], (3.5, 5.0)),
        ("Phosphorus (mg/dL)", [3.9, 4.0, 5.4, 6.8, 7.9, 8.6, 9.1], (2.5, 4.5)),
        ("Calcium (mg/dL)", [9.3, 9.2, 8.8, 8.1, 7.5, 7.1, 6.8], (8.5, 10.5)),
        ("Uric acid (mg/dL)", [7.4, 7.6, 9.1, 10.9, 12.2, 13.1, 13.6], (3.5, 7.2)),
        ("Creatinine (mg/dL)", [0.9, 0.9, 1.1, 1.5, 2.0, 2.5, 2.9], (0.7, 1.3)),
        ("Lactate dehydrogenase (U/L)", [1480, 1510, 2150, 2790, 3120, 3060, 2890], (140, 280)),
    ]
    for ax, (title, vals, (lo, hi)) in zip(axes.flat, series):
        ax.axhspan(lo, hi, color="#e8f4ea", zorder=0)
        ax.axvline(0, color="#7f8c8d", ls="--", lw=1.2)
        ax.plot(hours, vals, "o-", color="#c0392b", lw=2, ms=6, mec="white", mew=1, zorder=5)
        ax.set_title(title, fontsize=12)
        ax.set_xticks([0, 24, 48])
        ax.set_xlim(-16, 64)
        span = max(vals + [hi]) - min(vals + [lo])
        ax.set_ylim(min(vals + [lo]) - 0.12 * span, max(vals + [hi]) + 0.12 * span)
        ax.grid(True, color="#dddddd", lw=0.7)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    for ax in axes[1]:
        ax.set_xlabel("Hours after first chemotherapy dose")
    fig.suptitle(
        "Serial laboratory values (green band = reference range; dashed line = chemotherapy start)", fontsize=12
    )
    fig.tight_layout()
    save(fig, "trend_tls.png")


# --------------------------------------------------------------------------------------------
# More ECGs (version 1.1.0 of the pack)
# --------------------------------------------------------------------------------------------

# The figures added in 1.1.0 are drawn larger (at least 1400 px wide), to stay legible when the app fits them
# to a pane about 700 px wide.
BIG_12 = 6.0  # px per mm of a 12-lead sheet: 262 mm -> 1572 px
BIG_STRIP = 7.0  # px per mm of a rhythm strip: 8 s -> 1484 px


def per_beat(t: np.ndarray, onsets: list[float], shape) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Sum of shape(t - onset) over the beats (used for waves outside the Morph model)."""
    y = np.zeros_like(t)
    for q in onsets:
        y += shape(t - q)
    return y


def ecg_anterior_stemi() -> None:
    rng = np.random.default_rng(1701)
    t = timeline(10.0)
    p_onsets, qrs = sinus(0.68, 0.16, first=0.3)  # about 88/min
    tm = Timing(qt=0.38, t_rise=0.07, t_fall=0.05)
    m_i = Morph(p=0.08, q=-0.04, r=0.6, s=-0.1, t=0.35, st=0.12)
    m_iii = Morph(p=0.05, q=0, r=0.4, s=-0.2, t=-0.1, st=-0.15)
    pre = {
        "V1": Morph(p=0.05, q=0, r=0.05, s=-0.9, t=0.55, st=0.22),
        "V2": Morph(p=0.06, q=-0.35, r=0.08, s=-0.4, t=0.9, st=0.42),
        "V3": Morph(p=0.06, q=-0.3, r=0.2, s=-0.3, t=0.95, st=0.40),
        "V4": Morph(p=0.07, q=-0.15, r=0.5, s=-0.2, t=0.8, st=0.30),
        "V5": Morph(p=0.07, q=-0.05, r=0.9, s=-0.15, t=0.45, st=0.12),
        "V6": Morph(p=0.07, q=-0.05, r=0.9, s=-0.1, t=0.3, st=0.05),
    }
    leads = twelve(t, m_i, m_iii, pre, tm, p_onsets, qrs, rng)
    twelve_lead_figure("ecg_anterior_stemi.png", leads, t, px_per_mm=BIG_12)


def ecg_brugada() -> None:
    rng = np.random.default_rng(1702)
    t = timeline(10.0)
    p_onsets, qrs = sinus(0.86, 0.17, first=0.35)
    tm = Timing(qt=0.38)

    def coved(amp: float):  # type: ignore[no-untyped-def]
        # high take-off at the J point, convex ("coved") downslope into an inverted T wave
        def shape(x: np.ndarray) -> np.ndarray:
            rise = sigmoid((x - 0.07) / 0.006)
            body = amp * np.clip(1 - ((x - 0.08) / 0.22) ** 2, 0, None) ** 0.6
            inv = -0.22 * gauss(x, 0.33, 0.05)
            return rise * body * (x < 0.30) + inv + 0.5 * amp * gauss(x, 0.075, 0.01)

        return shape

    m_i = Morph(p=0.08, q=-0.03, r=0.7, s=-0.1, t=0.25)
    m_iii = Morph(p=0.06, q=0, r=0.45, s=-0.1, t=0.15)
    pre = {
        "V1": Morph(p=0.05, r=0.2, s=-0.9, t=0.0),
        "V2": Morph(p=0.06, r=0.35, s=-1.1, t=0.0),
        "V3": Morph(p=0.06, r=0.7, s=-0.7, t=0.3, st=0.05),
        "V4": Morph(p=0.07, r=1.1, s=-0.4, t=0.35),
        "V5": Morph(p=0.07, q=-0.05, r=1.2, s=-0.2, t=0.3),
        "V6": Morph(p=0.07, q=-0.05, r=1.0, s=-0.1, t=0.25),
    }
    leads = twelve(t, m_i, m_iii, pre, tm, p_onsets, qrs, rng)
    leads["V1"] = leads["V1"] + per_beat(t, qrs, coved(0.32))
    leads["V2"] = leads["V2"] + per_beat(t, qrs, coved(0.45))
    twelve_lead_figure("ecg_brugada.png", leads, t, px_per_mm=BIG_12)


def ecg_long_qt() -> None:
    rng = np.random.default_rng(1703)
    t = timeline(10.0)
    p_onsets, qrs = sinus(1.0, 0.16, first=0.3)  # 60/min, so QTc = QT = 0.60 s
    tm = Timing(qt=0.60, t_rise=0.085, t_fall=0.055)
    m_i = Morph(p=0.08, q=-0.04, r=0.8, s=-0.1, t=0.28)
    m_iii = Morph(p=0.06, q=0, r=0.5, s=-0.1, t=0.2)
    pre = {
        "V1": Morph(p=0.05, r=0.2, s=-0.9, t=-0.05),
        "V2": Morph(p=0.06, r=0.4, s=-1.2, t=0.35),
        "V3": Morph(p=0.06, r=0.75, s=-0.8, t=0.4),
        "V4": Morph(p=0.07, r=1.2, s=-0.4, t=0.4),
        "V5": Morph(p=0.07, q=-0.05, r=1.3, s=-0.2, t=0.35),
        "V6": Morph(p=0.07, q=-0.05, r=1.05, s=-0.1, t=0.3),
    }
    leads = twelve(t, m_i, m_iii, pre, tm, p_onsets, qrs, rng)
    twelve_lead_figure("ecg_long_qt.png", leads, t, px_per_mm=BIG_12)


def ecg_hypokalemia() -> None:
    rng = np.random.default_rng(1704)
    t = timeline(10.0)
    p_onsets, qrs = sinus(0.82, 0.18, first=0.3)
    tm = Timing(qt=0.36, t_rise=0.06, t_fall=0.05)
    u_amp = {"I": 0.06, "III": 0.04, "V1": 0.05, "V2": 0.2, "V3": 0.22, "V4": 0.16, "V5": 0.1, "V6": 0.07}

    def u_wave(amp: float):  # type: ignore[no-untyped-def]
        return lambda x: amp * gauss(x, 0.47, 0.04)

    def lead(m: Morph, name: str) -> np.ndarray:
        return lead_signal(t, m, tm, p_onsets, qrs, per_beat(t, qrs, u_wave(u_amp[name])))

    sig_i = lead(Morph(p=0.1, q=-0.04, r=0.8, s=-0.1, t=0.05, st=-0.05), "I")
    sig_iii = lead(Morph(p=0.09, q=0, r=0.5, s=-0.1, t=0.04, st=-0.04), "III")
    leads = limb_leads(sig_i, sig_iii)
    pre = {
        "V1": Morph(p=0.06, r=0.2, s=-0.9, t=0.02),
        "V2": Morph(p=0.07, r=0.4, s=-1.2, t=0.06, st=-0.05),
        "V3": Morph(p=0.07, r=0.75, s=-0.8, t=0.05, st=-0.06),
        "V4": Morph(p=0.08, r=1.2, s=-0.4, t=0.05, st=-0.06),
        "V5": Morph(p=0.08, q=-0.05, r=1.3, s=-0.2, t=0.04, st=-0.05),
        "V6": Morph(p=0.08, q=-0.05, r=1.05, s=-0.1, t=0.04, st=-0.04),
    }
    for v in PRECORDIAL:
        leads[v] = lead(pre[v], v)
    leads = {k: add_noise(v, rng, t, 0.006) for k, v in leads.items()}
    twelve_lead_figure("ecg_hypokalemia.png", leads, t, px_per_mm=BIG_12)


def ecg_pericarditis() -> None:
    rng = np.random.default_rng(1705)
    t = timeline(10.0)
    p_onsets, qrs = sinus(0.6, 0.16, first=0.3)  # 100/min
    tm = Timing(qt=0.34, t_rise=0.06, t_fall=0.045)

    def pr_segment(amp: float) -> np.ndarray:
        y = np.zeros_like(t)
        for p, q in zip(p_onsets, qrs, strict=True):
            y += amp * sigmoid((t - (p + 0.085)) / 0.008) * (1 - sigmoid((t - q) / 0.004))
        return y

    sig_i = lead_signal(t, Morph(p=0.08, q=-0.03, r=0.7, s=-0.1, t=0.3, st=0.13), tm, p_onsets, qrs, pr_segment(-0.04))
    sig_iii = lead_signal(t, Morph(p=0.07, q=0, r=0.6, s=-0.1, t=0.25, st=0.09), tm, p_onsets, qrs, pr_segment(-0.04))
    leads = limb_leads(sig_i, sig_iii)
    pre = {
        "V1": (Morph(p=0.05, r=0.2, s=-0.9, t=0.1, st=0.02), -0.01),
        "V2": (Morph(p=0.06, r=0.4, s=-1.2, t=0.4, st=0.18), -0.05),
        "V3": (Morph(p=0.06, r=0.75, s=-0.8, t=0.45, st=0.2), -0.05),
        "V4": (Morph(p=0.07, r=1.2, s=-0.4, t=0.45, st=0.2), -0.05),
        "V5": (Morph(p=0.07, q=-0.05, r=1.3, s=-0.2, t=0.4, st=0.18), -0.05),
        "V6": (Morph(p=0.07, q=-0.05, r=1.05, s=-0.1, t=0.35, st=0.15), -0.04),
    }
    for v, (m, pr) in pre.items():
        leads[v] = lead_signal(t, m, tm, p_onsets, qrs, pr_segment(pr))
    leads = {k: add_noise(v, rng, t, 0.006) for k, v in leads.items()}
    twelve_lead_figure("ecg_pericarditis.png", leads, t, px_per_mm=BIG_12)


def ecg_mobitz2() -> None:
    rng = np.random.default_rng(1706)
    t = timeline(9.6)
    pp = 0.72
    p_onsets = [0.2 + pp * k for k in range(14)]
    dropped = {3, 7, 10}  # P waves 4, 8 and 11 are not conducted; the PR interval never changes
    qrs = [p + 0.18 for k, p in enumerate(p_onsets) if k not in dropped and p + 0.18 < 9.4]
    tm = Timing(qrs=1.65, qt=0.42, t_rise=0.06, t_fall=0.045)
    ii = lead_signal(t, Morph(p=0.16, q=-0.04, r=0.9, s=-0.35, t=0.25), tm, p_onsets, qrs)
    v1 = lead_signal(t, Morph(p=0.1, q=0, r=0.25, s=-0.25, t=-0.2), tm, p_onsets, qrs)
    # right bundle branch block: terminal R' in V1
    v1 = v1 + per_beat(t, qrs, lambda x: 0.7 * gauss(x, 0.125, 0.02))
    rhythm_figure(
        "ecg_mobitz2.png", [("II", add_noise(ii, rng, t)), ("V1", add_noise(v1, rng, t))], t, px_per_mm=BIG_STRIP
    )


def wide_beat(x: np.ndarray, amp: float, width: float = 1.0) -> np.ndarray:
    """A broad ventricular complex (about 160 ms) with a discordant T wave."""
    return amp * (gauss(x, 0.06 * width, 0.03 * width) - 0.35 * gauss(x, 0.30, 0.06))


def ecg_vt() -> None:
    rng = np.random.default_rng(1707)
    t = timeline(8.0)
    qrs = list(np.arange(0.15, 7.9, 0.35))  # 171/min, regular
    p_onsets = list(np.arange(0.42, 7.9, 0.86))  # sinus P waves at 70/min marching through (AV dissociation)
    tm = Timing()
    p_ii = lead_signal(t, Morph(p=0.18, q=0, r=0, s=0, t=0), tm, p_onsets, [])
    ii = per_beat(t, qrs, lambda x: wide_beat(x, -1.3)) + p_ii
    v1 = per_beat(t, qrs, lambda x: wide_beat(x, 1.4)) + 0.6 * p_ii
    v6 = per_beat(t, qrs, lambda x: wide_beat(x, -1.1, 1.1)) + 0.5 * p_ii
    rhythm_figure(
        "ecg_vt.png",
        [("II", add_noise(ii, rng, t)), ("V1", add_noise(v1, rng, t)), ("V6", add_noise(v6, rng, t))],
        t,
        px_per_mm=BIG_STRIP,
    )


def ecg_torsades() -> None:
    rng = np.random.default_rng(1708)
    t = timeline(10.0)
    tm = Timing(qt=0.58, t_rise=0.085, t_fall=0.055)
    sinus_q = [0.3, 1.32, 2.9]
    p_onsets = [q - 0.16 for q in sinus_q]
    ii = lead_signal(t, Morph(p=0.14, q=-0.04, r=1.0, s=-0.15, t=0.35), tm, p_onsets, sinus_q)
    # a premature ventricular beat on the T wave, a pause, then a PVC that starts torsades de pointes
    ii += per_beat(t, [1.78], lambda x: wide_beat(x, -1.1))
    start = 3.36
    run = t >= start
    phase = np.cumsum(np.where(run, 2 * np.pi * (3.9 + 0.4 * np.sin(2 * np.pi * 0.35 * t)) / FS, 0.0))
    envelope = 1.5 * np.cos(2 * np.pi * (t - start - 0.6) / 3.4)
    wave = np.sin(phase) + 0.35 * np.sin(2 * phase + 0.6)
    ramp = np.clip((t - start) / 0.3, 0, 1)
    ii += np.where(run, ramp * envelope * wave, 0.0)
    rhythm_figure("ecg_torsades.png", [("II", add_noise(ii, rng, t))], t, row_mm=52.0, px_per_mm=BIG_STRIP)


def ecg_bidirectional_vt() -> None:
    rng = np.random.default_rng(1709)
    t = timeline(8.0)
    qrs = list(np.arange(0.2, 7.9, 0.4))  # 150/min
    tm = Timing()
    ii = np.zeros_like(t)
    v1 = np.zeros_like(t)
    for k, q in enumerate(qrs):
        sign = 1.0 if k % 2 == 0 else -1.0  # the frontal QRS axis alternates beat to beat
        ii += wide_beat(t - q, 1.1 * sign, 0.8)
        v1 += wide_beat(t - q, 0.9, 0.8)
    v1 += per_beat(t, qrs, lambda x: 0.5 * gauss(x, 0.11, 0.018))
    del tm
    rhythm_figure(
        "ecg_bidirectional_vt.png",
        [("II", add_noise(ii, rng, t)), ("V1", add_noise(v1, rng, t))],
        t,
        px_per_mm=BIG_STRIP,
    )


# --------------------------------------------------------------------------------------------
# Fetal heart rate tracings (cardiotocography)
# --------------------------------------------------------------------------------------------

CTG_MINUTES = 20.0
CTG_FS = 4.0  # samples per second (a fetal monitor reports about 4 heart rates per second)
CTG_GREEN = "#7fb88a"
CTG_GREEN_MAJOR = "#3e8e52"
CTG_PAPER = "#fbfdf8"


def ctg_variability(t: np.ndarray, amplitude: float, seed: int) -> np.ndarray:
    """Band-limited baseline variability with a peak-to-trough amplitude of about `amplitude` bpm."""
    g = np.random.default_rng(seed)
    y = np.zeros_like(t)
    for f in g.uniform(2.0, 7.0, size=12) / 60:  # 2-7 cycles per minute
        y += g.uniform(0.5, 1.0) * np.sin(2 * np.pi * f * t + g.uniform(0, 2 * np.pi))
    jitter = np.convolve(g.normal(0, 1, size=t.shape), np.ones(5) / 5, mode="same")
    y = y / np.percentile(np.abs(y), 97) + 0.25 * jitter
    return amplitude / 2 * y


def contractions(t: np.ndarray, peaks_s: list[float], width_s: float = 30.0, height: float = 55.0) -> np.ndarray:
    uc = np.full_like(t, 12.0)
    for p in peaks_s:
        uc += height * gauss(t, p, width_s / 2.0)
    return uc


def ctg_figure(name: str, t: np.ndarray, fhr: np.ndarray, uc: np.ndarray) -> None:
    """US-standard paper: 3 cm/min, FHR 50-210 bpm at 10 bpm per line, uterine activity 0-100 mm Hg."""
    fig = plt.figure(figsize=(16.0, 7.6), dpi=DPI)
    fig.patch.set_facecolor("white")
    ax_f = fig.add_axes((0.055, 0.36, 0.93, 0.58))
    ax_u = fig.add_axes((0.055, 0.08, 0.93, 0.23))
    minutes = t / 60
    for ax, lo, hi, minor, major in ((ax_f, 50, 210, 10, 30), (ax_u, 0, 100, 10, 25)):
        ax.set_facecolor(CTG_PAPER)
        ax.set_xlim(0, CTG_MINUTES)
        ax.set_ylim(lo, hi)
        for x in np.arange(0, CTG_MINUTES + 0.01, 1 / 6):  # a thin line every 10 s
            bold = abs(x - round(x)) < 1e-6
            ax.axvline(x, color=CTG_GREEN_MAJOR if bold else CTG_GREEN, lw=1.1 if bold else 0.35, zorder=1)
        for y in np.arange(lo, hi + 0.1, minor):
            bold = (y - lo) % major == 0 if ax is ax_u else y % major == 0
            ax.axhline(y, color=CTG_GREEN_MAJOR if bold else CTG_GREEN, lw=0.9 if bold else 0.35, zorder=1)
        ax.set_xticks(np.arange(0, CTG_MINUTES + 0.01, 1))
        ax.tick_params(labelsize=11)
        for side in ax.spines.values():
            side.set_color(CTG_GREEN_MAJOR)
    ax_f.axhspan(110, 160, color="#e3f1e4", zorder=0)
    ax_f.set_yticks(np.arange(60, 211, 30))
    ax_f.set_ylabel("FHR (beats/min)", fontsize=12)
    ax_f.set_xticklabels([])
    ax_u.set_yticks([0, 25, 50, 75, 100])
    ax_u.set_ylabel("UA (mm Hg)", fontsize=12)
    ax_u.set_xlabel("Time (minutes); paper speed 3 cm/min", fontsize=12)
    ax_f.plot(minutes, fhr, color="#111111", lw=1.3, zorder=5)
    ax_u.plot(minutes, uc, color="#111111", lw=1.3, zorder=5)
    ax_f.set_title("Fetal heart rate (upper) and uterine activity by tocodynamometry (lower)", fontsize=13)
    save(fig, name)


def ctg_time() -> np.ndarray:
    return np.arange(0, CTG_MINUTES * 60 + 1e-9, 1 / CTG_FS)


def deceleration(t: np.ndarray, nadir_s: float, depth: float, fall_s: float, rise_s: float) -> np.ndarray:
    """A smooth, symmetric-or-not dip: fall_s from onset to nadir, rise_s from nadir back to baseline."""
    x = t - nadir_s
    shape = np.where(x < 0, np.exp(-0.5 * (x / (fall_s / 2.3)) ** 2), np.exp(-0.5 * (x / (rise_s / 2.3)) ** 2))
    return -depth * shape


def ctg_late_decels(name: str, amplitude: float, seed: int) -> None:
    t = ctg_time()
    peaks = [90 + 170 * k for k in range(7)]  # a contraction about every 3 minutes
    fhr = np.full_like(t, 150.0) + ctg_variability(t, amplitude, seed)
    for p in peaks:
        # gradual onset, nadir about 35 s after the peak of the contraction, slow return
        fhr += deceleration(t, p + 35, 22, 45, 45)
    ctg_figure(name, t, fhr, contractions(t, peaks))


def ctg_late_minimal() -> None:
    ctg_late_decels("ctg_late_minimal.png", 4.0, 1801)  # minimal variability (amplitude 5 bpm or less)


def ctg_late_absent() -> None:
    ctg_late_decels("ctg_late_absent.png", 0.8, 1802)  # absent variability (undetectable amplitude)


def ctg_variable() -> None:
    t = ctg_time()
    g = np.random.default_rng(1803)
    peaks = [80 + 150 * k + float(g.uniform(-15, 15)) for k in range(8)]
    fhr = np.full_like(t, 140.0) + ctg_variability(t, 12.0, 1804)
    for k, p in enumerate(peaks):
        depth = (55, 40, 65, 45, 60, 50, 70, 45)[k]
        nadir = p + float(g.uniform(-20, 10))
        fall = float(g.uniform(8, 14))  # abrupt: less than 30 s from onset to nadir
        width = float(g.uniform(25, 45))
        x = t - nadir
        dip = np.where(
            x < 0,
            np.exp(-0.5 * (x / (fall / 2.3)) ** 2),
            np.where(x < width - 15, 1.0, np.exp(-0.5 * ((x - (width - 15)) / 5.0) ** 2)),
        )
        fhr -= depth * dip * (1 + 0.05 * np.sin(2 * np.pi * t / 7))
    fhr = np.convolve(fhr, np.ones(3) / 3, mode="same")
    ctg_figure("ctg_variable.png", t, fhr, contractions(t, peaks, width_s=26))


def ctg_sinusoidal() -> None:
    t = ctg_time()
    # smooth sine wave: 4 cycles per minute, 10 bpm peak to trough, no beat-to-beat variability
    fhr = 145 + 5.0 * np.sin(2 * np.pi * 4 / 60 * t) + 0.15 * np.sin(2 * np.pi * 0.7 * t)
    peaks = [150 + 300 * k for k in range(4)]
    ctg_figure("ctg_sinusoidal.png", t, fhr, contractions(t, peaks, width_s=24, height=30))


def ctg_early() -> None:
    t = ctg_time()
    peaks = [80 + 150 * k for k in range(8)]
    fhr = np.full_like(t, 135.0) + ctg_variability(t, 9.0, 1805)
    for p in peaks:
        # gradual, shallow, the nadir coinciding with the peak of the contraction: a mirror image
        fhr += deceleration(t, p, 20, 40, 40)
    ctg_figure("ctg_early.png", t, fhr, contractions(t, peaks))


# --------------------------------------------------------------------------------------------
# More laboratory trends and pedigrees (version 1.1.0 of the pack)
# --------------------------------------------------------------------------------------------


def trend_panel(
    ax: plt.Axes, xs: list[float], vals: list[float], title: str, band: tuple[float, float], fmt: str = "{:g}"
) -> None:
    ax.axhspan(*band, color="#e8f4ea", zorder=0)
    ax.plot(xs, vals, "o-", color="#c0392b", lw=2.2, ms=8, mec="white", mew=1.2, zorder=5)
    for x, v in zip(xs, vals, strict=True):
        ax.annotate(fmt.format(v), (x, v), textcoords="offset points", xytext=(0, 9), ha="center", fontsize=11)
    ax.set_title(title, fontsize=14)
    span = max([*vals, band[1]]) - min([*vals, band[0]])
    ax.set_ylim(min([*vals, band[0]]) - 0.12 * span, max([*vals, band[1]]) + 0.22 * span)
    ax.grid(True, color="#dddddd", lw=0.8)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=11)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def trend_dka() -> None:
    fig, axes = plt.subplots(2, 2, figsize=(15, 9), dpi=DPI)
    hours = [0, 4, 8, 12, 16, 20]
    na = [131, 134, 137, 138, 139, 139]
    cl = [96, 101, 104, 106, 107, 107]
    hco3 = [8, 11, 14, 17, 19, 21]
    gap = [n - c - h for n, c, h in zip(na, cl, hco3, strict=True)]
    assert gap == [27, 22, 19, 15, 13, 11], gap
    series = [
        ("Glucose (mg/dL)", [612, 402, 268, 212, 196, 184], (70, 140)),
        ("Anion gap (mEq/L) = Na - (Cl + HCO3)", gap, (3, 12)),
        ("Bicarbonate (mEq/L)", hco3, (22, 28)),
        ("Beta-hydroxybutyrate (mmol/L)", [6.8, 4.9, 3.1, 1.6, 0.8, 0.4], (0, 0.6)),
    ]
    for ax, (title, vals, band) in zip(axes.flat, series, strict=True):
        trend_panel(ax, hours, vals, title, band)
        ax.set_xticks(hours)
        ax.set_xlim(-1.5, 21.5)
    for ax in axes[1]:
        ax.set_xlabel("Hours after starting intravenous insulin and fluids", fontsize=12)
    fig.suptitle("Serial laboratory values (green band = reference range)", fontsize=15)
    fig.tight_layout()
    save(fig, "trend_dka.png")


def trend_aki_contrast() -> None:
    fig, ax = trend_axes(figsize=(15, 7.2))
    days = [-1, 0, 1, 2, 3, 4, 5, 7, 10]
    cr = [1.4, 1.4, 1.7, 2.2, 2.5, 2.3, 2.0, 1.6, 1.5]
    ax.axhspan(0.6, 1.2, color="#e8f4ea", zorder=0)
    ax.axvline(0, color="#7f8c8d", ls="--", lw=1.4)
    ax.text(0.1, 2.95, "Contrast-enhanced CT\n(iodinated contrast, day 0)", fontsize=12, color="#555555", va="top")
    ax.plot(days, cr, "o-", color="#c0392b", lw=2.4, ms=10, mec="white", mew=1.2, zorder=5)
    for d, v in zip(days, cr, strict=True):
        ax.annotate(f"{v:.1f}", (d, v), textcoords="offset points", xytext=(0, 11), ha="center", fontsize=12)
    ax.set_xticks(days)
    ax.set_xlim(-1.6, 10.6)
    ax.set_ylim(0, 3.1)
    ax.tick_params(labelsize=12)
    ax.set_xlabel("Day", fontsize=13)
    ax.set_ylabel("Serum creatinine (mg/dL)", fontsize=13)
    ax.set_title("Serum creatinine (green band = reference range)", fontsize=15)
    fig.tight_layout()
    save(fig, "trend_aki_contrast.png")


def trend_tsh() -> None:
    fig, (ax_t, ax_f) = plt.subplots(1, 2, figsize=(15, 6.4), dpi=DPI)
    months = [0, 3, 9, 15]
    trend_panel(ax_t, months, [6.8, 7.4, 6.9, 7.2], "TSH (microU/mL)", (0.4, 4.5))
    trend_panel(ax_f, months, [1.1, 1.0, 1.1, 1.0], "Free T4 (ng/dL)", (0.8, 1.8), "{:.1f}")
    ax_t.set_ylim(0, 9)
    ax_f.set_ylim(0, 2.2)
    for ax in (ax_t, ax_f):
        ax.set_xticks(months)
        ax.set_xlim(-1.5, 16.5)
        ax.set_xlabel("Months after the first measurement", fontsize=12)
    fig.suptitle("Serial thyroid function tests (green band = reference range)", fontsize=15)
    fig.tight_layout()
    save(fig, "trend_tsh.png")


def pedigree_ar_consanguinity() -> None:
    people = [
        Person("gf1", 1.5, 1, "M"),
        Person("gm1", 3.0, 1, "F"),
        Person("gf2", 7.0, 1, "M"),
        Person("gm2", 8.5, 1, "F"),
        Person("u1", 0.5, 2, "M"),
        Person("dad", 3.0, 2, "M"),
        Person("mom", 7.0, 2, "F"),
        Person("a2", 9.5, 2, "F"),
        Person("c1", 3.0, 3, "F"),
        Person("pro", 4.5, 3, "M", affected=True, proband=True),
        Person("c3", 6.0, 3, "F", affected=True),
        Person("c4", 7.5, 3, "M"),
    ]
    couples = [
        ("gf1", "gm1", ["u1", "dad"]),
        ("gf2", "gm2", ["mom", "a2"]),
        ("dad", "mom", ["c1", "pro", "c3", "c4"]),
    ]
    render_pedigree("pedigree_ar_consanguinity.png", people, couples, 12.0, consanguineous=("dad", "mom"), fig_w=14.5)


def pedigree_xld() -> None:
    people = [
        Person("gf", 3.0, 1, "M", affected=True),
        Person("gm", 5.0, 1, "F"),
        Person("s1", 1.0, 2, "M"),
        Person("d1", 3.0, 2, "F", affected=True),
        Person("h1", 4.5, 2, "M"),
        Person("d2", 6.5, 2, "F", affected=True),
        Person("h2", 8.0, 2, "M"),
        Person("s2", 10.0, 2, "M"),
        Person("k1", 2.5, 3, "M", affected=True),
        Person("k2", 4.0, 3, "F"),
        Person("k3", 5.5, 3, "M"),
        Person("pro", 7.0, 3, "F", affected=True, proband=True),
        Person("k5", 8.5, 3, "M", affected=True),
    ]
    couples = [
        ("gf", "gm", ["s1", "d1", "d2", "s2"]),
        ("d1", "h1", ["k1", "k2", "k3"]),
        ("d2", "h2", ["pro", "k5"]),
    ]
    render_pedigree("pedigree_xld.png", people, couples, 12.5, fig_w=14.5)


# --------------------------------------------------------------------------------------------
# Labelled schematic drawings: radiograph diagrams and skin findings (version 1.1.0)
# --------------------------------------------------------------------------------------------

XR_BG = "#101010"
XR_SOFT = "#3a3a3a"
XR_LUNG = "#1c1c1c"
XR_BONE = "#d9d9d9"
XR_DENSE = "#bdbdbd"
NOTE = "#ffd84d"


def drawing_canvas(
    title: str, width: float = 15.0, height: float = 9.5, dark: bool = True
) -> tuple[plt.Figure, plt.Axes]:
    """A canvas for a labelled schematic drawing, titled as a drawing so that nobody takes it for an image."""
    fig = plt.figure(figsize=(width, height), dpi=DPI)
    bg = XR_BG if dark else "white"
    fig.patch.set_facecolor(bg)
    ax = fig.add_axes((0, 0, 1, 0.93))
    ax.set_xlim(0, 100 * width / height)
    ax.set_ylim(0, 100)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_facecolor(bg)
    fig.text(0.5, 0.965, title, ha="center", va="center", fontsize=17, color="white" if dark else "black")
    return fig, ax


def callout(ax: plt.Axes, text: str, xy: tuple[float, float], xytext: tuple[float, float], dark: bool = True) -> None:
    color = NOTE if dark else "#1f3b73"
    ax.annotate(
        text,
        xy=xy,
        xytext=xytext,
        fontsize=15,
        color=color,
        ha="center",
        va="center",
        arrowprops={"arrowstyle": "-|>", "color": color, "lw": 2.2, "mutation_scale": 22},
        zorder=20,
    )


def ellipse(ax: plt.Axes, xy: tuple[float, float], w: float, h: float, color: str, z: int = 3, **kw) -> None:  # type: ignore[no-untyped-def]
    from matplotlib.patches import Ellipse

    ax.add_patch(Ellipse(xy, w, h, facecolor=color, edgecolor=kw.pop("edgecolor", "none"), zorder=z, **kw))


def polygon(ax: plt.Axes, pts: list[tuple[float, float]], color: str, z: int = 3, **kw) -> None:  # type: ignore[no-untyped-def]
    from matplotlib.patches import Polygon

    ax.add_patch(Polygon(pts, closed=True, facecolor=color, edgecolor=kw.pop("edgecolor", "none"), zorder=z, **kw))


def chest_outline(ax: plt.Axes, cx: float) -> None:
    """Upright PA chest: soft tissue, two lung fields, mediastinum and heart, hemidiaphragms, clavicles."""
    ellipse(ax, (cx, 50), 92, 96, XR_SOFT, z=1)
    ellipse(ax, (cx - 20, 55), 34, 70, XR_LUNG, z=2)
    ellipse(ax, (cx + 20, 55), 34, 70, XR_LUNG, z=2)
    polygon(ax, [(cx - 7, 92), (cx + 7, 92), (cx + 9, 40), (cx - 9, 40)], XR_DENSE, z=4)  # mediastinum
    ellipse(ax, (cx + 6, 33), 34, 26, XR_DENSE, z=4)  # heart, mostly left of midline
    for side in (-1, 1):
        ax.plot([cx + side * 4, cx + side * 30], [86, 91], color=XR_BONE, lw=7, solid_capstyle="round", zorder=6)
        for k in range(7):  # posterior ribs
            y = 80 - 8 * k
            xs = np.linspace(cx + side * 6, cx + side * 40, 40)
            ys = y + 6 * np.sin(np.linspace(0, np.pi, 40)) - 3
            ax.plot(xs, ys, color="#8a8a8a", lw=2.2, alpha=0.75, zorder=5)


def lung_markings(ax: plt.Axes, cx: float, x_max_offset: float, side: int, rng: np.random.Generator) -> None:
    """Branching vessel markings fanning out from the hilum up to x_max_offset from the midline."""
    hilum = (cx + side * 10, 55)
    for _ in range(26):
        ang = rng.uniform(-1.0, 1.0)
        length = rng.uniform(10, x_max_offset - 10)
        x1 = hilum[0] + side * length * np.cos(ang)
        y1 = hilum[1] + length * np.sin(ang) * 1.5
        if abs(x1 - cx) > x_max_offset:
            continue
        ax.plot([hilum[0], x1], [hilum[1], y1], color="#6e6e6e", lw=1.4, zorder=3)


def xr_pneumothorax() -> None:
    fig, ax = drawing_canvas("Schematic drawing of an upright PA chest radiograph (not a radiograph)")
    cx = 75
    chest_outline(ax, cx)
    rng = np.random.default_rng(2301)
    # patient's left lung (viewer's right) collapsed away from the chest wall
    ellipse(ax, (cx + 19, 53), 22, 56, "#262626", z=3, edgecolor="#f0f0f0", lw=2.2)
    lung_markings(ax, cx, 27, 1, rng)
    lung_markings(ax, cx, 36, -1, rng)
    ellipse(ax, (cx - 20, 55), 34, 70, "none", z=3, edgecolor="#555555", lw=1)
    ax.text(cx - 20, 8, "R", fontsize=22, color="white", ha="center")
    ax.text(cx + 20, 8, "L", fontsize=22, color="white", ha="center")
    callout(ax, "thin white line", (cx + 30, 62), (cx + 58, 80))
    callout(ax, "no lung markings\nlateral to the line", (cx + 33, 45), (cx + 60, 40))
    ax.annotate("", xy=(cx + 30, 55), xytext=(cx + 37, 55), arrowprops={"arrowstyle": "<->", "color": NOTE, "lw": 2})
    ax.text(cx + 34, 57.5, "3 cm", fontsize=13, color=NOTE, ha="center")
    save(fig, "xr_pneumothorax.png")


def xr_free_air() -> None:
    fig, ax = drawing_canvas("Schematic drawing of an upright chest radiograph, lower chest (not a radiograph)")
    cx = 78
    ellipse(ax, (cx, 62), 110, 90, XR_SOFT, z=1)
    ellipse(ax, (cx - 26, 70), 42, 52, XR_LUNG, z=2)
    ellipse(ax, (cx + 26, 70), 42, 52, XR_LUNG, z=2)
    ellipse(ax, (cx + 6, 58), 34, 24, XR_DENSE, z=4)
    # hemidiaphragm domes as thin lines, a black crescent of gas beneath the right one, liver below
    xs = np.linspace(cx - 50, cx - 4, 80)
    dome = 44 + 10 * np.sin(np.linspace(0, np.pi, 80))
    ax.fill_between(xs, 0, dome - 0.8, color=XR_DENSE, zorder=3)  # liver
    ax.fill_between(xs, dome - 0.8, dome - 5 * np.sin(np.linspace(0, np.pi, 80)) - 0.8, color="#000000", zorder=4)
    ax.plot(xs, dome, color="#f0f0f0", lw=2.6, zorder=5)
    xs2 = np.linspace(cx + 4, cx + 50, 80)
    dome2 = 41 + 9 * np.sin(np.linspace(0, np.pi, 80))
    ax.plot(xs2, dome2, color="#f0f0f0", lw=2.6, zorder=5)
    ellipse(ax, (cx + 28, 38), 16, 9, "#000000", z=4)  # gastric air bubble with a fluid level
    ax.fill_between([cx + 20, cx + 36], 29, 36, color=XR_SOFT, zorder=4)
    ax.fill_between(xs2, 0, np.minimum(dome2 - 0.8, 33.5), color=XR_SOFT, zorder=3)
    ax.text(cx - 27, 20, "liver", fontsize=15, color="#222222", ha="center", zorder=6)
    ax.text(cx - 52, 92, "R", fontsize=22, color="white", ha="center")
    callout(ax, "crescent of gas under\nthe right hemidiaphragm", (cx - 25, 50.5), (cx - 66, 62))
    callout(ax, "gastric bubble", (cx + 28, 38), (cx + 68, 24))
    save(fig, "xr_free_air.png")


def hip(ax: plt.Axes, x0: float, lateral: int, slipped: bool) -> None:
    """One hip of an AP pelvis drawing: acetabulum, femoral neck and shaft, and the capital epiphysis, whose
    flat (physeal) side faces the neck. A slipped epiphysis sits lower and more medial than the neck."""
    from matplotlib.patches import Wedge

    ax.add_patch(Circle((x0, 46), 9.2, facecolor="#242424", zorder=3))
    neck = [
        (x0 + lateral * 2.5, 52),
        (x0 + lateral * 16, 50),
        (x0 + lateral * 19, 40),
        (x0 + lateral * 15, 2),
        (x0 + lateral * 7, 2),
        (x0 + lateral * 8, 30),
        (x0 + lateral * 2.5, 40),
    ]
    polygon(ax, neck, XR_BONE, z=4)
    ellipse(ax, (x0 + lateral * 17, 47), 7, 10, XR_BONE, z=4)  # greater trochanter
    hx, hy = (x0 + lateral * 1.0, 41.0) if slipped else (x0 + lateral * 2.0, 46.0)
    start = -90 if lateral < 0 else 90  # the round side of the epiphysis faces medially
    ax.add_patch(Wedge((hx, hy), 7.0, start, start + 180, facecolor=XR_BONE, zorder=5))
    ax.plot([hx + lateral * 0.4] * 2, [hy - 7, hy + 7], color="#1a1a1a", lw=2.0, zorder=6)  # physis
    # Klein's line: along the superior border of the femoral neck, extended medially
    ax.plot([x0 + lateral * 16, x0 - lateral * 6], [50, 53.2], color="#6fc3ff", lw=2.2, ls="--", zorder=8)


def xr_scfe() -> None:
    fig, ax = drawing_canvas("Schematic drawing of an AP pelvis radiograph (not a radiograph)")
    cx = 79
    ellipse(ax, (cx, 50), 140, 96, XR_SOFT, z=1)
    polygon(ax, [(cx - 62, 90), (cx - 12, 70), (cx - 14, 58), (cx - 30, 56), (cx - 60, 64)], XR_DENSE, z=2)
    polygon(ax, [(cx + 62, 90), (cx + 12, 70), (cx + 14, 58), (cx + 30, 56), (cx + 60, 64)], XR_DENSE, z=2)
    polygon(ax, [(cx - 10, 78), (cx + 10, 78), (cx + 8, 62), (cx - 8, 62)], XR_DENSE, z=2)  # sacrum
    hip(ax, cx - 36, -1, slipped=False)
    hip(ax, cx + 36, 1, slipped=True)
    ax.text(cx - 14, 12, "right hip", fontsize=15, color="white", ha="center")
    ax.text(cx + 14, 12, "left hip", fontsize=15, color="white", ha="center")
    ax.text(cx - 70, 92, "R", fontsize=22, color="white", ha="center")
    ax.text(
        cx,
        30,
        "dashed lines: Klein's line\n(along the superior femoral neck)",
        fontsize=13,
        color="#6fc3ff",
        ha="center",
    )
    callout(ax, "epiphysis lies entirely\nbelow the line", (cx + 33, 44), (cx + 64, 22))
    callout(ax, "line crosses the\nlateral epiphysis", (cx - 36, 52.5), (cx - 66, 22))
    save(fig, "xr_scfe.png")


def xr_sbo() -> None:
    fig, ax = drawing_canvas("Schematic drawing of an upright abdominal radiograph (not a radiograph)")
    cx = 79
    ellipse(ax, (cx, 50), 110, 100, XR_SOFT, z=1)
    for k in range(5):  # lumbar spine
        ax.add_patch(Rectangle((cx - 5, 20 + 13 * k), 10, 10, facecolor=XR_DENSE, zorder=2))
    loops = [
        (cx - 25, 72, 22),
        (cx + 2, 78, 20),
        (cx + 26, 70, 22),
        (cx - 18, 52, 24),
        (cx + 20, 50, 22),
        (cx - 2, 36, 24),
    ]
    for x, y, w in loops:
        ellipse(ax, (x, y), w, 11, "#000000", z=3, edgecolor="#e0e0e0", lw=2)
        ax.fill_between([x - w / 2 + 0.8, x + w / 2 - 0.8], y - 5.5, y - 0.5, color=XR_SOFT, zorder=4)
        ax.plot([x - w / 2 + 1, x + w / 2 - 1], [y - 0.5, y - 0.5], color="#e0e0e0", lw=2, zorder=5)
        for j in range(-2, 3):  # valvulae conniventes crossing the full width
            ax.plot([x + j * w / 6, x + j * w / 6], [y - 0.5, y + 5], color="#8a8a8a", lw=1.2, zorder=5)
    callout(ax, "air-fluid levels at\ndifferent heights", (cx - 18, 51.5), (cx - 68, 58))
    callout(ax, "dilated loops, folds crossing\nthe whole width of the bowel", (cx + 26, 74), (cx + 60, 88))
    callout(ax, "no gas in the colon\nor rectum", (cx + 34, 24), (cx + 60, 12))
    ax.text(cx - 52, 92, "R", fontsize=22, color="white", ha="center")
    save(fig, "xr_sbo.png")


SKIN = "#f1c9a5"
SKIN_EDGE = "#b98b63"


def skin_target_lesions() -> None:
    fig, ax = drawing_canvas(
        "Labelled drawing of the skin findings (not a photograph): backs of both hands", dark=False
    )
    for x0 in (40.0, 118.0):
        # a simple hand outline: palm and five fingers
        polygon(ax, [(x0 - 16, 8), (x0 + 16, 8), (x0 + 19, 52), (x0 - 19, 52)], SKIN, z=1, edgecolor=SKIN_EDGE, lw=2)
        for k, (dx, length) in enumerate(((-14, 26), (-5, 32), (4, 34), (13, 29))):
            polygon(
                ax,
                [(x0 + dx - 4, 51), (x0 + dx + 4, 51), (x0 + dx + 4, 51 + length), (x0 + dx - 4, 51 + length)],
                SKIN,
                z=1,
                edgecolor=SKIN_EDGE,
                lw=2,
            )
            del k
        side = 1 if x0 < 80 else -1  # backs of the hands, palms down: the thumbs point to the midline
        polygon(
            ax,
            [(x0 + side * 16, 20), (x0 + side * 30, 44), (x0 + side * 24, 50), (x0 + side * 17, 36)],
            SKIN,
            z=1,
            edgecolor=SKIN_EDGE,
            lw=2,
        )
    rng = np.random.default_rng(2401)
    spots = [(34, 38), (46, 26), (28, 20), (42, 62), (112, 34), (125, 22), (121, 46), (108, 18), (127, 66), (49, 44)]
    for x, y in spots:
        r = float(rng.uniform(2.6, 3.6))
        ax.add_patch(Circle((x, y), r, facecolor="#d9544d", edgecolor="none", zorder=3))  # red outer ring
        ax.add_patch(Circle((x, y), r * 0.68, facecolor="#f6dede", edgecolor="none", zorder=4))  # pale oedematous ring
        ax.add_patch(Circle((x, y), r * 0.36, facecolor="#6b2a4a", edgecolor="none", zorder=5))  # dusky centre
    callout(ax, "dusky centre", (112, 34), (80, 60), dark=False)
    callout(ax, "pale, raised\nmiddle ring", (113.6, 35.8), (80, 42), dark=False)
    callout(ax, "red outer ring,\nsharp border", (114.8, 31.6), (80, 20), dark=False)
    ax.text(
        80, 92, "lesions 6-10 mm across, fixed in place for more than a week", fontsize=14, ha="center", color="#1f3b73"
    )
    save(fig, "skin_target_lesions.png")


FIGURES = [
    ecg_afib,
    ecg_flutter,
    ecg_chb,
    ecg_mobitz1,
    ecg_hyperk,
    ecg_inferior_mi,
    ecg_wpw,
    growth_cgd,
    growth_ftt,
    growth_ghd,
    pedigree_ad,
    pedigree_xlr,
    pedigree_mito,
    trend_hcg,
    trend_hit,
    trend_tls,
    ecg_anterior_stemi,
    ecg_brugada,
    ecg_long_qt,
    ecg_hypokalemia,
    ecg_pericarditis,
    ecg_mobitz2,
    ecg_vt,
    ecg_torsades,
    ecg_bidirectional_vt,
    ctg_late_minimal,
    ctg_late_absent,
    ctg_variable,
    ctg_sinusoidal,
    ctg_early,
    trend_dka,
    trend_aki_contrast,
    trend_tsh,
    pedigree_ar_consanguinity,
    pedigree_xld,
    xr_pneumothorax,
    xr_free_air,
    xr_scfe,
    xr_sbo,
    skin_target_lesions,
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Generate the images of the ck-image-cases pack.")
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="NAME",
        help="generate only these figures (file names with or without .png, e.g. ecg_brugada)",
    )
    args = parser.parse_args(argv)
    by_name = {make.__name__: make for make in FIGURES}
    if args.only:
        wanted = [n.removesuffix(".png") for n in args.only]
        unknown = [n for n in wanted if n not in by_name]
        if unknown:
            parser.error(f"unknown figure(s): {', '.join(unknown)}; known: {', '.join(by_name)}")
        makers = [by_name[n] for n in wanted]
    else:
        makers = list(FIGURES)
    for make in makers:
        make()


if __name__ == "__main__":
    main()

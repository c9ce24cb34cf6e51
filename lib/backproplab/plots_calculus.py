"""Figures of derivatives and deltas (notebooks 00 to 02), so that no notebook cell is styling.

Each function draws onto the ``ax`` it is given, in the style of :mod:`.plots`, from
numbers the notebook computed, and returns the ``ax``.
"""
from __future__ import annotations

import numpy as np

from .plots import COLORS


def plot_slope_check(ax, x, f, f_prime, xs, slopes, f_label, prime_label, title):
    """A function, the derivative a rule gave, and measured slopes as dots on top.

    Parameters
    ----------
    x : ndarray, a fine grid; f, f_prime : callables drawn on it
    xs, slopes : ndarray, where the slopes were measured and their values
    f_label, prime_label : str, legend entries (LaTeX allowed)
    """
    ax.plot(x, f(x), label=f_label)
    ax.plot(x, f_prime(x), "--", label=prime_label)
    ax.plot(xs, slopes, "o", color=COLORS["vermillion"], label=r"central differences, $\varepsilon = 10^{-6}$")
    ax.axhline(0, color="gray", lw=0.8)
    ax.set_xlabel("$x$")
    ax.set_ylabel("value")
    ax.set_title(title)
    ax.legend(loc="lower left")
    return ax


def plot_difference_errors(ax, epsilons, forward_error, central_error, u, f_value, title):
    """The error of forward and central differences against the step, on log-log axes.

    Shades where rounding dominates (left of sqrt(u) for both, up to u^(1/3) for the
    central difference) and draws reference lines of slope 1 and 2 (truncation) and the
    rounding model ``u |f| / eps`` (slope -1).

    Parameters
    ----------
    epsilons : ndarray, increasing; forward_error, central_error : ndarray, the same length
    u : float, the unit roundoff; f_value : float, ``|f(x)|`` for the rounding model
    """
    lo = epsilons[0]
    ax.axvspan(lo, np.sqrt(u), color="0.85", zorder=0)
    ax.axvspan(np.sqrt(u), u ** (1 / 3), color="0.94", zorder=0)
    ax.text(2 * lo, 2 * lo, "rounding error\ndominates", fontsize=13, color="0.25")
    ax.text(np.sqrt(u) * 1.3, 2 * lo, "rounding\n(central)", fontsize=11, color="0.35")
    ax.text(3e-3, 2 * lo, "truncation error\ndominates", fontsize=13, color="0.25", ha="center")
    ax.loglog(epsilons, forward_error, "o-", ms=4, label="forward difference")
    ax.loglog(epsilons, central_error, "s-", ms=4, label="central difference")
    top = epsilons[-1]
    e1, e2, er = np.logspace(-7, np.log10(top)), np.logspace(-4.5, np.log10(top)), np.logspace(np.log10(lo), -7)
    # reference lines of slope 1 and 2, a factor 30 below the measured errors
    ax.loglog(e1, forward_error[-1] * (e1 / top) / 30, "k--", lw=1.2)
    ax.loglog(e2, central_error[-1] * (e2 / top) ** 2 / 30, "k--", lw=1.2)
    ax.loglog(er, u * abs(f_value) / er, "k:", lw=1.5)
    ax.text(1e-5, 3e-8, "slope 1", fontsize=13, rotation=20)
    ax.text(2e-3, 3e-10, "slope 2", fontsize=13, rotation=38)
    ax.text(1e-12, 8e-4, r"slope $-1$: $u\,|f(x)|/\varepsilon$", fontsize=13, rotation=-20)
    ax.set_ylim(lo, 1)
    ax.set_xlabel(r"step $\varepsilon$")
    ax.set_ylabel(r"error $|$estimate $- f'(x)|$")
    ax.set_title(title)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 0.12))
    return ax


def plot_output_deltas(ax, z, error, deltas, z_saturated, title):
    """The output sensitivity against the weighted input, for several costs, with the error.

    Parameters
    ----------
    z : ndarray; error : ndarray, ``a - y`` on the same grid
    deltas : dict {legend label: ndarray}, drawn in order (solid, then dotted)
    z_saturated : float, where ``sigma'`` falls below 10 % of its peak (shaded beyond)
    """
    ax.axvspan(z_saturated, z[-1], color="0.88", label=r"saturated: $\sigma'$ < 10% of its peak")
    ax.plot(z, error, "--", color="0.45", label="error $a - y$")
    for (label, delta), (style, color, width) in zip(deltas.items(), (("-", COLORS["vermillion"], 2.5),
                                                                     (":", COLORS["blue"], 3.5))):
        ax.plot(z, delta, style, color=color, lw=width, label=label)
    ax.set_xlabel("output weighted input $z$")
    ax.set_ylabel(r"$\delta = \partial C / \partial z$")
    ax.set_title(title)
    ax.legend(loc="center right", fontsize=11)
    return ax


def plot_outputs_during_training(ax, steps, outputs, target, title):
    """The output of a neuron step by step, one line per cost, and the target.

    Parameters
    ----------
    steps : ndarray; outputs : dict {cost name: ndarray of outputs, one per step}
    target : float
    """
    for (cost, out), (style, color, width) in zip(outputs.items(), (("-", COLORS["vermillion"], 2.5),
                                                                   (":", COLORS["blue"], 3.5))):
        ax.plot(steps, out, style, color=color, lw=width, label=cost.replace("_", "-"))
    ax.axhline(target, color=COLORS["green"], ls="--", lw=1.5, label=f"target y = {target:g}")
    ax.set_xlabel("gradient-descent step")
    ax.set_ylabel("output $a$")
    ax.set_title(title)
    ax.legend(loc="center right", fontsize=11)
    return ax


def plot_derivative_bounds(ax, z, title):
    """sigma'(z) for the sigmoid and tanh on the grid ``z``, with their maxima 1/4 and 1."""
    from .activations import ACTIVATIONS
    for name, color, peak in (("sigmoid", COLORS["blue"], 0.25), ("tanh", COLORS["orange"], 1.0)):
        ax.plot(z, ACTIVATIONS[name].prime(z), color=color, label=f"{name}'(z)")
        ax.axhline(peak, color=color, ls=":", lw=1.5)
        ax.text(z[-1], peak + (0.02 if peak < 1 else -0.07), "1/4" if peak < 1 else "1", ha="right", color=color)
    ax.set_xlabel("weighted input $z$")
    ax.set_ylabel(r"$\sigma'(z)$")
    ax.set_title(title)
    ax.legend(loc="center left")
    return ax


ACTIVATION_STYLE = {"sigmoid": (COLORS["blue"], "o"), "tanh": (COLORS["orange"], "^")}


def plot_delta_norms(ax, norms, growth, title):
    """The mean size of delta[l] layer by layer, on a log axis, one line per activation.

    Parameters
    ----------
    norms : dict {activation: ndarray of ||delta[l]|| for l = 2, ..., L}
    growth : dict {activation: the average factor per layer going back}
    """
    for act, values in norms.items():
        color, marker = ACTIVATION_STYLE.get(act, (None, "o"))
        ax.semilogy(np.arange(2, len(values) + 2), values, marker=marker, color=color,
                    label=f"{act}: ×{growth[act]:.2f} per layer going back")
    L = len(next(iter(norms.values()))) + 1
    ax.set_xticks(range(2, L + 1, max(1, (L - 1) // 5)))
    ax.set_xlabel(f"layer $l$ (output $L = {L}$; backprop runs right to left)")
    ax.set_ylabel(r"mean $\|\delta^{[l]}\|$ over the data")
    ax.set_title(title)
    ax.legend(loc="lower right")
    return ax

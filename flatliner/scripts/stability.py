"""How stable a script's outcome is across seeds."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from flatliner.scripts.diagnose import ScriptReport
from flatliner.stats.bootstrap import Interval, mean_bootstrap_ci


@dataclass
class FitStability:
    """One fit call (by its order in the script) across seeded reruns.

    Attributes:
        index: The fit call's number in the script (1 = first).
        seeds: The seeds that reached this fit call.
        final_loss: The last epoch's training loss per seed (NaN if none).
        kinds: Finding kind -> seeds in which it was an error or warning.
    """

    index: int
    seeds: list[int] = field(default_factory=list)
    final_loss: list[float] = field(default_factory=list)
    kinds: dict[str, list[int]] = field(default_factory=dict)

    @property
    def loss_mean(self) -> float:
        finite = [v for v in self.final_loss if math.isfinite(v)]
        return float(np.mean(finite)) if finite else math.nan

    @property
    def loss_std(self) -> float:
        """Sample standard deviation (n - 1) over seeds; NaN below two runs."""
        finite = [v for v in self.final_loss if math.isfinite(v)]
        return float(np.std(finite, ddof=1)) if len(finite) > 1 else math.nan

    @property
    def identical(self) -> bool:
        """Every seed ended with exactly the same loss (two seeds or more)."""
        return len(self.final_loss) > 1 and len(set(self.final_loss)) == 1

    def loss_interval(self, confidence: float = 0.95) -> Interval | None:
        """Bootstrap interval of the mean final loss; None below two finite runs."""
        finite = [v for v in self.final_loss if math.isfinite(v)]
        if len(finite) < 2:
            return None
        return mean_bootstrap_ci(finite, confidence)

    def kind_share(self, kind: str, confidence: float = 0.95) -> tuple[float, float]:
        """Exact (Clopper-Pearson) interval of the share of seeds showing `kind`.

        How to read it: with 5 seeds, 5 of 5 still only bounds the true rate
        below by about 48%; a kind seen in 1 of 5 may occur in up to 72%.
        """
        from scipy.stats import binomtest

        hits = len(self.kinds.get(kind, []))
        ci = binomtest(hits, len(self.seeds)).proportion_ci(confidence, "exact")
        return float(ci.low), float(ci.high)

    @property
    def stable(self) -> bool:
        """Every finding kind appeared in all seeds or in none."""
        return all(len(s) == len(self.seeds) for s in self.kinds.values())


def seed_stability(reports: list[ScriptReport]) -> list[FitStability]:
    """Gathers each fit call's outcome over the seeded runs of one script."""
    by_index: dict[int, FitStability] = {}
    for report in reports:
        seed = report.result.seed
        for fit_report in report.fits:
            entry = by_index.setdefault(
                fit_report.fit.index, FitStability(fit_report.fit.index)
            )
            entry.seeds.append(seed)
            final = fit_report.fit.training.final
            loss = final.logs.get("loss", math.nan) if final else math.nan
            entry.final_loss.append(float(loss))
            kinds = {
                lf.finding.kind
                for lf in fit_report.findings
                if lf.finding.severity in ("error", "warning")
            }
            for kind in kinds:
                entry.kinds.setdefault(kind, []).append(seed)
    return [by_index[i] for i in sorted(by_index)]

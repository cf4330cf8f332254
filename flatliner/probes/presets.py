"""How much the probes measure: the cheap, standard and full presets."""

from __future__ import annotations

from dataclasses import dataclass

from flatliner.errors import ConfigError


@dataclass(frozen=True)
class ProbePreset:
    """What the Monitor and the per-epoch measurement gather, and how often.

    Attributes:
        name: "cheap", "standard" or "full".
        update_every: Steps between two measurements of the update-to-weight
            ratio (each costs one copy of the weights to the host, twice).
        gradients: Whether per-layer gradient norms are measured on the probe
            batch at the end of every epoch (one extra forward and backward pass).
        activations: Whether activation statistics (dead and saturated units) are
            measured on the probe batch at the end of every epoch.
        loss_every: Keep one per-step loss out of this many for the loss curve
            (every step is still checked for non-finite values).
    """

    name: str
    update_every: int
    gradients: bool
    activations: bool
    loss_every: int


PRESETS = {
    "cheap": ProbePreset("cheap", 500, False, True, 50),
    "standard": ProbePreset("standard", 200, True, True, 10),
    "full": ProbePreset("full", 20, True, True, 1),
}


def get_preset(name: str | ProbePreset) -> ProbePreset:
    """The preset called `name` (default everywhere: "standard").

    Raises:
        ConfigError: for a name that is not one of PRESETS.
    """
    if isinstance(name, ProbePreset):
        return name
    if name not in PRESETS:
        raise ConfigError(
            f"preset must be one of {', '.join(PRESETS)}; received {name!r}."
        )
    return PRESETS[name]

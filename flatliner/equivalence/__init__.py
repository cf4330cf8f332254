"""Do two layers or models compute the same function? (`flatliner equiv`)

from flatliner.equivalence import equivalent
result = equivalent("ReLU()", "Activation('relu')")
result.verdict  # "EQUIVALENT"
"""

from flatliner.equivalence.check import equivalent
from flatliner.equivalence.verdict import (
    DIFFERENT,
    EQUIVALENT,
    UP_TO_ROUNDING,
    EquivalenceResult,
)

__all__ = [
    "DIFFERENT",
    "EQUIVALENT",
    "UP_TO_ROUNDING",
    "EquivalenceResult",
    "equivalent",
]

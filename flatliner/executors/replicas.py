"""Training several seeds of one model with one compiled JAX step.

A `ReplicaTrainer` builds the model once (the template), and traces and
compiles one training step for a group of replicas. Each replica is one seed:
its own initial weights (built exactly as `train_run` builds them), its own
batch order (the same NumPy permutation per epoch), its own optimizer state and
BatchNormalization statistics. The step is Keras's own stateless
`train_step`, applied to every replica either unrolled (a Python loop inside
the jitted function: fast on a CPU) or through `jax.vmap` (one batched step:
fast on a GPU, where per-replica convolutions become one grouped
convolution). Later groups and seeds reuse the compiled step; after each epoch
every replica's state is loaded into the template and measured with the same
code as `train_run`, so the records and findings are those of a sequential run.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from flatliner.data.dataset import Dataset
from flatliner.errors import ConfigError
from flatliner.models.spec import ModelSpec
from flatliner.monitor import StepProbes
from flatliner.probes.presets import get_preset
from flatliner.probes.snapshot import describe_layers
from flatliner.probes.weights import step_losses, trainable_layout, update_ratios
from flatliner.trials.config import TrainConfig
from flatliner.trials.run import EpochRecord, RunResult, build_model, measure_epoch

logger = logging.getLogger(__name__)

COMBINE = ("unroll", "vmap")


class ReplicaTrainer:
    """Trains groups of seeds of one model spec with one compiled step (JAX only).

    Args:
        spec: The model to train.
        dataset: Training and test data; the training set is copied to the
            device once and every batch is gathered there.
        config: Epochs, batch size, probe and evaluation sizes.
        combine: "unroll" (default) or "vmap": how the replicas of a group
            share one step.
        scan: Run an epoch's full batches as one compiled loop (`lax.scan`)
            instead of one call per step (default False). It saves the
            per-step dispatch but measured 2x slower on a 2-core CPU, and it
            changes float32 rounding (see docs/executors.md).

    Raises:
        ConfigError: for a backend other than JAX or an unknown `combine`.
        ModelSpecError: when the model cannot be built for the data.
    """

    def __init__(
        self,
        spec: ModelSpec,
        dataset: Dataset,
        config: TrainConfig,
        *,
        combine: str = "unroll",
        scan: bool = False,
        preset: str = "standard",
    ) -> None:
        import jax.numpy as jnp
        import keras

        if keras.backend.backend() != "jax":
            raise ConfigError(
                "replica training needs the JAX backend; received backend="
                f"{keras.backend.backend()!r}. Use --backend jax or the "
                "sequential executor."
            )
        if combine not in COMBINE:
            raise ConfigError(
                f"combine must be one of {', '.join(COMBINE)}; received {combine!r}."
            )
        self.spec = spec
        self.dataset = dataset
        self.config = config
        self.combine = combine
        self.scan = scan

        # The template: its structure traces the step, its variables receive
        # each replica's state for measuring.
        self.model = build_model(spec, dataset, 0)
        self._build_training_state()
        self.x_probe = dataset.x_test[: config.probe_size]
        self.layers = describe_layers(self.model, self.x_probe)
        self.preset = get_preset(preset)
        self._layout = trainable_layout(self.model)
        self._optimizer_init = [
            np.asarray(v.value) for v in self.model.optimizer.variables
        ]
        self._metrics_init = [np.asarray(v.value) for v in self.model.metrics_variables]

        # The training set lives on the device; steps gather their batches.
        self._x = jnp.asarray(dataset.x_train)
        self._y = jnp.asarray(dataset.y_train)
        self._steps: dict[int, Callable] = {}

    def train(
        self,
        seeds: list[int],
        *,
        label: str = "A",
        on_epoch: Callable[[int, EpochRecord], None] | None = None,
    ) -> list[RunResult]:
        """Trains one replica per seed in one group; returns a result per seed.

        `on_epoch(seed, record)` is called for every measured epoch, epoch 0
        included.
        """
        import jax
        import keras

        model = self.model
        config = self.config
        n = len(self.dataset.x_train)
        batch = config.batch_size

        # Initial state of every replica: weights as train_run builds them,
        # fresh optimizer slots.
        states = []
        for seed in seeds:
            # A fresh model per seed gives exactly train_run's initial weights;
            # after the first it costs 10-20 ms (the first pays JAX's start).
            fresh = build_model(self.spec, self.dataset, seed)
            states.append(
                [
                    [v.value for v in fresh.trainable_variables],
                    [v.value for v in fresh.non_trainable_variables],
                    list(self._optimizer_init),
                    list(self._metrics_init),
                ]
            )
            del fresh
        orders = [np.random.default_rng(seed) for seed in seeds]
        records: list[list[EpochRecord]] = [[] for _ in seeds]
        seconds: list[list[float]] = [[] for _ in seeds]
        for r, seed in enumerate(seeds):
            records[r].append(self._measure(states[r], 0, {}))
            if on_epoch:
                on_epoch(seed, records[r][0])

        step, scan = self._step(len(seeds))
        full = n // batch
        for epoch in range(1, config.epochs + 1):
            # Our own permutation per replica, as train_run draws it; metrics
            # restart every epoch, as in fit.
            perms = np.stack([order.permutation(n) for order in orders])
            perms = perms.astype(np.int32)
            for state in states:
                state[3] = list(self._metrics_init)
            group = self._pack(states)

            start = time.perf_counter()
            logs = None
            if self.scan and full > 0:
                # Every full batch in one call (a scan over steps), then the
                # last, partial batch as fit runs it.
                steps = perms[:, : full * batch].reshape(len(seeds), full, batch)
                logs, group = scan(group, self._x, self._y, steps.swapaxes(0, 1))
                logs = _last(logs)
                begins = range(full * batch, n, batch)
            else:
                begins = range(0, n, batch)
            # The step probes the Monitor takes inside fit, taken the same way:
            # every step's running loss, and the update ratio of every
            # `update_every`-th step (weights copied before the step donates them).
            running: list[Any] = []
            ratios: list[list[dict[str, float]]] = [[] for _ in seeds]
            for i, begin in enumerate(begins):
                sampled = i % self.preset.update_every == 0
                if sampled:
                    before = self._trainable(group, len(seeds))
                index = perms[:, begin : begin + batch]
                logs, group = step(group, self._x, self._y, index)
                running.append(logs)
                if sampled:
                    after = self._trainable(group, len(seeds))
                    for r in range(len(seeds)):
                        ratios[r].append(
                            update_ratios(before[r], after[r], self._layout)
                        )
            group = jax.block_until_ready(group)
            states = self._unpack(group, len(seeds))
            logs = self._unpack_logs(logs, len(seeds))
            elapsed = time.perf_counter() - start

            for r, seed in enumerate(seeds):
                train_logs = {k: float(v) for k, v in logs[r].items()}
                seconds[r].append(elapsed / len(seeds))
                records[r].append(self._measure(states[r], epoch, train_logs))
                if not self.scan:
                    means = [
                        float(self._unpack_logs(step_logs, len(seeds))[r]["loss"])
                        for step_logs in running
                    ]
                    records[r][-1].attach_step_probes(
                        _step_probes(epoch, means, ratios[r], self.preset)
                    )
                logger.info(
                    "%s seed %d epoch %d: val_accuracy %.4f (%.1f s for %d replicas)",
                    self.spec.label,
                    seed,
                    epoch,
                    records[r][-1].val_accuracy,
                    elapsed,
                    len(seeds),
                )
                if on_epoch:
                    on_epoch(seed, records[r][-1])

        results = []
        for r, seed in enumerate(seeds):
            self._load(states[r])
            results.append(
                RunResult(
                    label=label,
                    model=self.spec.name,
                    seed=seed,
                    backend=keras.backend.backend(),
                    layers=self.layers,
                    epochs=records[r],
                    weights=[
                        np.asarray(keras.ops.convert_to_numpy(w)) for w in model.weights
                    ],
                    seconds_per_epoch=seconds[r],
                )
            )
        return results

    def _build_training_state(self) -> None:
        # What fit builds before its first step: optimizer slots, loss and
        # metric variables, from one symbolic batch.
        model = self.model
        sample = (
            self.dataset.x_train[: self.config.batch_size],
            self.dataset.y_train[: self.config.batch_size],
        )
        model._symbolic_build(data_batch=sample)
        if not model.optimizer.built:
            model.optimizer.build(model.trainable_variables)

    def _trainable(self, group: Any, replicas: int) -> list[list[np.ndarray]]:
        """Each replica's trainable weights, copied to the host."""
        return [
            [np.asarray(v) for v in state[0]] for state in self._unpack(group, replicas)
        ]

    def _step(self, replicas: int) -> Callable:
        # One compiled function per group size, reused by every later group.
        if replicas in self._steps:
            return self._steps[replicas]
        import jax
        import jax.numpy as jnp

        train_step = self.model.train_step

        def one(state, x_all, y_all, index):
            data = (jnp.take(x_all, index, axis=0), jnp.take(y_all, index, axis=0))
            logs, new_state = train_step(tuple(state), data)
            return logs, [list(part) for part in new_state]

        if self.combine == "unroll":

            def group(states, x_all, y_all, index):
                out = [one(s, x_all, y_all, index[r]) for r, s in enumerate(states)]
                return [o[0] for o in out], [o[1] for o in out]

        else:
            group = jax.vmap(one, in_axes=(0, None, None, 0))

        def steps(states, x_all, y_all, indices):
            def body(carry, index):
                logs, carry = group(carry, x_all, y_all, index)
                return carry, logs

            states, logs = jax.lax.scan(body, states, indices)
            return logs, states

        self._steps[replicas] = (
            jax.jit(group, donate_argnums=0),
            jax.jit(steps, donate_argnums=0),
        )
        return self._steps[replicas]

    def _pack(self, states: list) -> Any:
        # unroll: a list of replica states; vmap: one state with a replica axis.
        if self.combine == "unroll":
            return states
        import jax
        import jax.numpy as jnp

        return jax.tree_util.tree_map(lambda *parts: jnp.stack(parts), *states)

    def _unpack(self, group: Any, replicas: int) -> list:
        if self.combine == "unroll":
            return group
        import jax

        return [
            jax.tree_util.tree_map(lambda a, r=r: a[r], group) for r in range(replicas)
        ]

    def _unpack_logs(self, logs: Any, replicas: int) -> list[dict]:
        if self.combine == "unroll":
            return logs
        return [{k: v[r] for k, v in logs.items()} for r in range(replicas)]

    def _load(self, state: list) -> None:
        # Copies: evaluate donates the template's arrays to its jitted step,
        # which would delete the replica's own.
        import jax.numpy as jnp

        trainable = [jnp.copy(v) for v in state[0]]
        non_trainable = [jnp.copy(v) for v in state[1]]
        for variable, value in zip(
            self.model.trainable_variables, trainable, strict=True
        ):
            variable.assign(value)
        for variable, value in zip(
            self.model.non_trainable_variables, non_trainable, strict=True
        ):
            variable.assign(value)

    def _measure(self, state: list, epoch: int, train_logs: dict) -> EpochRecord:
        self._load(state)
        return measure_epoch(
            self.model,
            self.dataset,
            self.config,
            self.x_probe,
            self.layers,
            epoch,
            train_logs,
        )


def _last(logs: Any) -> Any:
    """The last step's logs from a scan's stacked per-step logs."""
    import jax

    return jax.tree_util.tree_map(lambda a: a[-1], logs)


def _step_probes(
    epoch: int,
    running_means: list[float],
    ratios: list[dict[str, float]],
    preset: Any,
) -> StepProbes:
    """The Monitor's per-epoch step record, from what the engine collected.

    Matches what `train_run`'s Monitor records (same sampling, same
    arithmetic); where the first non-finite value appeared is not located.
    """
    probes = StepProbes(epoch=epoch, steps=len(running_means))
    probes.step_losses = step_losses(running_means, preset.loss_every)
    if ratios:
        probes.update_samples = len(ratios)
        probes.update_ratios = {
            path: float(np.median([r[path] for r in ratios])) for path in ratios[0]
        }
    return probes

"""A small, healthy CIFAR-100 CNN: the false-alarm reference for `diagnose`.

    flatliner diagnose examples/small_cnn.py:factory --data cifar100 --seeds 5

It learns (above 15% validation accuracy in 2 epochs) and should raise nothing
above information level.
"""

import keras
from keras import layers


def factory() -> keras.Model:
    """Two conv blocks, global pooling, a softmax over the 100 fine classes."""
    model = keras.Sequential(
        [
            keras.Input((32, 32, 3)),
            layers.Conv2D(32, 3, padding="same"),
            layers.BatchNormalization(),
            layers.ReLU(),
            layers.MaxPooling2D(),
            layers.Conv2D(64, 3, padding="same"),
            layers.BatchNormalization(),
            layers.ReLU(),
            layers.MaxPooling2D(),
            layers.Conv2D(128, 3, padding="same", activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(100, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model

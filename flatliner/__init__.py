"""flatliner: why does my network learn nothing?"""

__version__ = "0.1.0"

__all__ = ["Monitor", "equivalent"]


def __getattr__(name: str):
    # Lazy, so that `import flatliner` stays light (no Keras, no backend) and
    # the CLI can choose the backend first.
    if name == "equivalent":
        from flatliner.equivalence import equivalent

        return equivalent
    if name == "Monitor":
        from flatliner.monitor import Monitor

        return Monitor
    raise AttributeError(f"module 'flatliner' has no attribute {name!r}")

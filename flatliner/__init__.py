"""flatliner: why does my network learn nothing?"""

__version__ = "0.1.0"


def __getattr__(name: str):
    # Lazy, so that `import flatliner` stays light (no Keras, no backend).
    if name == "equivalent":
        from flatliner.equivalence import equivalent

        return equivalent
    raise AttributeError(f"module 'flatliner' has no attribute {name!r}")

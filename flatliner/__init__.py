"""flatliner: why does my network learn nothing?"""

__version__ = "0.1.0"

__all__ = ["Monitor"]


def __getattr__(name: str):
    # Monitor imports Keras; load it only when asked for, so that the CLI can
    # choose the backend first.
    if name == "Monitor":
        from flatliner.monitor import Monitor

        return Monitor
    raise AttributeError(f"module 'flatliner' has no attribute {name!r}")

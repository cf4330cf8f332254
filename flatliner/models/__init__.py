"""Model specs: built-in names and `path/to/file.py:factory`."""

from flatliner.models.spec import BUILTIN_MODELS, ModelSpec, resolve_model_spec

__all__ = ["BUILTIN_MODELS", "ModelSpec", "resolve_model_spec"]

"""flatliner: why does my network learn nothing?"""

__version__ = "0.1.0"

"""Comparisons between runs and variants."""

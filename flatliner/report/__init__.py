"""Rendering findings and trials for the terminal and JSON. Renders only."""

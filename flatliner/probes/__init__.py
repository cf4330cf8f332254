"""Measurements on a fixed probe batch. Probes measure; they never judge."""

"""Orchestration, the composition root: the only package that wires connectors and core together."""

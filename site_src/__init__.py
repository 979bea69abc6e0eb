"""researchmap: a static-site generator for research maps."""

__version__ = "0.1.0"

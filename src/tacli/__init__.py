"""tacli: plan, check and report education technical assistance engagements."""

__version__ = "0.1.0"

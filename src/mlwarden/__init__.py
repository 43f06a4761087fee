"""mlwarden: MLSecOps checks that run, gates that block and a guard that acts."""

from __future__ import annotations

__version__ = "0.1.0"

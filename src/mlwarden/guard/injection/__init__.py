"""Prompt-injection detection: rules over normalised views plus a small bundled classifier."""

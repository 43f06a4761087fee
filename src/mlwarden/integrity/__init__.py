"""Hashing, manifests, signatures and verification of models and datasets.

The signature format is OpenSSF model-signing's (a Sigstore bundle with a DSSE envelope over an
in-toto statement), implemented here with ``cryptography``; see ``docs/integrity.md``.
"""

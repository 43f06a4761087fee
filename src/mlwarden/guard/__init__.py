"""The inference firewall: the same detectors as the scanners, applied to live requests and responses."""

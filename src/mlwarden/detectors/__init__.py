"""Pure detectors over text: the same code scans files offline and requests in the guard."""

"""Operations that write new versions of datasets: ``redact`` (mask PII) and ``forget`` (erase a subject).

Both stream the input, write the result to a temporary file beside the output and rename it into
place, never edit the input, and record a lineage edge in ``.mlwarden/lineage.jsonl``.
"""

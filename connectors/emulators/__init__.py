"""Local stand-ins of the Gmail and Microsoft Graph REST APIs (HTTP on 127.0.0.1).

Both serve the same ``Mailbox`` (``mailbox.py``: one generator, two wire formats), count
requests and quota, and inject faults on demand. Used by tests, benchmarks and ``reftrack demo``.
"""

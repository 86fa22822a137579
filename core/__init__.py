"""The domain, free of I/O: models, visible text, classification, policy and the digest.

Nothing in ``core`` imports a provider SDK, ``connectors``, ``sync`` or opens a socket
(checked by import-linter).
"""

"""Provider connectors: one module per mail provider behind one interface (``base.Connector``).

Connectors turn a provider's API into pages of normalized ``MailMessage`` values and send mail.
They return values and never touch the database; ``sync`` stores what they return.
"""

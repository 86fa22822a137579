"""The add-in HTTP backend: the Outlook task pane and the Gmail add-on talk to this package.

Layout: ``app`` builds the ASGI app; ``auth`` verifies every caller's token (Entra ID access tokens,
Google system and user ID tokens); ``access`` scopes every lookup to the verified user's linked
accounts; ``api`` is the REST API of the task pane; ``gmail_addon`` renders Google cards;
``outlook`` serves the task pane and writes its manifest; ``linking`` is the web variant of
``reftrack auth`` (Google OAuth web flow, MSAL auth-code flow).

Invariant: nothing outside this package imports it (an import-linter contract).
"""

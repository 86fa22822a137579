"""Bundled demo mailboxes (``demo_<provider>.json.gz``), written by scripts/make_demo_mailbox.py.

A package only so that setuptools ships the files and ``importlib.resources`` finds them.
"""

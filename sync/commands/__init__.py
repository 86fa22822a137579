"""One module per group of ``reftrack`` commands; ``sync.cli`` imports them all."""

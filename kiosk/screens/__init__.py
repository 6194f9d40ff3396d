"""Kiosk screens: one .py + .kv pair each."""

"""The feedback loop (好差评整改): bad grades and 「办不成事」 reports, followed to a close."""
